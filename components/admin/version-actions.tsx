"use client";

import { Plus } from "lucide-react";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import { type CreateVersionState, TemplateVersionForm, type VersionDraft } from "@/components/admin/template-version-form";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { ActionState } from "@/lib/server/action";

export type DeprecateState = ActionState;

/** Deprecate (or restore) one version; refusals (e.g. the last requestable version) come back as a toast. */
export function DeprecateButton({
  templateSlug,
  version,
  deprecated,
  action,
}: {
  templateSlug: string;
  version: number;
  deprecated: boolean;
  action: (prev: DeprecateState, form: FormData) => Promise<DeprecateState>;
}) {
  const [, formAction, pending] = useActionState(async (prev: DeprecateState, form: FormData) => {
    const next = await action(prev, form);
    if (next.ok) toast.success(next.message);
    else toast.error(next.message);
    return next;
  }, { ok: false });
  return (
    <form action={formAction}>
      <input type="hidden" name="templateSlug" value={templateSlug} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="deprecated" value={deprecated ? "false" : "true"} />
      <Button type="submit" size="sm" variant={deprecated ? "secondary" : "ghost"} loading={pending} aria-label={`${deprecated ? "Restore" : "Deprecate"} version ${version}`}>
        {deprecated ? "Restore" : "Deprecate"}
      </Button>
    </form>
  );
}

/** The "New version" button and, once pressed, the form. */
export function NewVersionPanel(props: {
  templateSlug: string;
  previous: VersionDraft;
  previousVersion: number | null;
  action: (prev: CreateVersionState, form: FormData) => Promise<CreateVersionState>;
}) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <Button icon={<Plus className="size-4" aria-hidden />} onClick={() => setOpen(true)}>
        New version
      </Button>
    );
  return (
    <Card className="w-full">
      <CardHeader title={`New version ${(props.previousVersion ?? 0) + 1}`} description="Versions are immutable: clusters keep the version they were created from." />
      <CardBody>
        <TemplateVersionForm {...props} onDone={() => setOpen(false)} />
      </CardBody>
    </Card>
  );
}

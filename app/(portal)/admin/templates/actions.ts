"use server";

import { revalidatePath } from "next/cache";
import type { CreateVersionState } from "@/components/admin/template-version-form";
import type { DeprecateState } from "@/components/admin/version-actions";
import { createTemplateVersion } from "@/lib/domain/create-template-version";
import { deprecateTemplateVersion } from "@/lib/domain/deprecate-template-version";
import { formToObject, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

export async function createTemplateVersionAction(_prev: CreateVersionState, form: FormData): Promise<CreateVersionState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const raw = formToObject(form);
    const v = await createTemplateVersion(ctx, { ...(raw as Record<string, string>), isolateNetwork: raw.isolateNetwork === "true", privileged: raw.privileged === "true" } as never);
    revalidatePath("/admin/templates");
    revalidatePath(`/admin/templates/${String(raw.templateSlug)}`);
    return { message: `Version ${v.version} published.`, data: { version: v.version } };
  });
}

export async function deprecateTemplateVersionAction(_prev: DeprecateState, form: FormData): Promise<DeprecateState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const raw = formToObject(form);
    const v = await deprecateTemplateVersion(ctx, raw as never);
    revalidatePath("/admin/templates");
    revalidatePath(`/admin/templates/${String(raw.templateSlug)}`);
    return { message: v.deprecated ? `Version ${v.version} deprecated: it can no longer be requested.` : `Version ${v.version} can be requested again.` };
  });
}

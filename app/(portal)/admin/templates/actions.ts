"use server";

import type { CreateVersionState } from "@/components/admin/template-version-form";
import type { DeprecateState } from "@/components/admin/version-actions";
import { createTemplateVersion } from "@/lib/domain/create-template-version";
import { deprecateTemplateVersion } from "@/lib/domain/deprecate-template-version";
import { formAction } from "@/lib/server/form-action";

const pages = (fields: Record<string, unknown>) => ["/admin/templates", `/admin/templates/${String(fields.templateSlug)}`];

export const createTemplateVersionAction: (prev: CreateVersionState, form: FormData) => Promise<CreateVersionState> = formAction(createTemplateVersion, {
  done: (v, fields) => ({ message: `Version ${v.version} published.`, data: { version: v.version }, revalidate: pages(fields) }),
});

export const deprecateTemplateVersionAction: (prev: DeprecateState, form: FormData) => Promise<DeprecateState> = formAction(deprecateTemplateVersion, {
  done: (v, fields) => ({
    message: v.deprecated ? `Version ${v.version} deprecated: it can no longer be requested.` : `Version ${v.version} can be requested again.`,
    revalidate: pages(fields),
  }),
});

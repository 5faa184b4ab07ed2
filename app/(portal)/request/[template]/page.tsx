import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { RequestForm } from "@/components/catalog/request-form";
import { readPrefill } from "@/components/catalog/request-values";
import { EmptyState } from "@/components/ui/empty-state";
import { getCatalogTemplate, listMyTeamQuotas, quotaPreviews, suggestFreeClusterName } from "@/lib/domain/catalog";
import { isAppError } from "@/lib/errors";
import { domainContext } from "@/lib/server/domain-context";
import { requestClusterAction } from "../actions";

type Props = { params: Promise<{ template: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const loadTemplate = cache(async (slug: string) => {
  const ctx = await domainContext();
  try {
    return { ctx, template: await getCatalogTemplate(ctx, slug) };
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { template } = await loadTemplate((await params).template);
  return { title: `Request a ${template.name} cluster` };
}

export default async function RequestPage({ params, searchParams }: Props) {
  const { ctx, template } = await loadTemplate((await params).template);
  // ?team=…&name=…&parameters.size=… : a previous request's settings ("Request again"), checked against the template.
  const prefill = readPrefill(await searchParams, template.parameters);
  const teams = await listMyTeamQuotas(ctx);
  const initialTeam = teams.find((t) => t.teamSlug === prefill.team) ?? teams[0];

  return (
    <div className="space-y-6">
      <div>
        <Link href="/" className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white">
          <ArrowLeft className="size-4" aria-hidden />
          My clusters
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Request a {template.name} cluster</h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{template.description}</p>
      </div>
      {initialTeam ? (
        <RequestForm
          template={template}
          teams={teams.map((t) => ({ teamId: t.teamId, teamName: t.teamName, maxLifetimeHours: t.limits.maxLifetimeHours }))}
          initialTeamId={initialTeam.teamId}
          initialName={prefill.name ?? (await suggestFreeClusterName(ctx, initialTeam.teamId, template.slug))}
          initialValues={prefill.values}
          previews={quotaPreviews(template, teams)}
          action={requestClusterAction}
        />
      ) : (
        <EmptyState title="You are not in a team yet" description="Clusters belong to teams. Ask an admin to add you to one, then come back." />
      )}
    </div>
  );
}

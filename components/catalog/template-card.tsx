import { Cpu, ShieldAlert, ShieldCheck, Timer } from "lucide-react";
import Link from "next/link";
import { CreateButton } from "@/components/catalog/create-button";
import type { FormAction } from "@/components/clusters/use-action-feedback";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { TCatalogTemplate } from "@/lib/domain/catalog";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";

/** A template in the catalog: what you get, for how long, and whether someone must approve it. */
export function TemplateCard({ template: t, createAction, canRequest }: { template: TCatalogTemplate; createAction: FormAction; canRequest: boolean }) {
  const headingId = `template-${t.slug}`;
  return (
    <Card className="flex flex-col" aria-labelledby={headingId} role="article" data-testid={`template-${t.slug}`}>
      <div className="flex-1 space-y-3 p-5">
        <div className="flex items-start justify-between gap-3">
          <h3 id={headingId} className="text-base font-semibold tracking-tight">
            {t.name}
          </h3>
          <div className="flex flex-wrap justify-end gap-1.5">
            {t.privileged ? (
              <span title="This template may widen host privileges (an admin marked it privileged)">
                <Badge tone="danger">
                  <ShieldAlert className="size-3" aria-hidden />
                  Privileged
                </Badge>
              </span>
            ) : null}
            {t.approval === "REQUIRED" ? (
              <Badge tone="warning">
                <ShieldCheck className="size-3" aria-hidden />
                Needs approval
              </Badge>
            ) : (
              <Badge tone="success">Instant</Badge>
            )}
          </div>
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t.description}</p>
        {t.whatChanged && t.version > 1 ? (
          <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="what-changed">
            <span className="font-medium text-slate-800 dark:text-slate-200">What changed in version {t.version}:</span> {t.whatChanged}
          </p>
        ) : null}
        <dl className="grid grid-cols-2 gap-3 text-sm">
          <div>
            <dt className="flex items-center gap-1 text-xs text-slate-500 dark:text-slate-400">
              <Cpu className="size-3.5" aria-hidden />
              Size
            </dt>
            <dd className="font-medium">
              {formatCpu(t.cpuMillicores)} · {formatMemory(t.memoryMiB)}
            </dd>
          </div>
          <div>
            <dt className="flex items-center gap-1 text-xs text-slate-500 dark:text-slate-400">
              <Timer className="size-3.5" aria-hidden />
              Lifetime
            </dt>
            <dd className="font-medium">
              {t.defaultTtlHours} h <span className="font-normal text-slate-500 dark:text-slate-400">(max {t.maxTtlHours} h)</span>
            </dd>
          </div>
        </dl>
      </div>
      <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 px-5 py-3 dark:border-slate-800">
        <CreateButton action={createAction} templateSlug={t.slug} templateName={t.name} disabled={!canRequest} />
        <Link href={`/request/${t.slug}`} className={buttonClasses({ variant: "ghost" })} aria-label={`Customize a ${t.name} cluster`}>
          Customize
        </Link>
        <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">Kubernetes {t.kubernetesVersion}</span>
      </div>
    </Card>
  );
}

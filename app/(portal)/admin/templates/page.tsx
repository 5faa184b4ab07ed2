import type { Metadata } from "next";
import Link from "next/link";
import { LayoutTemplate } from "lucide-react";
import { PageHeader } from "@/components/admin/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll } from "@/components/ui/table-scroll";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";
import { listTemplates } from "@/lib/domain/list-templates";
import { adminContext } from "../guard";

export const metadata: Metadata = { title: "Templates" };

export default async function TemplatesPage() {
  const ctx = await adminContext("template.manage");
  const templates = await listTemplates(ctx);
  return (
    <div>
      <PageHeader title="Templates" description="What developers can request. Each template has immutable versions; clusters pin the version they were created from." />
      {templates.length === 0 ? (
        <EmptyState icon={<LayoutTemplate className="size-5" />} title="No templates" description="Seed the database (npm run db:seed) to get the starter templates." />
      ) : (
        <Card className="overflow-hidden">
          <TableScroll label="Templates">
            <table className="w-full text-left text-sm" data-testid="templates-table">
              <caption className="sr-only">Templates</caption>
              <thead className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Template</th>
                  <th scope="col" className="px-4 py-2 font-medium">Requestable version</th>
                  <th scope="col" className="px-4 py-2 font-medium">Size</th>
                  <th scope="col" className="px-4 py-2 font-medium">Approval</th>
                  <th scope="col" className="px-4 py-2 font-medium">Versions</th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">Live clusters</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {templates.map((t) => (
                  <tr key={t.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                    <th scope="row" className="px-4 py-3 font-normal">
                      <Link href={`/admin/templates/${t.slug}`} className="font-medium text-slate-900 hover:underline dark:text-slate-100">{t.name}</Link>
                      <p className="max-w-md truncate text-xs text-slate-500 dark:text-slate-400">{t.description}</p>
                    </th>
                    <td className="px-4 py-3">{t.current ? `v${t.current.version} · Kubernetes ${t.current.kubernetesVersion}` : <Badge tone="danger">none requestable</Badge>}</td>
                    <td className="px-4 py-3 whitespace-nowrap tabular-nums">{t.current ? `${formatCpu(t.current.cpuMillicores)} · ${formatMemory(t.current.memoryMiB)}` : "—"}</td>
                    <td className="px-4 py-3">{t.current ? <Badge tone={t.current.approval === "REQUIRED" ? "warning" : "success"}>{t.current.approval === "REQUIRED" ? "Admin approves" : "Automatic"}</Badge> : "—"}</td>
                    <td className="px-4 py-3 tabular-nums">{t.versionCount}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{t.liveClusters}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Card>
      )}
    </div>
  );
}

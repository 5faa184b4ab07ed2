import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { ScrollText } from "lucide-react";
import { AuditDetails } from "@/components/admin/audit-details";
import { AuditFilter } from "@/components/admin/audit-filter";
import { AuditTarget } from "@/components/admin/audit-target";
import { PageHeader } from "@/components/admin/page-header";
import { Pager } from "@/components/admin/pager";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll } from "@/components/ui/table-scroll";
import { TIME_ZONE_COOKIE, timeSettingsFrom } from "@/components/ui/datetime";
import { auditActionNames, listAuditEvents } from "@/lib/domain/list-audit-events";
import { type FieldErrors, isAppError } from "@/lib/errors";
import { adminContext, firstParams } from "../guard";

export const metadata: Metadata = { title: "Audit log" };

const FILTERS = ["actor", "team", "action", "from", "to"] as const;

/** Refused URL filters are shown on their own fields; the page says which ones (paging tokens have no field). */
async function eventsOrFieldErrors(page: ReturnType<typeof listAuditEvents>) {
  try {
    return { page: await page, error: null, fieldErrors: undefined };
  } catch (e) {
    if (!isAppError(e) || e.code !== "VALIDATION") throw e;
    const fieldErrors: FieldErrors = e.fieldErrors ?? {};
    const hidden = Object.entries(fieldErrors).filter(([k]) => !(FILTERS as readonly string[]).includes(k));
    const shown = Object.keys(fieldErrors).filter((k) => (FILTERS as readonly string[]).includes(k));
    const error = [shown.length ? `Correct the marked filter${shown.length === 1 ? "" : "s"} above.` : "", ...hidden.map(([, m]) => m.join(" "))].filter(Boolean).join(" ");
    return { page: null, error, fieldErrors };
  }
}

const actionTone = (action: string) =>
  action.includes("reject") || action.includes("delete") || action.includes("disable") || action.includes("deprecate") ? "warning" : action.includes("approve") || action.includes("create") ? "success" : "neutral";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminContext("audit.view");
  const params = firstParams(await searchParams);
  // "From" and "To" are days where the person is, the zone their times are shown in.
  const { timeZone } = timeSettingsFrom({ timeZone: (await cookies()).get(TIME_ZONE_COOKIE)?.value });
  const [actions, result] = await Promise.all([
    auditActionNames(ctx),
    eventsOrFieldErrors(listAuditEvents(ctx, { ...params, timeZone })),
  ]);
  const active = FILTERS.some((k) => params[k]);

  return (
    <div>
      <PageHeader title="Audit log" description="Who did what, when and from where. Append-only: entries cannot be changed or deleted." />
      <AuditFilter params={params} actions={actions} errors={result.fieldErrors} active={active} timeZone={timeZone} />

      <Card className="mt-4 overflow-hidden">
        {result.error ? (
          <EmptyState className="m-4" title="Cannot show this page" description={result.error} action={<Link href="/admin/audit" className="text-brand-600 underline dark:text-brand-100">Start over</Link>} />
        ) : result.page!.items.length === 0 ? (
          <EmptyState className="m-4" icon={<ScrollText className="size-5" />} title="No audit events match" description={active ? "Try a wider date range or fewer filters." : "Nothing has happened yet."} />
        ) : (
          <TableScroll label="Audit events">
            <table className="w-full text-left text-sm" data-testid="audit-table">
              <caption className="sr-only">Audit events, newest first</caption>
              <thead className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Time</th>
                  <th scope="col" className="px-4 py-2 font-medium">Actor</th>
                  <th scope="col" className="px-4 py-2 font-medium">Action</th>
                  <th scope="col" className="px-4 py-2 font-medium">Target</th>
                  <th scope="col" className="px-4 py-2 font-medium">Team</th>
                  <th scope="col" className="px-4 py-2 font-medium">Details</th>
                  <th scope="col" className="px-4 py-2 font-medium">IP</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top dark:divide-slate-800">
                {result.page!.items.map((e) => (
                  <tr key={e.id}>
                    <td className="px-4 py-2 whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-300">
                      <LocalTime date={e.createdAt} />
                    </td>
                    <td className="px-4 py-2">
                      {e.actorEmail ? (
                        <Link href={`/admin/audit?actor=${encodeURIComponent(e.actorEmail)}`} className="hover:underline" title={e.actorEmail}>
                          {e.actor?.name ?? (e.actorEmail === "system" ? "The portal" : e.actorEmail)}
                        </Link>
                      ) : (
                        <span className="text-slate-500 dark:text-slate-400">unknown</span>
                      )}
                    </td>
                    <td className="px-4 py-2">
                      <Link href={`/admin/audit?action=${encodeURIComponent(e.action)}`}>
                        <Badge tone={actionTone(e.action)}><span className="font-mono">{e.action}</span></Badge>
                      </Link>
                    </td>
                    <td className="px-4 py-2 text-xs whitespace-nowrap text-slate-600 dark:text-slate-300">
                      <AuditTarget event={e} />
                    </td>
                    <td className="px-4 py-2">{e.team ? <Link href={`/admin/audit?team=${e.team.slug}`} className="hover:underline">{e.team.name}</Link> : <span className="text-slate-500 dark:text-slate-400">—</span>}</td>
                    <td className="px-4 py-2"><AuditDetails details={e.details} /></td>
                    <td className="px-4 py-2 font-mono text-xs text-slate-500 dark:text-slate-400">{e.ip ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Card>
      {result.page ? <Pager path="/admin/audit" params={params} newerCursor={result.page.newerCursor} olderCursor={result.page.olderCursor} shown={result.page.items.length} label="events" /> : null}
    </div>
  );
}

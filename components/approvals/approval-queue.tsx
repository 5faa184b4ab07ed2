"use client";

import { AlertTriangle, Check, X } from "lucide-react";
import { type FormEvent, startTransition, useActionState, useId, useMemo, useState } from "react";
import { toast } from "sonner";
import { RelativeTime } from "@/components/clusters/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import { ErrorSummary, useFormErrors } from "@/components/ui/field-error-summary";
import { fieldId, type FormErrors } from "@/components/ui/field-errors";
import { TableScroll } from "@/components/ui/table-scroll";
import { QuotaMeters } from "@/components/teams/usage-bar";
import { amountsIn, formatCpu, formatMemory, type Resource, withUnit } from "@/lib/lifecycle/units";
import type { DecisionResult } from "@/lib/domain/decide-approvals";
import { type QuotaImpact, type Resources, addResources, fitsWithin } from "@/lib/lifecycle/quota";
import type { ActionState } from "@/lib/server/action";

/** A pending request as the page passes it to the browser (dates as ISO strings). */
export type QueueItem = {
  id: string;
  name: string;
  requestedAt: string;
  requester: { email: string; name: string | null };
  team: { id: string; slug: string; name: string };
  template: { slug: string; name: string; version: number };
  why: "template" | "threshold";
  ttlHours: number;
  parameters: Record<string, unknown>;
  request: Resources;
  impact: QuotaImpact;
};

type Decision = "approve" | "reject";

export type DecideState = ActionState<{ decision: Decision; results: DecisionResult[] }>;

const initial: DecideState = { ok: false };

/** Pure: per team, what is in use once all `items` are approved together. */
export function combinedImpact(items: QueueItem[]) {
  const teams = new Map<string, { team: QueueItem["team"]; limits: Resources | null; after: Resources; count: number }>();
  for (const i of items) {
    const t = teams.get(i.team.id) ?? { team: i.team, limits: i.impact.limits, after: i.impact.usage.inUse, count: 0 };
    t.after = addResources(t.after, i.request);
    t.count += 1;
    teams.set(i.team.id, t);
  }
  return [...teams.values()].map((t) => ({
    ...t,
    fits: fitsWithin(t.after, t.limits),
  }));
}

/** "3 of 5 clusters", "4 of 8 CPU", "0.5 of 16 GiB": the unit once, in the limit's unit. */
function amountOf(resource: Resource, after: Resources, limits: Resources | null): string {
  const { number: n, unit } = amountsIn(resource, limits ? limits[resource] : after[resource]);
  const noun = resource === "clusters" ? (after.clusters === 1 && !limits ? "cluster" : "clusters") : unit;
  return limits ? `${n(after[resource])} of ${withUnit(n(limits[resource]), noun)}` : withUnit(n(after[resource]), noun);
}

/** What is in use once the dialog's requests are approved, in the quota's words. */
export function impactText(after: Resources, limits: Resources | null): string {
  const parts = (["clusters", "cpuMillicores", "memoryMiB"] as const).map((r) => amountOf(r, after, limits));
  return `in use after approval: ${parts.join(", ")}${limits ? "" : " (no quota set)"}`;
}

/** The decision's reason, checked as the server does (lib/domain/decide-approvals.ts): required to reject. */
export function decisionErrors(decision: Decision, reason: string): FormErrors {
  const r = reason.trim();
  if (decision === "reject" && r.length < 3) return { reason: ["Say why, so the requester can act on it"] };
  if (r.length > 500) return { reason: ["Keep the reason under 500 characters"] };
  return {};
}

export function ApprovalQueue({ items, action }: { items: QueueItem[]; action: (prev: DecideState, form: FormData) => Promise<DecideState> }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<{ decision: Decision; ids: string[] } | null>(null);
  const [failures, setFailures] = useState<{ name: string; message: string }[]>([]);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const [state, formAction, pending] = useActionState(async (prev: DecideState, form: FormData) => {
    const next = await action(prev, form);
    // A refusal shows in the dialog's error summary.
    if (!next.ok) return next;
    const results = next.data?.results ?? [];
    const failed = results.filter((r) => !r.ok).map((r) => ({ name: byId.get(r.clusterId)?.name ?? r.clusterId, message: r.message }));
    setFailures(failed);
    if (failed.length === 0) toast.success(next.message);
    else toast.warning(next.message);
    const done = new Set(results.filter((r) => r.ok).map((r) => r.clusterId));
    setSelected((s) => new Set([...s].filter((id) => !done.has(id))));
    setDialog(null);
    return next;
  }, initial);

  // Forget selections of requests that left the queue (decided here or elsewhere).
  const visibleSelected = [...selected].filter((id) => byId.has(id));
  const allSelected = items.length > 0 && visibleSelected.length === items.length;

  const toggle = (id: string, on: boolean) => setSelected((s) => { const n = new Set(s); if (on) n.add(id); else n.delete(id); return n; });
  const dialogItems = dialog ? dialog.ids.map((id) => byId.get(id)).filter((i): i is QueueItem => !!i) : [];
  // The reason is kept as typed when the server refuses; a new dialog starts empty, without the last answer.
  const [reason, setReason] = useState("");
  const [openedAt, setOpenedAt] = useState<number | undefined>(undefined);
  const { errors, message, focusKey, check, reset } = useFormErrors(state.at !== openedAt ? state : initial);
  const formId = useId();
  const openDialog = (d: { decision: Decision; ids: string[] }) => {
    setOpenedAt(state.at);
    reset();
    setReason("");
    setDialog(d);
  };
  // Sent by hand, once the reason passes, so React does not reset the form.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    if (dialog && check(decisionErrors(dialog.decision, reason))) startTransition(() => formAction(data));
  }

  return (
    <div>
      <div role="status" aria-live="polite" className="sr-only">
        {state.at ? state.message : ""}
      </div>
      {failures.length > 0 ? (
        <div role="alert" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
          <p className="font-medium">Some requests were not decided:</p>
          <ul className="mt-1 list-disc pl-5">
            {failures.map((f) => (
              <li key={f.name}><span className="font-mono">{f.name}</span>: {f.message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <TableScroll label="Requests waiting for approval" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="approval-queue">
          <caption className="sr-only">Requests waiting for approval, oldest first</caption>
          <thead className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
            <tr>
              <th scope="col" className="w-10 px-4 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all requests"
                  className="size-4 accent-brand-600"
                  checked={allSelected}
                  ref={(el) => { if (el) el.indeterminate = visibleSelected.length > 0 && !allSelected; }}
                  onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
                />
              </th>
              <th scope="col" className="px-4 py-2 font-medium">Request</th>
              <th scope="col" className="px-4 py-2 font-medium">Team</th>
              <th scope="col" className="px-4 py-2 font-medium">Size</th>
              <th scope="col" className="min-w-72 px-4 py-2 font-medium">Team quota</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Decide</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top dark:divide-slate-800">
            {items.map((i) => {
              const checked = selected.has(i.id);
              const l = i.impact.limits;
              return (
                <tr key={i.id} data-request={i.name} className={cn(checked && "bg-brand-50/60 dark:bg-brand-700/10")}>
                  <td className="px-4 py-3">
                    <input type="checkbox" className="size-4 accent-brand-600" aria-label={`Select ${i.name}`} checked={checked} onChange={(e) => toggle(i.id, e.target.checked)} />
                  </td>
                  <th scope="row" className="px-4 py-3 font-normal">
                    <a href={`/clusters/${i.id}`} className="font-mono font-medium text-slate-900 hover:underline dark:text-slate-100">{i.name}</a>
                    <p className="text-xs text-slate-500 dark:text-slate-400">
                      {i.template.name} v{i.template.version} · by {i.requester.name ? `${i.requester.name} (${i.requester.email})` : i.requester.email}
                    </p>
                    <p className="text-xs text-slate-500 dark:text-slate-400">
                      <RelativeTime date={i.requestedAt} />
                      {" · "}
                      {i.why === "template" ? "template needs approval" : "over the team's approval threshold"}
                    </p>
                  </th>
                  <td className="px-4 py-3">
                    <a href={`/teams/${i.team.slug}`} className="hover:underline">{i.team.name}</a>
                    {i.impact.otherPending > 0 ? <p className="text-xs text-slate-500 dark:text-slate-400">{i.impact.otherPending} more waiting for approval</p> : null}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap tabular-nums text-slate-700 dark:text-slate-300">
                    <div>{formatCpu(i.request.cpuMillicores)}</div>
                    <div>{formatMemory(i.request.memoryMiB)}</div>
                    <div className="text-xs text-slate-500 dark:text-slate-400">{i.ttlHours} h</div>
                  </td>
                  <td className="px-4 py-3">
                    {l ? (
                      <QuotaMeters usage={i.impact.usage} limits={l} thisRequest={i.request} size="sm" className="grid gap-1.5" />
                    ) : (
                      <p className="text-xs text-slate-500 dark:text-slate-400">No quota set for this team.</p>
                    )}
                    {!i.impact.fits ? (
                      <p className="mt-1 flex items-center gap-1 text-xs font-medium text-red-700 dark:text-red-400"><AlertTriangle className="size-3.5" aria-hidden /> Approving it exceeds the quota</p>
                    ) : null}
                  </td>
                  <td className="px-4 py-3">
                    <div className="flex justify-end gap-2">
                      <Button size="sm" variant="secondary" icon={<Check className="size-4 text-emerald-600" aria-hidden />} onClick={() => openDialog({ decision: "approve", ids: [i.id] })} aria-label={`Approve ${i.name}`}>
                        Approve
                      </Button>
                      <Button size="sm" variant="ghost" icon={<X className="size-4 text-red-600" aria-hidden />} onClick={() => openDialog({ decision: "reject", ids: [i.id] })} aria-label={`Reject ${i.name}`}>
                        Reject
                      </Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>

      {visibleSelected.length > 0 ? (
        <div role="region" aria-label="Bulk actions" className="sticky bottom-4 z-10 mx-auto mt-4 flex max-w-2xl flex-wrap items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white/95 px-4 py-3 shadow-lg backdrop-blur dark:border-slate-700 dark:bg-slate-900/95" data-testid="bulk-bar">
          <p className="text-sm font-medium">{visibleSelected.length} selected</p>
          <div className="flex gap-2">
            <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>Clear</Button>
            <Button size="sm" variant="danger" onClick={() => openDialog({ decision: "reject", ids: visibleSelected })}>Reject {visibleSelected.length}…</Button>
            <Button size="sm" onClick={() => openDialog({ decision: "approve", ids: visibleSelected })}>Approve {visibleSelected.length}…</Button>
          </div>
        </div>
      ) : null}

      <Dialog
        open={dialog !== null}
        onClose={() => setDialog(null)}
        title={dialog ? `${dialog.decision === "approve" ? "Approve" : "Reject"} ${dialogItems.length === 1 ? dialogItems[0]!.name : `${dialogItems.length} requests`}` : ""}
        description={
          dialog?.decision === "approve"
            ? "Approved clusters are placed on a host and start provisioning; their lifetime starts now."
            : "The requester sees your reason on the cluster's page. The reservation is released."
        }
      >
        {dialog ? (
          <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4">
            <input type="hidden" name="decision" value={dialog.decision} />
            <ErrorSummary formId={formId} message={message} errors={errors} fields={[{ name: "reason", label: "Reason" }]} focusKey={focusKey} />
            {dialogItems.map((i) => (
              <input key={i.id} type="hidden" name="clusterId" value={i.id} />
            ))}
            {dialog.decision === "approve" ? (
              <ul className="space-y-1 text-sm">
                {combinedImpact(dialogItems).map((t) => (
                  <li key={t.team.id} className={cn(!t.fits && "font-medium text-red-700 dark:text-red-400")}>
                    {t.team.name}{t.count > 1 ? ` (${t.count} requests)` : ""}, {impactText(t.after, t.limits)}
                    {!t.fits ? " — over quota" : ""}
                  </li>
                ))}
              </ul>
            ) : null}
            <Field
              id={fieldId(formId, "reason")}
              label={dialog.decision === "approve" ? "Reason (optional)" : "Reason"}
              hint={dialog.decision === "reject" ? "Required: say why, so the requester can act on it." : "Recorded with the decision and in the audit log."}
              errors={errors.reason}
            >
              {(p) => <textarea {...p} name="reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} className={inputClasses} />}
            </Field>
            <div className="flex justify-end gap-2">
              <Button variant="ghost" onClick={() => setDialog(null)}>Cancel</Button>
              <Button type="submit" variant={dialog.decision === "approve" ? "primary" : "danger"} loading={pending} loadingText={dialog.decision === "approve" ? "Approving…" : "Rejecting…"}>
                {dialog.decision === "approve" ? "Approve" : "Reject"}
                {dialogItems.length > 1 ? ` ${dialogItems.length}` : ""}
              </Button>
            </div>
          </form>
        ) : null}
      </Dialog>
    </div>
  );
}

export function QueueBadge({ count, more = false }: { count: number; more?: boolean }) {
  return <Badge tone={count > 0 ? "warning" : "neutral"}>{count}{more ? "+" : ""} waiting</Badge>;
}

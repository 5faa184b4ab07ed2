"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, ArrowLeft, Ban, Clock, Hourglass, Loader2, Moon, Play, RotateCcw } from "lucide-react";
import Link from "next/link";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { requestAgainHref } from "@/components/catalog/request-values";
import { DeleteClusterButton, ExtendForm, OperationButton } from "@/components/clusters/cluster-actions";
import { ConnectPanel } from "@/components/clusters/connect-panel";
import { EventsTimeline } from "@/components/clusters/events-timeline";
import { RelativeTime } from "@/components/clusters/relative-time";
import { withNames } from "@/components/clusters/timeline-message";
import type { FormAction } from "@/components/clusters/use-action-feedback";
import { PhaseBadge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { cn } from "@/components/ui/cn";
import { ProgressSteps } from "@/components/ui/progress-steps";
import type { TClusterStatus } from "@/lib/domain/get-cluster-detail";
import { ENDED_HISTORY_DAYS } from "@/lib/lifecycle/history";
import { clusterStatusQuery } from "@/lib/queries/clusters";

export type ClusterActions = { sleep: FormAction; wake: FormAction; extend: FormAction; delete: FormAction; retry: FormAction };

function Callout({ tone, icon, title, children }: { tone: "info" | "warning" | "danger" | "neutral"; icon: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div
      className={cn(
        "flex gap-3 rounded-xl border px-4 py-3 text-sm",
        tone === "info" && "border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100",
        tone === "warning" && "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100",
        tone === "danger" && "border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100",
        tone === "neutral" && "border-slate-200 bg-slate-50 text-slate-800 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-200",
      )}
    >
      <span className="mt-0.5 shrink-0" aria-hidden>
        {icon}
      </span>
      <div className="min-w-0 space-y-1">
        <p className="font-medium">{title}</p>
        {children}
      </div>
    </div>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-2 text-sm">
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 text-right font-medium break-words text-slate-800 dark:text-slate-200">{children}</dd>
    </div>
  );
}

/** Announces phase changes (and toasts the arrival at Ready) while the person watches. */
function usePhaseAnnouncement(c: TClusterStatus) {
  const [announcement, setAnnouncement] = useState("");
  const previous = useRef(c.phase);
  useEffect(() => {
    if (previous.current === c.phase) return;
    previous.current = c.phase;
    const text = `${c.name} is now ${c.phaseLabel.toLowerCase()}.`;
    setAnnouncement(text);
    if (c.phase === "READY") toast.success(`${c.name} is ready`, { description: "Download the kubeconfig to connect." });
    else if (c.phase === "FAILED") toast.error(`${c.name} failed`, { description: c.lastError ?? undefined });
  }, [c.phase, c.name, c.phaseLabel, c.lastError]);
  return announcement;
}

/**
 * The cluster page's live part: starts from the server-rendered status and polls GET /api/v1/clusters/[id]
 * while the cluster is changing (lib/queries/clusters.ts decides how often).
 */
export function ClusterView({ initial, actions, viewerId, accessPanel }: { initial: TClusterStatus; actions: ClusterActions; viewerId: string; /** Who holds credentials (owner, leads, admins; server-rendered). */ accessPanel?: ReactNode }) {
  const { data, error } = useQuery(clusterStatusQuery(initial.id, initial));
  const c = data ?? initial;
  const announcement = usePhaseAnnouncement(c);
  const showProgress = ["PENDING_APPROVAL", "PROVISIONING", "FAILED", "REJECTED"].includes(c.phase) && c.desiredState !== "DELETED";
  const a = c.allowed;
  // Step details and the rejection quote timeline messages: people by name there too.
  const people = c.events.flatMap((e) => e.people);
  const steps = c.steps.map((s) => (s.detail ? { ...s, detail: withNames(s.detail, people) } : s));

  return (
    <div className="space-y-6">
      <p className="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>

      <div>
        <Link href="/" className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white">
          <ArrowLeft className="size-4" aria-hidden />
          My clusters
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight break-all">{c.name}</h1>
              <PhaseBadge phase={c.phase} label={c.phaseLabel} className="text-sm" />
              {c.activity === "moving" && !error ? <Loader2 className="size-4 animate-spin text-slate-500 dark:text-slate-400 motion-reduce:animate-none" aria-label="Updating" /> : null}
            </div>
            <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
              {c.template.name} v{c.template.version} · {c.team.name} · owned by {c.owner.id === viewerId ? "you" : <span title={c.owner.email}>{c.owner.name ?? c.owner.email}</span>}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2" aria-label="Cluster actions" role="group">
            {a.sleep ? <OperationButton action={actions.sleep} clusterId={c.id} label="Sleep" pendingLabel="Going to sleep…" icon={<Moon className="size-4" aria-hidden />} /> : null}
            {a.wake ? <OperationButton action={actions.wake} clusterId={c.id} label="Wake" pendingLabel="Waking…" icon={<Play className="size-4" aria-hidden />} variant="primary" /> : null}
            {a.delete ? <DeleteClusterButton action={actions.delete} clusterId={c.id} clusterName={c.name} namespace={c.namespace} /> : null}
          </div>
        </div>
      </div>

      {error ? (
        <Callout tone="warning" icon={<AlertTriangle className="size-4" />} title="Live updates paused">
          <p>{error.message}. The page shows the last known state; reload to try again.</p>
        </Callout>
      ) : null}
      {c.phase === "FAILED" ? (
        <Callout tone="danger" icon={<AlertTriangle className="size-4" />} title={c.desiredState === "DELETED" ? "Deleting this cluster failed" : "This cluster failed"}>
          <p className="font-mono text-[13px] break-words" data-testid="last-error">
            {c.lastError ?? "No error message was recorded."}
          </p>
          {a.retry ? (
            <div className="pt-2">
              <OperationButton action={actions.retry} clusterId={c.id} label="Retry" pendingLabel="Retrying…" icon={<RotateCcw className="size-4" aria-hidden />} variant="primary" />
            </div>
          ) : null}
        </Callout>
      ) : null}
      {c.phase === "PENDING_APPROVAL" ? (
        <Callout tone="warning" icon={<Hourglass className="size-4" />} title="Waiting for approval">
          <p>An admin has to approve this request before it is created. This page updates by itself.</p>
        </Callout>
      ) : null}
      {c.phase === "REJECTED" ? (
        <Callout tone="danger" icon={<Ban className="size-4" />} title="This request was rejected">
          <p>{c.rejection ? withNames(c.rejection, people) : "No reason was given."}</p>
          {c.owner.id === viewerId ? (
            <div className="pt-2">
              <Link href={requestAgainHref(c)} className={buttonClasses({ size: "sm" })}>
                <RotateCcw className="size-4" aria-hidden />
                Request again
              </Link>
              <span className="ml-3 text-xs">Opens the request form with the same settings, to change what the reason asks for.</span>
            </div>
          ) : null}
        </Callout>
      ) : null}
      {c.phase === "SLEEPING" ? (
        <Callout tone="neutral" icon={<Moon className="size-4" />} title={c.desiredState === "RUNNING" ? "Waking up…" : "Sleeping"}>
          <p>The control plane is scaled to zero; workloads are stopped. Wake it to use it again.</p>
        </Callout>
      ) : null}
      {c.phase === "READY" && c.desiredState === "SLEEPING" ? (
        <Callout tone="info" icon={<Moon className="size-4" />} title="Going to sleep…" />
      ) : null}
      {c.phase === "DELETING" ? (
        <Callout tone="info" icon={<Loader2 className="size-4 animate-spin motion-reduce:animate-none" />} title="Deleting">
          <p>
            Uninstalling the vCluster and deleting its namespace. Once both are gone it leaves the lists of clusters; you find it under{" "}
            <Link href="/?view=history" className="underline">
              Recently ended
            </Link>{" "}
            on your home page and the team&apos;s page.
          </p>
        </Callout>
      ) : null}
      {c.phase === "DELETED" || c.phase === "EXPIRED" ? (
        <Callout tone="neutral" icon={<Clock className="size-4" />} title={c.phase === "EXPIRED" ? "This cluster expired" : "This cluster was deleted"}>
          <p>
            Its namespace and everything in it are gone, and it is no longer in the lists of clusters (it stays under{" "}
            <Link href="/?view=history" className="underline">
              Recently ended
            </Link>{" "}
            for {ENDED_HISTORY_DAYS} days). Request a new one from the catalog.
          </p>
        </Callout>
      ) : null}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {c.phase === "READY" ? (
            <Card>
              <CardHeader title="Connect" description="Use the kubeconfig with kubectl, or connect with the vcluster CLI." />
              <CardBody>
                {a.kubeconfig ? (
                  <ConnectPanel clusterId={c.id} filename={c.kubeconfigFilename} releaseName={c.releaseName} namespace={c.namespace} validity={c.kubeconfigValidity} yours={c.yourCredential} />
                ) : c.yourCredential?.revokeReason === "revoked" ? (
                  <p className="text-sm text-red-700 dark:text-red-400" role="note">
                    Your access to this cluster was revoked{c.yourCredential.revokedBy ? ` by ${c.yourCredential.revokedBy}` : ""}: your kubeconfig no longer works and you cannot download a new one. Ask a lead of the team or an admin if you need it again.
                  </p>
                ) : (
                  <p className="text-sm text-slate-500 dark:text-slate-400">Only the team&apos;s members can download this cluster&apos;s kubeconfig.</p>
                )}
              </CardBody>
            </Card>
          ) : null}
          {accessPanel}
          {showProgress ? (
            <Card>
              <CardHeader title="Progress" description={error ? "Live updates paused: this may be out of date" : c.activity === "moving" ? "Updating every 2 seconds" : undefined} />
              <CardBody>
                <ProgressSteps steps={steps} label="Provisioning progress" />
              </CardBody>
            </Card>
          ) : null}
          <Card>
            <CardHeader title="Timeline" />
            <CardBody>
              <EventsTimeline events={c.events} />
            </CardBody>
          </Card>
        </div>

        <div className="space-y-6">
          <Card>
            <CardHeader title="Lifetime" />
            <CardBody className="space-y-4">
              {["DELETING", "DELETED", "EXPIRED", "REJECTED"].includes(c.phase) ? (
                <p className="text-sm text-slate-500 dark:text-slate-400">{c.phase === "DELETING" ? "Being deleted." : "Ended."}</p>
              ) : c.expiresAt ? (
                <div>
                  <p className="text-sm text-slate-500 dark:text-slate-400">{c.template.expiryAction === "SLEEP" ? "Goes to sleep" : "Expires"}</p>
                  <p className="text-lg font-semibold" data-testid="expiry">
                    <RelativeTime date={c.expiresAt} mode="expiry" />
                  </p>
                  <p className="text-xs text-slate-500 dark:text-slate-400">
                    <LocalTime date={c.expiresAt} />
                  </p>
                </div>
              ) : (
                <p className="text-sm text-slate-500 dark:text-slate-400">{c.phase === "PENDING_APPROVAL" ? "The lifetime starts when the cluster is approved." : "No expiry."}</p>
              )}
              {a.extend ? <ExtendForm action={actions.extend} clusterId={c.id} maxHours={c.maxExtendHours} /> : null}
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Details" />
            <CardBody className="py-2">
              <dl className="divide-y divide-slate-100 dark:divide-slate-800">
                <Detail label="Template">
                  {c.template.name} v{c.template.version}
                </Detail>
                <Detail label="Kubernetes">{c.template.kubernetesVersion}</Detail>
                <Detail label="Resources">{c.resources.label}</Detail>
                {Object.entries(c.parameters)
                  .filter(([k]) => k !== "kubernetesVersion")
                  .map(([k, v]) => (
                    <Detail key={k} label={k === "ttlHours" ? "Lifetime" : k.charAt(0).toUpperCase() + k.slice(1)}>
                      {k === "ttlHours" ? `${String(v)} h` : String(v)}
                    </Detail>
                  ))}
                <Detail label="Namespace">
                  <code className="font-mono text-[13px]">{c.namespace ?? "—"}</code>
                </Detail>
                <Detail label="Release">
                  <code className="font-mono text-[13px]">{c.releaseName ?? "—"}</code>
                </Detail>
                <Detail label="Host cluster">{c.hostName ?? "not placed yet"}</Detail>
                <Detail label="Requested">
                  <RelativeTime date={c.createdAt} />
                </Detail>
              </dl>
            </CardBody>
          </Card>
        </div>
      </div>
    </div>
  );
}

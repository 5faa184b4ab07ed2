import Link from "next/link";
import type { AuditRow } from "@/lib/domain/list-audit-events";

type Target = { kind: string; name: string; href?: string };

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * Pure: what an audit event acted on, by the name its details recorded when it happened (the thing may have
 * been renamed or deleted since), and the page that shows it now. Ids stand in only when no name was recorded.
 */
export function auditTarget(e: Pick<AuditRow, "targetType" | "targetId" | "details" | "team" | "actorEmail"> & { actor?: { name: string | null } | null }): Target {
  const d = (e.details && typeof e.details === "object" && !Array.isArray(e.details) ? e.details : {}) as Record<string, unknown>;
  const shortId = e.targetId ? `…${e.targetId.slice(-8)}` : "";
  switch (e.targetType) {
    case "cluster":
      return { kind: "cluster", name: text(d.name) ?? shortId, href: e.targetId ? `/clusters/${e.targetId}` : undefined };
    case "team":
      return e.team ? { kind: "team", name: e.team.name, href: `/teams/${e.team.slug}` } : { kind: "team", name: `${shortId} (deleted)` };
    case "template": {
      const slug = text(d.template);
      const version = typeof d.version === "number" ? ` v${d.version}` : "";
      return slug ? { kind: "template", name: `${slug}${version}`, href: `/admin/templates/${slug}` } : { kind: "template", name: shortId };
    }
    case "token": {
      const owner = text(d.userEmail);
      const name = text(d.name) ? `“${text(d.name)}”` : shortId;
      return { kind: "token", name: owner ? `${name} of ${owner}` : name, href: `/admin/tokens${owner ? `?owner=${encodeURIComponent(owner)}` : ""}` };
    }
    case "host":
      return { kind: "host", name: text(d.name) ?? shortId, href: "/admin/hosts" };
    case "user":
      // Sign-ins and group syncs act on the signed-in person's own account: their other events are one click away.
      return e.actorEmail ? { kind: "account", name: e.actor?.name ?? e.actorEmail, href: `/admin/audit?actor=${encodeURIComponent(e.actorEmail)}` } : { kind: "account", name: shortId };
    default:
      return { kind: e.targetType, name: shortId };
  }
}

export function AuditTarget({ event }: { event: Parameters<typeof auditTarget>[0] }) {
  const t = auditTarget(event);
  const label = (
    <>
      <span className="text-slate-500 dark:text-slate-400">{t.kind}</span> <span className="font-medium">{t.name}</span>
    </>
  );
  return t.href ? (
    <Link href={t.href} className="hover:underline" data-testid="audit-target">
      {label}
    </Link>
  ) : (
    <span data-testid="audit-target">{label}</span>
  );
}

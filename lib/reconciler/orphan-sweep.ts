import { recordAudit } from "@/lib/domain/audit";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log as rootLog, type Logger } from "@/lib/log";
import { sweepActions } from "@/lib/metrics/registry";
import { classifyError } from "./errors";
import type { HostOpsFactory } from "./host-ops";
import { SYSTEM } from "./sweeps";

export type OrphanResult = { found: number; removed: number; cleared: number };

/**
 * Namespaces the portal created on a host whose cluster has no live row there (a crash between a row's end and
 * its namespace's, a database restored from backup, a row deleted by hand): marked on the namespace and
 * reported to admins (audit `host.orphan.detected`), then removed after `graceMs` if still orphaned
 * (`host.orphan.removed`). The host is listed before the rows are read, so a namespace created for a new
 * cluster always finds its row.
 */
export async function orphanSweep(
  db: PrismaClient,
  hostOps: HostOpsFactory,
  opts: { graceMs: number; now?: Date; log?: Logger; /** Limits the sweep to some namespaces (tests sharing a host). */ only?: (namespace: string) => boolean },
): Promise<OrphanResult> {
  const log = opts.log ?? rootLog;
  const now = opts.now ?? new Date();
  const result: OrphanResult = { found: 0, removed: 0, cleared: 0 };
  for (const host of await db.hostCluster.findMany({ where: { enabled: true } })) {
    let ops: ReturnType<HostOpsFactory>;
    let namespaces;
    try {
      ops = hostOps(host);
      if (!ops.portalNamespaces || !ops.markOrphan || !ops.removeOrphan) continue;
      namespaces = await ops.portalNamespaces();
    } catch (e) {
      log.warn({ hostClusterId: host.id, err: classifyError(e).message }, "orphan sweep could not read a host; skipped this round");
      continue;
    }
    const live = new Set(
      (await db.virtualCluster.findMany({ where: { hostClusterId: host.id, phase: { notIn: ["DELETED", "REJECTED", "EXPIRED"] } }, select: { namespace: true } })).map((r) => r.namespace),
    );
    for (const ns of namespaces) {
      if (ns.terminating || (opts.only && !opts.only(ns.name))) continue;
      try {
        if (live.has(ns.name)) {
          if (ns.orphanedSince) {
            await ops.markOrphan!(ns.name, null);
            result.cleared++;
          }
          continue;
        }
        const details = { host: host.name, namespace: ns.name, clusterId: ns.clusterId };
        if (!ns.orphanedSince) {
          await ops.markOrphan!(ns.name, now);
          await recordAudit(db, SYSTEM, { action: "host.orphan.detected", targetType: "host", targetId: host.id, details: { ...details, removeAfter: new Date(now.getTime() + opts.graceMs).toISOString() } });
          result.found++;
          log.warn(details, `namespace ${ns.name} on ${host.name} has no live cluster; removing it after the grace period`);
        } else if (now.getTime() - ns.orphanedSince.getTime() >= opts.graceMs) {
          await ops.removeOrphan!(ns.name);
          await recordAudit(db, SYSTEM, { action: "host.orphan.removed", targetType: "host", targetId: host.id, details });
          result.removed++;
          sweepActions.inc({ action: "orphan-removed" });
          log.warn(details, `removed orphaned namespace ${ns.name} from ${host.name}`);
        }
      } catch (e) {
        log.warn({ namespace: ns.name, err: classifyError(e).message }, "orphan sweep could not handle a namespace");
      }
    }
  }
  return result;
}


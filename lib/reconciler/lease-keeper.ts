import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import { StepAborted } from "./errors";
import { renewLease, type Claim } from "./queue";

// Keeps a step's lease alive: renews it every third of its length, and aborts the step's signal the moment
// the lease is lost — taken by another worker, or (database unreachable) about to run out. The signal cancels
// the step's kube requests and kills its helm process (docs/reconciler.md "Lease").

export type LeaseKeeper = { signal: AbortSignal; abort: (reason: StepAborted) => void; stop: () => void };

export function keepLease(db: PrismaClient, claim: Claim, owner: string, leaseSeconds: number, log: Logger): LeaseKeeper {
  const ctl = new AbortController();
  const abort = (reason: StepAborted) => {
    if (!ctl.signal.aborted) ctl.abort(reason);
  };
  let renewedAt = Date.now();
  const timer = setInterval(
    () => {
      renewLease(db, claim, owner, leaseSeconds)
        .then((ok) => {
          if (ok) renewedAt = Date.now();
          else if (!ctl.signal.aborted) {
            log.warn({ token: claim.token }, "lease lost during a step; aborting it (its kube requests and helm process end now)");
            abort(new StepAborted("lease-lost"));
          }
        })
        .catch((e: Error) => {
          // Once the lease may have run out, another worker may own the cluster: stop before that.
          if (Date.now() - renewedAt >= leaseSeconds * 1000 * 0.8 && !ctl.signal.aborted) {
            log.warn({ err: e.message }, "lease could not be renewed before it runs out; aborting the step");
            abort(new StepAborted("lease-lost"));
          } else log.warn({ err: e.message }, "lease renewal failed; retrying");
        });
    },
    Math.max(200, (leaseSeconds * 1000) / 3),
  );
  return { signal: ctl.signal, abort, stop: () => clearInterval(timer) };
}

-- Hand-written migration (partial indexes; schema.prisma cannot express them, so they are not drift).
-- The periodic sweeps read only live rows, while most rows of a long-lived portal are history (DELETED,
-- REJECTED, EXPIRED): index exactly the rows each sweep filters on (bench/sweeps.ts measures them).

-- Expiry: live clusters not yet expired, by expiresAt.
CREATE INDEX "VirtualCluster_expiry_due_idx" ON "VirtualCluster"("expiresAt")
  WHERE "expiredAt" IS NULL AND "phase" IN ('PROVISIONING', 'READY', 'SLEEPING', 'FAILED');

-- Drift: settled READY/SLEEPING clusters, paged by id.
CREATE INDEX "VirtualCluster_drift_idx" ON "VirtualCluster"("id")
  WHERE "phase" IN ('READY', 'SLEEPING');

-- Approval timeout: pending requests, oldest first.
CREATE INDEX "VirtualCluster_pending_idx" ON "VirtualCluster"("createdAt")
  WHERE "phase" = 'PENDING_APPROVAL';

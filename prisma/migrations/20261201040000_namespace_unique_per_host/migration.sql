-- Hand-written migration (a partial index; schema.prisma cannot express it, so it is not drift).
-- One host namespace belongs to exactly one live virtual cluster on a host: two clusters whose readable
-- names collide (team payments + cluster eu-dev, team payments-eu + cluster dev) can never share
-- vc-payments-eu-dev-… there. DELETED, REJECTED and EXPIRED clusters no longer hold their namespace.
CREATE UNIQUE INDEX "VirtualCluster_host_namespace_live_key" ON "VirtualCluster"("hostClusterId", "namespace")
  WHERE "hostClusterId" IS NOT NULL AND "phase" NOT IN ('DELETED', 'REJECTED', 'EXPIRED');

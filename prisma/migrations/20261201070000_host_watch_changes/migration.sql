-- AlterTable
ALTER TABLE "VirtualCluster" ADD COLUMN     "hostChangedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "VirtualCluster_hostClusterId_namespace_idx" ON "VirtualCluster"("hostClusterId", "namespace");

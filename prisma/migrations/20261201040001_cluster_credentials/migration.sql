-- AlterTable
ALTER TABLE "TemplateVersion" ADD COLUMN     "tenantRole" TEXT NOT NULL DEFAULT 'cluster-admin';

-- CreateTable
CREATE TABLE "ClusterCredential" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "serviceAccount" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "downloads" INTEGER NOT NULL DEFAULT 1,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,
    "revokeReason" TEXT,
    "revocationAppliedAt" TIMESTAMP(3),
    "revocationError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClusterCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ClusterCredential_userId_revokedAt_idx" ON "ClusterCredential"("userId", "revokedAt");

-- CreateIndex
CREATE INDEX "ClusterCredential_revokedAt_revocationAppliedAt_idx" ON "ClusterCredential"("revokedAt", "revocationAppliedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterCredential_clusterId_userId_key" ON "ClusterCredential"("clusterId", "userId");

-- AddForeignKey
ALTER TABLE "ClusterCredential" ADD CONSTRAINT "ClusterCredential_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "VirtualCluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterCredential" ADD CONSTRAINT "ClusterCredential_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterCredential" ADD CONSTRAINT "ClusterCredential_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- DropIndex
DROP INDEX "ApiToken_userId_idx";

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "revokedUseAuditedAt" TIMESTAMP(3),
ALTER COLUMN "scopes" SET DEFAULT ARRAY['read']::TEXT[];

-- CreateIndex
CREATE INDEX "ApiToken_userId_createdAt_idx" ON "ApiToken"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "ApiToken_createdAt_id_idx" ON "ApiToken"("createdAt", "id");

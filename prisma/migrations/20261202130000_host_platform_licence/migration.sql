-- AlterTable
ALTER TABLE "HostCluster" ADD COLUMN     "platformAccessKeyEncrypted" TEXT,
ADD COLUMN     "platformHost" TEXT,
ADD COLUMN     "platformInsecure" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "platformProject" TEXT;

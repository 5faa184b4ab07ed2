-- AlterTable
ALTER TABLE "HostCluster" ADD COLUMN     "registrationId" TEXT NOT NULL DEFAULT gen_random_uuid();

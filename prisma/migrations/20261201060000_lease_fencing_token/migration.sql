-- AlterTable
ALTER TABLE "VirtualCluster" ADD COLUMN     "leaseToken" INTEGER NOT NULL DEFAULT 0;

-- PostgreSQL twin of prisma/migrations/20261127020000_digest.

-- AlterTable: per-shop thresholds of the daily digest and the low-stock alert switch
ALTER TABLE "Shop" ADD COLUMN "salesWindowDays" INTEGER NOT NULL DEFAULT 14;
ALTER TABLE "Shop" ADD COLUMN "leadTimeDays" INTEGER NOT NULL DEFAULT 7;
ALTER TABLE "Shop" ADD COLUMN "safetyDays" INTEGER NOT NULL DEFAULT 7;
ALTER TABLE "Shop" ADD COLUMN "overstockCoverDays" INTEGER NOT NULL DEFAULT 90;
ALTER TABLE "Shop" ADD COLUMN "noSaleDays" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "Shop" ADD COLUMN "expiryWarnDays" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "Shop" ADD COLUMN "lowStockAlert" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable: set when the platform says the bot was blocked or removed from the chat
ALTER TABLE "ChatBinding" ADD COLUMN "blockedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "DigestRun" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "localDate" TEXT NOT NULL,
    "scheduledAt" TIMESTAMPTZ(3) NOT NULL,
    "claimedAt" TIMESTAMPTZ(3) NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DigestRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestDelivery" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "attemptedAt" TIMESTAMPTZ(3),
    "attemptedBy" TEXT,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "DigestDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DigestRun_shopId_localDate_key" ON "DigestRun"("shopId", "localDate");

-- CreateIndex
CREATE UNIQUE INDEX "DigestDelivery_runId_platform_chatId_key" ON "DigestDelivery"("runId", "platform", "chatId");

-- CreateIndex
CREATE INDEX "DigestDelivery_status_nextAttemptAt_idx" ON "DigestDelivery"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "DigestRun" ADD CONSTRAINT "DigestRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestDelivery" ADD CONSTRAINT "DigestDelivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DigestRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

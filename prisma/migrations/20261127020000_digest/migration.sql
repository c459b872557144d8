-- AlterTable: per-shop thresholds of the daily digest and the low-stock alert switch
ALTER TABLE "Shop" ADD COLUMN "salesWindowDays" INTEGER NOT NULL DEFAULT 14;
ALTER TABLE "Shop" ADD COLUMN "leadTimeDays" INTEGER NOT NULL DEFAULT 7;
ALTER TABLE "Shop" ADD COLUMN "safetyDays" INTEGER NOT NULL DEFAULT 7;
ALTER TABLE "Shop" ADD COLUMN "overstockCoverDays" INTEGER NOT NULL DEFAULT 90;
ALTER TABLE "Shop" ADD COLUMN "noSaleDays" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "Shop" ADD COLUMN "expiryWarnDays" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "Shop" ADD COLUMN "lowStockAlert" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable: set when the platform says the bot was blocked or removed from the chat
ALTER TABLE "ChatBinding" ADD COLUMN "blockedAt" DATETIME;

-- CreateTable
CREATE TABLE "DigestRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "localDate" TEXT NOT NULL,
    "scheduledAt" DATETIME NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "finishedAt" DATETIME,
    CONSTRAINT "DigestRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DigestDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "attemptedAt" DATETIME,
    "attemptedBy" TEXT,
    "lastError" TEXT,
    "deliveredAt" DATETIME,
    CONSTRAINT "DigestDelivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DigestRun" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "DigestRun_shopId_localDate_key" ON "DigestRun"("shopId", "localDate");

-- CreateIndex
CREATE UNIQUE INDEX "DigestDelivery_runId_platform_chatId_key" ON "DigestDelivery"("runId", "platform", "chatId");

-- CreateIndex
CREATE INDEX "DigestDelivery_status_nextAttemptAt_idx" ON "DigestDelivery"("status", "nextAttemptAt");

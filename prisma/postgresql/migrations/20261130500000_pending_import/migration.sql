-- PostgreSQL twin of prisma/migrations/20261130500000_pending_import.

-- CreateTable: a spreadsheet previewed in a chat, waiting for 「确认导入」 until expiresAt (one per chat)
CREATE TABLE "PendingImport" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PendingImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PendingImport_platform_chatId_key" ON "PendingImport"("platform", "chatId");

-- CreateIndex
CREATE INDEX "PendingImport_expiresAt_idx" ON "PendingImport"("expiresAt");

-- AddForeignKey
ALTER TABLE "PendingImport" ADD CONSTRAINT "PendingImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

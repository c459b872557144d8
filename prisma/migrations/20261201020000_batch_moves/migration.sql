-- Batches written from chat (`进货 牛奶 100箱 批次 A1101 到期 2027-05-01`): when the batch was made
-- and first recorded, one batch per code at a product and location.
ALTER TABLE "Batch" ADD COLUMN "producedAt" DATETIME;
ALTER TABLE "Batch" ADD COLUMN "createdAt" DATETIME;
CREATE UNIQUE INDEX "Batch_productId_locationId_code_key" ON "Batch"("productId", "locationId", "code");
CREATE INDEX "Batch_productId_locationId_idx" ON "Batch"("productId", "locationId");

-- What each entry put into or took out of each batch, so an undo or a correction gives back exactly
-- what the entry moved. A batch's quantity is always the sum of its moves.
CREATE TABLE "BatchMove" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entryId" INTEGER NOT NULL,
    "batchId" INTEGER NOT NULL,
    "qtyMilli" INTEGER NOT NULL,
    CONSTRAINT "BatchMove_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "Entry" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "BatchMove_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "BatchMove_entryId_idx" ON "BatchMove"("entryId");
CREATE INDEX "BatchMove_batchId_idx" ON "BatchMove"("batchId");

-- PostgreSQL twin of prisma/migrations/20261201020000_batch_moves.

-- Batches written from chat (`进货 牛奶 100箱 批次 A1101 到期 2027-05-01`): when the batch was made
-- and first recorded, one batch per code at a product and location.
ALTER TABLE "Batch" ADD COLUMN "producedAt" TIMESTAMPTZ(3);
ALTER TABLE "Batch" ADD COLUMN "createdAt" TIMESTAMPTZ(3);
CREATE UNIQUE INDEX "Batch_productId_locationId_code_key" ON "Batch"("productId", "locationId", "code");
CREATE INDEX "Batch_productId_locationId_idx" ON "Batch"("productId", "locationId");

-- What each entry put into or took out of each batch, so an undo or a correction gives back exactly
-- what the entry moved. A batch's quantity is always the sum of its moves.
CREATE TABLE "BatchMove" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "entryId" INTEGER NOT NULL,
    "batchId" INTEGER NOT NULL,
    "qtyMilli" BIGINT NOT NULL
);
CREATE INDEX "BatchMove_entryId_idx" ON "BatchMove"("entryId");
CREATE INDEX "BatchMove_batchId_idx" ON "BatchMove"("batchId");


-- AddForeignKey
ALTER TABLE "BatchMove" ADD CONSTRAINT "BatchMove_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "Entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchMove" ADD CONSTRAINT "BatchMove_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
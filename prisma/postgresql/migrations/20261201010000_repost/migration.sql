-- PostgreSQL twin of prisma/migrations/20261201010000_repost.

-- Costing in the order things happened (src/core/repost.ts): an entry recorded for an earlier time
-- than later entries of its product has those later entries' derived cost and valueDelta
-- recomputed. A long history is left here for the bot to finish within seconds; until then reports
-- over a period that ends after `fromOccurredAt` say their costs are being updated.
CREATE TABLE "PendingRepost" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "shopId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    -- The repost starts at this point in occurrence order: (occurredAt, entry number).
    "fromOccurredAt" TIMESTAMPTZ(3) NOT NULL,
    "fromSeq" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "PendingRepost_productId_key" ON "PendingRepost"("productId");
CREATE INDEX "PendingRepost_shopId_idx" ON "PendingRepost"("shopId");

-- Entries are read in occurrence order per product and location by every repost.
CREATE INDEX "Entry_productId_locationId_occurredAt_seq_idx" ON "Entry"("productId", "locationId", "occurredAt", "seq");


-- AddForeignKey
ALTER TABLE "PendingRepost" ADD CONSTRAINT "PendingRepost_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PendingRepost" ADD CONSTRAINT "PendingRepost_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
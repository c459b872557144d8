-- PostgreSQL twin of prisma/migrations/20261201030000_dropship.

-- 一件代发: the supplier who ships a dropship product and the unit cost agreed with them (分); and on
-- each entry, the supplier owed for it (dropship sales and their returns), which 应付 sums.
ALTER TABLE "Product" ADD COLUMN "dropshipSupplier" TEXT;
ALTER TABLE "Product" ADD COLUMN "dropshipCost" BIGINT;
ALTER TABLE "Entry" ADD COLUMN "supplier" TEXT;

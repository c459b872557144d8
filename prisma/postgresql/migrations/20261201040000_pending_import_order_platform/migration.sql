-- PostgreSQL twin of prisma/migrations/20261201040000_pending_import_order_platform.

-- The platform an order export was sent as (the words with the file, e.g. 快手), kept with the
-- previewed import so 「确认导入」 reads the file the same way.
ALTER TABLE "PendingImport" ADD COLUMN "orderPlatform" TEXT;

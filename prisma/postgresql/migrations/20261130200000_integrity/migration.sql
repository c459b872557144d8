-- PostgreSQL twin of prisma/migrations/20261130200000_integrity.

-- A counter per shop that moves whenever its catalogue (products' names and units, aliases, unit
-- conversions) changes, so a long-running process knows to reload what it parses names against.
ALTER TABLE "Shop" ADD COLUMN "catalogueVersion" INTEGER NOT NULL DEFAULT 0;

-- Bumped by triggers, in the same transaction as the change, whoever makes it (a chat, an import,
-- another process). SQLite's trigger bodies become one PL/pgSQL function per table; the triggers fire
-- on the same events and columns as SQLite's, once per row, and bump each shop concerned once.
CREATE FUNCTION "Product_catalogue_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = NEW."shopId";
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" IN (OLD."shopId", NEW."shopId");
    ELSE
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = OLD."shopId";
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER "Product_catalogue_insert" AFTER INSERT ON "Product"
    FOR EACH ROW EXECUTE FUNCTION "Product_catalogue_bump"();
CREATE TRIGGER "Product_catalogue_update" AFTER UPDATE OF "name", "unit", "shopId" ON "Product"
    FOR EACH ROW EXECUTE FUNCTION "Product_catalogue_bump"();
CREATE TRIGGER "Product_catalogue_delete" AFTER DELETE ON "Product"
    FOR EACH ROW EXECUTE FUNCTION "Product_catalogue_bump"();

CREATE FUNCTION "ProductAlias_catalogue_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = NEW."shopId";
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" IN (OLD."shopId", NEW."shopId");
    ELSE
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = OLD."shopId";
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER "ProductAlias_catalogue_insert" AFTER INSERT ON "ProductAlias"
    FOR EACH ROW EXECUTE FUNCTION "ProductAlias_catalogue_bump"();
CREATE TRIGGER "ProductAlias_catalogue_update" AFTER UPDATE ON "ProductAlias"
    FOR EACH ROW EXECUTE FUNCTION "ProductAlias_catalogue_bump"();
CREATE TRIGGER "ProductAlias_catalogue_delete" AFTER DELETE ON "ProductAlias"
    FOR EACH ROW EXECUTE FUNCTION "ProductAlias_catalogue_bump"();

-- As in SQLite, an updated unit conversion bumps the shop of its (new) product.
CREATE FUNCTION "ProductUnit_catalogue_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = (SELECT "shopId" FROM "Product" WHERE "id" = OLD."productId");
    ELSE
        UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = (SELECT "shopId" FROM "Product" WHERE "id" = NEW."productId");
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER "ProductUnit_catalogue_insert" AFTER INSERT ON "ProductUnit"
    FOR EACH ROW EXECUTE FUNCTION "ProductUnit_catalogue_bump"();
CREATE TRIGGER "ProductUnit_catalogue_update" AFTER UPDATE ON "ProductUnit"
    FOR EACH ROW EXECUTE FUNCTION "ProductUnit_catalogue_bump"();
CREATE TRIGGER "ProductUnit_catalogue_delete" AFTER DELETE ON "ProductUnit"
    FOR EACH ROW EXECUTE FUNCTION "ProductUnit_catalogue_bump"();

-- Chat messages handled that wrote nothing (queries, 绑定码…), so a redelivery after a restart is
-- not answered twice. Writes are recognised by SourceMessage.
CREATE TABLE "HandledMessage" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "handledAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HandledMessage_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "HandledMessage_platform_messageId_key" ON "HandledMessage"("platform", "messageId");
CREATE INDEX "HandledMessage_handledAt_idx" ON "HandledMessage"("handledAt");

-- An import written in committed chunks; its messages carry its id, so an import that stopped
-- midway is undone as a whole.
CREATE TABLE "ImportBatch" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    -- running | done | undone
    "status" TEXT NOT NULL DEFAULT 'running',
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    -- Moved after each committed chunk: a running import whose heartbeat stopped was killed midway.
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ImportBatch_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ImportBatch_shopId_status_idx" ON "ImportBatch"("shopId", "status");
ALTER TABLE "ImportBatch" ADD CONSTRAINT "ImportBatch_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "SourceMessage" ADD COLUMN "importBatchId" INTEGER;
CREATE INDEX "SourceMessage_importBatchId_idx" ON "SourceMessage"("importBatchId");

-- A counter per shop that moves whenever its catalogue (products' names and units, aliases, unit
-- conversions) changes, so a long-running process knows to reload what it parses names against.
ALTER TABLE "Shop" ADD COLUMN "catalogueVersion" INTEGER NOT NULL DEFAULT 0;

-- Bumped by triggers, in the same transaction as the change, whoever makes it (a chat, an import,
-- another process).
CREATE TRIGGER "Product_catalogue_insert" AFTER INSERT ON "Product"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = NEW."shopId"; END;
CREATE TRIGGER "Product_catalogue_update" AFTER UPDATE OF "name", "unit", "shopId" ON "Product"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" IN (OLD."shopId", NEW."shopId"); END;
CREATE TRIGGER "Product_catalogue_delete" AFTER DELETE ON "Product"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = OLD."shopId"; END;
CREATE TRIGGER "ProductAlias_catalogue_insert" AFTER INSERT ON "ProductAlias"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = NEW."shopId"; END;
CREATE TRIGGER "ProductAlias_catalogue_update" AFTER UPDATE ON "ProductAlias"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" IN (OLD."shopId", NEW."shopId"); END;
CREATE TRIGGER "ProductAlias_catalogue_delete" AFTER DELETE ON "ProductAlias"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = OLD."shopId"; END;
CREATE TRIGGER "ProductUnit_catalogue_insert" AFTER INSERT ON "ProductUnit"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = (SELECT "shopId" FROM "Product" WHERE "id" = NEW."productId"); END;
CREATE TRIGGER "ProductUnit_catalogue_update" AFTER UPDATE ON "ProductUnit"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = (SELECT "shopId" FROM "Product" WHERE "id" = NEW."productId"); END;
CREATE TRIGGER "ProductUnit_catalogue_delete" AFTER DELETE ON "ProductUnit"
BEGIN UPDATE "Shop" SET "catalogueVersion" = "catalogueVersion" + 1 WHERE "id" = (SELECT "shopId" FROM "Product" WHERE "id" = OLD."productId"); END;

-- Chat messages handled that wrote nothing (queries, 绑定码…), so a redelivery after a restart is
-- not answered twice. Writes are recognised by SourceMessage.
CREATE TABLE "HandledMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "handledAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "HandledMessage_platform_messageId_key" ON "HandledMessage"("platform", "messageId");
CREATE INDEX "HandledMessage_handledAt_idx" ON "HandledMessage"("handledAt");

-- An import written in committed chunks; its messages carry its id, so an import that stopped
-- midway is undone as a whole.
CREATE TABLE "ImportBatch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    -- running | done | undone
    "status" TEXT NOT NULL DEFAULT 'running',
    "startedAt" DATETIME NOT NULL,
    -- Moved after each committed chunk: a running import whose heartbeat stopped was killed midway.
    "heartbeatAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    CONSTRAINT "ImportBatch_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "ImportBatch_shopId_status_idx" ON "ImportBatch"("shopId", "status");

ALTER TABLE "SourceMessage" ADD COLUMN "importBatchId" INTEGER;
CREATE INDEX "SourceMessage_importBatchId_idx" ON "SourceMessage"("importBatchId");

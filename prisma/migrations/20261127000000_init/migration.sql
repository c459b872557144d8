-- CreateTable
CREATE TABLE "Shop" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    "digestTime" TEXT NOT NULL DEFAULT '21:00',
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Location" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Location_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Product" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "sku" TEXT,
    "unit" TEXT NOT NULL DEFAULT '件',
    "salePrice" INTEGER,
    "lastCost" INTEGER,
    "reorderLevel" INTEGER,
    "overstockLevel" INTEGER,
    "leadTimeDays" INTEGER,
    "mode" TEXT NOT NULL DEFAULT 'normal',
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Product_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProductAlias" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    "alias" TEXT NOT NULL,
    CONSTRAINT "ProductAlias_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProductUnit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "productId" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "factorMilli" INTEGER NOT NULL,
    CONSTRAINT "ProductUnit_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Balance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "productId" INTEGER NOT NULL,
    "locationId" INTEGER NOT NULL,
    "qtyMilli" INTEGER NOT NULL DEFAULT 0,
    "value" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Balance_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Balance_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Entry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "productId" INTEGER NOT NULL,
    "locationId" INTEGER,
    "qtyMilli" INTEGER NOT NULL,
    "unitPrice" INTEGER,
    "amount" INTEGER NOT NULL DEFAULT 0,
    "cost" INTEGER NOT NULL DEFAULT 0,
    "valueDelta" INTEGER NOT NULL DEFAULT 0,
    "channel" TEXT,
    "counterparty" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "messageId" INTEGER,
    "reversesId" INTEGER,
    "replacesId" INTEGER,
    "transferId" INTEGER,
    CONSTRAINT "Entry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Entry_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Entry_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Entry_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "SourceMessage" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Entry_reversesId_fkey" FOREIGN KEY ("reversesId") REFERENCES "Entry" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SourceMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "receivedAt" DATETIME NOT NULL,
    CONSTRAINT "SourceMessage_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'staff',
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Person_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Identity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    CONSTRAINT "Identity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChatBinding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "audience" TEXT NOT NULL DEFAULT 'staff',
    "boundAt" DATETIME NOT NULL,
    CONSTRAINT "ChatBinding_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Batch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "productId" INTEGER NOT NULL,
    "locationId" INTEGER NOT NULL,
    "code" TEXT,
    "expiresAt" DATETIME,
    "qtyMilli" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Batch_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Batch_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Shop_name_key" ON "Shop"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Location_shopId_name_key" ON "Location"("shopId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Product_shopId_name_key" ON "Product"("shopId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Product_shopId_sku_key" ON "Product"("shopId", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "ProductAlias_shopId_alias_key" ON "ProductAlias"("shopId", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "ProductUnit_productId_unit_key" ON "ProductUnit"("productId", "unit");

-- CreateIndex
CREATE UNIQUE INDEX "Balance_productId_locationId_key" ON "Balance"("productId", "locationId");

-- CreateIndex
CREATE UNIQUE INDEX "Entry_reversesId_key" ON "Entry"("reversesId");

-- CreateIndex
CREATE INDEX "Entry_shopId_occurredAt_idx" ON "Entry"("shopId", "occurredAt");

-- CreateIndex
CREATE INDEX "Entry_productId_occurredAt_idx" ON "Entry"("productId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Entry_shopId_seq_key" ON "Entry"("shopId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "SourceMessage_platform_chatId_messageId_key" ON "SourceMessage"("platform", "chatId", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_personId_platform_key" ON "Identity"("personId", "platform");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_platform_platformUserId_personId_key" ON "Identity"("platform", "platformUserId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatBinding_platform_chatId_key" ON "ChatBinding"("platform", "chatId");

-- CreateIndex
CREATE INDEX "Entry_messageId_idx" ON "Entry"("messageId");

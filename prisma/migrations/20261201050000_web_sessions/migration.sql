-- CreateTable: the key that signs web sign-in links and session cookies when WEB_SECRET is not set
-- (one row, generated on first use; whoever reads this file already holds the ledger itself)
CREATE TABLE "WebSecret" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "secret" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable: one-time sign-in links handed out by 「网页」 (10 minutes, spent by the first 确认登录)
CREATE TABLE "WebLoginToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "view" TEXT NOT NULL,
    "nonceHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "WebLoginToken_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "WebLoginToken_expiresAt_idx" ON "WebLoginToken"("expiresAt");

-- CreateTable: signed-in browsers; the cookie holds a random id whose hash is kept here
CREATE TABLE "WebSession" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "idHash" TEXT NOT NULL,
    "shopId" INTEGER NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "view" TEXT NOT NULL,
    "csrf" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    CONSTRAINT "WebSession_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WebSession_idHash_key" ON "WebSession"("idHash");

-- CreateIndex
CREATE INDEX "WebSession_expiresAt_idx" ON "WebSession"("expiresAt");

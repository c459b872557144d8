-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "memberRole" TEXT NOT NULL DEFAULT 'viewer';

-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "handle" TEXT;

-- AlterTable
ALTER TABLE "ChatBinding" ADD COLUMN "title" TEXT;

-- CreateTable
CREATE TABLE "BindingCode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "BindingCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "BindingCode_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "BindingCode_code_key" ON "BindingCode"("code");

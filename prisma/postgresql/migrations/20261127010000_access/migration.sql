-- PostgreSQL twin of prisma/migrations/20261127010000_access.

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "memberRole" TEXT NOT NULL DEFAULT 'viewer';

-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "handle" TEXT;

-- AlterTable
ALTER TABLE "ChatBinding" ADD COLUMN "title" TEXT;

-- CreateTable
CREATE TABLE "BindingCode" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "BindingCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BindingCode_code_key" ON "BindingCode"("code");

-- AddForeignKey
ALTER TABLE "BindingCode" ADD CONSTRAINT "BindingCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BindingCode" ADD CONSTRAINT "BindingCode_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

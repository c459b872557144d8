-- Words written with an entry that are not fields (`顾客要白色的`, `单号 778899`), kept as written.
ALTER TABLE "Entry" ADD COLUMN "note" TEXT;

-- PostgreSQL twin of prisma/migrations/20261130400000_entry_note.

-- Words written with an entry that are not fields (`顾客要白色的`, `单号 778899`), kept as written.
ALTER TABLE "Entry" ADD COLUMN "note" TEXT;

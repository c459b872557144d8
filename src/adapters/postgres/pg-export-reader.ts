import type pg from 'pg';
import type { EntryExportRow, ReportReader, StockExportRow } from '../../core/export-rows.ts';

/** Entries read per query: an export of any size holds one page at a time. */
export const ENTRY_PAGE = 1000;

/*
 * The batches an entry moved, as the same JSON text SQLite's json_group_array(json_object(…)) writes:
 * compact, keys in this order, expiresAt in epoch milliseconds (json_build_object would put spaces
 * around the colons, jsonb would reorder the keys). Moves in id order, as SQLite reads them through
 * the BatchMove(entryId) index.
 */
const BATCHES = `COALESCE((SELECT '[' || string_agg(
      '{"code":' || COALESCE(to_json(bt."code")::text, 'null')
      || ',"expiresAt":' || COALESCE((extract(epoch FROM bt."expiresAt") * 1000)::bigint::text, 'null')
      || ',"qtyMilli":' || m."qtyMilli"::text || '}', ',' ORDER BY m."id") || ']'
    FROM "BatchMove" m JOIN "Batch" bt ON bt."id" = m."batchId" WHERE m."entryId" = e."id"), '[]')`;

/**
 * A page of a shop's entries in a period with the names an export shows, after entry number $4, as
 * SqliteExportReader's ENTRY_ROWS (with no `from`, from the epoch, as there).
 */
const ENTRY_PAGE_SQL = `SELECT e."seq", e."occurredAt", e."kind", p."name" AS "product", l."name" AS "location", e."qtyMilli", e."unitPrice", e."amount", e."cost",
    e."channel", e."counterparty", COALESCE(e."actorName", e."actorId") AS "actor", r."seq" AS "reverses", e."note", e."supplier",
    ${BATCHES} AS "batches"
  FROM "Entry" e JOIN "Product" p ON p."id" = e."productId" LEFT JOIN "Location" l ON l."id" = e."locationId"
  LEFT JOIN "Entry" r ON r."id" = e."reversesId"
  WHERE e."shopId" = $1 AND e."occurredAt" >= $2 AND ($3::timestamptz IS NULL OR e."occurredAt" < $3) AND e."seq" > $4
  ORDER BY e."seq" ASC LIMIT $5`;

/**
 * The export reads on PostgreSQL: the same rows, in the same order and with the same values, as
 * SqliteExportReader and PrismaReader (tests/adapters/postgres/pg-imports.test.ts compares them).
 */
export class PgExportReader implements ReportReader {
  constructor(
    private readonly pool: pg.Pool,
    private readonly pageSize = ENTRY_PAGE,
  ) {}

  async shops(): Promise<{ id: number; name: string; timeZone: string }[]> {
    return (await this.pool.query<{ id: number; name: string; timeZone: string }>('SELECT "id", "name", "timeZone" FROM "Shop" ORDER BY "id" ASC')).rows;
  }

  async stockRows(shopId: number): Promise<StockExportRow[]> {
    // Names in code point order, as SQLite's BINARY collation sorts them, whatever the database's locale.
    const { rows } = await this.pool.query<StockExportRow>(
      `SELECT p."name" AS "product", p."sku", p."unit", l."name" AS "location", b."qtyMilli", b."value"
         FROM "Balance" b JOIN "Product" p ON p."id" = b."productId" JOIN "Location" l ON l."id" = b."locationId"
        WHERE p."shopId" = $1 ORDER BY p."name" COLLATE "C" ASC, l."name" COLLATE "C" ASC`,
      [shopId],
    );
    return rows;
  }

  async entryRows(shopId: number, from?: Date, to?: Date): Promise<EntryExportRow[]> {
    const rows: EntryExportRow[] = [];
    for await (const row of this.eachEntryRow(shopId, from, to)) rows.push(row);
    return rows;
  }

  /**
   * The entries page by page (keyset on the entry number, so each page is an index range, not an
   * ever-growing OFFSET), on a client of their own in one read-only REPEATABLE READ transaction: every
   * page sees the same snapshot, as SQLite's single iterate() does, so an entry written or reposted
   * during a long export never shows up half-way. Stopping early (break) ends the transaction.
   */
  async *eachEntryRow(shopId: number, from?: Date, to?: Date): AsyncGenerator<EntryExportRow> {
    const client = await this.pool.connect();
    let open = false;
    let unusable: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      let after = 0;
      for (;;) {
        const { rows } = await client.query<EntryExportRow>(ENTRY_PAGE_SQL, [shopId, from ?? new Date(0), to ?? null, after, this.pageSize]);
        yield* rows;
        const last = rows[rows.length - 1];
        if (!last || rows.length < this.pageSize) break;
        after = last.seq;
      }
      await client.query('COMMIT');
      open = false;
    } finally {
      // Left early (a break, a failed query or consumer): end the transaction before the client goes
      // back to the pool, and drop the client if even that fails.
      if (open) await client.query('ROLLBACK').catch((error: unknown) => (unusable = error instanceof Error ? error : new Error(String(error))));
      client.release(unusable);
    }
  }
}

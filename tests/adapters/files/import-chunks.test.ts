import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile, previewImport, type ImportTarget } from '../../../src/adapters/files/import.ts';
import { InventoryService } from '../../../src/core/inventory.service.ts';
import { createTestDb, source, TestClock, type TestDb, importTarget } from '../../helpers/db.ts';

/** Imports written in committed chunks: chats get the write lock between chunks, all or none still holds. */
let t: TestDb;
let target: ImportTarget;
const clock = new TestClock(new Date('2026-11-27T02:00:00Z'));

beforeEach(async () => {
  t = createTestDb();
  target = await importTarget(t, clock);
});
afterEach(() => t.cleanup());

const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');
/** `n` purchases of 商品0…商品9, one a minute from 2026-11-01. */
function purchases(n: number): string[] {
  const lines = ['日期,类型,商品,数量,单价'];
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2026, 10, 1, 0, i));
    lines.push(`${at.toISOString().slice(0, 16).replace('T', ' ')},进货,商品${i % 10},${1 + (i % 5)},${10 + (i % 7)}`);
  }
  return lines;
}
const entries = () => t.store.entries(target.shop.id);
const units = async () => (await t.store.stock(target.shop.id)).reduce((n, r) => n + r.qtyMilli, 0) / 1000;

describe('chunked imports', () => {
  it('lets a chat write between chunks of a long import', async () => {
    const service = new InventoryService(t.store, clock);
    let chatSeq: number | undefined;
    // A chat message arrives while the import runs: it is written between two chunks, not after the import.
    setImmediate(async () => {
      const r = await service.record(target.shop.id, { kind: 'purchase', items: [{ product: '聊天进货', quantity: 1, unitPrice: 100 }] }, source());
      chatSeq = r.ok ? r.value.entries[0]?.seq : undefined;
    });
    // Five chunks of 100 rows: the number of chunks matters here, not their size.
    const summary = await importFile(target, 'entries', csv(purchases(500)), '流水.csv', { batchSize: 100 });
    expect(summary.importedRows).toBe(500);
    expect(summary.written).toBe(true);
    expect(chatSeq).toBeGreaterThan(1);
    expect(chatSeq).toBeLessThan(501);
    expect(await entries()).toHaveLength(501);
    const batch = t.db.prepare('SELECT status FROM ImportBatch').all();
    expect(batch).toEqual([{ status: 'done' }]);
  });

  it('undoes the chunks already written when a later row is refused, leaving stock as it was', async () => {
    // Three chunks of 100 rows are written before the refused row: several chunks to undo, not thousands of rows.
    const lines = purchases(300);
    lines.push('2026-12-31 10:00,出货,商品1,100000,59');
    const before = await units();
    let chunks = 0;
    const summary = await importFile(target, 'entries', csv(lines), '流水.csv', { batchSize: 100, onProgress: (done) => { if (done > 0) chunks += 1; } });
    expect(chunks).toBeGreaterThan(2);
    expect(summary.blocked).toBe(true);
    expect(summary.written).toBe(false);
    expect(summary.problems.map((p) => p.reason).join()).toContain('库存不足');
    expect(await units()).toBe(before);
    // Undone with reversals: every imported entry has one.
    const all = await entries();
    const reversed = new Set(all.filter((e) => e.kind === 'reversal').map((e) => e.reversesId));
    expect(all.filter((e) => e.kind !== 'reversal').every((e) => reversed.has(e.id))).toBe(true);
    expect(t.db.prepare('SELECT status FROM ImportBatch').all()).toEqual([{ status: 'undone' }]);
    for (const b of t.db.prepare('SELECT qtyMilli, value FROM Balance').all() as { qtyMilli: number; value: number }[]) expect(b).toEqual({ qtyMilli: 0, value: 0 });
  });

  it('undoes, whole, an import that was killed midway before the next import starts', async () => {
    // What a killed import leaves: one committed chunk under a batch still marked running.
    const store = t.store;
    const batchId = await store.beginImport(target.shop.id, '上次.csv', 'cli:alice', new Date(clock.now().getTime() - 10 * 60_000));
    await store.transaction(async () => {
      await target.service.recordBatch(target.shop.id, [
        { req: { kind: 'purchase', items: [{ product: '半截', quantity: 5, unitPrice: 100 }] }, source: { ...source(), platform: 'import', importBatchId: batchId } },
        { req: { kind: 'purchase', items: [{ product: '半截', quantity: 7, unitPrice: 100 }] }, source: { ...source(), platform: 'import', importBatchId: batchId } },
      ]);
    });
    expect(await units()).toBe(12);
    const summary = await importFile(target, 'entries', csv(purchases(3)), '这次.csv');
    expect(summary.notes[0]).toContain(`上次的导入（批次 ${batchId}）中途停止，已整批撤销`);
    expect((await t.store.stock(target.shop.id)).find((r) => r.product === '半截')?.qtyMilli).toBe(0);
    expect(summary.importedRows).toBe(3);
  });

  it('runs a dry run without the write lock, while another process holds it', async () => {
    const other = new Database(t.path);
    try {
      t.db.pragma('busy_timeout = 50');
      other.exec('BEGIN IMMEDIATE');
      const preview = await previewImport(target, 'entries', csv(purchases(50)), '流水.csv');
      other.exec('ROLLBACK');
      expect(preview.dryRun).toBe(true);
      expect(preview.importedRows).toBe(50);
      expect(await entries()).toHaveLength(0);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });
});

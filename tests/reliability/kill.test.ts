import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledScript } from '../helpers/compiled-script.ts';
import { entriesOf, messageText } from './messages.ts';

/**
 * kill -9 of a bot process in the middle of bursts of writes, again and again on one SQLite file,
 * each restart first redelivering the last messages. After every kill: every acknowledged message
 * is in the ledger exactly as acknowledged, no message is half applied, no message is applied twice,
 * balances equal the sum of their entries, and no stock is empty with value or worth less than
 * nothing. RELIABILITY_KILLS sets how many kills (default 3, a short version for npm test).
 */
const KILLS = Number(process.env.RELIABILITY_KILLS ?? 3);
const REDELIVER = 5;
const dir = mkdtempSync(join(tmpdir(), 'jxc-reliability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The writer, compiled for plain node (see compiledScript). */
const WRITER = compiledScript(new URL('./writer.ts', import.meta.url));

interface Ack {
  id: string;
  entries: number | 'dup';
}

/** Starts the writer, lets it write for `ms` after it is ready, kills it with SIGKILL; returns what it acknowledged. */
async function burst(path: string, from: number, ms: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [await WRITER, path, String(from), String(REDELIVER)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks: Ack[] = [];
  let buffered = '';
  let errors = '';
  child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          setTimeout(() => child.kill('SIGKILL'), ms);
          resolve();
        }
        const m = /^ack (\S+) (\S+)$/.exec(line);
        if (m) acks.push({ id: m[1] as string, entries: m[2] === 'dup' ? 'dup' : Number(m[2]) });
      }
    });
    void exited.then(() => reject(new Error(`writer exited before it was ready: ${errors}`)));
  });
  expect(await exited).toBe('SIGKILL');
  return acks;
}

function check(path: string, acked: Map<string, number>): { entries: number; messages: number } {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const messages = db.prepare("SELECT m.messageId, m.text, COUNT(e.id) AS n FROM SourceMessage m LEFT JOIN Entry e ON e.messageId = m.id WHERE m.platform = 'rel' GROUP BY m.id").all() as {
      messageId: string;
      text: string;
      n: number;
    }[];
    const byId = new Map(messages.map((m) => [m.messageId, m]));
    // Acknowledged means written, exactly as acknowledged.
    for (const [id, entries] of acked) expect({ id, n: byId.get(id)?.n ?? 0 }).toEqual({ id, n: entries });
    // All or none: a purchase of three items has three entries, a sale of two has two.
    for (const m of messages) {
      const expected = entriesOf(m.text);
      if (expected !== undefined) expect({ id: m.messageId, n: m.n }).toEqual({ id: m.messageId, n: expected });
      expect(m.text).toBe(messageText(Number(m.messageId.slice(1))));
    }
    // Entry numbers 1..n without gaps or repeats.
    const seqs = db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi, COUNT(*) AS n FROM Entry').get() as { lo: number; hi: number; n: number };
    if (seqs.n > 0) expect([seqs.lo, seqs.hi]).toEqual([1, seqs.n]);
    // Balances are the sum of their entries, and never empty with value or negative in worth.
    const sums = db.prepare('SELECT productId, locationId, SUM(qtyMilli) AS q, SUM(valueDelta) AS v FROM Entry WHERE locationId IS NOT NULL GROUP BY productId, locationId').all() as {
      productId: number;
      locationId: number;
      q: number;
      v: number;
    }[];
    const balances = db.prepare('SELECT productId, locationId, qtyMilli, value FROM Balance').all() as { productId: number; locationId: number; qtyMilli: number; value: number }[];
    const sumOf = new Map(sums.map((s) => [`${s.productId}/${s.locationId}`, s]));
    for (const b of balances) {
      const s = sumOf.get(`${b.productId}/${b.locationId}`);
      expect({ q: b.qtyMilli, v: b.value }).toEqual({ q: s?.q ?? 0, v: s?.v ?? 0 });
      if (b.qtyMilli === 0) expect(b.value).toBe(0);
      if (b.qtyMilli > 0) expect(b.value).toBeGreaterThanOrEqual(0);
    }
    return { entries: seqs.n, messages: messages.length };
  } finally {
    db.close();
  }
}

describe(`kill -9 during bursts of writes (${KILLS} kills)`, () => {
  it(
    'loses no acknowledged entry, half-applies and double-applies no message, and keeps balances exact',
    async () => {
      const path = join(dir, 'reliability.db');
      const acked = new Map<string, number>();
      let next = 1;
      let redelivered = 0;
      let last = { entries: 0, messages: 0 };
      for (let kill = 0; kill < KILLS; kill++) {
        const acks = await burst(path, next, 150 + ((kill * 137) % 400));
        for (const a of acks) {
          if (a.entries === 'dup') {
            redelivered += 1;
            continue;
          }
          // A message acknowledged once must never write again.
          expect(acked.has(a.id) && acked.get(a.id) !== a.entries).toBe(false);
          if (!acked.has(a.id)) acked.set(a.id, a.entries);
        }
        const fresh = acks.filter((a) => Number(a.id.slice(1)) >= next);
        next += Math.max(1, fresh.length);
        last = check(path, acked);
      }
      expect(acked.size).toBeGreaterThan(KILLS);
      expect(last.entries).toBeGreaterThan(0);
      // Printed for the README's figures.
      console.log(`reliability: ${KILLS} kills, ${acked.size} acknowledged messages, ${last.entries} entries, ${redelivered} redeliveries refused as repeats, 0 lost`);
    },
    KILLS * 60_000,
  );
});

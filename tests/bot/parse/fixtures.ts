import { expect } from 'vitest';
import { commandSchema, type Command, type Item } from '../../../src/bot/command.ts';
import { buildCatalogue, parseMessage, type ParseContext, type ParseResult } from '../../../src/bot/parse/index.ts';

/**
 * Shared fixtures for the parser tables: a fixed reference instant and zone, and a small
 * catalogue with the shapes that matter (variants with spaces, aliases, packaging conversion,
 * a weight unit, digits inside names).
 */

/** Friday 2026-11-27, 12:00 in Asia/Shanghai. */
export const NOW = new Date('2026-11-27T04:00:00Z');

export const catalogue = buildCatalogue([
  { name: 'T恤', aliases: ['白T', 'tshirt'], unit: '件', units: {} },
  { name: 'T恤 白色 L', aliases: ['白L'], unit: '件', units: {} },
  { name: '短裤', aliases: ['裤子'], unit: '条', units: {} },
  { name: '可乐', aliases: ['可口可乐'], unit: '瓶', units: { 箱: 24 } },
  { name: '可乐 500ml', aliases: [], unit: '瓶', units: { 箱: 12 } },
  { name: '苹果', aliases: [], unit: '斤', units: {} },
  { name: '袜子', aliases: [], unit: '双', units: { 包: 5 } },
  { name: 'iPhone 15 手机壳', aliases: ['手机壳'], unit: '个', units: {} },
  { name: '布料', aliases: [], unit: '米', units: {} },
]);

export const ctx: ParseContext = { now: NOW, timeZone: 'Asia/Shanghai', catalogue, botNames: ['jxcbot'] };

/** Parses with the shared context (optionally overridden). */
export function parse(text: string, over: Partial<ParseContext> = {}): ParseResult {
  return parseMessage(text, { ...ctx, ...over });
}

/** A UTC instant from an ISO string, for readable expectations. */
export const utc = (iso: string): Date => new Date(iso);

/** A known catalogue item. */
export function known(product: string, quantity: number, extra: Partial<Item> = {}): Item {
  return { product, known: true, quantity, ...extra };
}

/** An item whose name is not in the catalogue. */
export function unknown(product: string, quantity: number, extra: Partial<Item> = {}): Item {
  return { product, known: false, quantity, ...extra };
}

/** Asserts `text` parses to exactly `command`, and that the command satisfies the contract. */
export function expectCommand(text: string, command: Command, over: Partial<ParseContext> = {}): void {
  const result = parse(text, over);
  expect(result).toStrictEqual({ kind: 'command', command });
  expect(() => commandSchema.parse(command)).not.toThrow();
}

/** A period expectation. */
export function period(from: string, to: string, label: string): { from: Date; to: Date; label: string } {
  return { from: utc(from), to: utc(to), label };
}

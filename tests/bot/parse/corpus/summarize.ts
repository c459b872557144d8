import type { Command, Item } from '../../../../src/bot/command.ts';
import type { ParseResult } from '../../../../src/bot/parse/index.ts';
import { localParts } from '../../../../src/core/zoned-time.ts';

/**
 * One line of text per parse result, so the corpus can state what each message must become
 * without spelling out whole command objects:
 *
 *   none                                   chatter, ignored in a group
 *   error CODE                             a refusal or a question back (nothing recorded)
 *   sale date=2026-11-26 | T恤 白色 L 3件 @59 ch=淘宝; ?新款 2 =100 note=包邮
 *   query T恤 · query ?卫衣 · query all · query shortage · query T恤, 短裤 · query T恤 cost
 *   report sales 本月 · report top 这周 bychannel
 *   undo · undo #12 · correct #12 quantity=2 unitPrice=60
 *   setting salePrice T恤 5900 · alias T恤 = 白T, tshirt · help · help 进货
 *
 * An item is `name quantity[unit]`, `?` before names not in the catalogue (`+` when the message
 * says it is a new product: `进货 新品 …`); the quantity is in
 * the product's own unit (1箱 of a 24-bottle case is `24箱`), prices in 元. Per-item fields show
 * what is recorded for that item: its own value, else the message's.
 */
export function summarize(result: ParseResult, timeZone = 'Asia/Shanghai'): string {
  if (result.kind === 'none') return 'none';
  if (result.kind === 'error') return `error ${result.code}`;
  if (result.kind === 'batch') return result.results.map((r) => summarize(r, timeZone)).join(' // ');
  return summarizeCommand(result.command, timeZone);
}

function yuan(cents: number): string {
  return String(cents / 100);
}

function dateText(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const day = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  if (p.hour === 12 && p.minute === 0) return day;
  return `${day} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

type Write = Extract<Command, { items: Item[] }>;

function itemText(item: Item, c: Write): string {
  const mark = item.known ? '' : item.newProduct === true ? '+' : '?';
  const parts = [`${mark}${item.product}`, `${item.quantity}${item.unit ?? ''}`];
  if (item.unitPrice !== undefined) parts.push(`@${yuan(item.unitPrice)}`);
  if (item.total !== undefined) parts.push(`=${yuan(item.total)}`);
  const own = item as Item & { channel?: string; counterparty?: string; location?: string; note?: string };
  const channel = own.channel ?? c.channel;
  const counterparty = own.counterparty ?? c.counterparty;
  const location = own.location ?? c.location;
  const note = own.note ?? (c as { note?: string }).note;
  if (channel !== undefined) parts.push(`ch=${channel}`);
  if (counterparty !== undefined) parts.push(`cp=${counterparty}`);
  if (location !== undefined) parts.push(`loc=${location}`);
  if (note !== undefined) parts.push(`note=${note}`);
  return parts.join(' ');
}

function summarizeCommand(c: Command, timeZone: string): string {
  switch (c.intent) {
    case 'purchase':
    case 'sale':
    case 'customerReturn':
    case 'supplierReturn':
    case 'stocktake':
    case 'transfer': {
      const head: string[] = [c.intent];
      if (c.occurredAt !== undefined) head.push(`date=${dateText(c.occurredAt, timeZone)}`);
      if (c.intent === 'transfer') head.push(`to=${c.to}`);
      return `${head.join(' ')} | ${c.items.map((i) => itemText(i, c)).join('; ')}`;
    }
    case 'query': {
      if (c.filter !== undefined) return `query ${c.filter}`;
      const list = c.products ?? (c.product === undefined ? undefined : [{ product: c.product, known: c.known !== false }]);
      if (list === undefined) return 'query all';
      return `query ${list.map((p) => `${p.known ? '' : '?'}${p.product}`).join(', ')}${c.field !== undefined ? ` ${c.field}` : ''}`;
    }
    case 'report': {
      const parts = ['report', c.kind, c.period?.label ?? '-'];
      if (c.product !== undefined) parts.push(`product=${c.product}`);
      if (c.byChannel === true) parts.push('bychannel');
      return parts.join(' ');
    }
    case 'undo':
      return c.entryNo === undefined ? 'undo' : `undo #${c.entryNo}`;
    case 'correct': {
      const changes = c.changes ?? [{ field: c.field, value: c.value }];
      return `correct #${c.entryNo} ${changes.map((ch) => `${ch.field}=${ch.field === 'unitPrice' ? yuan(ch.value) : ch.value}`).join(' ')}`;
    }
    case 'setting':
      return [
        'setting',
        c.key,
        c.product,
        c.unit !== undefined ? `1${c.unit}=${c.factor}${c.value}` : String(c.value),
        c.supplier !== undefined ? `supplier=${c.supplier}` : undefined,
        c.cost !== undefined ? `cost=${yuan(c.cost)}` : undefined,
      ]
        .filter((s) => s !== undefined)
        .join(' ');
    case 'payables':
      return `payables ${c.supplier ?? '*'} ${c.period.label}`;
    case 'alias':
      return `alias ${c.product} = ${c.aliases.join(', ')}`;
    case 'help':
      return c.topic === undefined ? 'help' : `help ${c.topic}`;
    case 'web':
      return 'web';
    case 'export':
      return `export ${c.what}${c.period === undefined ? '' : ` ${c.period.label}`}`;
    case 'importFile':
      return `import${c.kind === undefined ? '' : ` ${c.kind}`}${c.path === undefined ? '' : ` ${c.path}`}`;
    case 'confirmImport':
      return c.skipBad ? 'confirm import skip' : 'confirm import';
    case 'cancelImport':
      return 'cancel import';
  }
}

import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { deferredLogger } from '../../src/base-app.ts';

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}

describe('the deferred logger', () => {
  it('makes no pino logger for calls below its level, and writes the others through pino', () => {
    const out = sink();
    let made = 0;
    const logger = deferredLogger('warn', () => {
      made += 1;
      return pino({ level: 'warn' }, out.stream);
    });
    logger.info({ shop: 1 }, 'message handled');
    logger.debug('detail');
    expect(logger.level).toBe('warn');
    expect(made).toBe(0);
    logger.warn({ shop: 1 }, 'low-stock alert failed');
    logger.info('still below the level');
    expect(made).toBe(1);
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0] ?? '')).toMatchObject({ level: 40, shop: 1, msg: 'low-stock alert failed' });
  });

  it('makes the real logger when its level is changed, and keeps the change', () => {
    const out = sink();
    const logger = deferredLogger('warn', () => pino({ level: 'warn' }, out.stream));
    logger.level = 'info';
    logger.info('now written');
    expect(logger.level).toBe('info');
    expect(out.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['now written']);
  });
});

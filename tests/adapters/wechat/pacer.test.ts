import { describe, expect, it } from 'vitest';
import { SendPacer, type PacerTimer } from '../../../src/adapters/wechat/pacer.ts';

/** Virtual time: sleeping moves the clock, so pacing is checked exactly and instantly. */
function virtualTimer(): PacerTimer & { t: number } {
  const timer = {
    t: 0,
    now: () => timer.t,
    sleep: async (ms: number) => {
      timer.t += ms;
    },
  };
  return timer;
}

describe('SendPacer', () => {
  it('keeps the per-chat gap within a room and the global gap across rooms, in order', async () => {
    const timer = virtualTimer();
    const log: [number, string, string][] = [];
    const pacer = new SendPacer(async (chat, text) => void log.push([timer.t, chat, text]), { perChatMs: 1000, globalMs: 300 }, timer);
    await Promise.all([pacer.send('A', 'a1'), pacer.send('A', 'a2'), pacer.send('B', 'b1'), pacer.send('C', 'c1'), pacer.send('A', 'a3')]);
    expect(log).toEqual([
      [0, 'A', 'a1'],
      [300, 'B', 'b1'],
      [600, 'C', 'c1'],
      [1000, 'A', 'a2'],
      [2000, 'A', 'a3'],
    ]);
  });

  it('sends a digest to many rooms no faster than the global gap', async () => {
    const timer = virtualTimer();
    const times: number[] = [];
    const pacer = new SendPacer(async () => void times.push(timer.t), { perChatMs: 1500, globalMs: 500 }, timer);
    await Promise.all(Array.from({ length: 20 }, (_, i) => pacer.send(`room${i}`, '📋 日报')));
    expect(times).toHaveLength(20);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(500);
  });

  it('reports a failed delivery to its sender and goes on with the rest', async () => {
    const timer = virtualTimer();
    const sent: string[] = [];
    const pacer = new SendPacer(
      async (_chat, text) => {
        if (text === 'bad') throw new Error('blocked');
        sent.push(text);
      },
      { perChatMs: 10, globalMs: 0 },
      timer,
    );
    const results = await Promise.allSettled([pacer.send('A', 'ok1'), pacer.send('A', 'bad'), pacer.send('A', 'ok2')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sent).toEqual(['ok1', 'ok2']);
    expect(pacer.busy).toBe(false);
  });

  it('starts again after going idle', async () => {
    const timer = virtualTimer();
    const sent: string[] = [];
    const pacer = new SendPacer(async (_chat, text) => void sent.push(text), { perChatMs: 100, globalMs: 0 }, timer);
    await pacer.send('A', '1');
    await pacer.idle();
    await pacer.send('A', '2');
    expect(sent).toEqual(['1', '2']);
    expect(timer.t).toBe(100);
  });
});

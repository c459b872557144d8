import { describe, expect, it } from 'vitest';
import { splitForWechat, WECHAT_MAX_CHARS } from '../../../src/adapters/wechat/split-text.ts';

const chars = (s: string) => [...s].length;

describe('splitForWechat', () => {
  it('sends a reply that fits as it is', () => {
    expect(splitForWechat('📦 T恤：50件')).toEqual(['📦 T恤：50件']);
    const full = '库'.repeat(WECHAT_MAX_CHARS);
    expect(splitForWechat(full)).toEqual([full]);
  });

  it('breaks a long list at line ends and numbers the parts', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `· 商品${i + 1} ${i + 1}件`);
    const parts = splitForWechat(lines.join('\n'), 100);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, i) => {
      expect(chars(part)).toBeLessThanOrEqual(100);
      expect(part.endsWith(`\n（${i + 1}/${parts.length}）`)).toBe(true);
    });
    // Nothing lost, nothing cut inside a line.
    const body = parts.map((p) => p.replace(/\n（\d+\/\d+）$/, '')).join('\n');
    expect(body).toBe(lines.join('\n'));
  });

  it('cuts a single over-long line, counting emoji as one character', () => {
    const line = '😀'.repeat(250);
    const parts = splitForWechat(line, 100);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(chars(part)).toBeLessThanOrEqual(100);
    expect(parts.map((p) => p.replace(/\n（\d+\/\d+）$/, '')).join('')).toBe(line);
  });
});

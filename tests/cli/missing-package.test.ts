import { describe, expect, it } from 'vitest';
import { isMissingPackage, missingPackage } from '../../src/cli/main.ts';

describe('a missing optional package', () => {
  it('is told apart from other failures by the name Node could not find, and named with its install command', async () => {
    // A real failed import, as `jxc start` meets it when WeChat is configured and a package is not installed.
    const absent = 'file-box-that-is-not-installed';
    const error = await import(/* @vite-ignore */ absent).catch((e: unknown) => e);
    expect(isMissingPackage(error, absent)).toBe(true);
    expect(isMissingPackage(error, 'wechaty')).toBe(false);
    expect(isMissingPackage(new Error("Cannot find module 'wechaty'"), 'wechaty')).toBe(false);
    expect(missingPackage('file-box', '微信机器人', 'WeChat')).toContain('请先在 jxc-bot 目录运行：npm install file-box');
  });
});

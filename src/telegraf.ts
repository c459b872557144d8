/**
 * The `jxc-bot/telegraf` package entry: a host Telegraf bot builds the app and mounts the middleware
 * from this one import. Wiring, so it lives beside main.ts rather than in the Telegram adapter.
 */
export { createApp, type App } from './main.ts';
export { createConfig, type Config } from './config.ts';
export { jxcTelegraf, telegrafCalls, type JxcTelegrafOptions } from './adapters/telegram/telegraf.ts';

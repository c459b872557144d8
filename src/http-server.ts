import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The one HTTP server of `jxc start`, on HOST:PORT: the Telegram webhook (when there is one) and
 * the web view are routes of the same Hono app. Whoever needs it mounts routes first, then calls
 * `listen`; a second `listen` returns the first one's address, so either may start it.
 */
export interface HttpServer {
  app: Hono;
  /** Starts listening (once); resolves with the address actually bound (port 0 picks a free one). */
  listen(port: number, host: string): Promise<{ host: string; port: number }>;
  /** Settles with the error if the server fails after it started. */
  failed: Promise<Error>;
  close(): Promise<void>;
}

/** A Hono app with `GET /healthz`, served by @hono/node-server when `listen` is called. */
export function createHttpServer(): HttpServer {
  const app = new Hono();
  app.get('/healthz', (c) => c.text('ok'));
  let server: Server | undefined;
  let listening: Promise<{ host: string; port: number }> | undefined;
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => {
    fail = resolve;
  });
  return {
    app,
    failed,
    listen(port, host) {
      listening ??= new Promise((resolve, reject) => {
        const s = createAdaptorServer({ fetch: app.fetch }) as Server;
        server = s;
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          s.on('error', fail);
          const address = s.address();
          resolve(typeof address === 'object' && address !== null ? { host: address.address, port: address.port } : { host, port });
        });
      });
      return listening;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!server?.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IssuedWebLink, WebAuthStore, WebLinkIssuer, WebLinkRequest, WebSessionRecord } from '../../bot/web/web.port.ts';

/** A sign-in link is valid this long. */
export const LINK_MINUTES = 10;
/** A browser stays signed in this long (退出 ends it sooner). */
export const SESSION_DAYS = 7;

const b64 = (bytes: Buffer): string => bytes.toString('base64url');
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');
const random = (bytes = 32): string => b64(randomBytes(bytes));

/** Why a sign-in link is refused: not ours (forged, mangled), or ours but spent or expired. */
export type LinkCheck = { ok: true; id: number; view: WebLinkRequest['view'] } | { ok: false; reason: 'forged' | 'spent' };

/**
 * Sign-in links and sessions. A link is `/login/<id>.<nonce>.<hmac>`: the HMAC (SHA-256, keyed by
 * WEB_SECRET or the stored key) rejects forged or altered links before the database is asked; the
 * database row (nonce hash, expiry, usedAt) makes it single-use and short-lived. Sessions are random
 * ids in a signed cookie; only their hash is stored, with the session's CSRF token.
 */
export class WebAuth implements WebLinkIssuer {
  private key: string | undefined;

  constructor(
    private readonly store: WebAuthStore,
    private readonly options: { publicUrl: string; secret?: string | undefined },
  ) {}

  /** The signing key: WEB_SECRET, else the one kept in the database (generated on first use). */
  async secret(now: Date): Promise<string> {
    this.key ??= this.options.secret ?? await this.store.storedSecret(() => random(32), now);
    return this.key;
  }

  private async sign(payload: string, now: Date): Promise<string> {
    return b64(createHmac('sha256', await this.secret(now)).update(`jxc-web-login:${payload}`).digest());
  }

  /** Stores a new link and returns its address (for 「网页」). */
  async issue(request: WebLinkRequest, now: Date): Promise<IssuedWebLink> {
    const nonce = random(24);
    const id = await this.store.insertToken(
      {
        shopId: request.shopId,
        actorId: request.actorId,
        actorName: request.actorName ?? null,
        view: request.view,
        nonceHash: sha256(nonce),
        expiresAt: new Date(now.getTime() + LINK_MINUTES * 60_000),
      },
      now,
    );
    const payload = `${id}.${nonce}`;
    return { url: `${this.options.publicUrl}/login/${payload}.${await this.sign(payload, now)}`, minutes: LINK_MINUTES };
  }

  /** Whether a link may still be used (the GET that shows 确认登录); spends nothing. */
  async check(token: string, now: Date): Promise<LinkCheck> {
    const m = /^(\d{1,15})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return { ok: false, reason: 'forged' };
    const [, idText, nonce, signature] = m as unknown as [string, string, string, string];
    const expected = Buffer.from(await this.sign(`${idText}.${nonce}`, now));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    const row = await this.store.token(Number(idText));
    if (!row || row.nonceHash !== sha256(nonce)) return { ok: false, reason: 'forged' };
    if (row.usedAt !== null || row.expiresAt <= now) return { ok: false, reason: 'spent' };
    return { ok: true, id: row.id, view: row.view };
  }

  /**
   * Spends the link and opens a session (the POST of 确认登录). Of two browsers posting the same
   * link, exactly one gets a session. Returns the cookie value to set.
   */
  async signIn(token: string, now: Date): Promise<{ ok: true; cookie: string; session: WebSessionRecord } | { ok: false; reason: 'forged' | 'spent' }> {
    const checked = await this.check(token, now);
    if (!checked.ok) return checked;
    if (!(await this.store.spendToken(checked.id, now))) return { ok: false, reason: 'spent' };
    const row = await this.store.token(checked.id);
    if (!row) return { ok: false, reason: 'spent' };
    const cookie = random(32);
    const session: WebSessionRecord = {
      idHash: sha256(cookie),
      shopId: row.shopId,
      actorId: row.actorId,
      actorName: row.actorName,
      view: row.view,
      csrf: random(24),
      expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
    };
    await this.store.insertSession(session, now);
    return { ok: true, cookie, session };
  }

  /** The live session a cookie value (already signature-checked) names. */
  async session(cookie: string, now: Date): Promise<WebSessionRecord | undefined> {
    return await this.store.session(sha256(cookie), now);
  }

  async signOut(cookie: string, now: Date): Promise<void> {
    await this.store.endSession(sha256(cookie), now);
  }
}

/** Compares two secrets in constant time (the CSRF token). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

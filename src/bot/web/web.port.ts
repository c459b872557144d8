/**
 * The owner's web view as the conversation sees it: 「网页」 asks for a one-time sign-in link, and the
 * web adapter (src/adapters/web), when it is serving, hands them out. The stores it keeps sign-in
 * links and sessions in are declared here too, so the database adapter implements them without
 * importing the web adapter.
 */

/** What a signed-in browser may see: `owner` shows cost, stock value and profit; `staff` never does. */
export type WebView = 'owner' | 'staff';

/** Who asked for a link, and which view it opens. */
export interface WebLinkRequest {
  shopId: number;
  /** `platform:userId`, as ledger entries name their actor. */
  actorId: string;
  actorName?: string | undefined;
  view: WebView;
}

/** A link handed out: the address to open and how long it is valid. */
export interface IssuedWebLink {
  url: string;
  minutes: number;
}

/** Hands out sign-in links (the web adapter, while it serves). */
export interface WebLinkIssuer {
  issue(request: WebLinkRequest, now: Date): Promise<IssuedWebLink>;
}

/**
 * Where 「网页」 gets its links: the web adapter registers here when it starts serving (as chat
 * adapters register on the outbox); with nothing registered the web view is off and 「网页」 says so.
 */
export class WebLinks {
  private issuer: WebLinkIssuer | undefined;

  register(issuer: WebLinkIssuer): void {
    this.issuer = issuer;
  }

  /** Forgets the issuer (the web server stopped). */
  unregister(issuer: WebLinkIssuer): void {
    if (this.issuer === issuer) this.issuer = undefined;
  }

  /** A link, or undefined when no web view is being served. */
  async issue(request: WebLinkRequest, now: Date): Promise<IssuedWebLink | undefined> {
    return await this.issuer?.issue(request, now);
  }
}

/** A sign-in link as stored: the link itself is never kept, only its random part's hash. */
export interface WebLoginTokenRecord {
  id: number;
  shopId: number;
  actorId: string;
  actorName: string | null;
  view: WebView;
  nonceHash: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** A signed-in browser as stored; `idHash` is the hash of the cookie's random id. */
export interface WebSessionRecord {
  idHash: string;
  shopId: number;
  actorId: string;
  actorName: string | null;
  view: WebView;
  /** The token every form and htmx request of this session sends back. */
  csrf: string;
  expiresAt: Date;
}

/**
 * Sign-in links and sessions. Synchronous on the SQLite store (「网页」's handler runs inside the
 * synchronous chat engine); the web adapter awaits every call, so an asynchronous store fits later.
 */
export interface WebAuthStore {
  /** The stored signing key, created with `generate()` on first use (atomic across processes). */
  storedSecret(generate: () => string, now: Date): Promise<string>;
  insertToken(token: Omit<WebLoginTokenRecord, 'id' | 'usedAt'>, now: Date): Promise<number>;
  token(id: number): Promise<WebLoginTokenRecord | undefined>;
  /** Marks the link used; false when it was used already or has expired (only one caller ever wins). */
  spendToken(id: number, now: Date): Promise<boolean>;
  insertSession(session: WebSessionRecord, now: Date): Promise<void>;
  /** The live session with this id hash (not ended, not expired). */
  session(idHash: string, now: Date): Promise<WebSessionRecord | undefined>;
  endSession(idHash: string, now: Date): Promise<void>;
}

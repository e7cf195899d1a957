/**
 * Authentication of HTTP destinations: a static bearer token, HTTP Basic (RFC 7617), or an OAuth 2.0
 * access token obtained with the client credentials grant (RFC 6749 §4.4), cached until shortly
 * before it expires and obtained again when the API answers 401 (RFC 6750 §3.1 invalid_token).
 * Secrets never leave this module except in the Authorization header they make.
 */
import type { Dispatcher } from 'undici';
import type { DestinationAuth } from '../config-types.js';
import { GatewayError } from '../errors.js';

/** Gives the Authorization header of each request. */
export interface AuthProvider {
  /** The Authorization header value, or undefined for none. Throws GatewayError EDIGATE_DELIVERY_AUTH when a token cannot be had. */
  authorization(): Promise<string | undefined>;
  /**
   * After a 401 answer to a request made with `used`: true when asking again may help (an OAuth 2.0
   * token is dropped, so the next authorization() fetches a new one); false for static credentials.
   */
  invalidate(used: string | undefined): boolean;
}

/** Token requests to the OAuth 2.0 token endpoint, for tests: how many were made. */
export interface OAuth2Stats {
  tokenRequests: number;
}

/** Renew a cached token this long before its expires_in runs out, in ms (or a tenth of its lifetime if shorter). */
const EXPIRY_SKEW_MS = 30_000;

/** `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 §2.3.1 asks for client_id and client_secret in Basic. */
function formEncode(v: string): string {
  return encodeURIComponent(v).replace(/%20/g, '+');
}

/**
 * The AuthProvider for a destination's `auth` (undefined/null: no header). `dispatcher` carries the
 * token requests (it holds the destination's TLS settings); `timeoutMs` bounds each of them.
 */
export function createAuth(auth: DestinationAuth | null | undefined, dispatcher: Dispatcher, timeoutMs: number, stats?: OAuth2Stats): AuthProvider {
  if (!auth) return { authorization: async () => undefined, invalidate: () => false };
  switch (auth.type) {
    case 'bearer': {
      const value = `Bearer ${auth.token}`;
      return { authorization: async () => value, invalidate: () => false };
    }
    case 'basic': {
      const value = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
      return { authorization: async () => value, invalidate: () => false };
    }
    case 'oauth2':
      return new OAuth2ClientCredentials(auth, dispatcher, timeoutMs, stats);
  }
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): POST grant_type=client_credentials (plus scope and
 * audience when configured) to the token endpoint, client authenticated with Basic (§2.3.1,
 * default) or in the body (client_secret_post). The token is shared by concurrent requests (one
 * token request at a time) and cached until expires_in minus a margin (no expires_in: until a 401).
 */
class OAuth2ClientCredentials implements AuthProvider {
  private token: { value: string; expiresAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly cfg: Extract<DestinationAuth, { type: 'oauth2' }>,
    private readonly dispatcher: Dispatcher,
    private readonly timeoutMs: number,
    private readonly stats: OAuth2Stats | undefined,
  ) {}

  async authorization(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  invalidate(used: string | undefined): boolean {
    if (this.token && this.token.value === used) this.token = undefined;
    return true;
  }

  private async fetchToken(): Promise<string> {
    const url = new URL(this.cfg.tokenUrl);
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.cfg.scope) form.set('scope', this.cfg.scope);
    if (this.cfg.audience) form.set('audience', this.cfg.audience);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.cfg.clientAuth === 'post') {
      form.set('client_id', this.cfg.clientId);
      form.set('client_secret', this.cfg.clientSecret);
    } else {
      headers.authorization = `Basic ${Buffer.from(`${formEncode(this.cfg.clientId)}:${formEncode(this.cfg.clientSecret)}`).toString('base64')}`;
    }
    if (this.stats) this.stats.tokenRequests++;
    let status: number;
    let text: string;
    try {
      const res = await this.dispatcher.request({
        origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers, body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new GatewayError('EDIGATE_DELIVERY_AUTH', `token endpoint ${url.origin}${url.pathname} not reachable: ${(err as Error).message}`, { cause: err });
    }
    let body: { access_token?: unknown; token_type?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // reported below
    }
    if (status < 200 || status >= 300 || typeof body.access_token !== 'string' || body.access_token === '') {
      const why = typeof body.error === 'string' ? ` (${body.error})` : '';
      throw new GatewayError('EDIGATE_DELIVERY_AUTH', `token endpoint ${url.origin}${url.pathname} answered HTTP ${status}${why} without an access_token`, {
        details: { status },
      });
    }
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : Infinity;
    const margin = Math.min(EXPIRY_SKEW_MS, lifetimeMs / 10);
    const value = `Bearer ${body.access_token}`;
    this.token = { value, expiresAt: Date.now() + lifetimeMs - margin };
    return value;
  }
}

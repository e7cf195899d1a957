/**
 * HTTP delivery to an ERP or WMS API (DESIGN.md "HTTP delivery"): POST of the canonical message as
 * JSON over keep-alive connections (one undici Agent per destination, holding its TLS settings), to
 * the destination's URL or to its base URL plus the path of the message's type.
 *
 * Outcome by answer (RFC 9110 §15 status classes):
 *   202                           accepted: processed later by the destination; its Location (if any) is polled
 *   2xx, 409                      delivered (409: the destination already has this idempotency key)
 *   408, 425, 429, 5xx            retry, EDIGATE_DELIVERY_HTTP_RETRYABLE, Retry-After honoured (RFC 9110 §10.2.3)
 *   other 1xx/3xx/4xx             dead at once, EDIGATE_DELIVERY_HTTP_STATUS, response body kept
 *   no answer within timeoutMs    retry, EDIGATE_DELIVERY_TIMEOUT
 *   refused, reset, DNS, TLS ...  retry, EDIGATE_DELIVERY_NETWORK
 *   request cannot be built       dead, EDIGATE_DELIVERY_REQUEST_INVALID (e.g. a header value with a newline)
 * The response body is always read to its end (only the first 4 KiB kept) so the socket is reused.
 */
import { Agent } from 'undici';
import type { CanonicalMessage } from '../canonical/envelope.js';
import type { HttpDestinationConfig } from '../config-types.js';
import { parseRetryAfter } from '../queue/backoff.js';
import { RESPONSE_LIMIT_BYTES } from '../queue/embedded.js';
import type { Connector, DeliveryOutcome, PollOutcome } from './connector.js';
import { createAuth, type AuthProvider, type OAuth2Stats } from './auth.js';
import { isGatewayError } from '../errors.js';

/** Status codes retried although they are 4xx: 408 Request Timeout, 425 Too Early, 429 Too Many Requests. */
export const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 425, 429]);

/** Headers the gateway sets itself; a configured static header of the same name is ignored. */
const OWN_HEADERS = new Set(['content-type', 'idempotency-key', 'x-correlation-id', 'x-edigate-message-type', 'content-length', 'host']);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const INVALID_REQUEST_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_CHAR', 'ERR_INVALID_URL']);

/** Thrown into the request's AbortSignal when the whole-request deadline passes. */
class DeadlineExceeded extends Error {
  constructor(ms: number) {
    super(`no complete answer within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * The outcome for an HTTP answer with status `status` (see the table at the top of this file).
 * `retryAfter` is the raw header value, `now` epoch ms (for an HTTP-date).
 */
export function outcomeForStatus(status: number, retryAfter: string | string[] | undefined, response: string, now: number): DeliveryOutcome {
  if (status === 202) return { kind: 'accepted', status, response };
  if ((status >= 200 && status < 300) || status === 409) return { kind: 'delivered', status, response };
  if (RETRYABLE_4XX.has(status) || (status >= 500 && status < 600)) {
    const outcome: DeliveryOutcome = {
      kind: 'retry',
      status,
      code: 'EDIGATE_DELIVERY_HTTP_RETRYABLE',
      error: `destination answered HTTP ${status}`,
      response,
    };
    const wait = parseRetryAfter(retryAfter, now);
    if (wait !== undefined) outcome.retryAfterMs = wait;
    return outcome;
  }
  return { kind: 'dead', status, code: 'EDIGATE_DELIVERY_HTTP_STATUS', error: `destination answered HTTP ${status}`, response };
}

/** The outcome for a failed request (no answer): timeout, network error or a request that cannot be built. */
export function outcomeForError(err: unknown, timeoutMs: number): DeliveryOutcome {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  const message = e?.message ?? String(err);
  if (err instanceof DeadlineExceeded || e?.name === 'TimeoutError' || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return { kind: 'retry', code: 'EDIGATE_DELIVERY_TIMEOUT', error: `no answer within ${timeoutMs} ms (${code ?? e?.name ?? 'timeout'}): ${message}` };
  }
  if (code !== undefined && INVALID_REQUEST_CODES.has(code)) {
    return { kind: 'dead', code: 'EDIGATE_DELIVERY_REQUEST_INVALID', error: `request cannot be built (${code}): ${message}` };
  }
  const cause = e?.cause?.code && e.cause.code !== code ? ` / ${e.cause.code}` : '';
  return { kind: 'retry', code: 'EDIGATE_DELIVERY_NETWORK', error: `${code ?? 'network error'}${cause}: ${message}` };
}

/** Reads a response body to its end, keeping at most `limit` bytes of it as UTF-8 text. */
async function readCapped(body: AsyncIterable<Buffer | Uint8Array>, limit: number): Promise<string> {
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      const take = buf.subarray(0, limit - size);
      kept.push(take);
      size += take.length;
    }
  }
  return Buffer.concat(kept, size).toString('utf8');
}

/**
 * Reads a status URL answer (Connector.poll): 202 still processing; other 2xx delivered unless the
 * JSON body says `"status": "failed"` (or `error`, `rejected`), then dead with its `reason`/`message`;
 * 404, 410 and other 4xx (but 408, 425, 429) dead; 408, 425, 429, 5xx ask again later.
 */
export function pollOutcomeForStatus(status: number, response: string): PollOutcome {
  if (status === 202) return { kind: 'pending', status, response };
  if (status >= 200 && status < 300) {
    let body: { status?: unknown; reason?: unknown; message?: unknown } | undefined;
    try {
      body = JSON.parse(response) as typeof body;
    } catch {
      body = undefined;
    }
    const st = typeof body?.status === 'string' ? body.status.toLowerCase() : '';
    if (['failed', 'error', 'rejected'].includes(st)) {
      const why = typeof body?.reason === 'string' ? body.reason : typeof body?.message === 'string' ? body.message : `status ${st}`;
      return { kind: 'dead', status, error: `destination reported the message failed: ${why}`, response };
    }
    if (['pending', 'processing', 'accepted', 'queued', 'in_progress'].includes(st)) return { kind: 'pending', status, response };
    return { kind: 'delivered', status, response };
  }
  if (RETRYABLE_4XX.has(status) || status >= 500) return { kind: 'pending', status, response };
  return { kind: 'dead', status, error: `status URL answered HTTP ${status}`, response };
}

/**
 * Delivers to one HTTP destination. One undici Agent per destination with `concurrency` keep-alive
 * connections per origin and the destination's TLS settings (custom CA, client certificate);
 * headersTimeout and bodyTimeout are `timeoutMs`, and the whole request (connect, send, headers,
 * body) is also bounded by `timeoutMs`.
 * Target: `url` itself, or, when `paths` is set, `url` (the base URL) + the path of the message's type
 * (`*` for any type not listed; a type with no path is dead at once, EDIGATE_DESTINATION_NO_PATH).
 * Request headers: Content-Type: application/json, Idempotency-Key, X-Correlation-Id,
 * X-Edigate-Message-Type, Authorization from `auth` (src/delivery/auth.ts), then the configured
 * static headers (which cannot replace these). Credentials in the URL (user:pass@) are sent as Basic
 * authorization when no `auth` is configured. A 401 with OAuth 2.0 gets a new token and one more try.
 */
export class HttpConnector implements Connector {
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly paths: Record<string, string>;
  private readonly staticHeaders: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly auth: AuthProvider;
  /** OAuth 2.0 token requests made so far (tests and the ops API). */
  readonly authStats: OAuth2Stats = { tokenRequests: 0 };

  constructor(dest: HttpDestinationConfig, opts: { now?: () => number } = {}) {
    const url = new URL(dest.url);
    this.timeoutMs = dest.timeoutMs;
    this.now = opts.now ?? Date.now;
    this.paths = dest.paths ?? {};
    this.staticHeaders = {};
    let urlAuth: string | undefined;
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      urlAuth = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.base = url;
    for (const [name, value] of Object.entries(dest.headers ?? {})) {
      if (!OWN_HEADERS.has(name.toLowerCase())) this.staticHeaders[name.toLowerCase()] = value;
    }
    const tls = dest.tls;
    this.agent = new Agent({
      connections: Math.max(1, dest.concurrency),
      pipelining: 1,
      headersTimeout: dest.timeoutMs,
      bodyTimeout: dest.timeoutMs,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connect: {
        timeout: Math.min(dest.timeoutMs, 10_000),
        ...(tls?.ca !== undefined ? { ca: tls.ca } : {}),
        ...(tls?.cert !== undefined ? { cert: tls.cert } : {}),
        ...(tls?.key !== undefined ? { key: tls.key } : {}),
        ...(tls?.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
        ...(tls?.servername !== undefined ? { servername: tls.servername } : {}),
        ...(tls ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
      },
    });
    this.auth = dest.auth
      ? createAuth(dest.auth, this.agent, dest.timeoutMs, this.authStats)
      : { authorization: async () => urlAuth, invalidate: () => false };
  }

  /** Request target (origin and path) for a message type, or undefined when `paths` has none for it. */
  targetFor(type: string): { origin: string; path: string } | undefined {
    const basePath = this.base.pathname === '/' ? '' : this.base.pathname.replace(/\/+$/, '');
    if (Object.keys(this.paths).length === 0) return { origin: this.base.origin, path: `${this.base.pathname || '/'}${this.base.search}` };
    const p = this.paths[type] ?? this.paths['*'];
    if (p === undefined) return undefined;
    return { origin: this.base.origin, path: `${basePath}${p}${this.base.search}` };
  }

  /** POSTs `bodyJson`; resolves with the outcome (never rejects for the destination failing). */
  async deliver(message: CanonicalMessage, bodyJson: string): Promise<DeliveryOutcome> {
    const target = this.targetFor(message.type);
    if (!target) {
      return { kind: 'dead', code: 'EDIGATE_DESTINATION_NO_PATH', error: `no path is configured for message type "${message.type}" (paths: ${Object.keys(this.paths).join(', ')})` };
    }
    const first = await this.post(target, message, bodyJson);
    if (first.outcome.status === 401 && this.auth.invalidate(first.authorization)) return (await this.post(target, message, bodyJson)).outcome;
    return first.outcome;
  }

  private async post(target: { origin: string; path: string }, message: CanonicalMessage, bodyJson: string): Promise<{ outcome: DeliveryOutcome; authorization?: string }> {
    let authorization: string | undefined;
    try {
      authorization = await this.auth.authorization();
    } catch (err) {
      const code = isGatewayError(err) ? err.code : 'EDIGATE_DELIVERY_AUTH';
      return { outcome: { kind: 'retry', code, error: (err as Error).message } };
    }
    const headers: Record<string, string> = {
      ...this.staticHeaders,
      ...(authorization !== undefined ? { authorization } : {}),
      'content-type': 'application/json',
      'idempotency-key': message.idempotencyKey,
      'x-correlation-id': message.correlationId,
      'x-edigate-message-type': message.type,
    };
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(new DeadlineExceeded(this.timeoutMs)), this.timeoutMs);
    try {
      let res;
      try {
        res = await this.agent.request({ origin: target.origin, path: target.path, method: 'POST', headers, body: bodyJson, signal: controller.signal });
      } catch (err) {
        return { outcome: outcomeForError(controller.signal.aborted ? (controller.signal.reason ?? err) : err, this.timeoutMs), ...(authorization ? { authorization } : {}) };
      }
      let response = '';
      let bodyError: unknown;
      try {
        response = await readCapped(res.body, RESPONSE_LIMIT_BYTES);
      } catch (err) {
        bodyError = controller.signal.aborted ? (controller.signal.reason ?? err) : err;
      }
      // The status line is the destination's answer; a body cut short changes nothing but the note.
      const outcome = outcomeForStatus(res.statusCode, res.headers['retry-after'], response, this.now());
      if (outcome.kind === 'accepted') {
        const location = res.headers.location;
        const loc = Array.isArray(location) ? location[0] : location;
        if (loc) {
          try {
            outcome.statusUrl = new URL(loc, `${target.origin}${target.path}`).toString();
          } catch {
            // an unreadable Location: the delivery waits for the confirm/fail callback
          }
        }
      }
      if (bodyError !== undefined && outcome.kind !== 'delivered' && outcome.kind !== 'accepted') {
        outcome.error = `${outcome.error ?? ''} (response body cut short: ${outcomeForError(bodyError, this.timeoutMs).error ?? ''})`;
      }
      return { outcome, ...(authorization ? { authorization } : {}) };
    } finally {
      clearTimeout(deadline);
    }
  }

  /** GETs an accepted delivery's status URL with the destination's credentials (see pollOutcomeForStatus). */
  async poll(statusUrl: string): Promise<PollOutcome> {
    let url: URL;
    try {
      url = new URL(statusUrl);
    } catch {
      return { kind: 'dead', error: `status URL ${statusUrl} is not a URL` };
    }
    const once = async (): Promise<{ out: PollOutcome; authorization?: string }> => {
      let authorization: string | undefined;
      try {
        authorization = await this.auth.authorization();
      } catch (err) {
        return { out: { kind: 'pending', error: (err as Error).message } };
      }
      try {
        const res = await this.agent.request({
          origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET',
          headers: { ...this.staticHeaders, ...(authorization ? { authorization } : {}), accept: 'application/json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await readCapped(res.body, RESPONSE_LIMIT_BYTES);
        return { out: pollOutcomeForStatus(res.statusCode, text), ...(authorization ? { authorization } : {}) };
      } catch (err) {
        return { out: { kind: 'pending', error: outcomeForError(err, this.timeoutMs).error ?? String(err) } };
      }
    };
    const first = await once();
    if (first.out.status === 401 && this.auth.invalidate(first.authorization)) return (await once()).out;
    return first.out;
  }

  /** Closes the sockets; requests still in flight are aborted. */
  async close(): Promise<void> {
    if (!this.agent.destroyed) await this.agent.destroy();
  }
}

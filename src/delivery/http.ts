/**
 * HTTP delivery to an ERP or WMS API (DESIGN.md "HTTP delivery"): POST of the canonical message as
 * JSON over one keep-alive connection pool per destination (undici Pool).
 *
 * Outcome by answer (RFC 9110 §15 status classes):
 *   2xx, 409                      delivered (409: the destination already has this idempotency key)
 *   408, 425, 429, 5xx            retry, EDIGATE_DELIVERY_HTTP_RETRYABLE, Retry-After honoured (RFC 9110 §10.2.3)
 *   other 1xx/3xx/4xx             dead at once, EDIGATE_DELIVERY_HTTP_STATUS, response body kept
 *   no answer within timeoutMs    retry, EDIGATE_DELIVERY_TIMEOUT
 *   refused, reset, DNS, TLS ...  retry, EDIGATE_DELIVERY_NETWORK
 *   request cannot be built       dead, EDIGATE_DELIVERY_REQUEST_INVALID (e.g. a header value with a newline)
 * The response body is always read to its end (only the first 4 KiB kept) so the socket is reused.
 */
import { Pool } from 'undici';
import type { CanonicalMessage } from '../canonical/envelope.js';
import type { HttpDestinationConfig } from '../config-types.js';
import { parseRetryAfter } from '../queue/backoff.js';
import { RESPONSE_LIMIT_BYTES } from '../queue/embedded.js';
import type { Connector, DeliveryOutcome } from './connector.js';

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
 * Delivers to one HTTP destination. One undici Pool per destination with `concurrency` keep-alive
 * connections; headersTimeout and bodyTimeout are `timeoutMs`, and the whole request (connect,
 * send, headers, body) is also bounded by `timeoutMs`.
 * Request headers: Content-Type: application/json, Idempotency-Key, X-Correlation-Id,
 * X-Edigate-Message-Type, then the configured static headers (which cannot replace these).
 * Credentials in the URL (user:pass@) are sent as Basic authorization.
 */
export class HttpConnector implements Connector {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly staticHeaders: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(dest: HttpDestinationConfig, opts: { now?: () => number } = {}) {
    const url = new URL(dest.url);
    this.path = `${url.pathname || '/'}${url.search}`;
    this.timeoutMs = dest.timeoutMs;
    this.now = opts.now ?? Date.now;
    this.staticHeaders = {};
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      this.staticHeaders.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    for (const [name, value] of Object.entries(dest.headers ?? {})) {
      if (!OWN_HEADERS.has(name.toLowerCase())) this.staticHeaders[name.toLowerCase()] = value;
    }
    this.pool = new Pool(url.origin, {
      connections: Math.max(1, dest.concurrency),
      pipelining: 1,
      headersTimeout: dest.timeoutMs,
      bodyTimeout: dest.timeoutMs,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: Math.min(dest.timeoutMs, 10_000) },
    });
  }

  /** POSTs `bodyJson`; resolves with the outcome (never rejects for the destination failing). */
  async deliver(message: CanonicalMessage, bodyJson: string): Promise<DeliveryOutcome> {
    const headers: Record<string, string> = {
      ...this.staticHeaders,
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
        res = await this.pool.request({ path: this.path, method: 'POST', headers, body: bodyJson, signal: controller.signal });
      } catch (err) {
        return outcomeForError(controller.signal.aborted ? (controller.signal.reason ?? err) : err, this.timeoutMs);
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
      if (bodyError !== undefined && outcome.kind !== 'delivered') {
        outcome.error = `${outcome.error ?? ''} (response body cut short: ${outcomeForError(bodyError, this.timeoutMs).error ?? ''})`;
      }
      return outcome;
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Closes the pool's sockets; requests still in flight are aborted. */
  async close(): Promise<void> {
    if (!this.pool.destroyed) await this.pool.destroy();
  }
}

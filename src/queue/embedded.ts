/**
 * The embedded durable delivery queue, kept in the gateway's own SQLite store (tables `messages`
 * and `deliveries`), so a delivery is enqueued in the same transaction as its message.
 *
 * States of a delivery (`deliveries.state`):
 *   held      enqueued while its interchange trailer is not yet validated (releaseHeld / cancelHeld)
 *   pending   claimable from run_at on; shown as "retrying" once attempts > 0
 *   running   claimed under a lease (locked_until); an expired lease returns it to pending
 *   delivered the destination took it (terminal, kept)
 *   dead      not retryable, or out of attempts (kept until replayed; dead letters never expire)
 *   cancelled its interchange was rejected (terminal, kept)
 * Nothing is ever deleted.
 *
 * Every function is synchronous (better-sqlite3) and takes the Db. The SQL, and the functions that are
 * nothing but SQL (enqueue, release, cancel, recover, replay, list, depth), are in src/store/deliveries.ts
 * and re-exported here, so this module is the queue's whole interface.
 * Times are epoch milliseconds unless named `*At` in a returned row (ISO-8601).
 */
import type { Db } from '../store/db.js';
import type { RetryPolicy } from './retry-policy.js';
import { retryDelayMs } from './backoff.js';
import { claimRows, getDelivery, markDelivered, markFailed, type Delivery } from '../store/deliveries.js';

export {
  DELIVERY_STATUSES,
  cancelHeld,
  deadUnknownDestinations,
  enqueueDelivery,
  getDelivery,
  listDeliveries,
  loadMessageBodies,
  queueDepth,
  recoverAllRunning,
  recoverExpiredLeases,
  releaseHeld,
  releaseUnfinished,
  replay,
} from '../store/deliveries.js';
export type {
  Delivery,
  DeliveryState,
  DeliveryStatus,
  EnqueueDeliveryInput,
  ListDeliveriesOptions,
  QueueDepthRow,
} from '../store/deliveries.js';

/** Response bodies and error texts are kept up to this many bytes of UTF-8 (4 KiB). */
export const RESPONSE_LIMIT_BYTES = 4096;

/**
 * Cuts `text` to at most `limitBytes` bytes of UTF-8 without splitting a character.
 * null/undefined give null.
 */
export function truncateResponse(text: string | null | undefined, limitBytes: number = RESPONSE_LIMIT_BYTES): string | null {
  if (text === null || text === undefined) return null;
  if (text.length * 3 <= limitBytes) return text;
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= limitBytes) return text;
  let end = limitBytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the last character stays whole.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

export interface ClaimOptions {
  /** Epoch ms; rows with run_at <= now are ready. */
  now: number;
  /** Lease length in ms: locked_until = now + leaseMs. */
  leaseMs: number;
  /** Only this destination's rows; every destination when omitted. */
  destination?: string;
  /** Most rows to claim; below 1 claims nothing. */
  limit: number;
}

/**
 * Claims up to `limit` ready deliveries (pending, run_at <= now): state running, attempts + 1,
 * locked_until = now + leaseMs. Returns them ordered by run_at, then id (oldest first). One
 * statement on the (state, run_at) index; expired leases are not looked at here (no OR in the
 * claim), they come back through recoverExpiredLeases.
 */
export function claim(db: Db, opts: ClaimOptions): Delivery[] {
  const limit = Math.floor(opts.limit);
  if (!(limit >= 1)) return [];
  const o: { now: number; lockedUntil: number; limit: number; destination?: string } = {
    now: opts.now,
    lockedUntil: opts.now + opts.leaseMs,
    limit,
  };
  if (opts.destination !== undefined) o.destination = opts.destination;
  return claimRows(db, o);
}

export interface CompleteInput {
  /** HTTP status of the destination's answer, when there is one. */
  status?: number | null;
  /** Response body (or, for a folder, the file name); kept truncated to RESPONSE_LIMIT_BYTES. */
  response?: string | null;
  now: number;
}

/**
 * Marks a claimed delivery delivered (one statement). Returns false, changing nothing, when the
 * row is neither running nor pending any more (cancelled, already delivered, unknown id).
 */
export function complete(db: Db, id: number, input: CompleteInput): boolean {
  return markDelivered(db, id, { status: input.status ?? null, response: truncateResponse(input.response), now: input.now });
}

export interface FailInput {
  /** What went wrong, in words (kept truncated). */
  error: string;
  /** Stable error code (errors.ts), e.g. EDIGATE_DELIVERY_HTTP_RETRYABLE. */
  code?: string | null;
  status?: number | null;
  response?: string | null;
  /** False sends the delivery to the dead letters at once (e.g. an HTTP 400). */
  retryable: boolean;
  /** The destination's Retry-After, as a wait in ms from `now`. */
  retryAfterMs?: number | undefined;
  now: number;
  policy: RetryPolicy;
  /** Random source for the jitter, [0, 1). Default Math.random. */
  random?: () => number;
}

export interface FailResult {
  state: 'pending' | 'dead';
  /** Attempts made, this one included. */
  attempts: number;
  maxAttempts: number;
  /** Next attempt time (epoch ms) when pending; `now` when dead. */
  runAt: number;
  /** Wait before the next attempt in ms (0 when dead). */
  delayMs: number;
}

/**
 * Records a failed attempt of a running delivery. Dead when `retryable` is false or the row's
 * attempts >= its max_attempts (set at enqueue from the destination's policy); otherwise pending
 * again at now + max(backoff, Retry-After): exponential backoff with jitter, capped at
 * policy.maxBackoffMs (backoff.ts nextDelayMs), and the destination's Retry-After (RFC 9110
 * §10.2.3) honoured up to max(1 h, policy.maxBackoffMs). Error and response are kept truncated
 * to 4 KiB. Returns undefined, changing nothing, when the row is not running (unknown id, or its
 * lease was taken back meanwhile).
 */
export function fail(db: Db, id: number, input: FailInput): FailResult | undefined {
  return db.transaction((): FailResult | undefined => {
    const row = getDelivery(db, id);
    if (!row || row.state !== 'running') return undefined;
    const dead = !input.retryable || row.attempts >= row.maxAttempts;
    const delayMs = dead ? 0 : retryDelayMs(input.policy, row.attempts, input.retryAfterMs, input.random);
    const runAt = input.now + delayMs;
    const state = dead ? 'dead' : 'pending';
    markFailed(db, id, {
      state,
      runAt,
      error: truncateResponse(input.error),
      code: input.code ?? null,
      status: input.status ?? null,
      response: truncateResponse(input.response),
      now: input.now,
    });
    return { state, attempts: row.attempts, maxAttempts: row.maxAttempts, runAt, delayMs };
  })();
}

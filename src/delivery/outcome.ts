/**
 * Recording an attempt's outcome in the store, the system of record of every delivery's state: the
 * same for both queue backends (the embedded workers and the BullMQ workers call it).
 */
import type { DestinationConfig } from '../config-types.js';
import type { Db } from '../store/db.js';
import { markAccepted } from '../store/deliveries.js';
import { complete, fail, truncateResponse, type Delivery, type FailResult } from '../queue/embedded.js';
import type { DeliveryOutcome } from './connector.js';

/** What happened to the row: the event to emit, or `stale` when the row was no longer running. */
export type RecordedOutcome =
  | { kind: 'delivered' }
  | { kind: 'accepted'; statusUrl: string | null }
  | { kind: 'retry'; result: FailResult }
  | { kind: 'dead'; result: FailResult }
  | { kind: 'stale' };

/**
 * Writes the outcome of one attempt of the running delivery `row` to `dest`:
 * delivered -> delivered; accepted (HTTP 202) -> accepted, its Location polled every
 * dest.statusPollMs (default 10 s); retry -> pending at now + backoff (or dead when out of attempts);
 * dead -> dead at once. Responses are kept truncated to 4 KiB. One short statement each.
 */
export function recordOutcome(db: Db, row: Delivery, dest: DestinationConfig, outcome: DeliveryOutcome, now: number): RecordedOutcome {
  if (outcome.kind === 'delivered') {
    return complete(db, row.id, { status: outcome.status ?? null, response: outcome.response ?? null, now }) ? { kind: 'delivered' } : { kind: 'stale' };
  }
  if (outcome.kind === 'accepted') {
    const statusUrl = outcome.statusUrl ?? null;
    const pollMs = dest.kind === 'http' ? (dest.statusPollMs ?? 10_000) : 10_000;
    const ok = markAccepted(db, row.id, {
      status: outcome.status ?? 202,
      response: truncateResponse(outcome.response ?? null),
      statusUrl,
      nextPollAt: statusUrl ? now + pollMs : null,
      now,
    });
    return ok ? { kind: 'accepted', statusUrl } : { kind: 'stale' };
  }
  const result = fail(db, row.id, {
    error: outcome.error ?? outcome.code ?? 'delivery failed',
    code: outcome.code ?? null,
    status: outcome.status ?? null,
    response: outcome.response ?? null,
    retryable: outcome.kind === 'retry',
    retryAfterMs: outcome.retryAfterMs,
    now,
    policy: dest.retry,
  });
  if (!result) return { kind: 'stale' };
  return result.state === 'dead' ? { kind: 'dead', result } : { kind: 'retry', result };
}

/** True when the outcome says the destination itself is failing (counts against its circuit breaker). */
export function isDestinationFailure(outcome: DeliveryOutcome): boolean {
  return outcome.kind === 'retry';
}

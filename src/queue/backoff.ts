/**
 * Backoff between delivery attempts: exponential growth with jitter, capped, and the server's
 * own `Retry-After` hint. A small module of its own so the rule is read and tested in one place.
 */
import type { RetryPolicy } from './retry-policy.js';

/**
 * Longest wait a `Retry-After` header may impose, in milliseconds (1 hour), unless the policy's
 * `maxBackoffMs` is larger. A destination asking for a day is retried after the cap instead of
 * leaving the delivery parked out of sight; it still counts as an attempt.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Delay before the next attempt, in milliseconds (an integer >= 0).
 *
 * `attempt` is the number of attempts already made (1 after the first failure). The base delay is
 * `initialBackoffMs * multiplier^(attempt - 1)`, capped at `maxBackoffMs`; then a uniform jitter of
 * +/- `jitter` (a fraction) of it is applied, and the result is capped at `maxBackoffMs` again, so no
 * delay ever exceeds the cap. `random` returns a number in [0, 1) (injectable for tests).
 */
export function nextDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const n = Number.isFinite(attempt) && attempt >= 1 ? Math.floor(attempt) : 1;
  const cap = Math.max(0, policy.maxBackoffMs);
  const base = Math.min(policy.initialBackoffMs * Math.pow(policy.multiplier, n - 1), cap);
  const jitter = Math.min(Math.max(policy.jitter, 0), 1);
  const r = random();
  const factor = 1 + jitter * (2 * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5) - 1);
  const delay = Math.min(Math.max(base * factor, 0), cap);
  return Number.isFinite(delay) ? Math.round(delay) : cap;
}

/**
 * Parses an HTTP `Retry-After` header value into a wait in milliseconds from `now` (epoch ms).
 *
 * Rule source: RFC 9110 §10.2.3 Retry-After = HTTP-date / delay-seconds. Accepts delay-seconds
 * (`120`) and an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`, also the obsolete RFC 850 and asctime
 * forms as far as `Date.parse` reads them). A date in the past gives 0. Returns `undefined` when the
 * header is missing or unreadable. An array (repeated header) is read by its first value.
 */
export function parseRetryAfter(header: string | string[] | null | undefined, now: number): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw === null) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  // An HTTP-date always names a weekday or month in letters; a bare number with a sign or a
  // fraction is not valid delay-seconds and is ignored rather than guessed at.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Wait before the next attempt, in milliseconds: the larger of the policy's backoff for `attempt`
 * (see nextDelayMs) and the destination's `Retry-After` wait, the latter capped at
 * max(`MAX_RETRY_AFTER_MS`, `policy.maxBackoffMs`).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const backoff = nextDelayMs(policy, attempt, random);
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return backoff;
  const cap = Math.max(MAX_RETRY_AFTER_MS, policy.maxBackoffMs);
  return Math.max(backoff, Math.round(Math.min(retryAfterMs, cap)));
}

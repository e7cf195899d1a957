/**
 * Retry policy of a destination: one documented object, validated once at start (src/config.ts).
 * Defaults: 8 attempts, first retry after 1 s, doubling, capped at 5 min, 20 % jitter.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (>= 1). Default 8. */
  maxAttempts: number;
  /** Delay before the first retry, in milliseconds. Default 1000. */
  initialBackoffMs: number;
  /** Upper bound of any delay, in milliseconds. Default 300000 (5 min). */
  maxBackoffMs: number;
  /** Growth factor between retries. Default 2. */
  multiplier: number;
  /** Fraction of the delay drawn at random, 0..1 (0.2 = +/-20 %). Default 0.2. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 8,
  initialBackoffMs: 1000,
  maxBackoffMs: 300_000,
  multiplier: 2,
  jitter: 0.2,
});

/** JSON Schema of a retry policy object in edigate.yaml (every field optional; unset fields take the defaults). */
export const RETRY_POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 1000 },
    initialBackoffMs: { type: 'integer', minimum: 0 },
    maxBackoffMs: { type: 'integer', minimum: 0 },
    multiplier: { type: 'number', minimum: 1, maximum: 10 },
    jitter: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

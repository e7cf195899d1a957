import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, nextDelayMs, parseRetryAfter, retryDelayMs } from '../../src/queue/backoff.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/queue/retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 8, initialBackoffMs: 1000, maxBackoffMs: 60_000, multiplier: 2, jitter: 0.2 };

describe('nextDelayMs', () => {
  it('doubles from the initial delay without jitter at the midpoint', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((a) => nextDelayMs(policy, a, mid))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('stays within +/- jitter of the exponential base', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const base = 1000 * 2 ** (attempt - 1);
      for (let i = 0; i < 200; i++) {
        const d = nextDelayMs(policy, attempt);
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(d).toBeLessThanOrEqual(Math.ceil(base * 1.2));
      }
      expect(nextDelayMs(policy, attempt, () => 0)).toBe(Math.round(base * 0.8));
      expect(nextDelayMs(policy, attempt, () => 0.999999)).toBe(Math.round(base * (1 + 0.2 * (2 * 0.999999 - 1))));
    }
  });

  it('is capped at maxBackoffMs, jitter included, even for huge attempt numbers', () => {
    expect(nextDelayMs(policy, 7, () => 0.5)).toBe(60_000);
    expect(nextDelayMs(policy, 7, () => 0.99)).toBe(60_000);
    expect(nextDelayMs(policy, 7, () => 0)).toBe(48_000);
    expect(nextDelayMs(policy, 10_000, () => 0.5)).toBe(60_000);
    expect(nextDelayMs(DEFAULT_RETRY_POLICY, 50)).toBeLessThanOrEqual(300_000);
  });

  it('treats attempt < 1 as the first retry and handles zero jitter', () => {
    expect(nextDelayMs(policy, 0, () => 0.5)).toBe(1000);
    expect(nextDelayMs({ ...policy, jitter: 0 }, 3, () => 0)).toBe(4000);
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP-date (IMF-fixdate) relative to now, past dates as 0', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
  });

  it('ignores what is not delay-seconds or a date', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['2', '9'], now)).toBe(2000);
  });
});

describe('retryDelayMs', () => {
  it('takes the larger of backoff and Retry-After', () => {
    expect(retryDelayMs(policy, 1, 5000, () => 0.5)).toBe(5000);
    expect(retryDelayMs(policy, 4, 1000, () => 0.5)).toBe(8000);
    expect(retryDelayMs(policy, 1, undefined, () => 0.5)).toBe(1000);
  });

  it('honours Retry-After beyond maxBackoffMs, up to one hour', () => {
    const small = { ...policy, maxBackoffMs: 200 };
    expect(retryDelayMs(small, 1, 1000, () => 0.5)).toBe(1000);
    expect(retryDelayMs(small, 1, 86_400_000, () => 0.5)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelayMs({ ...policy, maxBackoffMs: 7_200_000 }, 1, 86_400_000, () => 0.5)).toBe(7_200_000);
  });
});

/**
 * Flow limits of one destination inside one process: a request-rate limiter and a circuit breaker.
 * Both queue backends use them around each attempt; concurrency is the lane's (embedded) or the
 * BullMQ worker's and queue's (global concurrency).
 */

/**
 * Requests per second as an even spacing: one start every 1000 / rate ms, so any window of one second
 * sees at most ceil(rate) starts (+1 at its edge). A rate of null never limits.
 */
export class RateLimiter {
  private readonly spacingMs: number;
  private nextAt = 0;

  constructor(rate: number | null) {
    this.spacingMs = rate && rate > 0 ? 1000 / rate : 0;
  }

  /** True when a request may start at `now` (epoch ms); it then takes the slot. */
  tryTake(now: number): boolean {
    if (this.spacingMs === 0) return true;
    if (now < this.nextAt) return false;
    this.nextAt = Math.max(now, this.nextAt) + this.spacingMs;
    return true;
  }

  /** Earliest time (epoch ms) the next request may start. */
  get readyAt(): number {
    return this.nextAt;
  }
}

/** closed: calls go through; open: none until the cool-down ends; half-open: one probe at a time. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Circuit breaker (M. Nygard, "Release It!", Circuit Breaker pattern): opens after
 * `failureThreshold` consecutive failed attempts (retryable outcomes: 5xx, 429, timeouts, connection
 * errors), stays open for `cooldownMs`, then lets one probe through (half-open): a success closes
 * it, a failure opens it again for another cool-down. A threshold of 0 never opens.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedUntil = 0;
  private probing = false;
  private stateNow: CircuitState = 'closed';

  constructor(
    private readonly failureThreshold: number,
    private readonly cooldownMs: number,
  ) {}

  /** State at `now` (open turns half-open once the cool-down has passed). */
  state(now: number): CircuitState {
    if (this.stateNow === 'open' && now >= this.openedUntil) this.stateNow = 'half-open';
    return this.stateNow;
  }

  /** True when an attempt may start at `now`; in half-open it takes the single probe slot. */
  tryAcquire(now: number): boolean {
    const s = this.state(now);
    if (s === 'closed') return true;
    if (s === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** When the circuit lets a call through again (epoch ms): now when closed, the cool-down's end when open. */
  retryAt(now: number): number {
    return this.state(now) === 'open' ? this.openedUntil : now;
  }

  /** Records a finished attempt: `ok` for a destination that answered sensibly (delivered, accepted, or a 4xx dead letter). */
  record(ok: boolean, now: number): void {
    this.probing = false;
    if (ok) {
      this.failures = 0;
      this.stateNow = 'closed';
      return;
    }
    this.failures++;
    if (this.failureThreshold > 0 && (this.stateNow === 'half-open' || this.failures >= this.failureThreshold)) {
      this.stateNow = 'open';
      this.openedUntil = now + this.cooldownMs;
    }
  }

  /** Gives back a probe slot taken by tryAcquire when no attempt was made after all. */
  release(): void {
    this.probing = false;
  }

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }
}

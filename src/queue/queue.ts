/**
 * The delivery queue as the rest of the gateway sees it, whichever backend runs it.
 *
 * The SQLite store stays the system of record of every delivery's state on both backends: enqueue
 * (held, inside the pipeline's transaction), release, complete, fail with backoff, dead, replay,
 * dismiss, confirm and fail of accepted deliveries are statements in src/store/deliveries.ts and
 * src/queue/embedded.ts, so the ops API reads one table. A backend decides only how ready
 * deliveries reach a worker and in which order:
 *   - embedded (default): workers in this process claim rows from SQLite under a lease
 *     (src/delivery/workers.ts);
 *   - bullmq (EDIGATE_REDIS_URL set): a relay pushes released rows to Redis as BullMQ jobs (job id =
 *     delivery id) and BullMQ workers, in this process and in `edigate workers` processes, claim the
 *     row named by each job (src/queue/bullmq.ts).
 * Both apply the same rules: lanes (priority), ordering keys, retry policy with backoff, jitter and
 * Retry-After, per-destination concurrency, rate limit and circuit breaker, 202 acceptance.
 */
import type { DeliveryEvent, DeliveryEventName } from '../delivery/workers.js';

export type { DeliveryEvent, DeliveryEventName } from '../delivery/workers.js';

/** Which backend moves deliveries to the workers. */
export type QueueBackend = 'embedded' | 'bullmq';

export interface DeliveryQueue {
  readonly backend: QueueBackend;
  /** Starts the workers (and, for BullMQ, the relay to Redis). Resolves once they run. */
  start(): Promise<void> | void;
  /** Deliveries were released or replayed: look for work now. Cheap; calls coalesce. */
  kick(): void;
  /**
   * Stops taking deliveries, lets those in flight finish (bounded by the destination timeouts) and
   * returns the unfinished ones to pending; leaves nothing running. Resolves when done.
   */
  stop(): Promise<void>;
  /** Deliveries in flight in this process. */
  readonly inFlight: number;
  on(event: DeliveryEventName, listener: (e: DeliveryEvent) => void): unknown;
  off(event: DeliveryEventName, listener: (e: DeliveryEvent) => void): unknown;
}

/**
 * Delivery workers: take deliveries from the embedded queue and hand them to the connectors.
 *
 * One lane per configured destination keeps up to `concurrency` deliveries in flight. A lane with
 * free slots claims a batch of ready rows (one statement), loads their message bodies (one
 * statement), calls the connector for each, then completes or fails each in one short statement.
 * Claims triggered in the same turn of the event loop are coalesced into one, so a burst of
 * completions becomes one batch claim. The workers wake up at once on kick() (after an enqueue),
 * when a retry comes due, and otherwise every `pollMs`. Expired leases are taken back periodically.
 *
 * A lane whose last claim came back short (nothing more ready) is idle: completions on other lanes
 * do not make it claim again, only kick(), a due retry or the poll do. An empty claim walks every
 * ready row of the other destinations on the (state, run_at) index, so this keeps a busy lane's
 * backlog from being rescanned for an idle lane after every delivery.
 *
 * Flow limits per lane (src/delivery/limits.ts): requests per second (one claim per free slot of the
 * limiter) and a circuit breaker (no claim while open; one probe when half-open). The claim takes the
 * highest lane first and skips deliveries held back by an earlier one with the same ordering key
 * (src/store/deliveries.ts claimRows). A 202 answer leaves the delivery `accepted`; its Location is
 * polled (src/delivery/status-poller.ts).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { DestinationConfig } from '../config-types.js';
import type { Db } from '../store/db.js';
import {
  claim,
  deadUnknownDestinations,
  loadMessageBodies,
  recoverAllRunning,
  recoverExpiredLeases,
  releaseUnfinished,
  type Delivery,
} from '../queue/embedded.js';
import { createConnector, type Connector, type DeliveryOutcome } from './connector.js';
import { CircuitBreaker, RateLimiter } from './limits.js';
import { limitsOfConfig } from './destinations.js';
import { isDestinationFailure, recordOutcome } from './outcome.js';
import { StatusPoller } from './status-poller.js';
import { attemptDelivery } from './attempt.js';

/** What listeners of 'delivered', 'retry' and 'dead' receive. */
export interface DeliveryEvent {
  id: number;
  messageId: string;
  destination: string;
  partnerId: string | null;
  interchangeId: number | null;
  messageType: string;
  /** Attempts made so far, this one included. */
  attempts: number;
  status?: number;
  error?: string;
  code?: string;
  /** For 'retry': when the next attempt is due (epoch ms). */
  runAt?: number;
  /** Time the connector took, in ms (absent for rows dead-lettered without an attempt). */
  durationMs?: number;
}

export interface DeliveryWorkersOptions {
  db: Db;
  destinations: Record<string, DestinationConfig>;
  logger: Logger;
  /** Poll interval when idle, in ms. */
  pollMs: number;
  /**
   * Lease of a claimed delivery, in ms. An HTTP lane uses at least its timeoutMs + 5 s, so a slow
   * but live request is never taken back under it.
   */
  leaseMs: number;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
  /** Connectors by destination name, instead of createConnector(config). */
  connectors?: Record<string, Connector>;
  /** How often expired leases are taken back and unknown destinations dead-lettered, in ms. Default min(leaseMs / 2, 30000), at least 100. */
  reapIntervalMs?: number;
  /** Return every running delivery to pending at start() (crash recovery; single-writer process). Default true. */
  recoverOnStart?: boolean;
  /** How long stop() waits for a directory lane's in-flight writes, in ms. Default 10000. */
  directoryStopWaitMs?: number;
}

/** One delivery in flight. */
interface Task {
  lane: Lane;
  row: Delivery;
  /** Handed back to the queue by stop(): its late result is dropped (the store may be closed). */
  abandoned: boolean;
  done: Promise<void>;
}

interface Lane {
  name: string;
  config: DestinationConfig;
  connector: Connector;
  inFlight: number;
  leaseMs: number;
  /** The last claim found fewer rows than free slots: claim again only on a full pump. */
  idle: boolean;
  limiter: RateLimiter;
  breaker: CircuitBreaker;
}

/** Events of the delivery workers of either backend. */
export type DeliveryEventName = 'delivered' | 'retry' | 'dead' | 'accepted';

export interface DeliveryWorkers {
  on(event: DeliveryEventName, listener: (e: DeliveryEvent) => void): this;
  once(event: DeliveryEventName, listener: (e: DeliveryEvent) => void): this;
  off(event: DeliveryEventName, listener: (e: DeliveryEvent) => void): this;
  emit(event: DeliveryEventName, e: DeliveryEvent): boolean;
}

/**
 * The delivery worker pool of one gateway process. Emits 'delivered', 'retry' and 'dead' with a
 * DeliveryEvent after the row is updated. Never emits 'error': store and connector faults are logged
 * and the delivery comes back through its lease.
 */
export class DeliveryWorkers extends EventEmitter {
  /** The queue backend these workers serve (src/queue/queue.ts). */
  readonly backend = 'embedded' as const;
  private readonly db: Db;
  private readonly destinations: Record<string, DestinationConfig>;
  private readonly logger: Logger;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly injected: Record<string, Connector> | undefined;
  private readonly reapIntervalMs: number;
  private readonly recoverOnStart: boolean;
  private readonly directoryStopWaitMs: number;

  private lanes: Lane[] = [];
  private running = false;
  private pumpQueued = false;
  /** The queued pump claims for idle lanes too (kick, timer, reap). */
  private pumpAll = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private reapTimer: NodeJS.Timeout | undefined;
  /** Deliveries in flight. */
  private readonly tasks = new Set<Task>();
  /** Set while stop() is waiting for the deliveries in flight. */
  private stopping: Promise<void> | undefined;
  private poller: StatusPoller | undefined;

  constructor(opts: DeliveryWorkersOptions) {
    super();
    this.db = opts.db;
    this.destinations = opts.destinations;
    this.logger = opts.logger;
    this.pollMs = Math.max(1, opts.pollMs);
    this.leaseMs = Math.max(1, opts.leaseMs);
    this.now = opts.now ?? Date.now;
    this.injected = opts.connectors;
    this.reapIntervalMs = opts.reapIntervalMs ?? Math.max(100, Math.min(this.leaseMs / 2, 30_000));
    this.recoverOnStart = opts.recoverOnStart ?? true;
    this.directoryStopWaitMs = opts.directoryStopWaitMs ?? 10_000;
  }

  /** Deliveries in flight now, all lanes together. */
  get inFlight(): number {
    return this.tasks.size;
  }

  /**
   * Starts claiming: creates the connectors, returns running rows to pending (recoverOnStart),
   * dead-letters ready rows of unknown destinations, then claims at once. Calling it twice is harmless.
   */
  start(): void {
    if (this.running) return;
    if (this.stopping) throw new Error('DeliveryWorkers.start() called while stop() is still running; await stop() first');
    this.running = true;
    this.lanes = Object.entries(this.destinations).map(([name, config]) => {
      const limits = limitsOfConfig(config);
      return {
        name,
        config,
        connector: this.injected?.[name] ?? createConnector(config),
        inFlight: 0,
        idle: false,
        leaseMs: config.kind === 'http' ? Math.max(this.leaseMs, config.timeoutMs + 5_000) : this.leaseMs,
        limiter: new RateLimiter(limits.rateLimit),
        breaker: new CircuitBreaker(limits.circuitBreaker.failureThreshold, limits.circuitBreaker.cooldownMs),
      };
    });
    this.poller = new StatusPoller({
      db: this.db, destinations: this.destinations, logger: this.logger, tickMs: Math.max(20, Math.min(this.pollMs, 1000)),
      connectors: () => new Map(this.lanes.map((l) => [l.name, l.connector])),
      onSettled: () => this.kick(),
    });
    this.poller.start();
    if (this.recoverOnStart) {
      try {
        const n = recoverAllRunning(this.db, this.now());
        if (n > 0) this.logger.info({ count: n }, 'deliveries left running by the previous process returned to the queue');
      } catch (err) {
        this.logger.error({ err }, 'cannot return running deliveries to the queue');
      }
    }
    this.reap();
    this.reapTimer = setInterval(() => this.reap(), this.reapIntervalMs);
    this.kick();
  }

  /** Wakes the workers now (call after an enqueue or a release). Cheap; calls in one turn coalesce. */
  kick(): void {
    this.schedule(true);
  }

  /** Queues one pump for the next turn of the event loop; `all` includes idle lanes. */
  private schedule(all: boolean): void {
    if (!this.running) return;
    if (all) this.pumpAll = true;
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      const everyLane = this.pumpAll;
      this.pumpAll = false;
      this.pump(everyLane);
    });
  }

  /**
   * Stops claiming, waits for the deliveries in flight (at most the longest destination timeoutMs;
   * directoryStopWaitMs for folders), returns any still unfinished to pending (their attempt not
   * counted), then closes the connectors. Nothing is left running. Resolves when done.
   */
  async stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (!this.running) return;
    this.running = false;
    this.stopping = this.drain().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.reapTimer) clearInterval(this.reapTimer);
    this.reapTimer = undefined;
    this.poller?.stop();
    this.poller = undefined;

    if (this.tasks.size > 0) {
      const waitMs = Math.max(0, ...this.lanes.map((l) => (l.config.kind === 'http' ? l.config.timeoutMs : this.directoryStopWaitMs)));
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.tasks].map((t) => t.done)),
        new Promise<void>((resolve) => {
          bound = setTimeout(resolve, waitMs);
        }),
      ]);
      if (bound) clearTimeout(bound);
    }
    const unfinished = [...this.tasks].map((t) => {
      t.abandoned = true;
      return t.row.id;
    });
    if (unfinished.length > 0) {
      try {
        const n = releaseUnfinished(this.db, unfinished, this.now());
        this.logger.warn({ count: n }, 'unfinished deliveries returned to the queue at stop');
      } catch (err) {
        this.logger.error({ err }, 'cannot return unfinished deliveries to the queue; their leases will expire');
      }
    }
    const lanes = this.lanes;
    this.lanes = [];
    await Promise.allSettled(lanes.map((l) => (this.injected?.[l.name] ? Promise.resolve() : (l.connector.close?.() ?? Promise.resolve()))));
  }

  /**
   * Claims for every lane with free slots (idle lanes only when `all`) and starts the deliveries;
   * then arms the next wake-up.
   */
  private pump(all: boolean): void {
    if (!this.running) return;
    const now = this.now();
    for (const lane of this.lanes) {
      let free = lane.config.concurrency - lane.inFlight;
      if (free <= 0 || (lane.idle && !all)) continue;
      // Circuit breaker: nothing while open; a single probe when half-open.
      const circuit = lane.breaker.state(now);
      if (circuit === 'open') {
        this.wakeAt(lane.breaker.retryAt(now));
        continue;
      }
      let probe = false;
      if (circuit === 'half-open') {
        if (!lane.breaker.tryAcquire(now)) continue;
        probe = true;
        free = 1;
      }
      // Rate limit: one start per slot of the limiter.
      const limited = limitsOfConfig(lane.config).rateLimit !== null;
      if (limited) {
        if (!lane.limiter.tryTake(now)) {
          if (probe) lane.breaker.release();
          this.wakeAt(lane.limiter.readyAt);
          continue;
        }
        free = 1;
      }
      let rows: Delivery[];
      let bodies: Map<string, string>;
      try {
        rows = claim(this.db, { now, leaseMs: lane.leaseMs, destination: lane.name, limit: free });
        lane.idle = rows.length < free && !limited;
        if (rows.length === 0) {
          if (probe) lane.breaker.release();
          continue;
        }
        if (limited) this.wakeAt(lane.limiter.readyAt);
      } catch (err) {
        if (probe) lane.breaker.release();
        this.logger.error({ err, destination: lane.name }, 'delivery claim failed; retrying at the next poll');
        continue;
      }
      try {
        bodies = loadMessageBodies(
          this.db,
          rows.map((r) => r.messageId),
        );
      } catch (err) {
        this.logger.error({ err, destination: lane.name }, 'cannot load message bodies; claimed deliveries go back to the queue');
        try {
          releaseUnfinished(
            this.db,
            rows.map((r) => r.id),
            now,
          );
        } catch {
          // their leases will expire
        }
        continue;
      }
      for (const row of rows) this.startTask(lane, row, bodies.get(row.messageId));
    }
    this.wakeAt(now + this.pollMs);
  }

  /** Arms the single wake-up timer for `at` (epoch ms of this.now) unless an earlier one is armed. */
  private wakeAt(at: number): void {
    if (!this.running) return;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump(true);
      },
      Math.max(0, at - this.now()),
    );
  }

  private reap(): void {
    if (!this.running) return;
    const now = this.now();
    try {
      const n = recoverExpiredLeases(this.db, now);
      if (n > 0) {
        this.logger.warn({ count: n }, 'deliveries with an expired lease returned to the queue');
        this.kick();
      }
      for (const row of deadUnknownDestinations(
        this.db,
        this.lanes.map((l) => l.name),
        now,
      )) {
        this.logger.warn({ deliveryId: row.id, destination: row.destination }, 'delivery names an unknown destination: dead');
        this.emit('dead', this.event(row, { error: row.lastError ?? undefined, code: row.lastErrorCode ?? undefined }));
      }
    } catch (err) {
      this.logger.error({ err }, 'delivery lease recovery failed');
    }
  }

  private startTask(lane: Lane, row: Delivery, body: string | undefined): void {
    lane.inFlight++;
    const task: Task = { lane, row, abandoned: false, done: Promise.resolve() };
    task.done = this.run(task, body)
      .catch((err: unknown) => this.logger.error({ err, deliveryId: row.id }, 'delivery bookkeeping failed; the lease will return it'))
      .finally(() => {
        lane.inFlight--;
        this.tasks.delete(task);
        this.schedule(false);
      });
    this.tasks.add(task);
  }

  private async run(task: Task, body: string | undefined): Promise<void> {
    const started = Date.now();
    const outcome = await this.attempt(task.lane, task.row, body);
    const durationMs = Date.now() - started;
    if (task.abandoned) return; // handed back to the queue by stop(); the store may be closed
    this.settle(task.lane, task.row, outcome, durationMs);
  }

  /** One attempt: the stored body parsed and handed to the lane's connector. */
  private attempt(lane: Lane, row: Delivery, body: string | undefined): Promise<DeliveryOutcome> {
    return attemptDelivery(lane.connector, row, body);
  }

  private settle(lane: Lane, row: Delivery, outcome: DeliveryOutcome, durationMs: number): void {
    const now = this.now();
    lane.breaker.record(!isDestinationFailure(outcome), now);
    const log = { deliveryId: row.id, messageId: row.messageId, destination: lane.name, attempts: row.attempts, status: outcome.status };
    const recorded = recordOutcome(this.db, row, lane.config, outcome, now);
    const detail = { status: outcome.status, error: outcome.error, code: outcome.code, durationMs };
    switch (recorded.kind) {
      case 'stale':
        this.logger.warn(log, `attempt ended (${outcome.kind}), but the delivery was no longer claimed (cancelled or taken back)`);
        return;
      case 'delivered':
        this.logger.debug({ ...log, durationMs }, 'delivered');
        this.emit('delivered', this.event(row, { status: outcome.status, durationMs }));
        return;
      case 'accepted':
        this.logger.info({ ...log, statusUrl: recorded.statusUrl }, 'accepted by the destination for later processing');
        this.emit('accepted', this.event(row, { status: outcome.status, durationMs }));
        return;
      case 'dead':
        this.logger.warn({ ...log, code: outcome.code, error: outcome.error }, 'delivery dead');
        this.emit('dead', this.event(row, detail));
        return;
      case 'retry':
        this.logger.info({ ...log, code: outcome.code, error: outcome.error, runAt: recorded.result.runAt }, 'delivery will be retried');
        this.emit('retry', this.event(row, { ...detail, runAt: recorded.result.runAt }));
        this.wakeAt(lane.breaker.state(now) === 'open' ? Math.max(recorded.result.runAt, lane.breaker.retryAt(now)) : recorded.result.runAt);
        return;
    }
  }

  private event(row: Delivery, extra: Partial<DeliveryEvent>): DeliveryEvent {
    const e: DeliveryEvent = {
      id: row.id,
      messageId: row.messageId,
      destination: row.destination,
      partnerId: row.partnerId,
      interchangeId: row.interchangeId,
      messageType: row.messageType,
      attempts: row.attempts,
    };
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
    return e;
  }
}

/**
 * The BullMQ backend of the delivery queue (EDIGATE_REDIS_URL set): deliveries are dispatched through
 * Redis so several processes (the gateway and `edigate workers`) share the delivery work, while the
 * SQLite store stays the system of record of every delivery's state.
 *
 * One BullMQ queue per destination, `delivery-<destination>` under the key prefix (default
 * `edigate`). Parts, in every process:
 *   - relay (outbox pattern): pending rows not yet in Redis (pushed_at IS NULL: just released,
 *     replayed, or returned from an expired lease) are added as jobs, job id `d-<delivery id>`, with
 *     the row's lane as BullMQ priority and its run_at as delay; then marked pushed. Adding a job id
 *     that exists is a no-op in BullMQ, so a second relay or a re-push after a crash is harmless. A
 *     sweep re-pushes pending rows overdue by more than `sweepGraceMs` (a job lost with Redis).
 *   - lease reaper: running rows whose lease expired (their worker died) go back to pending.
 *   - workers: a BullMQ Worker per destination (concurrency = the destination's; the queue's global
 *     concurrency too, so all processes together keep that limit; rate limit as the BullMQ limiter,
 *     one job per 1000/rate ms across processes). Each job claims its row in SQLite (claimOne: due,
 *     not held back by its ordering key) and runs the attempt; a retry is the same job moved to
 *     BullMQ's delayed set until the row's run_at (DelayedError), a row not claimable yet likewise.
 *     Circuit breaker per process: while open, jobs are delayed until the cool-down ends.
 * Jobs are removed from Redis when finished; the row keeps the history.
 *
 * Limits: every process opens the same SQLite file, so all of them run on the machine holding the
 * store (WAL, busy_timeout 5 s); Redis spreads the work, not the store.
 */
import { EventEmitter } from 'node:events';
import { Queue, Worker, DelayedError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DestinationConfig } from '../config-types.js';
import type { Db } from '../store/db.js';
import {
  claimOne,
  deadUnknownDestinations,
  getDelivery,
  loadMessageBodies,
  markPushed,
  overduePending,
  recoverExpiredLeases,
  unpushedPending,
  whyNotClaimable,
  type Delivery,
} from '../store/deliveries.js';
import { createConnector, type Connector } from '../delivery/connector.js';
import { attemptDelivery } from '../delivery/attempt.js';
import { isDestinationFailure, recordOutcome } from '../delivery/outcome.js';
import { CircuitBreaker } from '../delivery/limits.js';
import { limitsOfConfig } from '../delivery/destinations.js';
import { StatusPoller } from '../delivery/status-poller.js';
import type { DeliveryEvent, DeliveryEventName } from '../delivery/workers.js';
import type { DeliveryQueue } from './queue.js';
import { GatewayError } from '../errors.js';

export interface BullMqQueueOptions {
  db: Db;
  destinations: Record<string, DestinationConfig>;
  logger: Logger;
  /** redis://host:port/db */
  redisUrl: string;
  /** Key prefix of every BullMQ key. Default 'edigate'. */
  prefix?: string;
  /** Run BullMQ workers in this process. Default true. */
  workers?: boolean;
  /** Lease of a claimed row, in ms (an HTTP destination uses at least its timeoutMs + 5 s). */
  leaseMs: number;
  /** How often the relay looks for unpushed rows without a kick, and expired leases are reaped, in ms. */
  pollMs: number;
  /** Re-push pending rows overdue by more than this, in ms. Default 5000. */
  sweepGraceMs?: number;
  /** Delay of a job held back by an earlier delivery with the same ordering key, in ms. Default 250. */
  blockedRetryMs?: number;
  /** BullMQ lock of an active job, in ms (renewed while it runs; a dead process's job stalls after it). Default 10000. */
  lockDurationMs?: number;
}

interface Lane {
  name: string;
  config: DestinationConfig;
  queue: Queue;
  worker?: Worker;
  connector?: Connector;
  breaker: CircuitBreaker;
  leaseMs: number;
}

/** Job id of a delivery: `d-<id>` (BullMQ refuses integer-looking custom ids). */
export function jobIdOf(deliveryId: number): string {
  return `d-${deliveryId}`;
}

/** BullMQ queue name of a destination. */
export function queueNameOf(destination: string): string {
  return `delivery-${destination}`;
}

/** The BullMQ-backed DeliveryQueue (see the top of this file). */
export class BullMqDeliveryQueue extends EventEmitter implements DeliveryQueue {
  readonly backend = 'bullmq' as const;
  private readonly o: BullMqQueueOptions;
  private readonly prefix: string;
  private connection: Redis | undefined;
  private lanes = new Map<string, Lane>();
  private running = false;
  private relayTimer: NodeJS.Timeout | undefined;
  private relayQueued = false;
  private relaying: Promise<void> | undefined;
  private relayAgain = false;
  private lastSweep = 0;
  private active = 0;
  private poller: StatusPoller | undefined;

  constructor(opts: BullMqQueueOptions) {
    super();
    this.o = opts;
    this.prefix = opts.prefix ?? 'edigate';
  }

  get inFlight(): number {
    return this.active;
  }

  /**
   * Connects to Redis, creates the queues (and workers), pushes what is pending, starts the relay.
   * Throws GatewayError EDIGATE_QUEUE_UNAVAILABLE when Redis does not answer within 10 s.
   */
  async start(): Promise<void> {
    if (this.running) return;
    const connection = new Redis(this.o.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 10_000 });
    connection.on('error', (err) => this.o.logger.warn({ err: { message: err.message } }, 'Redis connection error'));
    try {
      await connection.connect();
      await connection.ping();
    } catch (err) {
      connection.disconnect();
      throw new GatewayError('EDIGATE_QUEUE_UNAVAILABLE', `Redis at ${redactUrl(this.o.redisUrl)}: ${(err as Error).message}`, { cause: err });
    }
    this.connection = connection;
    this.running = true;
    for (const [name, config] of Object.entries(this.o.destinations)) {
      const limits = limitsOfConfig(config);
      const queue = new Queue(queueNameOf(name), { connection, prefix: this.prefix });
      const lane: Lane = {
        name, config, queue,
        breaker: new CircuitBreaker(limits.circuitBreaker.failureThreshold, limits.circuitBreaker.cooldownMs),
        leaseMs: config.kind === 'http' ? Math.max(this.o.leaseMs, config.timeoutMs + 5_000) : this.o.leaseMs,
      };
      if (this.o.workers !== false) {
        await queue.setGlobalConcurrency(config.concurrency);
        lane.connector = createConnector(config);
        lane.worker = new Worker(queueNameOf(name), (job, token) => this.process(lane, job, token), {
          connection, prefix: this.prefix, concurrency: config.concurrency,
          ...(limits.rateLimit ? { limiter: { max: 1, duration: Math.max(1, Math.ceil(1000 / limits.rateLimit)) } } : {}),
          lockDuration: this.o.lockDurationMs ?? 10_000,
          stalledInterval: Math.max(1000, Math.floor((this.o.lockDurationMs ?? 10_000) / 2)),
          maxStalledCount: 1_000_000,
        });
        lane.worker.on('error', (err) => this.o.logger.warn({ err: { message: err.message }, destination: name }, 'BullMQ worker error'));
      }
      this.lanes.set(name, lane);
    }
    if (this.o.workers !== false) {
      this.poller = new StatusPoller({
        db: this.o.db, destinations: this.o.destinations, logger: this.o.logger, tickMs: Math.max(20, Math.min(this.o.pollMs, 1000)),
        connectors: () => new Map([...this.lanes.values()].filter((l) => l.connector).map((l) => [l.name, l.connector!])),
        onSettled: () => this.kick(),
      });
      this.poller.start();
    }
    this.relayTimer = setInterval(() => this.kick(), Math.max(10, this.o.pollMs));
    await this.relay();
  }

  /** Pushes released rows to Redis soon (coalesced). */
  kick(): void {
    if (!this.running || this.relayQueued) return;
    this.relayQueued = true;
    setImmediate(() => {
      this.relayQueued = false;
      void this.relay();
    });
  }

  /** Relay rounds, one at a time; a kick during a round runs one more after it. */
  private relay(): Promise<void> {
    if (this.relaying) {
      this.relayAgain = true;
      return this.relaying;
    }
    this.relaying = (async () => {
      do {
        this.relayAgain = false;
        await this.relayOnce();
      } while (this.relayAgain && this.running);
    })().finally(() => {
      this.relaying = undefined;
    });
    return this.relaying;
  }

  /** One round: reap expired leases, dead-letter unknown destinations, push unpushed rows, sweep overdue ones. */
  private async relayOnce(): Promise<void> {
    if (!this.running) return;
    const db = this.o.db;
    const now = Date.now();
    try {
      if (recoverExpiredLeases(db, now) > 0) this.o.logger.warn('deliveries with an expired lease returned to the queue');
      for (const row of deadUnknownDestinations(db, [...this.lanes.keys()], now)) {
        this.o.logger.warn({ deliveryId: row.id, destination: row.destination }, 'delivery names an unknown destination: dead');
      }
      for (;;) {
        const rows = unpushedPending(db, 500);
        if (rows.length === 0) break;
        await this.push(rows);
        markPushed(db, rows.map((r) => r.id), Date.now());
        if (rows.length < 500 || !this.running) break;
      }
      const grace = this.o.sweepGraceMs ?? 5_000;
      if (now - this.lastSweep >= grace) {
        this.lastSweep = now;
        const overdue = overduePending(db, now - grace, 1000);
        if (overdue.length > 0) await this.push(overdue);
      }
    } catch (err) {
      if (this.running) this.o.logger.error({ err }, 'relay to Redis failed; retrying at the next poll');
    }
  }

  /** Adds one job per row (job id = delivery id, priority = lane, delay = run_at - now). */
  private async push(rows: Delivery[]): Promise<void> {
    const now = Date.now();
    const byLane = new Map<Lane, Delivery[]>();
    for (const r of rows) {
      const lane = this.lanes.get(r.destination);
      if (!lane) continue;
      const list = byLane.get(lane) ?? [];
      list.push(r);
      byLane.set(lane, list);
    }
    for (const [lane, list] of byLane) {
      await lane.queue.addBulk(
        list.map((r) => ({
          name: 'deliver',
          data: { id: r.id },
          opts: { jobId: jobIdOf(r.id), priority: r.priority, delay: Math.max(0, r.runAt - now), removeOnComplete: true, removeOnFail: true },
        })),
      );
    }
  }

  /** The BullMQ processor of one job: claim the row, attempt, record, and delay the job for a retry. */
  private async process(lane: Lane, job: Job, token: string | undefined): Promise<void> {
    const id = Number((job.data as { id: unknown }).id);
    const db = this.o.db;
    const delay = async (at: number): Promise<never> => {
      await job.moveToDelayed(Math.max(at, Date.now() + 1), token);
      throw new DelayedError();
    };
    let now = Date.now();
    const circuit = lane.breaker.state(now);
    if (circuit === 'open') return delay(lane.breaker.retryAt(now));
    const probe = circuit === 'half-open';
    if (probe && !lane.breaker.tryAcquire(now)) return delay(now + 200);
    const row = claimOne(db, id, { now, lockedUntil: now + lane.leaseMs });
    if (!row) {
      if (probe) lane.breaker.release();
      const why = whyNotClaimable(db, id, now, this.o.blockedRetryMs ?? 250);
      if (why.kind === 'gone') return;
      return delay(why.at);
    }
    this.active++;
    try {
      const body = loadMessageBodies(db, [row.messageId]).get(row.messageId);
      const started = Date.now();
      const outcome = await attemptDelivery(lane.connector!, row, body);
      const durationMs = Date.now() - started;
      now = Date.now();
      lane.breaker.record(!isDestinationFailure(outcome), now);
      if (!this.o.db.open) return;
      const recorded = recordOutcome(db, row, lane.config, outcome, now);
      const log = { deliveryId: row.id, destination: lane.name, attempts: row.attempts, status: outcome.status };
      const detail = { status: outcome.status, error: outcome.error, code: outcome.code, durationMs };
      switch (recorded.kind) {
        case 'stale':
          this.o.logger.warn(log, `attempt ended (${outcome.kind}), but the delivery was no longer claimed`);
          return;
        case 'delivered':
          this.emitEvent('delivered', row, { status: outcome.status, durationMs });
          return;
        case 'accepted':
          this.o.logger.info({ ...log, statusUrl: recorded.statusUrl }, 'accepted by the destination for later processing');
          this.emitEvent('accepted', row, { status: outcome.status, durationMs });
          return;
        case 'dead':
          this.o.logger.warn({ ...log, code: outcome.code, error: outcome.error }, 'delivery dead');
          this.emitEvent('dead', row, detail);
          return;
        case 'retry': {
          this.o.logger.info({ ...log, code: outcome.code, error: outcome.error, runAt: recorded.result.runAt }, 'delivery will be retried');
          this.emitEvent('retry', row, { ...detail, runAt: recorded.result.runAt });
          const at = lane.breaker.state(now) === 'open' ? Math.max(recorded.result.runAt, lane.breaker.retryAt(now)) : recorded.result.runAt;
          return delay(at);
        }
      }
    } finally {
      this.active--;
    }
  }

  private emitEvent(kind: DeliveryEventName, row: Delivery, extra: Partial<DeliveryEvent>): void {
    const after = getDelivery(this.o.db, row.id);
    const e: DeliveryEvent = {
      id: row.id, messageId: row.messageId, destination: row.destination, partnerId: row.partnerId,
      interchangeId: row.interchangeId, messageType: row.messageType, attempts: after?.attempts ?? row.attempts,
    };
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
    this.emit(kind, e);
  }

  /**
   * Stops the relay, closes the workers (each waits for its active jobs, at most the longest
   * destination timeout + 5 s; then it is closed by force and the rows come back through their
   * lease), closes the connectors, queues and the Redis connection.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.relayTimer) clearInterval(this.relayTimer);
    this.relayTimer = undefined;
    this.poller?.stop();
    await this.relaying?.catch(() => undefined);
    const lanes = [...this.lanes.values()];
    const waitMs = Math.max(5_000, ...lanes.map((l) => (l.config.kind === 'http' ? l.config.timeoutMs + 5_000 : 10_000)));
    let bound: NodeJS.Timeout | undefined;
    const graceful = Promise.allSettled(lanes.map((l) => l.worker?.close() ?? Promise.resolve()));
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => {
        bound = setTimeout(() => resolve(true), waitMs);
      }),
    ]);
    if (bound) clearTimeout(bound);
    if (timedOut) await Promise.allSettled(lanes.map((l) => l.worker?.close(true) ?? Promise.resolve()));
    await Promise.allSettled(lanes.map((l) => l.connector?.close?.() ?? Promise.resolve()));
    await Promise.allSettled(lanes.map((l) => l.queue.close()));
    this.lanes.clear();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
    this.connection = undefined;
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unreadable URL)';
  }
}

/**
 * The delivery queue's table (`deliveries`): all of its SQL. The embedded queue (src/queue/embedded.ts)
 * re-exports the public functions below and adds claim/complete/fail with the retry rules.
 *
 * States (`deliveries.state`): held (enqueued while the interchange trailer is not yet validated),
 * pending (claimable from run_at; shown as "retrying" once attempts > 0), running (claimed under a
 * lease), delivered, dead, cancelled (its interchange was rejected). Nothing is ever deleted here.
 *
 * All functions are synchronous and open no transaction unless they say so, so callers can compose
 * them inside theirs. Times given as `now` are epoch milliseconds.
 */
import type { Statement } from 'better-sqlite3';
import { isoNow, type Db } from './db.js';
import { auditRepo } from './audit.js';
import { GatewayError } from '../errors.js';

/**
 * Value of `deliveries.state`. `accepted`: the destination answered 202 and has not yet confirmed
 * or failed the message; `dismissed`: a dead letter an operator closed with a reason (terminal, kept).
 */
export type DeliveryState = 'held' | 'pending' | 'running' | 'accepted' | 'delivered' | 'dead' | 'dismissed' | 'cancelled';

/** State as shown to operators: `pending` splits into `pending` (attempts = 0) and `retrying` (attempts > 0). */
export type DeliveryStatus = 'held' | 'pending' | 'retrying' | 'running' | 'accepted' | 'delivered' | 'dead' | 'dismissed' | 'cancelled';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['held', 'pending', 'retrying', 'running', 'accepted', 'delivered', 'dead', 'dismissed', 'cancelled'];

/**
 * States that hold back later deliveries with the same ordering key and destination: the earlier
 * one has not reached the destination yet (held, pending, running) or failed for good and waits for
 * an operator (dead). Delivered, accepted (202: the destination has it, in order), dismissed and
 * cancelled ones do not.
 */
export const ORDERING_BLOCKING_STATES: readonly DeliveryState[] = ['held', 'pending', 'running', 'dead'];

/** SQL condition, on alias `d`, that no earlier unfinished delivery shares d's ordering key and destination. */
const ORDERING_GATE = `(d.ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM deliveries p
    WHERE p.ordering_key = d.ordering_key AND p.destination = d.destination AND p.id < d.id
      AND p.state IN ('held', 'pending', 'running', 'dead')))`;

/** One row of `deliveries`, camelCase. Times named `*At` are ISO-8601 strings, `runAt`/`lockedUntil` epoch ms. */
export interface Delivery {
  id: number;
  messageId: string;
  interchangeId: number | null;
  partnerId: string | null;
  destination: string;
  messageType: string;
  state: DeliveryState;
  /** Derived from state and attempts (see DeliveryStatus). */
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  /** Earliest time of the next attempt, epoch ms. */
  runAt: number;
  /** End of the lease while running, epoch ms. */
  lockedUntil: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  lastStatus: number | null;
  lastResponse: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  /** Lane: 1 high, 2 normal, 3 low (src/queue/lanes.ts). */
  priority: number;
  /** Business key deliveries to one destination are kept in order by, or null. */
  orderingKey: string | null;
  /** When the destination answered 202 (ISO-8601), or null. */
  acceptedAt: string | null;
  /** Location to poll for the outcome of an accepted delivery, or null. */
  statusUrl: string | null;
  /** Next poll of statusUrl, epoch ms. */
  nextPollAt: number | null;
  dismissedAt: string | null;
  dismissReason: string | null;
  /** BullMQ backend: when this pending run was handed to Redis (epoch ms), null when not yet. */
  pushedAt: number | null;
}

interface DeliveryRow {
  id: number;
  message_id: string;
  interchange_id: number | null;
  partner_id: string | null;
  destination: string;
  message_type: string;
  state: DeliveryState;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_until: number | null;
  last_error: string | null;
  last_error_code: string | null;
  last_status: number | null;
  last_response: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  priority: number;
  ordering_key: string | null;
  accepted_at: string | null;
  status_url: string | null;
  next_poll_at: number | null;
  dismissed_at: string | null;
  dismiss_reason: string | null;
  pushed_at: number | null;
}

const statements = new WeakMap<Db, Map<string, Statement>>();

/** Prepared statement cache per connection (a closed Db drops its entry with the object). */
function stmt(db: Db, sql: string): Statement {
  let byDb = statements.get(db);
  if (!byDb) {
    byDb = new Map();
    statements.set(db, byDb);
  }
  let s = byDb.get(sql);
  if (!s) {
    s = db.prepare(sql);
    byDb.set(sql, s);
  }
  return s;
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    messageId: r.message_id,
    interchangeId: r.interchange_id,
    partnerId: r.partner_id,
    destination: r.destination,
    messageType: r.message_type,
    state: r.state,
    status: r.state === 'pending' && r.attempts > 0 ? 'retrying' : r.state,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    lockedUntil: r.locked_until,
    lastError: r.last_error,
    lastErrorCode: r.last_error_code,
    lastStatus: r.last_status,
    lastResponse: r.last_response,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
    priority: r.priority,
    orderingKey: r.ordering_key,
    acceptedAt: r.accepted_at,
    statusUrl: r.status_url,
    nextPollAt: r.next_poll_at,
    dismissedAt: r.dismissed_at,
    dismissReason: r.dismiss_reason,
    pushedAt: r.pushed_at,
  };
}

export interface EnqueueDeliveryInput {
  messageId: string;
  interchangeId: number | null;
  partnerId: string | null;
  /** Destination name (a key of config.destinations). */
  destination: string;
  messageType: string;
  /** Attempts in all, the first included (the destination's retry.maxAttempts), integer >= 1. */
  maxAttempts: number;
  /** 'held' until the interchange trailer is validated, else 'pending'. */
  state: 'held' | 'pending';
  /** Epoch ms; the delivery is claimable from then on (once pending). */
  now: number;
  /** Lane, 1 high .. 3 low (src/queue/lanes.ts laneOf). Default 2. */
  priority?: number;
  /** Business key kept in order per destination (src/queue/lanes.ts orderingKeyOf), or null. */
  orderingKey?: string | null;
}

/**
 * Adds one delivery of a stored message to the queue and returns its id. Meant to be called inside
 * the pipeline's own transaction, together with the message insert: it opens none itself.
 * Enqueuing the same (messageId, destination) twice returns the existing id and changes nothing.
 * Throws GatewayError EDIGATE_INVALID_REQUEST for a bad maxAttempts; the SQLite error when
 * `messageId` is not in `messages` (foreign key).
 */
export function enqueueDelivery(db: Db, input: EnqueueDeliveryInput): number {
  if (!Number.isInteger(input.maxAttempts) || input.maxAttempts < 1) {
    throw new GatewayError('EDIGATE_INVALID_REQUEST', `maxAttempts must be an integer >= 1, got ${input.maxAttempts}`);
  }
  const iso = isoNow(input.now);
  const inserted = stmt(
    db,
    `INSERT INTO deliveries (message_id, interchange_id, partner_id, destination, message_type, state, attempts, max_attempts,
       run_at, created_at, updated_at, priority, ordering_key)
     VALUES (@messageId, @interchangeId, @partnerId, @destination, @messageType, @state, 0, @maxAttempts, @now, @iso, @iso,
       @priority, @orderingKey)
     ON CONFLICT (message_id, destination) DO NOTHING
     RETURNING id`,
  ).get({
    messageId: input.messageId,
    interchangeId: input.interchangeId,
    partnerId: input.partnerId,
    destination: input.destination,
    messageType: input.messageType,
    state: input.state,
    maxAttempts: input.maxAttempts,
    now: input.now,
    iso,
    priority: input.priority ?? 2,
    orderingKey: input.orderingKey ?? null,
  }) as { id: number } | undefined;
  if (inserted) return inserted.id;
  const existing = stmt(db, `SELECT id FROM deliveries WHERE message_id = ? AND destination = ?`).get(input.messageId, input.destination) as
    | { id: number }
    | undefined;
  if (!existing) throw new GatewayError('EDIGATE_STORE_FAILED', `delivery of ${input.messageId} to ${input.destination} neither inserted nor found`);
  return existing.id;
}

/** held -> pending for every delivery of the interchange (its trailer validated); run_at becomes `now`. Returns how many. */
export function releaseHeld(db: Db, interchangeId: number, now: number): number {
  return stmt(
    db,
    `UPDATE deliveries SET state = 'pending', run_at = @now, updated_at = @iso WHERE interchange_id = @interchangeId AND state = 'held'`,
  ).run({ interchangeId, now, iso: isoNow(now) }).changes;
}

/** held -> cancelled for every delivery of the interchange (it was rejected), `reason` kept as last_error. Returns how many. */
export function cancelHeld(db: Db, interchangeId: number, reason: string, now: number): number {
  return stmt(
    db,
    `UPDATE deliveries SET state = 'cancelled', last_error = @reason, updated_at = @iso
     WHERE interchange_id = @interchangeId AND state = 'held'`,
  ).run({ interchangeId, reason, iso: isoNow(now) }).changes;
}

/**
 * Releases (held -> pending) the deliveries of every accepted interchange of a file, once the whole
 * file is recorded.
 * @returns how many deliveries were released.
 */
export function releaseHeldForFile(db: Db, fileId: number, now: number): number {
  return stmt(
    db,
    `UPDATE deliveries SET state = 'pending', run_at = @now, updated_at = @iso
     WHERE state = 'held' AND interchange_id IN (
       SELECT id FROM interchanges WHERE file_id = @fileId AND status IN ('accepted', 'accepted_with_errors', 'partially_accepted'))`,
  ).run({ fileId, now, iso: isoNow(now) }).changes;
}

/**
 * Cancels the held deliveries of the messages mapped from the sets of one functional group, when
 * that group is rejected (X12 997 AK9 R) while the rest of its interchange is accepted.
 * @returns how many deliveries were cancelled.
 */
export function cancelHeldForGroup(db: Db, groupId: number, reason: string, now: number): number {
  return stmt(
    db,
    `UPDATE deliveries SET state = 'cancelled', last_error = @reason, updated_at = @iso
     WHERE state = 'held' AND message_id IN (
       SELECT m.id FROM messages m JOIN transaction_sets t ON t.id = m.transaction_set_id WHERE t.group_id = @groupId)`,
  ).run({ groupId, reason, iso: isoNow(now) }).changes;
}

/**
 * Claims up to `limit` ready deliveries (pending, run_at <= now), optionally of one destination:
 * state running, attempts + 1, locked_until = `lockedUntil`. Higher lanes first (priority 1 before
 * 3), then by run_at and id; a delivery whose ordering key has an earlier unfinished delivery to
 * the same destination (ORDERING_BLOCKING_STATES) is skipped. The inner SELECT walks the
 * deliveries_claim (destination, state, priority, run_at) index; no OR on the state, so it never
 * turns into a table scan. Rows come back ordered by priority, run_at, then id.
 * (The queue's `claim` is the public entry.)
 */
export function claimRows(db: Db, opts: { now: number; lockedUntil: number; destination?: string; limit: number }): Delivery[] {
  const params: Record<string, unknown> = { now: opts.now, lockedUntil: opts.lockedUntil, limit: opts.limit, iso: isoNow(opts.now) };
  let sql: string;
  if (opts.destination === undefined) {
    sql = `UPDATE deliveries SET state = 'running', attempts = attempts + 1, locked_until = @lockedUntil, updated_at = @iso
           WHERE id IN (SELECT d.id FROM deliveries d WHERE d.state = 'pending' AND d.run_at <= @now AND ${ORDERING_GATE}
                        ORDER BY d.priority, d.run_at, d.id LIMIT @limit)
           RETURNING *`;
  } else {
    sql = `UPDATE deliveries SET state = 'running', attempts = attempts + 1, locked_until = @lockedUntil, updated_at = @iso
           WHERE id IN (SELECT d.id FROM deliveries d WHERE d.destination = @destination AND d.state = 'pending' AND d.run_at <= @now
                        AND ${ORDERING_GATE}
                        ORDER BY d.priority, d.run_at, d.id LIMIT @limit)
           RETURNING *`;
    params.destination = opts.destination;
  }
  // One row: `id = (subquery)` skips the temporary list `IN` builds (about a third faster).
  if (opts.limit === 1) sql = sql.replace('WHERE id IN (', 'WHERE id = (');
  const rows = (stmt(db, sql).all(params) as DeliveryRow[]).map(toDelivery);
  rows.sort((a, b) => a.priority - b.priority || a.runAt - b.runAt || a.id - b.id);
  return rows;
}

/**
 * Claims one named delivery (the BullMQ backend, whose job names it): pending and due, or running
 * with an expired lease (its worker died), and not held back by an earlier delivery with the same
 * ordering key -> running, attempts + 1, locked_until = `lockedUntil`. Returns the row, or undefined
 * when it is not claimable now (see whyNotClaimable).
 */
export function claimOne(db: Db, id: number, opts: { now: number; lockedUntil: number }): Delivery | undefined {
  const row = stmt(
    db,
    `UPDATE deliveries SET state = 'running', attempts = attempts + 1, locked_until = @lockedUntil, updated_at = @iso
     WHERE id = (SELECT d.id FROM deliveries d WHERE d.id = @id AND d.run_at <= @now
                 AND (d.state = 'pending' OR (d.state = 'running' AND d.locked_until < @now)) AND ${ORDERING_GATE})
     RETURNING *`,
  ).get({ id, now: opts.now, lockedUntil: opts.lockedUntil, iso: isoNow(opts.now) }) as DeliveryRow | undefined;
  return row ? toDelivery(row) : undefined;
}

/**
 * Why claimOne refused a delivery: `gone` (unknown, or finished: delivered, accepted, dead,
 * dismissed, cancelled, held), or `later` with the epoch ms worth looking again (its run_at, the end
 * of another worker's lease, or now + blockedRetryMs while an earlier delivery with the same ordering
 * key is unfinished; `blockedBy` names that one).
 */
export function whyNotClaimable(db: Db, id: number, now: number, blockedRetryMs: number): { kind: 'gone' } | { kind: 'later'; at: number; blockedBy?: number } {
  const d = getDelivery(db, id);
  if (!d || (d.state !== 'pending' && d.state !== 'running')) return { kind: 'gone' };
  if (d.state === 'running' && d.lockedUntil !== null && d.lockedUntil >= now) return { kind: 'later', at: d.lockedUntil + 1 };
  if (d.runAt > now) return { kind: 'later', at: d.runAt };
  const blocker = blockedBy(db, d);
  if (blocker !== undefined) return { kind: 'later', at: now + blockedRetryMs, blockedBy: blocker };
  return { kind: 'later', at: now };
}

/** Id of the earliest unfinished delivery holding `d` back (same ordering key and destination, lower id), or undefined. */
export function blockedBy(db: Db, d: Pick<Delivery, 'id' | 'orderingKey' | 'destination'>): number | undefined {
  if (d.orderingKey === null) return undefined;
  const r = stmt(
    db,
    `SELECT id FROM deliveries WHERE ordering_key = ? AND destination = ? AND id < ? AND state IN ('held', 'pending', 'running', 'dead')
     ORDER BY id LIMIT 1`,
  ).get(d.orderingKey, d.destination, d.id) as { id: number } | undefined;
  return r?.id;
}

/**
 * running -> accepted: the destination answered 202 (RFC 9110 §15.3.3) and processes the message
 * later. `statusUrl` (its Location) is polled from `nextPollAt` on; without one the delivery waits for
 * POST /api/deliveries/:id/confirm or /fail. Returns false, changing nothing, when the row is not running.
 */
export function markAccepted(
  db: Db,
  id: number,
  v: { status: number; response: string | null; statusUrl: string | null; nextPollAt: number | null; now: number },
): boolean {
  const iso = isoNow(v.now);
  return (
    stmt(
      db,
      `UPDATE deliveries SET state = 'accepted', locked_until = NULL, last_status = @status, last_response = @response,
         last_error = NULL, last_error_code = NULL, accepted_at = @iso, status_url = @statusUrl, next_poll_at = @nextPollAt, updated_at = @iso
       WHERE id = @id AND state = 'running'`,
    ).run({ id, status: v.status, response: v.response, statusUrl: v.statusUrl, nextPollAt: v.nextPollAt, iso }).changes > 0
  );
}

/**
 * Takes up to `limit` accepted deliveries whose status URL is due for a poll: next_poll_at moves to
 * `nextPollAt` in the same statement, so two processes never poll the same one at once. Returns them.
 */
export function claimDuePolls(db: Db, now: number, nextPollAt: number, limit: number): Delivery[] {
  return (
    stmt(
      db,
      `UPDATE deliveries SET next_poll_at = @nextPollAt
       WHERE id IN (SELECT id FROM deliveries WHERE state = 'accepted' AND status_url IS NOT NULL AND next_poll_at <= @now
                    ORDER BY next_poll_at LIMIT @limit)
       RETURNING *`,
    ).all({ now, nextPollAt, limit }) as DeliveryRow[]
  ).map(toDelivery);
}

/** Next poll of an accepted delivery's status URL at `at` (epoch ms); nothing when it is no longer accepted. */
export function reschedulePoll(db: Db, id: number, at: number): void {
  stmt(db, `UPDATE deliveries SET next_poll_at = ? WHERE id = ? AND state = 'accepted'`).run(at, id);
}

/**
 * Outcome of an accepted delivery (202), from a callback (POST /api/deliveries/:id/confirm, /fail) or
 * from polling its status URL: `delivered`, or `dead` with `reason` kept as last_error (code
 * EDIGATE_DELIVERY_ASYNC_FAILED). Written with an audit row (actor, 'delivery.confirm' or
 * 'delivery.fail') in one transaction. Returns the row after the change.
 * Throws GatewayError EDIGATE_NOT_FOUND for an unknown id, EDIGATE_INVALID_REQUEST when it is not accepted.
 */
export function settleAccepted(
  db: Db,
  id: number,
  v: { outcome: 'delivered' | 'dead'; actor: string; reason?: string | null; status?: number | null; response?: string | null; now: number },
): Delivery {
  return db.transaction((): Delivery => {
    const before = getDelivery(db, id);
    if (!before) throw new GatewayError('EDIGATE_NOT_FOUND', `delivery ${id}`, { details: { id } });
    if (before.state !== 'accepted') {
      throw new GatewayError('EDIGATE_INVALID_REQUEST', `delivery ${id} is ${before.status}; only accepted deliveries can be confirmed or failed`, {
        details: { id, state: before.state, status: before.status },
      });
    }
    const iso = isoNow(v.now);
    if (v.outcome === 'delivered') {
      stmt(
        db,
        `UPDATE deliveries SET state = 'delivered', delivered_at = @iso, next_poll_at = NULL, updated_at = @iso,
           last_status = coalesce(@status, last_status), last_response = coalesce(@response, last_response)
         WHERE id = @id AND state = 'accepted'`,
      ).run({ id, iso, status: v.status ?? null, response: v.response ?? null });
    } else {
      stmt(
        db,
        `UPDATE deliveries SET state = 'dead', next_poll_at = NULL, updated_at = @iso, last_error = @reason,
           last_error_code = 'EDIGATE_DELIVERY_ASYNC_FAILED',
           last_status = coalesce(@status, last_status), last_response = coalesce(@response, last_response)
         WHERE id = @id AND state = 'accepted'`,
      ).run({ id, iso, reason: v.reason ?? 'the destination reported the message failed', status: v.status ?? null, response: v.response ?? null });
    }
    auditRepo(db).record({
      at: iso,
      actor: v.actor,
      action: v.outcome === 'delivered' ? 'delivery.confirm' : 'delivery.fail',
      target: `delivery:${id}`,
      detail: { messageId: before.messageId, destination: before.destination, reason: v.reason ?? null },
    });
    return getDelivery(db, id)!;
  })();
}

/**
 * Operator dismissal of a dead letter: dead -> dismissed with `reason`, plus an audit row (actor,
 * 'delivery.dismiss'), in one transaction. The row is kept (a dismissed delivery can still be replayed).
 * Throws GatewayError EDIGATE_NOT_FOUND for an unknown id; EDIGATE_INVALID_REQUEST when it is not dead
 * or the reason is empty.
 */
export function dismiss(db: Db, id: number, v: { reason: string; actor: string; now: number }): Delivery {
  if (!v.reason || !v.reason.trim()) throw new GatewayError('EDIGATE_INVALID_REQUEST', 'a dismissal needs a reason');
  return db.transaction((): Delivery => {
    const before = getDelivery(db, id);
    if (!before) throw new GatewayError('EDIGATE_NOT_FOUND', `delivery ${id}`, { details: { id } });
    if (before.state !== 'dead') {
      throw new GatewayError('EDIGATE_INVALID_REQUEST', `delivery ${id} is ${before.status}; only dead deliveries can be dismissed`, {
        details: { id, state: before.state, status: before.status },
      });
    }
    const iso = isoNow(v.now);
    stmt(db, `UPDATE deliveries SET state = 'dismissed', dismissed_at = @iso, dismiss_reason = @reason, updated_at = @iso WHERE id = @id`).run({
      id,
      iso,
      reason: v.reason,
    });
    auditRepo(db).record({
      at: iso,
      actor: v.actor,
      action: 'delivery.dismiss',
      target: `delivery:${id}`,
      detail: { messageId: before.messageId, destination: before.destination, reason: v.reason, lastErrorCode: before.lastErrorCode, attempts: before.attempts },
    });
    return getDelivery(db, id)!;
  })();
}

/** Filter of replayMany: dead letters matching every field given. */
export interface DeadLetterFilter {
  partnerId?: string;
  destination?: string;
  /** Canonical message type (deliveries.message_type). */
  messageType?: string;
  /** created_at >= from (ISO-8601 or a date). */
  from?: string;
  /** created_at < to (ISO-8601 or a date). */
  to?: string;
  /** An error code (exact, e.g. EDIGATE_DELIVERY_HTTP_STATUS) or a piece of the error text or of the last response body. */
  error?: string;
}

function deadLetterWhere(f: DeadLetterFilter): { clause: string; params: Record<string, unknown> } {
  const where = [`state = 'dead'`];
  const params: Record<string, unknown> = {};
  if (f.partnerId !== undefined) (where.push('partner_id = @partnerId'), (params.partnerId = f.partnerId));
  if (f.destination !== undefined) (where.push('destination = @destination'), (params.destination = f.destination));
  if (f.messageType !== undefined) (where.push('message_type = @messageType'), (params.messageType = f.messageType));
  if (f.from !== undefined) (where.push('created_at >= @from'), (params.from = f.from));
  if (f.to !== undefined) (where.push('created_at < @to'), (params.to = f.to));
  if (f.error !== undefined) {
    where.push(`(last_error_code = @error OR instr(coalesce(last_error, ''), @error) > 0 OR instr(coalesce(last_response, ''), @error) > 0)`);
    params.error = f.error;
  }
  return { clause: where.join(' AND '), params };
}

/**
 * Replays every dead letter matching `filter` (see DeadLetterFilter): with `dryRun` only counts
 * them; otherwise each goes back to pending as replay() does, with one audit row per delivery and
 * one 'delivery.replay-many' row holding the filter and the count, all in one transaction.
 * Returns the count and the ids (in id order).
 */
export function replayMany(db: Db, filter: DeadLetterFilter, v: { dryRun: boolean; actor: string; now: number }): { count: number; ids: number[]; dryRun: boolean } {
  const { clause, params } = deadLetterWhere(filter);
  return db.transaction(() => {
    const ids = (stmt(db, `SELECT id FROM deliveries WHERE ${clause} ORDER BY id`).all(params) as Array<{ id: number }>).map((r) => r.id);
    if (v.dryRun) return { count: ids.length, ids, dryRun: true };
    for (const id of ids) replay(db, id, { now: v.now, actor: v.actor });
    auditRepo(db).record({ at: isoNow(v.now), actor: v.actor, action: 'delivery.replay-many', target: null, detail: { filter, count: ids.length } });
    return { count: ids.length, ids, dryRun: false };
  })();
}

/** BullMQ relay: pending deliveries not yet handed to Redis, oldest first, at most `limit`. */
export function unpushedPending(db: Db, limit: number): Delivery[] {
  return (stmt(db, `SELECT * FROM deliveries WHERE state = 'pending' AND pushed_at IS NULL ORDER BY id LIMIT ?`).all(limit) as DeliveryRow[]).map(
    toDelivery,
  );
}

/**
 * BullMQ relay sweep: pending deliveries due before `dueBefore` (epoch ms) although handed to Redis,
 * i.e. overdue (their job may have been lost with Redis); pushed again, which is harmless because the
 * job id is the delivery id. At most `limit`, most overdue first.
 */
export function overduePending(db: Db, dueBefore: number, limit: number): Delivery[] {
  return (
    stmt(db, `SELECT * FROM deliveries WHERE state = 'pending' AND run_at < ? ORDER BY run_at LIMIT ?`).all(dueBefore, limit) as DeliveryRow[]
  ).map(toDelivery);
}

/** Marks deliveries as handed to Redis at `now` (only those still pending). Returns how many. */
export function markPushed(db: Db, ids: readonly number[], now: number): number {
  if (ids.length === 0) return 0;
  return stmt(db, `UPDATE deliveries SET pushed_at = @now WHERE state = 'pending' AND id IN (SELECT value FROM json_each(@ids))`).run({
    ids: JSON.stringify(ids),
    now,
  }).changes;
}

/**
 * running|pending -> delivered, keeping status and response as given. Returns false, changing
 * nothing, when the row is in neither state (cancelled, already delivered, unknown).
 */
export function markDelivered(db: Db, id: number, v: { status: number | null; response: string | null; now: number }): boolean {
  const iso = isoNow(v.now);
  return (
    stmt(
      db,
      `UPDATE deliveries SET state = 'delivered', locked_until = NULL, last_status = @status, last_response = @response,
         last_error = NULL, last_error_code = NULL, delivered_at = @iso, updated_at = @iso
       WHERE id = @id AND state IN ('running', 'pending')`,
    ).run({ id, status: v.status, response: v.response, iso }).changes > 0
  );
}

/** running -> pending (at `runAt`) or dead, recording the error. Returns false, changing nothing, when the row is not running. */
export function markFailed(
  db: Db,
  id: number,
  v: { state: 'pending' | 'dead'; runAt: number; error: string | null; code: string | null; status: number | null; response: string | null; now: number },
): boolean {
  return (
    stmt(
      db,
      `UPDATE deliveries SET state = @state, run_at = @runAt, locked_until = NULL, last_error = @error, last_error_code = @code,
         last_status = @status, last_response = @response, updated_at = @iso
       WHERE id = @id AND state = 'running'`,
    ).run({ id, state: v.state, runAt: v.runAt, error: v.error, code: v.code, status: v.status, response: v.response, iso: isoNow(v.now) })
      .changes > 0
  );
}

/** One delivery by id, or undefined when unknown. */
export function getDelivery(db: Db, id: number): Delivery | undefined {
  const row = stmt(db, `SELECT * FROM deliveries WHERE id = ?`).get(id) as DeliveryRow | undefined;
  return row ? toDelivery(row) : undefined;
}

export interface ListDeliveriesOptions {
  /** pending (attempts = 0), retrying (pending, attempts > 0), running, delivered, dead, held, cancelled. */
  status?: DeliveryStatus;
  partnerId?: string;
  destination?: string;
  interchangeId?: number;
  messageId?: string;
  /** Canonical message type. */
  messageType?: string;
  /** created_at >= from (ISO-8601 or a date). */
  from?: string;
  /** created_at < to. */
  to?: string;
  /** An error code (exact) or a piece of the last error text or last response body. */
  error?: string;
  /** Page size, 1..10000. */
  limit: number;
  /** Rows to skip, >= 0. */
  offset: number;
}

/**
 * Deliveries for the ops API matching every given filter, newest first, with `total` (matching
 * rows before paging). Throws GatewayError EDIGATE_INVALID_REQUEST for an unknown status or a bad
 * limit/offset.
 */
export function listDeliveries(db: Db, f: ListDeliveriesOptions): { items: Delivery[]; total: number } {
  if (f.status !== undefined && !DELIVERY_STATUSES.includes(f.status)) {
    throw new GatewayError('EDIGATE_INVALID_REQUEST', `unknown delivery status ${JSON.stringify(f.status)}`, {
      details: { status: f.status, allowed: DELIVERY_STATUSES },
    });
  }
  if (!Number.isInteger(f.limit) || f.limit < 1 || f.limit > 10_000) {
    throw new GatewayError('EDIGATE_INVALID_REQUEST', `limit must be an integer in 1..10000, got ${f.limit}`);
  }
  if (!Number.isInteger(f.offset) || f.offset < 0) {
    throw new GatewayError('EDIGATE_INVALID_REQUEST', `offset must be an integer >= 0, got ${f.offset}`);
  }
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  switch (f.status) {
    case undefined:
      break;
    case 'pending':
      where.push(`state = 'pending' AND attempts = 0`);
      break;
    case 'retrying':
      where.push(`state = 'pending' AND attempts > 0`);
      break;
    default:
      where.push(`state = @state`);
      params.state = f.status;
  }
  if (f.partnerId !== undefined) {
    where.push(`partner_id = @partnerId`);
    params.partnerId = f.partnerId;
  }
  if (f.destination !== undefined) {
    where.push(`destination = @destination`);
    params.destination = f.destination;
  }
  if (f.interchangeId !== undefined) {
    where.push(`interchange_id = @interchangeId`);
    params.interchangeId = f.interchangeId;
  }
  if (f.messageId !== undefined) {
    where.push(`message_id = @messageId`);
    params.messageId = f.messageId;
  }
  if (f.messageType !== undefined) {
    where.push(`message_type = @messageType`);
    params.messageType = f.messageType;
  }
  if (f.from !== undefined) {
    where.push(`created_at >= @from`);
    params.from = f.from;
  }
  if (f.to !== undefined) {
    where.push(`created_at < @to`);
    params.to = f.to;
  }
  if (f.error !== undefined) {
    where.push(`(last_error_code = @error OR instr(coalesce(last_error, ''), @error) > 0 OR instr(coalesce(last_response, ''), @error) > 0)`);
    params.error = f.error;
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (stmt(db, `SELECT count(*) AS n FROM deliveries ${clause}`).get(params) as { n: number }).n;
  const items = (
    stmt(db, `SELECT * FROM deliveries ${clause} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all({
      ...params,
      limit: f.limit,
      offset: f.offset,
    }) as DeliveryRow[]
  ).map(toDelivery);
  return { items, total };
}

/** Running deliveries whose lease ended (locked_until < now) -> pending, to be claimed again; attempts kept. Returns how many. */
export function recoverExpiredLeases(db: Db, now: number): number {
  return stmt(
    db,
    `UPDATE deliveries SET state = 'pending', locked_until = NULL, pushed_at = NULL, updated_at = @iso WHERE state = 'running' AND locked_until < @now`,
  ).run({ now, iso: isoNow(now) }).changes;
}

/**
 * At process start: every running delivery -> pending. The gateway is the single writer of its
 * store, so anything still running was cut off by a crash; its idempotency key makes a repeat
 * safe at the destination. Attempts are kept, so a message that brings the process down every
 * time still reaches its attempt limit. Returns how many.
 */
export function recoverAllRunning(db: Db, now: number): number {
  return stmt(db, `UPDATE deliveries SET state = 'pending', locked_until = NULL, pushed_at = NULL, updated_at = @iso WHERE state = 'running'`).run({
    iso: isoNow(now),
  }).changes;
}

/**
 * After an orderly stop: the given deliveries, if still running, -> pending, giving back the
 * attempt that was cut short (it is not counted). Returns how many.
 */
export function releaseUnfinished(db: Db, ids: readonly number[], now: number): number {
  if (ids.length === 0) return 0;
  return stmt(
    db,
    `UPDATE deliveries SET state = 'pending', attempts = max(attempts - 1, 0), locked_until = NULL, pushed_at = NULL, updated_at = @iso
     WHERE state = 'running' AND id IN (SELECT value FROM json_each(@ids))`,
  ).run({ ids: JSON.stringify(ids), iso: isoNow(now) }).changes;
}

/**
 * Operator replay: a dead delivery (or a delivered one, for a forced resend) back to pending with
 * attempts reset, run_at = now and delivered_at cleared, plus an `audit` row (actor, action
 * 'delivery.replay', target 'delivery:<id>', detail with the previous state), in one transaction.
 * The last error and response stay visible until the next attempt replaces them.
 * Returns the row after the change.
 * Throws GatewayError EDIGATE_NOT_FOUND for an unknown id; EDIGATE_INVALID_REQUEST (details.state)
 * when the delivery is held, pending, running or cancelled.
 */
export function replay(db: Db, id: number, opts: { now: number; actor: string }): Delivery {
  return db.transaction((): Delivery => {
    const before = getDelivery(db, id);
    if (!before) throw new GatewayError('EDIGATE_NOT_FOUND', `delivery ${id}`, { details: { id } });
    if (before.state !== 'dead' && before.state !== 'delivered' && before.state !== 'dismissed') {
      throw new GatewayError('EDIGATE_INVALID_REQUEST', `delivery ${id} is ${before.status}; only dead, dismissed or delivered deliveries can be replayed`, {
        details: { id, state: before.state, status: before.status },
      });
    }
    const iso = isoNow(opts.now);
    stmt(
      db,
      `UPDATE deliveries SET state = 'pending', attempts = 0, run_at = @now, locked_until = NULL, delivered_at = NULL, pushed_at = NULL,
         accepted_at = NULL, status_url = NULL, next_poll_at = NULL, dismissed_at = NULL, dismiss_reason = NULL, updated_at = @iso
       WHERE id = @id`,
    ).run({ id, now: opts.now, iso });
    auditRepo(db).record({
      at: iso,
      actor: opts.actor,
      action: 'delivery.replay',
      target: `delivery:${id}`,
      detail: {
        messageId: before.messageId,
        destination: before.destination,
        fromState: before.state,
        attempts: before.attempts,
        lastErrorCode: before.lastErrorCode,
      },
    });
    const after = getDelivery(db, id);
    if (!after) throw new GatewayError('EDIGATE_NOT_FOUND', `delivery ${id}`, { details: { id } });
    return after;
  })();
}

/** One row of queueDepth: `state` is the status as shown to operators (pending split from retrying). */
export interface QueueDepthRow {
  destination: string;
  state: DeliveryStatus;
  count: number;
}

/**
 * Counts by destination and state (retrying split from pending). By default only the states that
 * make up the queue: held, pending, retrying, running and dead; delivered and cancelled rows grow
 * without end and are counted only with `includeFinished`.
 */
export function queueDepth(db: Db, opts: { includeFinished?: boolean } = {}): QueueDepthRow[] {
  const states: DeliveryState[] = ['held', 'pending', 'running', 'accepted', 'dead'];
  if (opts.includeFinished) states.push('delivered', 'dismissed', 'cancelled');
  return stmt(
    db,
    `SELECT destination, CASE WHEN state = 'pending' AND attempts > 0 THEN 'retrying' ELSE state END AS state, count(*) AS count
     FROM deliveries WHERE state IN (SELECT value FROM json_each(@states))
     GROUP BY 1, 2 ORDER BY 1, 2`,
  ).all({ states: JSON.stringify(states) }) as QueueDepthRow[];
}

/** Canonical JSON bodies (`messages.body`) of the given messages, by message id; unknown ids are absent. */
export function loadMessageBodies(db: Db, messageIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (messageIds.length === 0) return out;
  const rows = stmt(db, `SELECT id, body FROM messages WHERE id IN (SELECT value FROM json_each(@ids))`).all({
    ids: JSON.stringify(messageIds),
  }) as Array<{ id: string; body: string }>;
  for (const r of rows) out.set(r.id, r.body);
  return out;
}

/**
 * Ready deliveries (pending, run_at <= now) naming a destination not in `known` -> dead with code
 * EDIGATE_DESTINATION_UNKNOWN. Returns those rows after the change.
 */
export function deadUnknownDestinations(db: Db, known: readonly string[], now: number): Delivery[] {
  return (
    stmt(
      db,
      `UPDATE deliveries SET state = 'dead', locked_until = NULL,
         last_error = 'no destination named "' || destination || '" is configured', last_error_code = 'EDIGATE_DESTINATION_UNKNOWN', updated_at = @iso
       WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND run_at <= @now
                    AND destination NOT IN (SELECT value FROM json_each(@known)))
       RETURNING *`,
    ).all({ now, iso: isoNow(now), known: JSON.stringify(known) }) as DeliveryRow[]
  ).map(toDelivery);
}

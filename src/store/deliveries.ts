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

/** Value of `deliveries.state`. */
export type DeliveryState = 'held' | 'pending' | 'running' | 'delivered' | 'dead' | 'cancelled';

/** State as shown to operators: `pending` splits into `pending` (attempts = 0) and `retrying` (attempts > 0). */
export type DeliveryStatus = 'held' | 'pending' | 'retrying' | 'running' | 'delivered' | 'dead' | 'cancelled';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['held', 'pending', 'retrying', 'running', 'delivered', 'dead', 'cancelled'];

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
       run_at, created_at, updated_at)
     VALUES (@messageId, @interchangeId, @partnerId, @destination, @messageType, @state, 0, @maxAttempts, @now, @iso, @iso)
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
 * state running, attempts + 1, locked_until = `lockedUntil`. The inner SELECT walks the
 * deliveries_ready (state, run_at) index; no OR in it, so it never turns into a table scan.
 * Rows come back ordered by run_at, then id. (The queue's `claim` is the public entry.)
 */
export function claimRows(db: Db, opts: { now: number; lockedUntil: number; destination?: string; limit: number }): Delivery[] {
  const params: Record<string, unknown> = { now: opts.now, lockedUntil: opts.lockedUntil, limit: opts.limit, iso: isoNow(opts.now) };
  let sql: string;
  if (opts.destination === undefined) {
    sql = `UPDATE deliveries SET state = 'running', attempts = attempts + 1, locked_until = @lockedUntil, updated_at = @iso
           WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND run_at <= @now ORDER BY run_at, id LIMIT @limit)
           RETURNING *`;
  } else {
    sql = `UPDATE deliveries SET state = 'running', attempts = attempts + 1, locked_until = @lockedUntil, updated_at = @iso
           WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND run_at <= @now AND destination = @destination
                        ORDER BY run_at, id LIMIT @limit)
           RETURNING *`;
    params.destination = opts.destination;
  }
  // One row: `id = (subquery)` skips the temporary list `IN` builds (about a third faster).
  if (opts.limit === 1) sql = sql.replace('WHERE id IN (', 'WHERE id = (');
  const rows = (stmt(db, sql).all(params) as DeliveryRow[]).map(toDelivery);
  rows.sort((a, b) => a.runAt - b.runAt || a.id - b.id);
  return rows;
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
    `UPDATE deliveries SET state = 'pending', locked_until = NULL, updated_at = @iso WHERE state = 'running' AND locked_until < @now`,
  ).run({ now, iso: isoNow(now) }).changes;
}

/**
 * At process start: every running delivery -> pending. The gateway is the single writer of its
 * store, so anything still running was cut off by a crash; its idempotency key makes a repeat
 * safe at the destination. Attempts are kept, so a message that brings the process down every
 * time still reaches its attempt limit. Returns how many.
 */
export function recoverAllRunning(db: Db, now: number): number {
  return stmt(db, `UPDATE deliveries SET state = 'pending', locked_until = NULL, updated_at = @iso WHERE state = 'running'`).run({
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
    `UPDATE deliveries SET state = 'pending', attempts = max(attempts - 1, 0), locked_until = NULL, updated_at = @iso
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
    if (before.state !== 'dead' && before.state !== 'delivered') {
      throw new GatewayError('EDIGATE_INVALID_REQUEST', `delivery ${id} is ${before.status}; only dead or delivered deliveries can be replayed`, {
        details: { id, state: before.state, status: before.status },
      });
    }
    const iso = isoNow(opts.now);
    stmt(
      db,
      `UPDATE deliveries SET state = 'pending', attempts = 0, run_at = @now, locked_until = NULL, delivered_at = NULL, updated_at = @iso
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
  const states: DeliveryState[] = ['held', 'pending', 'running', 'dead'];
  if (opts.includeFinished) states.push('delivered', 'cancelled');
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

import type { Db } from './db.js';
import { isoNow } from './db.js';

/**
 * How a file we send reaches the partner.
 * - `outbox`: written into `outbox/<partner-id>/`, where the partner collects it (hosted SFTP `/outbound`, a share).
 * - `sftp`: uploaded to the partner's own SFTP server.
 * - `as2`: sent over AS2 with an MDN receipt.
 */
export type OutboundChannel = 'outbox' | 'sftp' | 'as2';

/**
 * State of one transmission.
 * - `placing` (recorded, file not written yet) -> `placed` (in the outbox) -> `picked_up` (the partner deleted it after download)
 * - `pending` -> `sending` (leased) -> `sent` | `awaiting_receipt` (async receipt, e.g. AS2 MDN) -> `sent`
 * - `pending` after a failed attempt (retried at `runAt`), `dead` once the partner's attempts are used up;
 *   an operator can replay a dead one.
 */
export type TransmissionState = 'placing' | 'placed' | 'picked_up' | 'pending' | 'sending' | 'awaiting_receipt' | 'sent' | 'dead';

export interface TransmissionRow {
  id: number;
  partnerId: string;
  channel: OutboundChannel;
  /** Document kind: 997, 999, TA1, CONTRL, or an outbound transaction set id (855, 856...). */
  kind: string;
  ackId: number | null;
  fileName: string;
  /** SHA-256 of the bytes, which are kept in the content-addressed archive. */
  sha256: string;
  size: number;
  state: TransmissionState;
  attempts: number;
  /** Next attempt, epoch milliseconds (pending rows). */
  runAt: number;
  leaseUntil: number | null;
  lastError: string | null;
  /** Channel message id (AS2 Message-ID) once sent. */
  messageId: string | null;
  /** Proof of delivery kept as evidence (AS2: the MDN as received). */
  evidence: string | null;
  createdAt: string;
  sentAt: string | null;
  pickedUpAt: string | null;
}

const COLS = `id, partner_id AS partnerId, channel, kind, ack_id AS ackId, file_name AS fileName, sha256, size, state, attempts,
  run_at AS runAt, lease_until AS leaseUntil, last_error AS lastError, message_id AS messageId, evidence, created_at AS createdAt,
  sent_at AS sentAt, picked_up_at AS pickedUpAt`;

/** Input of insertTransmission. */
export interface NewTransmission {
  partnerId: string;
  channel: OutboundChannel;
  kind: string;
  ackId?: number | null;
  fileName: string;
  sha256: string;
  size: number;
  /** `placing` (or `placed` when the file is already written) for the outbox channel, `pending` for sending channels. */
  state: 'placing' | 'placed' | 'pending';
  /** Epoch ms; defaults to now. */
  now?: number;
}

/** Records a file to send (or placed in the outbox). Returns the row id. */
export function insertTransmission(db: Db, t: NewTransmission): number {
  const now = t.now ?? Date.now();
  return Number(db.prepare(`INSERT INTO transmissions (partner_id, channel, kind, ack_id, file_name, sha256, size, state, run_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(t.partnerId, t.channel, t.kind, t.ackId ?? null, t.fileName, t.sha256, t.size, t.state, now, isoNow(now)).lastInsertRowid);
}

/**
 * Leases up to `limit` due transmissions of the given channels (state pending, runAt <= now) for `leaseMs`,
 * oldest first, marking them `sending` and counting the attempt. Atomic: two dispatchers never get the same row.
 */
export function claimDueTransmissions(db: Db, channels: OutboundChannel[], now: number, leaseMs: number, limit: number): TransmissionRow[] {
  if (channels.length === 0 || limit <= 0) return [];
  const marks = channels.map(() => '?').join(', ');
  return db.prepare(`UPDATE transmissions SET state = 'sending', lease_until = ?, attempts = attempts + 1
    WHERE id IN (SELECT id FROM transmissions WHERE state = 'pending' AND run_at <= ? AND channel IN (${marks}) ORDER BY run_at, id LIMIT ?)
    RETURNING ${COLS}`).all(now + leaseMs, now, ...channels, limit) as TransmissionRow[];
}

/** Marks a leased transmission sent (or awaiting its asynchronous receipt). */
export function completeTransmission(db: Db, id: number, r: { state: 'sent' | 'awaiting_receipt'; messageId?: string | null; evidence?: string | null; now?: number }): void {
  db.prepare(`UPDATE transmissions SET state = ?, lease_until = NULL, last_error = NULL, message_id = coalesce(?, message_id),
    evidence = coalesce(?, evidence), sent_at = ? WHERE id = ?`).run(r.state, r.messageId ?? null, r.evidence ?? null, isoNow(r.now ?? Date.now()), id);
}

/**
 * Records a failed attempt: back to `pending` at `retryAt` (epoch ms), or `dead` when `retryAt` is null.
 * Also used when an asynchronous receipt is negative or never comes.
 */
export function failTransmission(db: Db, id: number, error: string, retryAt: number | null): void {
  db.prepare(`UPDATE transmissions SET state = ?, lease_until = NULL, last_error = ?, run_at = coalesce(?, run_at) WHERE id = ?`)
    .run(retryAt === null ? 'dead' : 'pending', error.slice(0, 2000), retryAt, id);
}

/** Attaches a receipt that arrived later (async AS2 MDN) to the transmission sent with `messageId`. Returns the row, if any. */
export function findTransmissionByMessageId(db: Db, messageId: string): TransmissionRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM transmissions WHERE message_id = ? ORDER BY id DESC LIMIT 1`).get(messageId) as TransmissionRow | undefined;
}

/**
 * Records that the partner collected `fileName` from its outbox (hosted SFTP: deleted after download).
 * Returns the number of rows marked (0 when the file was not one of ours or was already marked).
 */
export function markPickedUp(db: Db, partnerId: string, fileName: string, now: number = Date.now()): number {
  return db.prepare(`UPDATE transmissions SET state = 'picked_up', picked_up_at = ?
    WHERE id = (SELECT id FROM transmissions WHERE partner_id = ? AND file_name = ? AND state = 'placed' ORDER BY id DESC LIMIT 1)`)
    .run(isoNow(now), partnerId, fileName).changes;
}

/** Returns `sending` transmissions whose lease expired (a crash mid-send) to `pending`. Returns how many. */
export function recoverExpiredTransmissions(db: Db, now: number): number {
  return db.prepare(`UPDATE transmissions SET state = 'pending', lease_until = NULL, run_at = ? WHERE state = 'sending' AND lease_until <= ?`).run(now, now).changes;
}

/** Returns every `sending` transmission to `pending` (at start: no send of this process is in flight). */
export function recoverAllSending(db: Db, now: number): number {
  return db.prepare(`UPDATE transmissions SET state = 'pending', lease_until = NULL, run_at = ? WHERE state = 'sending'`).run(now).changes;
}

/** One transmission by id. */
export function getTransmission(db: Db, id: number): TransmissionRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM transmissions WHERE id = ?`).get(id) as TransmissionRow | undefined;
}

/** Transmissions newest first, filtered; `total` counts all matches. */
export function listTransmissions(db: Db, f: { partnerId?: string; channel?: string; state?: string; kind?: string; limit: number; offset: number }): { items: TransmissionRow[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  if (f.partnerId) { where.push('partner_id = @partnerId'); params.partnerId = f.partnerId; }
  if (f.channel) { where.push('channel = @channel'); params.channel = f.channel; }
  if (f.state) { where.push('state = @state'); params.state = f.state; }
  if (f.kind) { where.push('kind = @kind'); params.kind = f.kind; }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const items = db.prepare(`SELECT ${COLS} FROM transmissions ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all(params) as TransmissionRow[];
  const { n } = db.prepare(`SELECT count(*) AS n FROM transmissions ${w}`).get(params) as { n: number };
  return { items, total: n };
}

/** Transmissions of the acknowledgement `ackId` (the ops API shows how each ack left). */
export function transmissionsOfAck(db: Db, ackId: number): TransmissionRow[] {
  return db.prepare(`SELECT ${COLS} FROM transmissions WHERE ack_id = ? ORDER BY id`).all(ackId) as TransmissionRow[];
}

/**
 * Puts a dead transmission back in the queue (attempts counted afresh) and writes the audit entry.
 * Returns false when the row is not dead.
 */
export function replayTransmission(db: Db, id: number, actor: string, now: number = Date.now()): boolean {
  return db.transaction(() => {
    const changed = db.prepare(`UPDATE transmissions SET state = 'pending', attempts = 0, run_at = ?, last_error = NULL WHERE id = ? AND state = 'dead'`).run(now, id).changes;
    if (changed) db.prepare(`INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, 'transmission.replay', ?, NULL)`).run(isoNow(now), actor, `transmission:${id}`);
    return changed > 0;
  })();
}

/** Outbox files recorded but not yet written (state `placing`), oldest first. */
export function transmissionsToPlace(db: Db): TransmissionRow[] {
  return db.prepare(`SELECT ${COLS} FROM transmissions WHERE state = 'placing' ORDER BY id`).all() as TransmissionRow[];
}

/** Marks an outbox file written (`placing` -> `placed`). */
export function markPlaced(db: Db, id: number, now: number = Date.now()): void {
  db.prepare(`UPDATE transmissions SET state = 'placed', sent_at = ? WHERE id = ? AND state = 'placing'`).run(isoNow(now), id);
}

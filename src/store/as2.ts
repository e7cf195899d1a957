import type { Db } from './db.js';
import { isoNow } from './db.js';

/**
 * Status of an AS2 message.
 * - inbound: `received` (taken, being unwrapped) -> `processed` (payload handed to intake) | `error` (negative MDN) |
 *   `duplicate` (Message-ID received before; not processed again)
 * - outbound: `sending` -> `awaiting_mdn` (async) -> `delivered` | `failed` (negative, unverifiable or missing MDN) |
 *   `overdue` (async MDN did not come in time; the transmission is resent or dead)
 */
export type As2Status = 'received' | 'processed' | 'error' | 'duplicate' | 'sending' | 'awaiting_mdn' | 'delivered' | 'failed' | 'overdue';

/** State of an MDN we deliver asynchronously (inbound) : pending -> sent | failed. */
export type As2MdnState = 'pending' | 'sent' | 'failed';

export interface As2MessageRow {
  id: number;
  direction: 'in' | 'out';
  messageId: string;
  partnerId: string | null;
  as2From: string;
  as2To: string;
  status: As2Status;
  /** Disposition field of the MDN (sent for inbound, received for outbound). */
  disposition: string | null;
  detail: string | null;
  signed: number;
  encrypted: number;
  compressed: number;
  /** Base64 MIC (RFC 4130 §7.3.1) and its algorithm name (sha-256...). */
  mic: string | null;
  micAlg: string | null;
  /** none | sync | async */
  mdnMode: string;
  mdnSigned: number;
  /** Receipt-Delivery-Option (inbound async). */
  mdnUrl: string | null;
  mdnState: As2MdnState | null;
  mdnAttempts: number;
  mdnNextAt: number | null;
  /** Outbound async: epoch ms after which a missing MDN makes the message overdue. */
  mdnDueAt: number | null;
  mdnLastError: string | null;
  /** The MDN verbatim (headers and body), as sent or received: evidence. */
  mdn: string | null;
  /** SHA-256 of the archived raw message (inbound: the HTTP request as received; outbound: the body sent). */
  rawSha256: string | null;
  fileName: string | null;
  fileId: number | null;
  transmissionId: number | null;
  duplicateOf: number | null;
  createdAt: string;
  updatedAt: string;
}

const COLS = `id, direction, message_id AS messageId, partner_id AS partnerId, as2_from AS as2From, as2_to AS as2To, status, disposition,
  detail, signed, encrypted, compressed, mic, mic_alg AS micAlg, mdn_mode AS mdnMode, mdn_signed AS mdnSigned, mdn_url AS mdnUrl,
  mdn_state AS mdnState, mdn_attempts AS mdnAttempts, mdn_next_at AS mdnNextAt, mdn_due_at AS mdnDueAt, mdn_last_error AS mdnLastError,
  mdn, raw_sha256 AS rawSha256, file_name AS fileName, file_id AS fileId, transmission_id AS transmissionId, duplicate_of AS duplicateOf,
  created_at AS createdAt, updated_at AS updatedAt`;

/** Fields settable by updateAs2Message (column names in camelCase). */
export type As2Update = Partial<Pick<As2MessageRow, 'status' | 'disposition' | 'detail' | 'signed' | 'encrypted' | 'compressed' | 'mic' | 'micAlg'
  | 'mdnState' | 'mdnAttempts' | 'mdnNextAt' | 'mdnDueAt' | 'mdnLastError' | 'mdn' | 'fileName' | 'fileId' | 'partnerId' | 'rawSha256' | 'messageId'>>;

const COLUMN: Record<keyof As2Update, string> = {
  status: 'status', disposition: 'disposition', detail: 'detail', signed: 'signed', encrypted: 'encrypted', compressed: 'compressed', mic: 'mic',
  micAlg: 'mic_alg', mdnState: 'mdn_state', mdnAttempts: 'mdn_attempts', mdnNextAt: 'mdn_next_at', mdnDueAt: 'mdn_due_at', mdnLastError: 'mdn_last_error',
  mdn: 'mdn', fileName: 'file_name', fileId: 'file_id', partnerId: 'partner_id', rawSha256: 'raw_sha256', messageId: 'message_id',
};

/** Input of insertAs2Message. */
export interface NewAs2Message {
  direction: 'in' | 'out';
  messageId: string;
  partnerId: string | null;
  as2From: string;
  as2To: string;
  status: As2Status;
  mdnMode?: string;
  mdnSigned?: boolean;
  mdnUrl?: string | null;
  rawSha256?: string | null;
  transmissionId?: number | null;
  detail?: string | null;
  now?: number;
}

/** Records an AS2 message; returns its row id. */
export function insertAs2Message(db: Db, m: NewAs2Message): number {
  const at = isoNow(m.now ?? Date.now());
  return Number(db.prepare(`INSERT INTO as2_messages (direction, message_id, partner_id, as2_from, as2_to, status, mdn_mode, mdn_signed, mdn_url,
      raw_sha256, transmission_id, detail, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(m.direction, m.messageId, m.partnerId, m.as2From, m.as2To, m.status, m.mdnMode ?? 'none', m.mdnSigned ? 1 : 0, m.mdnUrl ?? null,
      m.rawSha256 ?? null, m.transmissionId ?? null, m.detail ?? null, at, at).lastInsertRowid);
}

/**
 * Records an inbound message unless the same sender's Message-ID was already taken (RFC 4130 §7.5.3 duplicate):
 * an earlier inbound row from `as2From` with this Message-ID that is `received` or `processed`. Atomic (one
 * transaction), so two concurrent copies of a message never both pass.
 * @returns the new row id and the id of the earlier row when it is a duplicate (the new row is then `duplicate`).
 */
export function insertInboundOnce(db: Db, m: Omit<NewAs2Message, 'direction' | 'status'>): { id: number; duplicateOf: number | null } {
  return db.transaction(() => {
    const earlier = db.prepare(`SELECT id FROM as2_messages WHERE direction = 'in' AND message_id = ? AND as2_from = ? AND status IN ('received', 'processed')
      ORDER BY id LIMIT 1`).get(m.messageId, m.as2From) as { id: number } | undefined;
    const id = insertAs2Message(db, { ...m, direction: 'in', status: earlier ? 'duplicate' : 'received' });
    if (earlier) db.prepare('UPDATE as2_messages SET duplicate_of = ? WHERE id = ?').run(earlier.id, id);
    return { id, duplicateOf: earlier?.id ?? null };
  })();
}

/** Updates fields of a row (updated_at set to now). */
export function updateAs2Message(db: Db, id: number, u: As2Update, now: number = Date.now()): void {
  const keys = Object.keys(u) as Array<keyof As2Update>;
  const sets = keys.map((k) => `${COLUMN[k]} = @${k}`);
  db.prepare(`UPDATE as2_messages SET ${[...sets, 'updated_at = @updatedAt'].join(', ')} WHERE id = @id`).run({ ...u, updatedAt: isoNow(now), id });
}

/** One row by id. */
export function getAs2Message(db: Db, id: number): As2MessageRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM as2_messages WHERE id = ?`).get(id) as As2MessageRow | undefined;
}

/** The outbound message of a transmission (its Message-ID is reused when the transmission is resent). */
export function outboundOfTransmission(db: Db, transmissionId: number): As2MessageRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM as2_messages WHERE direction = 'out' AND transmission_id = ?`).get(transmissionId) as As2MessageRow | undefined;
}

/** The outbound message with this Message-ID (an async MDN's Original-Message-ID). */
export function outboundByMessageId(db: Db, messageId: string): As2MessageRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM as2_messages WHERE direction = 'out' AND message_id = ? ORDER BY id DESC LIMIT 1`).get(messageId) as As2MessageRow | undefined;
}

/** Outbound messages awaiting an async MDN whose deadline passed (epoch ms). */
export function overdueOutbound(db: Db, now: number): As2MessageRow[] {
  return db.prepare(`SELECT ${COLS} FROM as2_messages WHERE direction = 'out' AND status = 'awaiting_mdn' AND mdn_due_at <= ? ORDER BY id`).all(now) as As2MessageRow[];
}

/** Inbound messages whose async MDN is due to be (re)sent. */
export function dueAsyncMdns(db: Db, now: number, limit: number): As2MessageRow[] {
  return db.prepare(`SELECT ${COLS} FROM as2_messages WHERE mdn_state = 'pending' AND mdn_next_at <= ? ORDER BY mdn_next_at, id LIMIT ?`).all(now, limit) as As2MessageRow[];
}

/** The id of the newest intake file with these bytes (the file a just-recorded AS2 payload became). */
export function latestFileIdBySha(db: Db, sha256: string): number | null {
  const r = db.prepare('SELECT id FROM files WHERE sha256 = ? ORDER BY id DESC LIMIT 1').get(sha256) as { id: number } | undefined;
  return r?.id ?? null;
}

/** AS2 messages newest first, filtered; `total` counts all matches. */
export function listAs2Messages(db: Db, f: { direction?: string; partnerId?: string; status?: string; messageId?: string; limit: number; offset: number }): { items: As2MessageRow[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  if (f.direction) { where.push('direction = @direction'); params.direction = f.direction; }
  if (f.partnerId) { where.push('partner_id = @partnerId'); params.partnerId = f.partnerId; }
  if (f.status) { where.push('status = @status'); params.status = f.status; }
  if (f.messageId) { where.push('message_id = @messageId'); params.messageId = f.messageId; }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const items = db.prepare(`SELECT ${COLS} FROM as2_messages ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all(params) as As2MessageRow[];
  const { n } = db.prepare(`SELECT count(*) AS n FROM as2_messages ${w}`).get(params) as { n: number };
  return { items, total: n };
}

/**
 * At start: inbound messages left `received` by a stop or crash. Those whose payload reached intake (file_id set)
 * become `processed`; the others `error`, so the partner's resend is processed instead of being answered as a
 * duplicate. Returns how many rows were settled.
 */
export function settleInterruptedInbound(db: Db, now: number = Date.now()): number {
  return db.prepare(`UPDATE as2_messages SET status = CASE WHEN file_id IS NOT NULL THEN 'processed' ELSE 'error' END,
    detail = CASE WHEN file_id IS NOT NULL THEN detail ELSE 'interrupted by a stop before the payload reached intake; a resend is processed' END,
    updated_at = ? WHERE direction = 'in' AND status = 'received'`).run(isoNow(now)).changes;
}

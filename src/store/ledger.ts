import type { Db } from './db.js';

/**
 * State of one acknowledgement in the ledger (table `ack_ledger`, migration 009):
 * expected (owed, not yet come) -> received (came, carrying no verdict: a pickup, a business reply) | accepted |
 * accepted_with_errors | partially_accepted | rejected; expected -> overdue (the SLA passed) -> late (it came after
 * all; `outcome` then holds what it said). A received acknowledgement that comes after its due time is late too.
 */
export type LedgerState = 'expected' | 'received' | 'accepted' | 'accepted_with_errors' | 'partially_accepted' | 'rejected' | 'overdue' | 'late';

export const LEDGER_STATES: readonly LedgerState[] = ['expected', 'received', 'accepted', 'accepted_with_errors', 'partially_accepted', 'rejected', 'overdue', 'late'];

/** Where a ledger row was derived from. */
export type LedgerSource = 'ack' | 'outbound_document' | 'transaction_set' | 'as2_in';

/** A new ledger row (insertLedgerEntry). */
export interface NewLedgerEntry {
  direction: 'inbound' | 'outbound';
  level: 'transport' | 'interchange' | 'functional' | 'business';
  kind: string;
  partnerId: string | null;
  documentType: string | null;
  businessReference: string | null;
  source: LedgerSource;
  sourceId: number;
  ackId?: number | null;
  outboundDocumentId?: number | null;
  transmissionId?: number | null;
  fileId?: number | null;
  interchangeId?: number | null;
  transactionSetId?: number | null;
  as2MessageId?: number | null;
  state: LedgerState;
  outcome: string | null;
  expectedAt: string;
  slaMs: number | null;
  dueAt: string | null;
  receivedAt: string | null;
  elapsedMs: number | null;
}

/** The last id read from a source table (0 before the first read). */
export function readLedgerCursor(db: Db, source: string): number {
  const r = db.prepare('SELECT last_id AS id FROM ack_ledger_cursors WHERE source = ?').get(source) as { id: number } | undefined;
  return r?.id ?? 0;
}

/** Records that `source` was read up to `lastId`. */
export function advanceLedgerCursor(db: Db, source: string, lastId: number): void {
  db.prepare('INSERT INTO ack_ledger_cursors (source, last_id) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET last_id = excluded.last_id').run(source, lastId);
}

/** Inserts a ledger row unless (source, sourceId, kind) is already there. Returns the new id, or null. */
export function insertLedgerEntry(db: Db, e: NewLedgerEntry): number | null {
  const r = db.prepare(`INSERT OR IGNORE INTO ack_ledger (direction, level, kind, partner_id, document_type, business_reference, source, source_id, ack_id,
      outbound_document_id, transmission_id, file_id, interchange_id, transaction_set_id, as2_message_id, state, outcome, expected_at, sla_ms, due_at,
      received_at, elapsed_ms)
    VALUES (@direction, @level, @kind, @partnerId, @documentType, @businessReference, @source, @sourceId, @ackId, @outboundDocumentId, @transmissionId,
      @fileId, @interchangeId, @transactionSetId, @as2MessageId, @state, @outcome, @expectedAt, @slaMs, @dueAt, @receivedAt, @elapsedMs)`)
    .run({ ackId: null, outboundDocumentId: null, transmissionId: null, fileId: null, interchangeId: null, transactionSetId: null, as2MessageId: null, ...e });
  return r.changes ? Number(r.lastInsertRowid) : null;
}

/** An acks row read for the ledger, with the document it is about. */
export interface AckSourceRow {
  id: number;
  direction: 'inbound' | 'outbound';
  kind: string;
  partnerId: string | null;
  status: string;
  createdAt: string;
  receivedAt: string | null;
  outboundDocumentId: number | null;
  interchangeId: number | null;
  fileId: number | null;
  /** Inbound document (our ack answers it): when its file was received. */
  documentReceivedAt: string | null;
  /** Type of the document acknowledged: our document's set id, or the first set of the partner's group/interchange. */
  documentType: string | null;
  businessReference: string | null;
  transmissionId: number | null;
}

/** acks rows with id > `afterId`, oldest first, at most `limit`. */
export function acksAfter(db: Db, afterId: number, limit: number): AckSourceRow[] {
  return db.prepare(`SELECT a.id, a.direction, a.kind, a.partner_id AS partnerId, a.status, a.created_at AS createdAt, a.received_at AS receivedAt,
      a.outbound_document_id AS outboundDocumentId, a.interchange_id AS interchangeId, i.file_id AS fileId, f.received_at AS documentReceivedAt,
      coalesce(d.document_type, (SELECT s.set_id FROM transaction_sets s WHERE s.interchange_id = a.interchange_id
        AND (a.group_control_number IS NULL OR s.group_control_number = a.group_control_number) ORDER BY s.id LIMIT 1)) AS documentType,
      d.business_reference AS businessReference, d.transmission_id AS transmissionId
    FROM acks a LEFT JOIN outbound_documents d ON d.id = a.outbound_document_id
      LEFT JOIN interchanges i ON i.id = a.interchange_id LEFT JOIN files f ON f.id = i.file_id
    WHERE a.id > ? ORDER BY a.id LIMIT ?`).all(afterId, limit) as AckSourceRow[];
}

/** An outbound document read for the ledger, with how it left. */
export interface OutboundSourceRow {
  id: number;
  partnerId: string;
  documentType: string;
  businessReference: string | null;
  transmissionId: number | null;
  channel: string | null;
  createdAt: string;
}

/** Outbound documents with id > `afterId` with their transmission's channel, oldest first. */
export function outboundDocumentsAfter(db: Db, afterId: number, limit: number): OutboundSourceRow[] {
  return db.prepare(`SELECT d.id, d.partner_id AS partnerId, d.document_type AS documentType, d.business_reference AS businessReference,
      d.transmission_id AS transmissionId, t.channel, d.created_at AS createdAt
    FROM outbound_documents d LEFT JOIN transmissions t ON t.id = d.transmission_id
    WHERE d.id > ? ORDER BY d.id LIMIT ?`).all(afterId, limit) as OutboundSourceRow[];
}

/** An inbound transaction set read for the ledger. */
export interface InboundSetSourceRow {
  id: number;
  setId: string;
  partnerId: string | null;
  interchangeId: number;
  fileId: number;
  businessReference: string | null;
  receivedAt: string;
  /** Our verdict on the set (AK5/UCM: R rejected) and on its interchange (duplicate...). */
  ackCode: string;
  interchangeStatus: string;
}

/** Inbound transaction sets with id > `afterId` (with their interchange's partner and receipt time), oldest first. */
export function inboundSetsAfter(db: Db, afterId: number, limit: number): InboundSetSourceRow[] {
  return db.prepare(`SELECT s.id, s.set_id AS setId, i.partner_id AS partnerId, s.interchange_id AS interchangeId, i.file_id AS fileId,
      s.business_reference AS businessReference, i.received_at AS receivedAt, s.ack_code AS ackCode, i.status AS interchangeStatus
    FROM transaction_sets s JOIN interchanges i ON i.id = s.interchange_id
    WHERE s.id > ? ORDER BY s.id LIMIT ?`).all(afterId, limit) as InboundSetSourceRow[];
}

/** An inbound AS2 message whose sender asked for an MDN. */
export interface As2InSourceRow {
  id: number;
  partnerId: string | null;
  status: string;
  mdnMode: string;
  mdnState: string | null;
  fileId: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Inbound AS2 messages with id > `afterId` that asked for an MDN (not duplicates), oldest first. */
export function as2InboundAfter(db: Db, afterId: number, limit: number): As2InSourceRow[] {
  return db.prepare(`SELECT id, partner_id AS partnerId, status, mdn_mode AS mdnMode, mdn_state AS mdnState, file_id AS fileId, created_at AS createdAt,
      updated_at AS updatedAt FROM as2_messages WHERE direction = 'in' AND id > ? ORDER BY id LIMIT ?`).all(afterId, limit) as As2InSourceRow[];
}

/** A ledger row still waiting (expected or overdue), with what its source says now. */
export interface OpenLedgerRow {
  id: number;
  direction: 'inbound' | 'outbound';
  level: string;
  kind: string;
  partnerId: string | null;
  documentType: string | null;
  businessReference: string | null;
  state: 'expected' | 'overdue';
  expectedAt: string;
  dueAt: string | null;
  ackStatus: string | null;
  ackKind: string | null;
  ackAt: string | null;
  transmissionState: string | null;
  pickedUpAt: string | null;
  sentAt: string | null;
  as2Status: string | null;
  as2At: string | null;
  mdnState: string | null;
  mdnMode: string | null;
}

/** Every waiting ledger row with its source's current state (acks row, transmission, AS2 message). */
export function openLedgerRows(db: Db): OpenLedgerRow[] {
  return db.prepare(`SELECT l.id, l.direction, l.level, l.kind, l.partner_id AS partnerId, l.document_type AS documentType,
      l.business_reference AS businessReference, l.state, l.expected_at AS expectedAt, l.due_at AS dueAt,
      a.status AS ackStatus, a.kind AS ackKind, coalesce(a.received_at, a.created_at) AS ackAt,
      t.state AS transmissionState, t.picked_up_at AS pickedUpAt, t.sent_at AS sentAt,
      coalesce(mo.status, mi.status) AS as2Status, coalesce(mo.updated_at, mi.updated_at) AS as2At, mi.mdn_state AS mdnState, mi.mdn_mode AS mdnMode
    FROM ack_ledger l
      LEFT JOIN acks a ON a.id = l.ack_id
      LEFT JOIN transmissions t ON l.level = 'transport' AND t.id = l.transmission_id
      LEFT JOIN as2_messages mo ON l.kind = 'MDN' AND l.direction = 'inbound' AND mo.transmission_id = l.transmission_id AND mo.direction = 'out'
      LEFT JOIN as2_messages mi ON l.kind = 'MDN' AND l.direction = 'outbound' AND mi.id = l.as2_message_id
    WHERE l.state IN ('expected', 'overdue') ORDER BY l.id`).all() as OpenLedgerRow[];
}

/** The business reply we sent that answers a document: our outbound document of type `replyType` with the same reference. */
export function findSentReply(db: Db, partnerId: string, replyType: string, businessReference: string): { id: number; createdAt: string; body: string } | undefined {
  return db.prepare(`SELECT id, created_at AS createdAt, body FROM outbound_documents WHERE business_reference = ? AND partner_id = ? AND document_type = ?
    ORDER BY id LIMIT 1`).get(businessReference, partnerId, replyType) as { id: number; createdAt: string; body: string } | undefined;
}

/** The business reply the partner sent: an inbound transaction set of type `replyType` with the same reference. */
export function findReceivedReply(db: Db, partnerId: string, replyType: string, businessReference: string): { id: number; interchangeId: number; receivedAt: string; ackCode: string } | undefined {
  return db.prepare(`SELECT s.id, s.interchange_id AS interchangeId, i.received_at AS receivedAt, s.ack_code AS ackCode FROM transaction_sets s
    JOIN interchanges i ON i.id = s.interchange_id WHERE s.business_reference = ? AND s.set_id = ? AND i.partner_id = ? ORDER BY s.id LIMIT 1`)
    .get(businessReference, replyType, partnerId) as { id: number; interchangeId: number; receivedAt: string; ackCode: string } | undefined;
}

/** Settles a waiting row: the acknowledgement came at `receivedAt` with `outcome`; `state` is the outcome or `late`. */
export function settleLedgerEntry(db: Db, id: number, s: { state: LedgerState; outcome: string; kind?: string; receivedAt: string; elapsedMs: number; replyDocumentId?: number | null; replySetId?: number | null }): void {
  db.prepare(`UPDATE ack_ledger SET state = @state, outcome = @outcome, kind = coalesce(@kind, kind), received_at = @receivedAt, elapsed_ms = @elapsedMs,
      reply_document_id = coalesce(@replyDocumentId, reply_document_id), reply_set_id = coalesce(@replySetId, reply_set_id)
    WHERE id = @id AND state IN ('expected', 'overdue')`)
    .run({ kind: null, replyDocumentId: null, replySetId: null, ...s, id });
}

/** A ledger row that just became overdue (markOverdue). */
export interface OverdueRow {
  id: number;
  direction: string;
  level: string;
  kind: string;
  partnerId: string | null;
  documentType: string | null;
  businessReference: string | null;
  expectedAt: string;
  dueAt: string;
  outboundDocumentId: number | null;
  interchangeId: number | null;
  transactionSetId: number | null;
  fileId: number | null;
}

const OVERDUE_COLS = `id, direction, level, kind, partner_id AS partnerId, document_type AS documentType, business_reference AS businessReference,
  expected_at AS expectedAt, due_at AS dueAt, outbound_document_id AS outboundDocumentId, interchange_id AS interchangeId,
  transaction_set_id AS transactionSetId, file_id AS fileId`;

/**
 * Marks every expected row whose due time is at or before `nowIso` overdue and queues its alert (once: a row
 * leaves `expected` only once). The acks row it stands for, still pending, gets status `overdue` too
 * (GET /api/acks?status=overdue). Returns the rows marked.
 */
export function markOverdue(db: Db, nowIso: string, nowMs: number): OverdueRow[] {
  return db.transaction(() => {
    const rows = db.prepare(`UPDATE ack_ledger SET state = 'overdue', overdue_at = @now, alert_state = 'pending', alert_next_at = @nowMs
      WHERE state = 'expected' AND due_at IS NOT NULL AND due_at <= @now RETURNING ${OVERDUE_COLS}`).all({ now: nowIso, nowMs }) as OverdueRow[];
    const ackOverdue = db.prepare(`UPDATE acks SET status = 'overdue' WHERE status = 'pending' AND id = (SELECT ack_id FROM ack_ledger WHERE id = ?)`);
    for (const r of rows) ackOverdue.run(r.id);
    return rows.sort((a, b) => a.id - b.id);
  })();
}

/** Alerts due to be (re)sent at `nowMs`, oldest first. */
export function dueLedgerAlerts(db: Db, nowMs: number, limit: number): Array<OverdueRow & { alertAttempts: number; overdueAt: string }> {
  return db.prepare(`SELECT ${OVERDUE_COLS}, alert_attempts AS alertAttempts, overdue_at AS overdueAt FROM ack_ledger
    WHERE alert_state = 'pending' AND alert_next_at <= ? ORDER BY alert_next_at, id LIMIT ?`).all(nowMs, limit) as Array<OverdueRow & { alertAttempts: number; overdueAt: string }>;
}

/** Records an alert attempt: `sent` (or `logged` when there is no webhook), retried at `retryAt`, or `failed` for good. */
export function recordLedgerAlert(db: Db, id: number, r: { state: 'sent' | 'logged' | 'pending' | 'failed'; at: string; error?: string | null; retryAt?: number | null }): void {
  db.prepare(`UPDATE ack_ledger SET alert_state = ?, alert_attempts = alert_attempts + ?, alert_error = ?, alert_next_at = ?,
      alerted_at = CASE WHEN ? IN ('sent', 'logged') THEN ? ELSE alerted_at END WHERE id = ?`)
    .run(r.state, r.state === 'logged' ? 0 : 1, r.error ?? null, r.retryAt ?? null, r.state, r.at, id);
}

/** Filters of listLedger (GET /api/acks). */
export interface LedgerFilter {
  direction?: string;
  /** Status of the acks row (pending, accepted... as before the ledger). */
  status?: string;
  state?: string;
  partnerId?: string;
  kind?: string;
  level?: string;
  documentType?: string;
  outboundDocumentId?: number;
  interchangeId?: number;
  ledgerId?: number;
  /** Only entries expected at or before this time (ISO). */
  expectedBefore?: string;
  expectedAfter?: string;
  limit: number;
  offset: number;
}

/** One ledger entry as GET /api/acks shows it: the ledger fields, the acks row's fields when it is one, and our transmission of it. */
export interface LedgerEntry {
  /** The acks row id (null for transport and business entries). */
  id: number | null;
  ledgerId: number;
  direction: 'inbound' | 'outbound';
  level: string;
  kind: string;
  partnerId: string | null;
  documentType: string | null;
  businessReference: string | null;
  state: LedgerState;
  outcome: string | null;
  status: string | null;
  expectedAt: string;
  slaMs: number | null;
  dueAt: string | null;
  receivedAt: string | null;
  elapsedMs: number | null;
  overdueAt: string | null;
  alertState: string | null;
  alertAttempts: number;
  alertedAt: string | null;
  alertError: string | null;
  outboundDocumentId: number | null;
  transmissionId: number | null;
  fileId: number | null;
  interchangeId: number | null;
  transactionSetId: number | null;
  as2MessageId: number | null;
  replyDocumentId: number | null;
  replySetId: number | null;
  ackCode: string | null;
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  groupControlNumberSent: string | null;
  fileName: string | null;
  path: string | null;
  content: string | null;
  createdAt: string;
  answersAckId: number | null;
  answeredStatus: string | null;
  answeredAt: string | null;
  /** Our acknowledgements: the state of their transmission and when the partner collected them. */
  ackTransmissionId: number | null;
  ackTransmissionState: string | null;
  ackSentAt: string | null;
  ackPickedUpAt: string | null;
  /** The partner's interchange an acknowledgement they sent came in (business reply sets), if known. */
  replyInterchangeId: number | null;
}

const ENTRY_COLS = `a.id AS id, l.id AS ledgerId, l.direction, l.level, l.kind, l.partner_id AS partnerId, l.document_type AS documentType,
  l.business_reference AS businessReference, l.state, l.outcome, a.status AS status, l.expected_at AS expectedAt, l.sla_ms AS slaMs, l.due_at AS dueAt,
  l.received_at AS receivedAt, l.elapsed_ms AS elapsedMs, l.overdue_at AS overdueAt, l.alert_state AS alertState, l.alert_attempts AS alertAttempts,
  l.alerted_at AS alertedAt, l.alert_error AS alertError, l.outbound_document_id AS outboundDocumentId, l.transmission_id AS transmissionId,
  l.file_id AS fileId, l.interchange_id AS interchangeId, l.transaction_set_id AS transactionSetId, l.as2_message_id AS as2MessageId,
  l.reply_document_id AS replyDocumentId, l.reply_set_id AS replySetId,
  a.ack_code AS ackCode, coalesce(a.interchange_control_number, d.interchange_control_number) AS interchangeControlNumber,
  coalesce(a.group_control_number, d.group_control_number) AS groupControlNumber, a.group_control_number_sent AS groupControlNumberSent,
  coalesce(a.file_name, d.file_name) AS fileName, a.path, a.content, coalesce(a.created_at, l.expected_at) AS createdAt,
  a.answers_ack_id AS answersAckId, a.answered_status AS answeredStatus, a.answered_at AS answeredAt,
  t.id AS ackTransmissionId, t.state AS ackTransmissionState, t.sent_at AS ackSentAt, t.picked_up_at AS ackPickedUpAt,
  rs.interchange_id AS replyInterchangeId`;

const ENTRY_FROM = `FROM ack_ledger l LEFT JOIN acks a ON a.id = l.ack_id LEFT JOIN outbound_documents d ON d.id = l.outbound_document_id
  LEFT JOIN transmissions t ON t.id = (SELECT max(id) FROM transmissions WHERE ack_id = l.ack_id AND l.direction = 'outbound')
  LEFT JOIN transaction_sets rs ON rs.id = l.reply_set_id`;

/** Ledger entries newest first, filtered; `total` counts all matches. */
export function listLedger(db: Db, f: LedgerFilter): { items: LedgerEntry[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  const add = (cond: string, key: string, value: unknown) => { if (value !== undefined) { where.push(cond); params[key] = value; } };
  add('l.direction = @direction', 'direction', f.direction);
  add('a.status = @status', 'status', f.status);
  add('l.state = @state', 'state', f.state);
  add('l.partner_id = @partnerId', 'partnerId', f.partnerId);
  add('l.kind = @kind', 'kind', f.kind);
  add('l.level = @level', 'level', f.level);
  add('l.document_type = @documentType', 'documentType', f.documentType);
  add('l.outbound_document_id = @outboundDocumentId', 'outboundDocumentId', f.outboundDocumentId);
  add('l.interchange_id = @interchangeId', 'interchangeId', f.interchangeId);
  add('l.id = @ledgerId', 'ledgerId', f.ledgerId);
  add('l.expected_at <= @expectedBefore', 'expectedBefore', f.expectedBefore);
  add('l.expected_at >= @expectedAfter', 'expectedAfter', f.expectedAfter);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const items = db.prepare(`SELECT ${ENTRY_COLS} ${ENTRY_FROM} ${w} ORDER BY l.id DESC LIMIT @limit OFFSET @offset`).all(params) as LedgerEntry[];
  const { n } = db.prepare(`SELECT count(*) AS n FROM ack_ledger l LEFT JOIN acks a ON a.id = l.ack_id ${w}`).get(params) as { n: number };
  return { items, total: n };
}

/** The acks row `id` (with content) and its ledger entries. */
export function ledgerEntriesOfAck(db: Db, id: number): LedgerEntry[] {
  return db.prepare(`SELECT ${ENTRY_COLS} ${ENTRY_FROM} WHERE l.ack_id = ? ORDER BY l.id`).all(id) as LedgerEntry[];
}

/** Ledger entries of one document: ours (`outbound_documents.id`) or the partner's (an interchange id). */
export function ledgerEntriesOfDocument(db: Db, ref: { outboundDocumentId: number } | { interchangeId: number }): LedgerEntry[] {
  if ('outboundDocumentId' in ref) return db.prepare(`SELECT ${ENTRY_COLS} ${ENTRY_FROM} WHERE l.outbound_document_id = ? ORDER BY l.id`).all(ref.outboundDocumentId) as LedgerEntry[];
  return db.prepare(`SELECT ${ENTRY_COLS} ${ENTRY_FROM} WHERE l.interchange_id = ? ORDER BY l.id`).all(ref.interchangeId) as LedgerEntry[];
}

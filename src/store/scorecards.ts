/**
 * Reads behind the partner scorecards (src/scorecards/): every query is a range search on an index that starts
 * with the partner and a time (migrations 001, 002, 007 and 010-scorecards), bounded by a period
 * [from, to) of ISO-8601 UTC times as stored in the *_at columns. Counts come back grouped by UTC day (at most
 * one row per day and key), durations as one row per document; the caller rolls them up into totals and ISO weeks.
 */
import type { Db } from './db.js';
import { DUPLICATE_LAYERS } from './duplicates.js';

/** A partner and a period: `from` inclusive, `to` exclusive, both ISO-8601 UTC (`2026-01-05T00:00:00.000Z`). */
export interface ScorecardRange {
  partnerId: string;
  from: string;
  to: string;
}

/** Files received per UTC day and file status (files_partner index). */
export function filesByDay(db: Db, r: ScorecardRange): Array<{ day: string; status: string; n: number }> {
  return db.prepare(`SELECT substr(received_at, 1, 10) AS day, status, count(*) AS n FROM files
    WHERE partner_id = @partnerId AND received_at >= @from AND received_at < @to GROUP BY 1, 2 ORDER BY 1, 2`).all(r) as Array<{ day: string; status: string; n: number }>;
}

/**
 * Transaction sets received per UTC day, set id and outcome (interchanges_partner, sets_interchange):
 * `duplicate` when the interchange was refused as a duplicate, `rejected` when the set's AK5 is R, its group's
 * AK9 is R or the interchange was rejected (TA1 R), `accepted_with_errors` for AK5 E, else `accepted`.
 */
export function setsByDay(db: Db, r: ScorecardRange): Array<{ day: string; setId: string; outcome: string; n: number }> {
  return db.prepare(`SELECT substr(i.received_at, 1, 10) AS day, s.set_id AS setId,
      CASE WHEN i.status = 'duplicate' THEN 'duplicate'
           WHEN s.ack_code = 'R' OR g.ack_code = 'R' OR i.status = 'rejected' THEN 'rejected'
           WHEN s.ack_code = 'E' THEN 'accepted_with_errors'
           ELSE 'accepted' END AS outcome,
      count(*) AS n
    FROM interchanges i JOIN transaction_sets s ON s.interchange_id = i.id LEFT JOIN functional_groups g ON g.id = s.group_id
    WHERE i.partner_id = @partnerId AND i.received_at >= @from AND i.received_at < @to
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`).all(r) as Array<{ day: string; setId: string; outcome: string; n: number }>;
}

/** Error findings in the partner's files of the period, by code, most frequent first (files_partner, findings_file). */
export function errorCodes(db: Db, r: ScorecardRange, limit: number): Array<{ code: string; n: number; files: number }> {
  return db.prepare(`SELECT g.code, count(*) AS n, count(DISTINCT g.file_id) AS files FROM files f JOIN findings g ON g.file_id = f.id
    WHERE f.partner_id = @partnerId AND f.received_at >= @from AND f.received_at < @to AND g.severity = 'error'
    GROUP BY g.code ORDER BY n DESC, g.code LIMIT @limit`).all({ ...r, limit }) as Array<{ code: string; n: number; files: number }>;
}

const quote = (codes: readonly string[]) => codes.map((c) => `'${c.replace(/'/g, "''")}'`).join(', ');
const FILE_LAYERS = [...(DUPLICATE_LAYERS.file ?? []), ...(DUPLICATE_LAYERS.interchange ?? [])];
const DOCUMENT_LAYERS = [...(DUPLICATE_LAYERS.controlNumbers ?? []), ...(DUPLICATE_LAYERS.businessDocument ?? [])];
const ALL_LAYERS = Object.values(DUPLICATE_LAYERS).flat();

/**
 * Duplicate findings (every layer of DUPLICATE_LAYERS) per UTC day of the file: findings per layer code, files
 * carrying a file- or interchange-layer finding, and transaction sets carrying a set-level control-number or
 * business-document finding (each file or set counted once a day).
 */
export function duplicatesByDay(db: Db, r: ScorecardRange): Array<{ day: string; code: string; n: number; files: number; sets: number }> {
  return db.prepare(`SELECT substr(f.received_at, 1, 10) AS day, g.code, count(*) AS n,
      count(DISTINCT CASE WHEN g.code IN (${quote(FILE_LAYERS)}) THEN g.file_id END) AS files,
      count(DISTINCT CASE WHEN g.code IN (${quote(DOCUMENT_LAYERS)}) THEN g.transaction_set_id END) AS sets
    FROM files f JOIN findings g ON g.file_id = f.id
    WHERE f.partner_id = @partnerId AND f.received_at >= @from AND f.received_at < @to AND g.code IN (${quote(ALL_LAYERS)})
    GROUP BY 1, 2 ORDER BY 1, 2`).all(r) as Array<{ day: string; code: string; n: number; files: number; sets: number }>;
}

/** Files we sent the partner (acknowledgements and documents) per UTC day, kind and transmission state (transmissions_partner). */
export function transmissionsByDay(db: Db, r: ScorecardRange): Array<{ day: string; kind: string; state: string; n: number }> {
  return db.prepare(`SELECT substr(created_at, 1, 10) AS day, kind, state, count(*) AS n FROM transmissions
    WHERE partner_id = @partnerId AND created_at >= @from AND created_at < @to GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`).all(r) as Array<{ day: string; kind: string; state: string; n: number }>;
}

/**
 * Documents we generated for the partner in the period, each with the first functional acknowledgement (997,
 * 999) the partner sent for it: its arrival time (null while none came) and status
 * (outbound_documents_partner_created, acks_outbound_document).
 */
export function outboundWithAcks(db: Db, r: ScorecardRange): Array<{ id: number; documentType: string; createdAt: string; ackReceivedAt: string | null; ackStatus: string | null }> {
  return db.prepare(`SELECT d.id, d.document_type AS documentType, d.created_at AS createdAt,
      (SELECT a.received_at FROM acks a WHERE a.outbound_document_id = d.id AND a.direction = 'inbound' AND a.kind IN ('997', '999') AND a.received_at IS NOT NULL
        ORDER BY a.received_at LIMIT 1) AS ackReceivedAt,
      (SELECT a.status FROM acks a WHERE a.outbound_document_id = d.id AND a.direction = 'inbound' AND a.kind IN ('997', '999') AND a.received_at IS NOT NULL
        ORDER BY a.received_at LIMIT 1) AS ackStatus
    FROM outbound_documents d WHERE d.partner_id = @partnerId AND d.created_at >= @from AND d.created_at < @to ORDER BY d.created_at, d.id`)
    .all(r) as Array<{ id: number; documentType: string; createdAt: string; ackReceivedAt: string | null; ackStatus: string | null }>;
}

/**
 * Our functional acknowledgements (997, 999, CONTRL) to the partner created in the period, each with the time its
 * file was received and the state of the transmission that carried it (acks_partner, then by primary key and
 * transmissions_ack).
 */
export function ourAcks(db: Db, r: ScorecardRange): Array<{ id: number; kind: string; createdAt: string; fileReceivedAt: string; transmissionState: string | null }> {
  return db.prepare(`SELECT a.id, a.kind, a.created_at AS createdAt, f.received_at AS fileReceivedAt,
      (SELECT t.state FROM transmissions t WHERE t.ack_id = a.id ORDER BY t.id DESC LIMIT 1) AS transmissionState
    FROM acks a JOIN interchanges i ON i.id = a.interchange_id JOIN files f ON f.id = i.file_id
    WHERE a.partner_id = @partnerId AND a.created_at >= @from AND a.created_at < @to AND a.direction = 'outbound' AND a.kind IN ('997', '999', 'CONTRL')
    ORDER BY a.created_at, a.id`).all(r) as Array<{ id: number; kind: string; createdAt: string; fileReceivedAt: string; transmissionState: string | null }>;
}

/** Deliveries of the partner's messages created in the period, per UTC day, destination and state (deliveries_partner_created). */
export function deliveriesByDay(db: Db, r: ScorecardRange): Array<{ day: string; destination: string; state: string; n: number }> {
  return db.prepare(`SELECT substr(created_at, 1, 10) AS day, destination, state, count(*) AS n FROM deliveries
    WHERE partner_id = @partnerId AND created_at >= @from AND created_at < @to GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`).all(r) as Array<{ day: string; destination: string; state: string; n: number }>;
}

/** A canonical message as the scorecards read it. */
export interface ScorecardMessage {
  id: string;
  partnerId: string;
  businessReference: string | null;
  /** The canonical message JSON (envelope and payload). */
  body: string;
  createdAt: string;
}

/**
 * The partner's canonical messages of `type` received in the period, oldest first, without flagged business
 * duplicates (messages_partner_type_created).
 */
export function messagesOfType(db: Db, r: ScorecardRange, type: string): ScorecardMessage[] {
  return db.prepare(`SELECT id, partner_id AS partnerId, business_reference AS businessReference, body, created_at AS createdAt FROM messages
    WHERE partner_id = @partnerId AND type = @type AND created_at >= @from AND created_at < @to AND duplicate_of IS NULL ORDER BY created_at, rowid`)
    .all({ ...r, type }) as ScorecardMessage[];
}

/**
 * Canonical messages of `type` from any partner whose business reference is one of `references`, oldest first,
 * flagged business duplicates included (messages_business_reference; asked 500 references at a time).
 */
export function messagesByReference(db: Db, type: string, references: readonly string[]): ScorecardMessage[] {
  const out: ScorecardMessage[] = [];
  const unique = [...new Set(references)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    out.push(...(db.prepare(`SELECT id, partner_id AS partnerId, business_reference AS businessReference, body, created_at AS createdAt FROM messages
      WHERE business_reference IN (${chunk.map(() => '?').join(', ')}) AND type = ?`).all(...chunk, type) as ScorecardMessage[]));
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * Canonical receipts from any partner whose `shipmentId` is one of `shipmentIds`, oldest first (the expression
 * index messages_receipt_shipment of migration 010; 500 ids at a time).
 */
export function receiptsByShipmentId(db: Db, shipmentIds: readonly string[]): ScorecardMessage[] {
  const out: ScorecardMessage[] = [];
  const unique = [...new Set(shipmentIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    out.push(...(db.prepare(`SELECT id, partner_id AS partnerId, business_reference AS businessReference, body, created_at AS createdAt FROM messages
      WHERE type = 'receipt' AND json_extract(body, '$.payload.shipmentId') IN (${chunk.map(() => '?').join(', ')})`).all(...chunk) as ScorecardMessage[]));
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** The SQL of every scorecard query with sample parameters, for EXPLAIN QUERY PLAN checks (tests, bench). */
export function scorecardQueries(): Array<{ name: string; sql: string; params: Record<string, unknown> | unknown[] }> {
  const r = { partnerId: 'p', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
  const capture = (name: string, fn: (db: Db) => unknown, params: Record<string, unknown> | unknown[] = r) => {
    const seen: string[] = [];
    const fake = { prepare: (sql: string) => { seen.push(sql); return { all: () => [] }; } } as unknown as Db;
    fn(fake);
    return seen.map((sql) => ({ name, sql, params }));
  };
  return [
    ...capture('files', (db) => filesByDay(db, r)),
    ...capture('sets', (db) => setsByDay(db, r)),
    ...capture('errors', (db) => errorCodes(db, r, 5), { ...r, limit: 5 }),
    ...capture('duplicates', (db) => duplicatesByDay(db, r)),
    ...capture('transmissions', (db) => transmissionsByDay(db, r)),
    ...capture('partnerAcks', (db) => outboundWithAcks(db, r)),
    ...capture('ourAcks', (db) => ourAcks(db, r)),
    ...capture('deliveries', (db) => deliveriesByDay(db, r)),
    ...capture('messagesOfType', (db) => messagesOfType(db, r, 'shipment'), { ...r, type: 'shipment' }),
    ...capture('messagesByReference', (db) => messagesByReference(db, 'receipt', ['A', 'B']), ['A', 'B', 'receipt']),
    ...capture('receiptsByShipmentId', (db) => receiptsByShipmentId(db, ['A', 'B']), ['A', 'B']),
  ];
}

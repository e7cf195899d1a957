import type { Db } from './db.js';

/** A document we generated for a partner from a posted canonical message (table `outbound_documents`). */
export interface OutboundDocumentRow {
  id: number;
  partnerId: string;
  messageType: string;
  standard: string;
  /** X12 transaction set id (855, 856...). */
  documentType: string;
  /** GS01 of its group (PR, SH, IN...). */
  functionalId: string;
  idempotencyKey: string;
  /** SHA-256 of the posted request (same key with another body is a conflict). */
  requestSha256: string;
  businessReference: string | null;
  interchangeControlNumber: string;
  groupControlNumber: string;
  transactionSetControlNumber: string;
  fileName: string;
  transmissionId: number | null;
  /** The generated document text. */
  body: string;
  createdAt: string;
}

const COLS = `id, partner_id AS partnerId, message_type AS messageType, standard, document_type AS documentType, functional_id AS functionalId,
  idempotency_key AS idempotencyKey, request_sha256 AS requestSha256, business_reference AS businessReference,
  interchange_control_number AS interchangeControlNumber, group_control_number AS groupControlNumber,
  transaction_set_control_number AS transactionSetControlNumber, file_name AS fileName, transmission_id AS transmissionId, body, created_at AS createdAt`;

/** Records a generated document; returns its id. Throws on a repeated (partner, idempotency key): check first. */
export function insertOutboundDocument(db: Db, d: Omit<OutboundDocumentRow, 'id'>): number {
  return Number(db.prepare(`INSERT INTO outbound_documents (partner_id, message_type, standard, document_type, functional_id, idempotency_key,
    request_sha256, business_reference, interchange_control_number, group_control_number, transaction_set_control_number, file_name,
    transmission_id, body, created_at) VALUES (@partnerId, @messageType, @standard, @documentType, @functionalId, @idempotencyKey,
    @requestSha256, @businessReference, @interchangeControlNumber, @groupControlNumber, @transactionSetControlNumber, @fileName,
    @transmissionId, @body, @createdAt)`).run(d).lastInsertRowid);
}

/** Links a document to the transmission that carries it. */
export function setOutboundTransmission(db: Db, id: number, transmissionId: number): void {
  db.prepare('UPDATE outbound_documents SET transmission_id = ? WHERE id = ?').run(transmissionId, id);
}

/** The document generated earlier for this partner and idempotency key, if any. */
export function findOutboundByIdempotencyKey(db: Db, partnerId: string, key: string): OutboundDocumentRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM outbound_documents WHERE partner_id = ? AND idempotency_key = ?`).get(partnerId, key) as OutboundDocumentRow | undefined;
}

/** One document by id. */
export function getOutboundDocument(db: Db, id: number): OutboundDocumentRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM outbound_documents WHERE id = ?`).get(id) as OutboundDocumentRow | undefined;
}

/**
 * The document a partner's functional acknowledgement answers: our GS06 (AK102) in a group of functional id
 * AK101, sent to that partner. Control numbers compared without leading zeros (partners echo them either way).
 */
export function findOutboundByGroup(db: Db, partnerId: string, functionalId: string, groupControlNumber: string): OutboundDocumentRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM outbound_documents WHERE partner_id = ? AND functional_id = ? AND ltrim(group_control_number, '0') = ltrim(?, '0')
    ORDER BY id DESC LIMIT 1`).get(partnerId, functionalId, groupControlNumber.trim()) as OutboundDocumentRow | undefined;
}

/** The document sent in our interchange ISA13 = `controlNumber` (a TA1 answers it). */
export function findOutboundByInterchange(db: Db, partnerId: string, controlNumber: string): OutboundDocumentRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM outbound_documents WHERE partner_id = ? AND ltrim(interchange_control_number, '0') = ltrim(?, '0')
    ORDER BY id DESC LIMIT 1`).get(partnerId, controlNumber.trim()) as OutboundDocumentRow | undefined;
}

/** Documents newest first, filtered; `total` counts all matches. */
export function listOutboundDocuments(db: Db, f: { partnerId?: string; documentType?: string; reference?: string; limit: number; offset: number }): { items: Array<Omit<OutboundDocumentRow, 'body'>>; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  if (f.partnerId) { where.push('partner_id = @partnerId'); params.partnerId = f.partnerId; }
  if (f.documentType) { where.push('document_type = @documentType'); params.documentType = f.documentType; }
  if (f.reference) { where.push('business_reference = @reference'); params.reference = f.reference; }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const cols = COLS.replace(', body,', ',');
  const items = db.prepare(`SELECT ${cols} FROM outbound_documents ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all(params) as Array<Omit<OutboundDocumentRow, 'body'>>;
  const { n } = db.prepare(`SELECT count(*) AS n FROM outbound_documents ${w}`).get(params) as { n: number };
  return { items, total: n };
}

/** Records the acknowledgement we expect for a document (direction inbound, status pending); returns its id. */
export function insertExpectedAck(db: Db, a: { partnerId: string; kind: string; documentId: number; interchangeControlNumber: string; groupControlNumber: string; createdAt: string }): number {
  return Number(db.prepare(`INSERT INTO acks (direction, kind, partner_id, interchange_id, group_control_number, ack_code, status, interchange_control_number,
    group_control_number_sent, file_name, path, content, created_at, outbound_document_id) VALUES ('inbound', ?, ?, NULL, ?, '', 'pending', ?, NULL, NULL, NULL, NULL, ?, ?)`)
    .run(a.kind, a.partnerId, a.groupControlNumber, a.interchangeControlNumber, a.createdAt, a.documentId).lastInsertRowid);
}

/**
 * Records a received acknowledgement against the expected one of document `documentId` and `kind`
 * (997/999 answer the group, TA1 the interchange). Returns the number of rows updated (0: no such expectation,
 * e.g. a TA1 for a document whose partner sends none; the caller then inserts a row of its own).
 */
export function recordReceivedAck(db: Db, r: { documentId: number; kinds: string[]; kind: string; ackCode: string; status: string; content: string; fileName: string | null; receivedAt: string }): number {
  const marks = r.kinds.map(() => '?').join(', ');
  return db.prepare(`UPDATE acks SET kind = ?, ack_code = ?, status = ?, content = ?, file_name = ?, received_at = ?
    WHERE id = (SELECT id FROM acks WHERE outbound_document_id = ? AND direction = 'inbound' AND kind IN (${marks}) ORDER BY id LIMIT 1)`)
    .run(r.kind, r.ackCode, r.status, r.content, r.fileName, r.receivedAt, r.documentId, ...r.kinds).changes;
}

/** Inserts a received acknowledgement that no expectation was waiting for (e.g. a TA1); returns its id. */
export function insertReceivedAck(db: Db, r: { partnerId: string; documentId: number | null; kind: string; ackCode: string; status: string; interchangeControlNumber: string | null; groupControlNumber: string | null; content: string; fileName: string | null; receivedAt: string }): number {
  return Number(db.prepare(`INSERT INTO acks (direction, kind, partner_id, interchange_id, group_control_number, ack_code, status, interchange_control_number,
    group_control_number_sent, file_name, path, content, created_at, outbound_document_id, received_at) VALUES ('inbound', ?, ?, NULL, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?)`)
    .run(r.kind, r.partnerId, r.groupControlNumber, r.ackCode, r.status, r.interchangeControlNumber, r.fileName, r.content, r.receivedAt, r.documentId, r.receivedAt).lastInsertRowid);
}

/** The acknowledgements expected for or received against document `id` (ledger view of one document). */
export function acksOfOutboundDocument(db: Db, id: number): Array<{ id: number; kind: string; ackCode: string; status: string; receivedAt: string | null; createdAt: string }> {
  return db.prepare(`SELECT id, kind, ack_code AS ackCode, status, received_at AS receivedAt, created_at AS createdAt FROM acks
    WHERE outbound_document_id = ? ORDER BY id`).all(id) as Array<{ id: number; kind: string; ackCode: string; status: string; receivedAt: string | null; createdAt: string }>;
}

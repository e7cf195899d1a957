import type { Db } from './db.js';

/** Interchange outcome as ops see it. */
export type InterchangeStatus =
  | 'receiving' | 'accepted' | 'accepted_with_errors' | 'partially_accepted' | 'rejected' | 'duplicate' | 'unknown_partner';

export interface InterchangeRow {
  id: number;
  fileId: number;
  partnerId: string | null;
  standard: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  controlNumber: string;
  version: string | null;
  usage: string | null;
  ackRequested: string | null;
  interchangeDate: string | null;
  interchangeTime: string | null;
  status: InterchangeStatus;
  ackCode: string | null;
  noteCode: string | null;
  duplicateOf: number | null;
  groupCount: number;
  setCount: number;
  byteStart: number;
  byteEnd: number;
  receivedAt: string;
}

const COLUMNS = `i.id, i.file_id AS fileId, i.partner_id AS partnerId, i.standard, i.sender_qualifier AS senderQualifier, i.sender_id AS senderId,
  i.receiver_qualifier AS receiverQualifier, i.receiver_id AS receiverId, i.control_number AS controlNumber, i.version, i.usage,
  i.ack_requested AS ackRequested, i.interchange_date AS interchangeDate, i.interchange_time AS interchangeTime, i.status,
  i.ack_code AS ackCode, i.note_code AS noteCode, i.duplicate_of AS duplicateOf, i.group_count AS groupCount, i.set_count AS setCount,
  i.byte_start AS byteStart, i.byte_end AS byteEnd, i.received_at AS receivedAt`;

/** Filters of GET /api/interchanges. */
export interface InterchangeFilter {
  partnerId?: string;
  status?: string;
  /** Matches ISA13, any GS06 or any ST02 inside; leading zeros do not matter (3438 finds 000003438). */
  controlNumber?: string;
  /** Free search: a control number (as above) or a business reference such as a PO number. */
  q?: string;
  /** Business reference such as a purchase order number. */
  reference?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** Interchanges (table `interchanges`). */
export function interchangesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO interchanges (file_id, partner_id, standard, sender_qualifier, sender_id, receiver_qualifier, receiver_id,
    control_number, version, usage, ack_requested, interchange_date, interchange_time, status, duplicate_of, byte_start, byte_end, received_at)
    VALUES (@fileId, @partnerId, @standard, @senderQualifier, @senderId, @receiverQualifier, @receiverId, @controlNumber, @version, @usage,
    @ackRequested, @interchangeDate, @interchangeTime, 'receiving', @duplicateOf, @byteStart, @byteStart, @receivedAt)`);
  const finish = db.prepare(`UPDATE interchanges SET status = @status, ack_code = @ackCode, note_code = @noteCode, group_count = @groupCount,
    set_count = @setCount, byte_end = @byteEnd WHERE id = @id`);
  const previous = db.prepare(`SELECT ${COLUMNS} FROM interchanges i WHERE i.sender_qualifier = ? AND i.sender_id = ? AND i.control_number = ?
    AND i.id <> ? AND i.status NOT IN ('rejected', 'duplicate', 'unknown_partner', 'receiving') ORDER BY i.id LIMIT 1`);
  const previousWithin = db.prepare(`SELECT ${COLUMNS} FROM interchanges i WHERE i.sender_qualifier = @senderQualifier AND i.sender_id = @senderId
    AND i.receiver_qualifier = @receiverQualifier AND i.receiver_id = @receiverId AND i.control_number = @controlNumber AND i.received_at >= @since
    AND i.status NOT IN ('rejected', 'duplicate', 'unknown_partner', 'receiving') ORDER BY i.id LIMIT 1`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM interchanges i WHERE i.id = ?`);
  const byFile = db.prepare(`SELECT ${COLUMNS} FROM interchanges i WHERE i.file_id = ? ORDER BY i.id`);
  return {
    insert(row: Omit<InterchangeRow, 'id' | 'status' | 'ackCode' | 'noteCode' | 'groupCount' | 'setCount' | 'byteEnd'>): number {
      return Number(insert.run(row).lastInsertRowid);
    },
    finish(row: { id: number; status: InterchangeStatus; ackCode: string | null; noteCode: string | null; groupCount: number; setCount: number; byteEnd: number }): void {
      finish.run(row);
    },
    /** An earlier interchange from the same sender with the same ISA13 that was accepted (duplicate detection). */
    findPrevious(senderQualifier: string, senderId: string, controlNumber: string, exceptId: number): InterchangeRow | undefined {
      return previous.get(senderQualifier, senderId, controlNumber, exceptId) as InterchangeRow | undefined;
    },
    /**
     * An earlier accepted interchange with the same ISA13 (UNB 0020) from the same sender to the same receiver, received
     * at or after `since` (ISO-8601): the interchange layer of duplicate detection (src/validation/duplicates.ts).
     */
    findPreviousWithin(k: { senderQualifier: string; senderId: string; receiverQualifier: string; receiverId: string; controlNumber: string; since: string }): InterchangeRow | undefined {
      return previousWithin.get(k) as InterchangeRow | undefined;
    },
    get(id: number): InterchangeRow | undefined {
      return byId.get(id) as InterchangeRow | undefined;
    },
    forFile(fileId: number): InterchangeRow[] {
      return byFile.all(fileId) as InterchangeRow[];
    },
    list(f: InterchangeFilter): { items: InterchangeRow[]; total: number } {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
      if (f.partnerId) { where.push('i.partner_id = @partnerId'); params.partnerId = f.partnerId; }
      if (f.status) { where.push('i.status = @status'); params.status = f.status; }
      if (f.from) { where.push('i.received_at >= @from'); params.from = f.from; }
      if (f.to) { where.push('i.received_at < @to'); params.to = f.to; }
      const byControl = `(ltrim(i.control_number, '0') = ltrim(@cn, '0')
          OR i.id IN (SELECT interchange_id FROM functional_groups WHERE ltrim(control_number, '0') = ltrim(@cn, '0'))
          OR i.id IN (SELECT interchange_id FROM transaction_sets WHERE ltrim(control_number, '0') = ltrim(@cn, '0')))`;
      if (f.controlNumber) {
        where.push(byControl);
        params.cn = f.controlNumber;
      }
      if (f.q) {
        where.push(`(${byControl.replaceAll('@cn', '@q')} OR i.id IN (SELECT interchange_id FROM transaction_sets WHERE business_reference = @q))`);
        params.q = f.q;
      }
      if (f.reference) {
        where.push('i.id IN (SELECT interchange_id FROM transaction_sets WHERE business_reference = @ref)');
        params.ref = f.reference;
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const items = db.prepare(`SELECT ${COLUMNS} FROM interchanges i ${w} ORDER BY i.id DESC LIMIT @limit OFFSET @offset`).all(params) as InterchangeRow[];
      const { n } = db.prepare(`SELECT count(*) AS n FROM interchanges i ${w}`).get(params) as { n: number };
      return { items, total: n };
    },
  };
}
export type InterchangesRepo = ReturnType<typeof interchangesRepo>;

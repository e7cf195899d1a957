import type { Db } from './db.js';

/** Status of an acknowledgement as ops filter it (DESIGN.md GET /api/acks). */
export type AckStatus = 'pending' | 'accepted' | 'accepted_with_errors' | 'partially_accepted' | 'rejected' | 'overdue';

export interface AckRow {
  id: number;
  /** outbound: we sent it to the partner; inbound: the partner sent it to us. */
  direction: 'outbound' | 'inbound';
  kind: string;
  partnerId: string | null;
  interchangeId: number | null;
  groupControlNumber: string | null;
  ackCode: string;
  status: AckStatus;
  interchangeControlNumber: string | null;
  groupControlNumberSent: string | null;
  fileName: string | null;
  path: string | null;
  content: string | null;
  createdAt: string;
  /** Inbound acknowledgements: the document we sent that it answers (null: answers nothing we sent, or not yet known). */
  outboundDocumentId?: number | null;
  /** Inbound acknowledgements: when it arrived (null while still expected). */
  receivedAt?: string | null;
  /** Inbound CONTRL: the acknowledgement of ours it answers (matched by the UNB 0020 its UCI quotes), null when unmatched. */
  answersAckId?: number | null;
  /** Outbound acknowledgement: the status of the partner's answer to it (a CONTRL), and when it came. */
  answeredStatus?: string | null;
  answeredAt?: string | null;
}

/** Maps an X12 acknowledgement code (AK9/AK5/TA104) to the ledger status. */
export function ackStatusOf(code: string): AckStatus {
  switch (code) {
    case 'A': return 'accepted';
    case 'E': return 'accepted_with_errors';
    case 'P': return 'partially_accepted';
    default: return 'rejected';
  }
}

/** Acknowledgements sent and received (table `acks`). */
export function acksRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO acks (direction, kind, partner_id, interchange_id, group_control_number, ack_code, status,
    interchange_control_number, group_control_number_sent, file_name, path, content, created_at)
    VALUES (@direction, @kind, @partnerId, @interchangeId, @groupControlNumber, @ackCode, @status, @interchangeControlNumber,
    @groupControlNumberSent, @fileName, @path, @content, @createdAt)`);
  const cols = `id, direction, kind, partner_id AS partnerId, interchange_id AS interchangeId, group_control_number AS groupControlNumber,
    ack_code AS ackCode, status, interchange_control_number AS interchangeControlNumber, group_control_number_sent AS groupControlNumberSent,
    file_name AS fileName, path, content, created_at AS createdAt, outbound_document_id AS outboundDocumentId, received_at AS receivedAt,
    answers_ack_id AS answersAckId, answered_status AS answeredStatus, answered_at AS answeredAt`;
  const ofInterchange = db.prepare(`SELECT ${cols} FROM acks WHERE interchange_id = ? ORDER BY id`);
  const ofFilePage = db.prepare(`SELECT ${cols} FROM acks WHERE interchange_id IN (SELECT id FROM interchanges WHERE file_id = ?) AND id > ? ORDER BY id LIMIT ?`);
  return {
    insert(row: Omit<AckRow, 'id'>): number {
      return Number(insert.run(row).lastInsertRowid);
    },
    /**
     * The acknowledgements recorded for a file's interchanges, read 256 at a time (memory does not grow with the
     * file, and no statement stays open, so the caller may write to the store between rows).
     */
    *iterateForFile(fileId: number): Generator<AckRow> {
      let after = 0;
      for (;;) {
        const page = ofFilePage.all(fileId, after, 256) as AckRow[];
        yield* page;
        if (page.length < 256) return;
        after = page[page.length - 1]!.id;
      }
    },
    ofInterchange(id: number): AckRow[] {
      return ofInterchange.all(id) as AckRow[];
    },
    list(f: { direction?: string; status?: string; partnerId?: string; kind?: string; limit: number; offset: number }): { items: AckRow[]; total: number } {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
      if (f.direction) { where.push('direction = @direction'); params.direction = f.direction; }
      if (f.status) { where.push('status = @status'); params.status = f.status; }
      if (f.partnerId) { where.push('partner_id = @partnerId'); params.partnerId = f.partnerId; }
      if (f.kind) { where.push('kind = @kind'); params.kind = f.kind; }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const items = db.prepare(`SELECT ${cols} FROM acks ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all(params) as AckRow[];
      const { n } = db.prepare(`SELECT count(*) AS n FROM acks ${w}`).get(params) as { n: number };
      return { items, total: n };
    },
  };
}
export type AcksRepo = ReturnType<typeof acksRepo>;

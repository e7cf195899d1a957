import type { Db } from './db.js';

/** Outcome of a received file, summarised over its interchanges. */
export type FileStatus =
  | 'received' | 'accepted' | 'accepted_with_errors' | 'partially_accepted' | 'rejected'
  | 'duplicate' | 'unknown_partner' | 'unreadable' | 'unsupported' | 'failed';

export interface FileRow {
  id: number;
  sha256: string;
  size: number;
  channel: string;
  fileName: string;
  partnerHint: string | null;
  partnerId: string | null;
  format: string | null;
  status: FileStatus;
  duplicateOf: number | null;
  detail: string | null;
  correlationId: string;
  receivedAt: string;
  processedAt: string | null;
}

const COLUMNS = `id, sha256, size, channel, file_name AS fileName, partner_hint AS partnerHint, partner_id AS partnerId,
  format, status, duplicate_of AS duplicateOf, detail, correlation_id AS correlationId, received_at AS receivedAt, processed_at AS processedAt`;

/** Rows of received files (table `files`): one per file handed to intake, written before parsing. */
export function filesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO files (sha256, size, channel, file_name, partner_hint, status, correlation_id, received_at)
    VALUES (@sha256, @size, @channel, @fileName, @partnerHint, 'received', @correlationId, @receivedAt)`);
  const firstBySha = db.prepare(`SELECT ${COLUMNS} FROM files WHERE sha256 = ? AND id <> ? AND status IN ('accepted', 'accepted_with_errors', 'partially_accepted') ORDER BY id LIMIT 1`);
  const finish = db.prepare(`UPDATE files SET status = @status, partner_id = @partnerId, format = @format, duplicate_of = @duplicateOf,
    detail = @detail, processed_at = @processedAt WHERE id = @id`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM files WHERE id = ?`);
  const unfinished = db.prepare(`SELECT ${COLUMNS} FROM files WHERE status = 'received' ORDER BY id`);
  return {
    /** Records a file as received; returns its id. */
    insert(row: { sha256: string; size: number; channel: string; fileName: string; partnerHint: string | null; correlationId: string; receivedAt: string }): number {
      return Number(insert.run(row).lastInsertRowid);
    },
    /** The earliest other file with the same content whose interchanges were accepted (a resend of a file that was rejected or came from an unknown sender is processed again). */
    firstWithSameContent(sha256: string, exceptId: number): FileRow | undefined {
      return firstBySha.get(sha256, exceptId) as FileRow | undefined;
    },
    finish(row: { id: number; status: FileStatus; partnerId: string | null; format: string | null; duplicateOf?: number | null; detail?: string | null; processedAt: string }): void {
      finish.run({ duplicateOf: null, detail: null, ...row });
    },
    get(id: number): FileRow | undefined {
      return byId.get(id) as FileRow | undefined;
    },
    /** Files recorded but never finished (a crash mid-processing): processed again at start. */
    unfinished(): FileRow[] {
      return unfinished.all() as FileRow[];
    },
    list(filter: { status?: string; partnerId?: string; from?: string; to?: string; limit: number; offset: number }): { items: FileRow[]; total: number } {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: filter.limit, offset: filter.offset };
      if (filter.status) { where.push('status = @status'); params.status = filter.status; }
      if (filter.partnerId) { where.push('partner_id = @partnerId'); params.partnerId = filter.partnerId; }
      if (filter.from) { where.push('received_at >= @from'); params.from = filter.from; }
      if (filter.to) { where.push('received_at < @to'); params.to = filter.to; }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const items = db.prepare(`SELECT ${COLUMNS} FROM files ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all(params) as FileRow[];
      const { n } = db.prepare(`SELECT count(*) AS n FROM files ${w}`).get(params) as { n: number };
      return { items, total: n };
    },
  };
}
export type FilesRepo = ReturnType<typeof filesRepo>;

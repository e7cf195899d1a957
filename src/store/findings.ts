import type { Db } from './db.js';
import type { Finding } from '../validation/finding.js';

export interface FindingRow {
  id: number;
  fileId: number;
  interchangeId: number | null;
  groupControlNumber: string | null;
  transactionSetId: number | null;
  transactionControlNumber: string | null;
  code: string;
  severity: string;
  level: string;
  message: string;
  /** Acknowledgement codes carried by the finding (ta1, ak9, ak5, segment, element, contrl), the CSV line number (line), the original of a duplicate (duplicateOf). */
  detail: Record<string, unknown> | null;
  byteOffset: number | null;
}

/** Findings (table `findings`): problems seen in partners' files, with their acknowledgement codes. */
export function findingsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO findings (file_id, interchange_id, group_control_number, transaction_set_id, transaction_control_number,
    code, severity, level, message, detail, byte_offset) VALUES (@fileId, @interchangeId, @groupControlNumber, @transactionSetId,
    @transactionControlNumber, @code, @severity, @level, @message, @detail, @byteOffset)`);
  const mapRow = (r: Record<string, unknown>): FindingRow => ({ ...(r as unknown as FindingRow), detail: r.detail ? JSON.parse(String(r.detail)) : null });
  const cols = `id, file_id AS fileId, interchange_id AS interchangeId, group_control_number AS groupControlNumber,
    transaction_set_id AS transactionSetId, transaction_control_number AS transactionControlNumber, code, severity, level, message, detail,
    byte_offset AS byteOffset`;
  const ofInterchange = db.prepare(`SELECT ${cols} FROM findings WHERE interchange_id = ? ORDER BY id`);
  const ofFile = db.prepare(`SELECT ${cols} FROM findings WHERE file_id = ? ORDER BY id`);
  return {
    insert(where: { fileId: number; interchangeId?: number | null; groupControlNumber?: string | null; transactionSetId?: number | null; transactionControlNumber?: string | null }, f: Finding): void {
      const detail: Record<string, unknown> = {};
      if (f.ta1) detail.ta1 = f.ta1;
      if (f.ak9) detail.ak9 = f.ak9;
      if (f.ak5) detail.ak5 = f.ak5;
      if (f.segment) detail.segment = f.segment;
      if (f.element) detail.element = f.element;
      if (f.contrl) detail.contrl = f.contrl;
      if (f.line !== undefined) detail.line = f.line;
      if (f.duplicateOf) detail.duplicateOf = f.duplicateOf;
      insert.run({
        fileId: where.fileId,
        interchangeId: where.interchangeId ?? null,
        groupControlNumber: where.groupControlNumber ?? null,
        transactionSetId: where.transactionSetId ?? null,
        transactionControlNumber: where.transactionControlNumber ?? null,
        code: f.code,
        severity: f.severity,
        level: f.level,
        message: f.message,
        detail: Object.keys(detail).length ? JSON.stringify(detail) : null,
        byteOffset: f.offset ?? null,
      });
    },
    ofInterchange(id: number): FindingRow[] {
      return (ofInterchange.all(id) as Record<string, unknown>[]).map(mapRow);
    },
    ofFile(id: number): FindingRow[] {
      return (ofFile.all(id) as Record<string, unknown>[]).map(mapRow);
    },
  };
}
export type FindingsRepo = ReturnType<typeof findingsRepo>;

import type { Db } from './db.js';
import type { FindingRow } from './findings.js';

/** Finding codes of each duplicate layer (src/validation/duplicates.ts), for GET /api/duplicates. */
export const DUPLICATE_LAYERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  file: ['FILE_DUPLICATE_CONTENT'],
  interchange: ['X12_DUPLICATE_INTERCHANGE', 'EDIFACT_DUPLICATE_INTERCHANGE'],
  controlNumbers: ['X12_GS_DUPLICATE_CONTROL', 'X12_ST_DUPLICATE_CONTROL', 'EDIFACT_MESSAGE_DUPLICATE_REFERENCE'],
  businessDocument: ['BUSINESS_DOCUMENT_DUPLICATE'],
});

/** A duplicate finding with the partner of its file. */
export type DuplicateFindingRow = FindingRow & { partnerId: string | null; receivedAt: string };

/**
 * Duplicate findings newest first (rejected and flagged ones), filtered by partner and layer; `total` counts all
 * matches. Uses the findings code index.
 */
export function listDuplicateFindings(db: Db, f: { partnerId?: string; layer?: string; limit: number; offset: number }): { items: DuplicateFindingRow[]; total: number } {
  const codes = f.layer ? [...(DUPLICATE_LAYERS[f.layer] ?? [])] : Object.values(DUPLICATE_LAYERS).flat();
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  codes.forEach((c, i) => { params[`c${i}`] = c; });
  const where = [`g.code IN (${codes.map((_c, i) => `@c${i}`).join(', ')})`];
  if (f.partnerId) { where.push('fi.partner_id = @partnerId'); params.partnerId = f.partnerId; }
  const from = `FROM findings g JOIN files fi ON fi.id = g.file_id WHERE ${where.join(' AND ')}`;
  const rows = db.prepare(`SELECT g.id, g.file_id AS fileId, g.interchange_id AS interchangeId, g.group_control_number AS groupControlNumber,
    g.transaction_set_id AS transactionSetId, g.transaction_control_number AS transactionControlNumber, g.code, g.severity, g.level, g.message,
    g.detail, g.byte_offset AS byteOffset, fi.partner_id AS partnerId, fi.received_at AS receivedAt ${from} ORDER BY g.id DESC LIMIT @limit OFFSET @offset`)
    .all(params) as Array<Record<string, unknown>>;
  const { n } = db.prepare(`SELECT count(*) AS n ${from}`).get(params) as { n: number };
  return { items: rows.map((r) => ({ ...(r as unknown as DuplicateFindingRow), detail: r.detail ? JSON.parse(String(r.detail)) : null })), total: n };
}

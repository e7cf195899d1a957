/**
 * Duplicate detection in layers, each with the partner's policy (partners/<id>.yaml `duplicates`):
 *
 * 1. file: the same bytes as an earlier accepted file (SHA-256 of the raw file);
 * 2. interchange: the same ISA13 (UNB 0020) from the same sender to the same receiver within a window of days;
 * 3. control numbers: a GS06 repeated inside one interchange, an ST02 inside one group (X12.6 wants them unique;
 *    the reader reports them as X12_GS_DUPLICATE_CONTROL, AK9 19, and X12_ST_DUPLICATE_CONTROL, AK5 23);
 * 4. business document: the same message type, business reference (e.g. the purchase order number) and revision
 *    (e.g. BEG01 purpose 00 original vs 05 replace) as a message received before.
 *
 * Policies: reject (not processed), flag (processed, with a warning finding that links the original), accept
 * (processed as new). The pipeline applies them; this module holds the rules.
 */
import type { Finding } from './finding.js';
import type { DuplicatePolicy } from '../partners/partner.js';

/** Finding codes of the control-number layer (reported by the X12 reader as errors). */
export const CONTROL_NUMBER_DUPLICATE_CODES: ReadonlySet<string> = new Set(['X12_GS_DUPLICATE_CONTROL', 'X12_ST_DUPLICATE_CONTROL']);

/**
 * Applies the control-number policy to findings in place: `reject` leaves them (errors: AK5 R 23 / AK9 R 19);
 * `flag` turns them into warnings (the set or group is accepted with errors noted, AK5 E 23 / AK9 E 19);
 * `accept` removes them. Returns true when something changed (the caller recomputes acknowledgement codes).
 */
export function applyControlNumberPolicy(findings: Finding[], policy: DuplicatePolicy): boolean {
  if (policy === 'reject') return false;
  let changed = false;
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i]!;
    if (!CONTROL_NUMBER_DUPLICATE_CODES.has(f.code) || f.severity !== 'error') continue;
    changed = true;
    if (policy === 'accept') findings.splice(i, 1);
    else findings[i] = { ...f, severity: 'warning', message: `${f.message}; accepted and flagged (partner policy duplicates.controlNumbers: flag)` };
  }
  return changed;
}

/**
 * The revision of a canonical payload for the business key: an explicit `revision`, else the change sequence
 * (860 BCH05, `changeSequence`), else the purpose code (`purpose.code`, e.g. 00 original, 05 replace, 01 cancel).
 */
export function revisionOf(payload: Record<string, unknown>): string {
  const direct = payload.revision ?? payload.changeSequence;
  if (typeof direct === 'string' || typeof direct === 'number') return String(direct);
  const purpose = payload.purpose as { code?: unknown } | undefined;
  return typeof purpose?.code === 'string' ? purpose.code : '';
}

/**
 * Business key of a canonical message: `<type>|<business reference>|<revision>` (e.g. `order|PO-1001|00`),
 * or null when the message has no business reference (then the layer does not apply).
 */
export function businessKeyOf(type: string, businessReference: string | null, payload: Record<string, unknown>): string | null {
  if (!businessReference) return null;
  return `${type}|${businessReference}|${revisionOf(payload)}`;
}

/** The original a duplicate finding links to (stored in the finding's detail; the ops API shows it). */
export interface DuplicateLink {
  kind: 'file' | 'interchange' | 'message';
  id: number | string;
}

/**
 * Acknowledgements partners send us for documents we sent them: a 997 or 999 (AK1 names our GS01 and GS06;
 * AK9 gives the outcome of the group) and a TA1 (TA101 names our ISA13; TA104 the outcome). Each is recorded
 * against the outbound document it answers, replacing the pending expectation; one that answers nothing we
 * sent is recorded too (unmatched), so ops can see it.
 */
import type { Db } from '../store/db.js';
import type { X12Delimiters, X12Segment } from '../formats/x12/types.js';
import { writeSegment } from '../formats/x12/writer.js';
import { ackStatusOf } from '../store/acks.js';
import { findOutboundByGroup, findOutboundByInterchange, insertReceivedAck, recordReceivedAck } from '../store/outbound.js';

/** Result of reconciling one received acknowledgement. */
export interface ReconcileResult {
  kind: string;
  /** The outbound document it answers, or null when it answers nothing we sent. */
  documentId: number | null;
  ackCode: string;
  status: string;
}

function text(segments: readonly X12Segment[], d: X12Delimiters): string {
  return segments.map((s) => writeSegment({ tag: s.tag, elements: s.elements }, d, '\n')).join('');
}

/**
 * Records a received 997 or 999 (`segments` from ST to SE) from `partnerId` against the document whose group it
 * acknowledges: AK101 functional id and AK102 our GS06 (X12.5 997 AK1); status from AK901 (A accepted,
 * E accepted with errors, P partially accepted, R rejected; X12 code list 715). Returns null when the set has no AK1/AK9.
 */
export function reconcileFunctionalAck(db: Db, partnerId: string, setId: string, segments: readonly X12Segment[], delimiters: X12Delimiters, fileName: string | null, receivedAt: string): ReconcileResult | null {
  const ak1 = segments.find((s) => s.tag === 'AK1');
  const ak9 = segments.find((s) => s.tag === 'AK9');
  if (!ak1 || !ak9) return null;
  const functionalId = ak1.elements[0]?.trim() ?? '';
  const gs06 = ak1.elements[1]?.trim() ?? '';
  const ackCode = ak9.elements[0]?.trim() ?? '';
  const status = ackStatusOf(ackCode);
  const content = text(segments, delimiters);
  const doc = findOutboundByGroup(db, partnerId, functionalId, gs06);
  if (doc && recordReceivedAck(db, { documentId: doc.id, kinds: ['997', '999'], kind: setId, ackCode, status, content, fileName, receivedAt }) > 0) {
    return { kind: setId, documentId: doc.id, ackCode, status };
  }
  insertReceivedAck(db, { partnerId, documentId: doc?.id ?? null, kind: setId, ackCode, status, interchangeControlNumber: doc?.interchangeControlNumber ?? null, groupControlNumber: gs06, content, fileName, receivedAt });
  return { kind: setId, documentId: doc?.id ?? null, ackCode, status };
}

/**
 * Records a received TA1 (X12.5 TA1: TA101 our ISA13, TA104 A/E/R, TA105 note code) from `partnerId` against the
 * document sent in that interchange.
 */
export function reconcileTa1(db: Db, partnerId: string, ta1: X12Segment, delimiters: X12Delimiters, fileName: string | null, receivedAt: string): ReconcileResult {
  const isa13 = ta1.elements[0]?.trim() ?? '';
  const ackCode = ta1.elements[3]?.trim() ?? '';
  const status = ackStatusOf(ackCode);
  const content = text([ta1], delimiters);
  const doc = findOutboundByInterchange(db, partnerId, isa13);
  if (doc && recordReceivedAck(db, { documentId: doc.id, kinds: ['TA1'], kind: 'TA1', ackCode, status, content, fileName, receivedAt }) > 0) {
    return { kind: 'TA1', documentId: doc.id, ackCode, status };
  }
  insertReceivedAck(db, { partnerId, documentId: doc?.id ?? null, kind: 'TA1', ackCode, status, interchangeControlNumber: isa13, groupControlNumber: null, content, fileName, receivedAt });
  return { kind: 'TA1', documentId: doc?.id ?? null, ackCode, status };
}

/**
 * TA1 Interchange Acknowledgment builder (X12.5 TA1; TA105 note codes, list I18).
 */
import type { X12InterchangeResult } from '../formats/x12/types.js';
import { mirrorInterchange, sanitizeValue, writeSegment } from '../formats/x12/writer.js';

export interface BuildTa1Params {
  /** Our ISA13 for the acknowledgement interchange: 1 to 9 digits (zero-padded to 9). */
  interchangeControlNumber: string;
  /** Time written in ISA09/ISA10 (UTC). */
  now: Date;
  /** The inbound ISA13 was already received from this partner: TA104 R, TA105 025. */
  duplicate?: boolean;
}

/** When a TA1 is sent: never, on error (TA104 not A, or a duplicate), always, or as the partner requested in ISA14. */
export type Ta1Policy = 'never' | 'on-error' | 'always' | 'as-requested';

/**
 * Build a whole interchange holding one TA1 for an inbound interchange (X12.5 TA1):
 * ISA mirrored from the inbound one (ids swapped, version and delimiters copied, ISA14 0),
 * TA1*inbound ISA13*ISA09*ISA10*TA104*TA105, IEA*0*our control number.
 * TA104/TA105 are the interchange's ack code and note code ("000" when accepted); a duplicate
 * gives R and 025 (Duplicate Interchange Control Number).
 * Returns the interchange text. Throws RangeError when the control number is not 1 to 9 digits.
 */
export function buildTa1(interchange: X12InterchangeResult, params: BuildTa1Params): string {
  const inbound = interchange.header;
  const env = mirrorInterchange(inbound, params.interchangeControlNumber, params.now);
  const d = env.delimiters;
  const ack = params.duplicate ? 'R' : interchange.ackCode;
  const note = params.duplicate ? '025' : interchange.ackCode === 'A' ? '000' : interchange.noteCode;
  const ta1 = writeSegment(
    {
      tag: 'TA1',
      elements: [sanitizeValue(inbound.controlNumber, d), sanitizeValue(inbound.date, d), sanitizeValue(inbound.time, d), ack, note],
    },
    d,
    env.lineEnding,
  );
  const iea = writeSegment({ tag: 'IEA', elements: ['0', params.interchangeControlNumber.padStart(9, '0')] }, d, env.lineEnding);
  return env.isa + ta1 + iea;
}

/**
 * Whether to send a TA1 for an interchange under a partner's policy: 'never'; 'always';
 * 'as-requested' when ISA14 is "1"; 'on-error' when TA104 would not be A or the interchange
 * is a duplicate.
 */
export function shouldSendTa1(policy: Ta1Policy, interchange: X12InterchangeResult, duplicate: boolean): boolean {
  switch (policy) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'as-requested':
      return interchange.header.ackRequested === '1';
    case 'on-error':
      return duplicate || interchange.ackCode !== 'A';
  }
}

/**
 * A finding: one problem seen in a partner's file, already carrying the acknowledgement codes
 * that the X12 (TA1, 997) and later EDIFACT (CONTRL) builders put on the wire.
 *
 * Findings are data, never exceptions: a partner's bad file produces findings and a negative
 * acknowledgement; exceptions are for the gateway itself failing.
 */
export type FindingSeverity = 'error' | 'warning';

/** Where in the structure the finding sits. */
export type FindingLevel = 'file' | 'interchange' | 'group' | 'transaction' | 'segment' | 'element';

/** AK3 detail (X12.5 997 AK3: segment tag, position in the set counting ST as 1, loop id, AK304 code). */
export interface SegmentNote {
  tag: string;
  /** 1-based position of the segment in the transaction set (ST = 1). */
  position: number;
  loopId?: string;
  /** AK304 segment syntax error code: 1 unrecognized segment ID, 2 unexpected, 3 mandatory missing, 8 has data element errors... */
  code: string;
  /** IK304 code the 999 uses instead of `code` for an implementation-guide finding (005010X231A1 I-codes, e.g. I6, I7). */
  implementationCode?: string;
}

/** AK4 detail (X12.5 997 AK4: element position, component position, reference number, AK403 code, copy of bad data). */
export interface ElementNote {
  /** 1-based position of the element in its segment. */
  position: number;
  /** 1-based component position inside a composite, when the error is in a component. */
  componentPosition?: number;
  /** Data element reference number (e.g. 324 for BEG03), when known. */
  reference?: string;
  /** AK403 code: 1 mandatory missing, 3 too many elements, 4 too short, 5 too long, 6 invalid character, 7 invalid code, 8 invalid date, 9 invalid time. */
  code: string;
  /** Copy of the bad data element (AK404), at most 99 characters. */
  badValue?: string;
  /** IK403 code the 999 uses instead of `code` for an implementation-guide finding (005010X231A1 I-codes, e.g. I12 pattern match failure). */
  implementationCode?: string;
}

export interface Finding {
  /** Stable machine code, e.g. X12_SE_COUNT_MISMATCH (see src/validation/codes.ts). */
  code: string;
  severity: FindingSeverity;
  level: FindingLevel;
  /** Human-readable sentence for ops, naming the values involved. */
  message: string;
  /** TA105 interchange note code (X12 TA1), for interchange-level findings. */
  ta1?: string;
  /** AK905..AK909 functional group syntax error code (X12 997 AK9). */
  ak9?: string;
  /** AK502..AK506 transaction set syntax error code (X12 997 AK5). */
  ak5?: string;
  /** IK502..IK506 code the 999 uses instead of `ak5` (005010X231A1 I5 implementation one or more segments in error). */
  ik5?: string;
  /** AK3 detail for segment- and element-level findings. */
  segment?: SegmentNote;
  /** AK4 detail for element-level findings (always together with `segment`). */
  element?: ElementNote;
  /** Byte offset in the received file where the problem was seen. */
  offset?: number;
  /** UN/EDIFACT syntax error code (service code list 0085) the CONTRL carries for this finding (UCI, UCF, UCM, UCS or UCD 0085). */
  contrl?: string;
  /** 1-based line number in the received file (CSV rows). */
  line?: number;
  /** For a duplicate: the original it repeats (file id, interchange id or message id). */
  duplicateOf?: { kind: 'file' | 'interchange' | 'message'; id: number | string };
}

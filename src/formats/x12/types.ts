import type { BusinessUnit } from '../../acks/business-units.js';
import type { Finding } from '../../validation/finding.js';

/**
 * X12 delimiters, read from each ISA itself (X12.5: element separator is byte 4 of the ISA,
 * repetition separator ISA11 from version 00402 on, component separator ISA16, segment
 * terminator the character right after ISA16).
 */
export interface X12Delimiters {
  element: string;
  component: string;
  /** ISA11 when ISA12 >= 00402 and ISA11 is not alphanumeric; null before 00402 (ISA11 is then the standards id "U"). */
  repetition: string | null;
  segment: string;
}

/** One segment as read off the wire (latin1: one char per byte). */
export interface X12Segment {
  /** Segment ID, e.g. "PO1". */
  tag: string;
  /** Data elements, elements[0] is XX01. Composite and repeated elements are kept as raw strings: split with the delimiters. */
  elements: string[];
  /** Byte offset of the segment's first character in the file. */
  offset: number;
}

/** ISA header fields (X12.5 interchange control header), values as received, trailing pad spaces trimmed where noted. */
export interface X12InterchangeHeader {
  /** The 16 ISA elements as received (untrimmed). */
  isa: string[];
  authorizationQualifier: string; // ISA01
  securityQualifier: string; // ISA03
  senderQualifier: string; // ISA05 (trimmed)
  senderId: string; // ISA06 (trimmed)
  receiverQualifier: string; // ISA07 (trimmed)
  receiverId: string; // ISA08 (trimmed)
  date: string; // ISA09 YYMMDD
  time: string; // ISA10 HHMM
  /** ISA11: repetition separator (>= 00402) or standards identifier "U". */
  isa11: string;
  version: string; // ISA12
  controlNumber: string; // ISA13, raw 9 digits (never parsed to a number)
  ackRequested: string; // ISA14
  usage: string; // ISA15 P/T/I
  delimiters: X12Delimiters;
  offset: number;
}

/** GS header fields (X12.6 functional group header). */
export interface X12GroupHeader {
  functionalId: string; // GS01
  senderCode: string; // GS02
  receiverCode: string; // GS03
  date: string; // GS04
  time: string; // GS05
  controlNumber: string; // GS06
  agency: string; // GS07
  version: string; // GS08
  offset: number;
}

/** AK5 acknowledgement code (X12.5 997): A accepted, E accepted with errors, R rejected. */
export type X12SetAckCode = 'A' | 'E' | 'R';
/** AK9 acknowledgement code: A, E, P partially accepted, R rejected. */
export type X12GroupAckCode = 'A' | 'E' | 'P' | 'R';
/** TA104 acknowledgement code: A, E, R. */
export type X12InterchangeAckCode = 'A' | 'E' | 'R';

/** One complete transaction set (ST..SE) with its validation result. Only the current set is held in memory. */
export interface X12TransactionSet {
  interchange: X12InterchangeHeader;
  group: X12GroupHeader;
  setId: string; // ST01
  controlNumber: string; // ST02
  implementationReference?: string; // ST03 (005010+)
  /** All segments from ST to SE inclusive (SE missing when the trailer is missing). */
  segments: X12Segment[];
  findings: Finding[];
  ackCode: X12SetAckCode;
  /** 1-based index of the set inside its group. */
  index: number;
  offsetStart: number;
  offsetEnd: number;
}

/** Summary of one transaction set kept for the 997 (no segment bodies). */
export interface X12SetSummary {
  setId: string;
  controlNumber: string;
  implementationReference?: string;
  ackCode: X12SetAckCode;
  findings: Finding[];
  /** Business unit identifiers in the set (e.g. BEG03, one CLM01 per claim), for the 999 CTX segment. */
  businessUnits?: BusinessUnit[];
}

/** A functional group after its GE (or after its end was forced by a missing trailer). */
export interface X12GroupResult {
  header: X12GroupHeader;
  sets: X12SetSummary[];
  /** GE01 as received, null when the GE is missing. */
  declaredSetCount: string | null;
  findings: Finding[];
  ackCode: X12GroupAckCode;
  /** Number of sets accepted (A or E). */
  acceptedCount: number;
  offsetStart: number;
  offsetEnd: number;
}

/** An interchange after its IEA (or after its end was forced). */
export interface X12InterchangeResult {
  header: X12InterchangeHeader;
  groups: X12GroupResult[];
  /** IEA01 as received, null when the IEA is missing. */
  declaredGroupCount: string | null;
  findings: Finding[];
  /** TA1 outcome: R when the envelope is broken (nothing inside may be processed), E for noted errors, else A. */
  ackCode: X12InterchangeAckCode;
  /** TA105 note code: "000" when no error, else the first interchange-level finding's code. */
  noteCode: string;
  offsetStart: number;
  offsetEnd: number;
}

/** Callbacks of the streaming X12 reader. Sets arrive before their group's result, groups before their interchange's. */
export interface X12ReaderHandlers {
  onInterchangeStart?(header: X12InterchangeHeader): void;
  onGroupStart?(header: X12GroupHeader): void;
  onTransactionSet?(set: X12TransactionSet): void;
  onGroupEnd?(group: X12GroupResult): void;
  onInterchangeEnd?(interchange: X12InterchangeResult): void;
  /** Findings not inside any interchange (not EDI, garbage between interchanges, empty file). */
  onFileFinding?(finding: Finding): void;
  /** Interchange-level service segments between ISA and the first GS: TA1 (an interchange acknowledgement), TA3, ISB, ISE. */
  onServiceSegment?(segment: X12Segment, interchange: X12InterchangeHeader): void;
}

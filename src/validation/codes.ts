/**
 * Catalogue of stable finding codes.
 *
 * Every Finding (src/validation/finding.ts) carries one of these codes. The code names the area
 * and the problem; it never changes once released (callers, dashboards and tests match on it).
 * Each entry states the level it is reported at, its default severity and the standard
 * acknowledgement codes it maps to, so the ack builders can put findings on the wire as they are:
 *
 * - `ta1`: TA105 interchange note code (X12 TA1, code list I18).
 * - `ak9`: AK905..AK909 functional group syntax error code (X12 997 AK9, code list 716).
 * - `ak5`: AK502..AK506 transaction set syntax error code (X12 997 AK5, code list 718).
 * - `ak304`: AK304 segment syntax error code (X12 997 AK3, code list 720).
 * - `ak403`: AK403 data element syntax error code (X12 997 AK4, code list 723).
 * - `contrl`: UN/EDIFACT syntax error code (service code list 0085) of the CONTRL UCI/UCF/UCM/UCS/UCD.
 *
 * test/x12/codes.test.ts checks that codes are unique and every entry is well formed.
 */
import type { Finding, FindingLevel, FindingSeverity } from './finding.js';

export interface FindingCodeSpec {
  level: FindingLevel;
  severity: FindingSeverity;
  /** One-line description for ops and documentation. */
  summary: string;
  ta1?: string;
  ak9?: string;
  ak5?: string;
  ak304?: string;
  ak403?: string;
  /** UN/EDIFACT syntax error code (service code list 0085) put in the CONTRL. */
  contrl?: string;
}

export const FINDING_CODES = {
  // ---- file level: the bytes are not (only) X12 interchanges ----
  X12_EMPTY_FILE: { level: 'file', severity: 'error', summary: 'The file is empty or holds only blanks' },
  X12_NOT_X12: { level: 'file', severity: 'error', summary: 'No X12 interchange header (ISA) found: not an X12 file' },
  X12_DATA_OUTSIDE_INTERCHANGE: {
    level: 'file',
    severity: 'warning',
    summary: 'Data before, between or after interchanges was ignored',
  },
  X12_GS_OUTSIDE_INTERCHANGE: {
    level: 'file',
    severity: 'error',
    summary: 'A functional group (GS) appears outside any interchange; it was ignored',
  },
  X12_ISA_UNREADABLE: {
    level: 'file',
    severity: 'error',
    summary: 'An ISA segment could not be read (fewer than 16 element separators or truncated)',
  },

  // ---- interchange level (TA1) ----
  X12_ISA_LENGTH: {
    level: 'interchange',
    severity: 'warning',
    summary: 'ISA is not 106 characters: fixed-width fields are unpadded or too long (TA105: the code of the first such field)',
    ta1: '024',
  },
  X12_ISA01_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA01 authorization information qualifier is invalid', ta1: '010' },
  X12_ISA02_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA02 authorization information is invalid', ta1: '011' },
  X12_ISA03_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA03 security information qualifier is invalid', ta1: '012' },
  X12_ISA04_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA04 security information is invalid', ta1: '013' },
  X12_ISA05_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA05 sender id qualifier is invalid', ta1: '005' },
  X12_ISA06_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA06 sender id is invalid', ta1: '006' },
  X12_ISA07_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA07 receiver id qualifier is invalid', ta1: '007' },
  X12_ISA08_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA08 receiver id is invalid', ta1: '008' },
  X12_ISA09_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA09 interchange date is not a valid YYMMDD date', ta1: '014' },
  X12_ISA10_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA10 interchange time is not a valid HHMM time', ta1: '015' },
  X12_ISA11_INVALID: {
    level: 'interchange',
    severity: 'warning',
    summary: 'ISA11 is neither the standards identifier U (before 00402) nor a usable repetition separator (00402 on)',
    ta1: '016',
  },
  X12_ISA12_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA12 interchange control version is invalid', ta1: '017' },
  X12_ISA12_UNKNOWN: { level: 'interchange', severity: 'warning', summary: 'ISA12 interchange control version is not a known version', ta1: '017' },
  X12_ISA13_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA13 interchange control number is not nine digits', ta1: '018' },
  X12_ISA14_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA14 acknowledgment requested is not 0 or 1', ta1: '019' },
  X12_ISA15_INVALID: { level: 'interchange', severity: 'error', summary: 'ISA15 usage indicator is not P, T or I', ta1: '020' },
  X12_ISA16_INVALID: {
    level: 'interchange',
    severity: 'error',
    summary: 'ISA16 component element separator is invalid (alphanumeric, blank or equal to another delimiter)',
    ta1: '027',
  },
  X12_ELEMENT_SEPARATOR_INVALID: {
    level: 'interchange',
    severity: 'error',
    summary: 'The data element separator is invalid (alphanumeric, blank or equal to another delimiter)',
    ta1: '026',
  },
  X12_SEGMENT_TERMINATOR_INVALID: {
    level: 'interchange',
    severity: 'error',
    summary: 'The segment terminator is invalid (alphanumeric or equal to another delimiter)',
    ta1: '004',
  },
  X12_DUPLICATE_INTERCHANGE: {
    level: 'interchange',
    severity: 'error',
    summary: 'The interchange control number was already received from this partner',
    ta1: '025',
  },
  X12_SENDER_MISMATCH: {
    level: 'interchange',
    severity: 'error',
    summary: 'The ISA sender id does not belong to the trading partner the file came from',
    ta1: '006',
  },
  X12_IEA_MISSING: {
    level: 'interchange',
    severity: 'error',
    summary: 'The interchange ends without an IEA trailer (premature end of file)',
    ta1: '023',
  },
  X12_IEA_COUNT_MISMATCH: {
    level: 'interchange',
    severity: 'error',
    summary: 'IEA01 does not match the number of functional groups received',
    ta1: '021',
  },
  X12_IEA_CONTROL_MISMATCH: {
    level: 'interchange',
    severity: 'error',
    summary: 'IEA02 does not match ISA13',
    ta1: '001',
  },
  X12_IEA_CONTROL_FORMAT: {
    level: 'interchange',
    severity: 'warning',
    summary: 'IEA02 equals ISA13 as a number but is not written as nine digits',
    ta1: '018',
  },
  X12_CONTROL_STRUCTURE: {
    level: 'interchange',
    severity: 'error',
    summary: 'A segment appears where the envelope structure does not allow it (outside a set or group, trailer without header)',
    ta1: '022',
  },
  X12_ST_OUTSIDE_GROUP: {
    level: 'interchange',
    severity: 'error',
    summary: 'A transaction set appears outside a functional group; it was not processed',
    ta1: '024',
  },
  X12_SEGMENT_UNTERMINATED: {
    level: 'interchange',
    severity: 'warning',
    summary: 'The last segment of the file has no segment terminator',
    ta1: '023',
  },
  X12_SEGMENT_TOO_LONG: {
    level: 'transaction',
    severity: 'error',
    summary: 'A segment exceeds the maximum segment length (missing terminator?); it was discarded',
    ta1: '024',
    ak5: '5',
  },

  // ---- functional group level (997 AK9) ----
  X12_GE_MISSING: { level: 'group', severity: 'error', summary: 'The functional group ends without a GE trailer', ak9: '3' },
  X12_GE_COUNT_MISMATCH: {
    level: 'group',
    severity: 'error',
    summary: 'GE01 does not match the number of transaction sets received',
    ak9: '5',
  },
  X12_GE_CONTROL_MISMATCH: { level: 'group', severity: 'error', summary: 'GE02 does not match GS06', ak9: '4' },
  X12_GE_CONTROL_FORMAT: {
    level: 'group',
    severity: 'warning',
    summary: 'GE02 equals GS06 as a number but is written differently',
    ak9: '6',
  },
  X12_GS06_INVALID: { level: 'group', severity: 'error', summary: 'GS06 group control number is not 1 to 9 digits', ak9: '6' },
  X12_GS01_INVALID: { level: 'group', severity: 'error', summary: 'GS01 functional identifier code is missing or invalid', ak9: '1' },
  X12_GS08_INVALID: { level: 'group', severity: 'error', summary: 'GS08 version is missing or invalid', ak9: '2' },
  X12_GS_DATE_TIME_INVALID: { level: 'group', severity: 'warning', summary: 'GS04 date or GS05 time is invalid' },
  X12_GS_DUPLICATE_CONTROL: {
    level: 'group',
    severity: 'error',
    summary: 'GS06 group control number is not unique within the interchange',
    ak9: '19',
  },
  X12_GROUP_EMPTY: { level: 'group', severity: 'error', summary: 'The functional group holds no transaction set' },

  // ---- transaction set level (997 AK5) ----
  X12_SE_MISSING: { level: 'transaction', severity: 'error', summary: 'The transaction set ends without an SE trailer', ak5: '2' },
  X12_SE_COUNT_MISMATCH: {
    level: 'transaction',
    severity: 'error',
    summary: 'SE01 does not match the number of segments from ST to SE',
    ak5: '4',
  },
  X12_SE_CONTROL_MISMATCH: { level: 'transaction', severity: 'error', summary: 'SE02 does not match ST02', ak5: '3' },
  X12_ST01_INVALID: { level: 'transaction', severity: 'error', summary: 'ST01 transaction set identifier is missing or invalid', ak5: '6' },
  X12_ST02_INVALID: { level: 'transaction', severity: 'error', summary: 'ST02 transaction set control number is missing or invalid', ak5: '7' },
  X12_ST_DUPLICATE_CONTROL: {
    level: 'transaction',
    severity: 'error',
    summary: 'ST02 is not unique within the functional group',
    ak5: '23',
  },
  X12_SET_FINDINGS_TRUNCATED: {
    level: 'transaction',
    severity: 'error',
    summary: 'Too many errors in one transaction set; further segment errors were not recorded',
    ak5: '5',
  },

  // ---- segment and element level (997 AK3 / AK4) ----
  X12_SEGMENT_UNRECOGNIZED: { level: 'segment', severity: 'error', summary: 'Unrecognized segment ID', ak5: '5', ak304: '1' },
  X12_ELEMENT_MISSING: { level: 'element', severity: 'error', summary: 'Mandatory data element missing', ak5: '5', ak304: '8', ak403: '1' },
  X12_ELEMENT_TOO_MANY: { level: 'element', severity: 'error', summary: 'Too many data elements', ak5: '5', ak304: '8', ak403: '3' },
  X12_ELEMENT_TOO_SHORT: { level: 'element', severity: 'error', summary: 'Data element too short', ak5: '5', ak304: '8', ak403: '4' },
  X12_ELEMENT_TOO_LONG: { level: 'element', severity: 'error', summary: 'Data element too long', ak5: '5', ak304: '8', ak403: '5' },
  X12_ELEMENT_INVALID_CHARACTER: {
    level: 'element',
    severity: 'error',
    summary: 'Invalid character in data element',
    ak5: '5',
    ak304: '8',
    ak403: '6',
  },
  X12_ELEMENT_INVALID_DATE: { level: 'element', severity: 'error', summary: 'Invalid date', ak5: '5', ak304: '8', ak403: '8' },
  X12_ELEMENT_INVALID_TIME: { level: 'element', severity: 'error', summary: 'Invalid time', ak5: '5', ak304: '8', ak403: '9' },

  // ---- intake and routing: raised by the pipeline, not the X12 reader ----
  FILE_EMPTY: { level: 'file', severity: 'error', summary: 'The file is empty (0 bytes or only white space)' },
  FILE_UNREADABLE: { level: 'file', severity: 'error', summary: 'The file cannot be read (missing, not a regular file, or no permission)' },
  FILE_NOT_EDI: { level: 'file', severity: 'error', summary: 'The file does not start with an X12 ISA or an EDIFACT UNA/UNB' },
  FILE_FORMAT_UNSUPPORTED: { level: 'file', severity: 'error', summary: 'The file is in a format this gateway does not read yet' },
  FILE_DUPLICATE_CONTENT: { level: 'file', severity: 'error', summary: 'The same bytes were received and accepted before (not processed again, or flagged: partner policy duplicates.file)' },
  BUSINESS_DOCUMENT_DUPLICATE: { level: 'transaction', severity: 'warning', summary: 'The same business document (type, business reference, revision) was received before (not delivered again, or flagged: partner policy duplicates.businessDocument)' },
  X12_PARTNER_UNKNOWN: { level: 'interchange', severity: 'error', summary: 'No trading partner has the ISA05/ISA06 sender id', ta1: '006' },
  X12_SET_NOT_SUPPORTED: { level: 'transaction', severity: 'error', summary: 'The transaction set is not configured for this partner', ak5: '1' },
  MAP_NOT_FOUND: { level: 'transaction', severity: 'error', summary: 'The map named by the partner for this document type is not loaded' },
  MAP_FAILED: { level: 'transaction', severity: 'error', summary: 'The map failed on this transaction set' },
  CANONICAL_INVALID: { level: 'transaction', severity: 'error', summary: 'The map produced a canonical message that does not match its schema' },

  // ---- UN/EDIFACT (ISO 9735) envelope and syntax: CONTRL 0085 codes ----
  EDIFACT_DATA_OUTSIDE_INTERCHANGE: { level: 'file', severity: 'warning', summary: 'Data before, between or after EDIFACT interchanges was ignored', contrl: '33' },
  EDIFACT_NOT_EDIFACT: { level: 'file', severity: 'error', summary: 'No EDIFACT interchange (UNA/UNB) or message (UNH) found' },
  EDIFACT_UNA_INVALID: { level: 'interchange', severity: 'error', summary: 'The UNA service string advice has an invalid or repeated service character', contrl: '20' },
  EDIFACT_SYNTAX_UNSUPPORTED: { level: 'interchange', severity: 'error', summary: 'The UNB syntax identifier or version is not supported', contrl: '2' },
  EDIFACT_UNB_INVALID: { level: 'interchange', severity: 'error', summary: 'A UNB data element is missing or invalid', contrl: '13' },
  EDIFACT_UNB_UNTERMINATED: { level: 'interchange', severity: 'error', summary: 'The UNB has no segment terminator: it runs into the next segment', contrl: '13' },
  EDIFACT_UNB_MISSING: { level: 'interchange', severity: 'warning', summary: 'A message was received without an interchange envelope (UNB/UNZ)' },
  EDIFACT_INVALID_CHARACTER: { level: 'element', severity: 'error', summary: 'A character outside the repertoire of the syntax level (UNOA, UNOB...)', contrl: '21' },
  EDIFACT_SEGMENT_UNREADABLE: { level: 'segment', severity: 'error', summary: 'A segment holds a control character or cannot be read', contrl: '21' },
  EDIFACT_SEGMENT_UNTERMINATED: { level: 'interchange', severity: 'warning', summary: 'The last segment of the file has no segment terminator', contrl: '13' },
  EDIFACT_SEGMENT_TOO_LONG: { level: 'interchange', severity: 'error', summary: 'A segment exceeds the maximum segment length (missing terminator?)', contrl: '13' },
  EDIFACT_SEGMENT_OUTSIDE_MESSAGE: { level: 'interchange', severity: 'error', summary: 'A segment appears outside a message (not between UNH and UNT)', contrl: '33' },
  EDIFACT_GROUPS_AND_MESSAGES_MIXED: { level: 'interchange', severity: 'error', summary: 'Functional groups and messages outside groups are mixed in one interchange', contrl: '30' },
  EDIFACT_INTERCHANGE_EMPTY: { level: 'interchange', severity: 'error', summary: 'The interchange holds no message', contrl: '32' },
  EDIFACT_UNZ_MISSING: { level: 'interchange', severity: 'error', summary: 'The interchange ends without a UNZ trailer', contrl: '13' },
  EDIFACT_UNZ_COUNT_MISMATCH: { level: 'interchange', severity: 'error', summary: 'UNZ 0036 does not match the number of messages (or groups)', contrl: '29' },
  EDIFACT_UNZ_REFERENCE_MISMATCH: { level: 'interchange', severity: 'error', summary: 'UNZ 0020 does not match UNB 0020', contrl: '28' },
  EDIFACT_UNG_INVALID: { level: 'group', severity: 'error', summary: 'A UNG data element is missing or invalid', contrl: '13' },
  EDIFACT_UNE_MISSING: { level: 'group', severity: 'error', summary: 'The group ends without a UNE trailer', contrl: '13' },
  EDIFACT_UNE_COUNT_MISMATCH: { level: 'group', severity: 'error', summary: 'UNE 0060 does not match the number of messages in the group', contrl: '29' },
  EDIFACT_UNE_REFERENCE_MISMATCH: { level: 'group', severity: 'error', summary: 'UNE 0048 does not match UNG 0048', contrl: '28' },
  EDIFACT_GROUP_EMPTY: { level: 'group', severity: 'error', summary: 'The group holds no message', contrl: '32' },
  EDIFACT_UNH_INVALID: { level: 'transaction', severity: 'error', summary: 'UNH message reference or S009 type, version, release or agency is missing', contrl: '13' },
  EDIFACT_UNT_MISSING: { level: 'transaction', severity: 'error', summary: 'The message ends without a UNT trailer', contrl: '13' },
  EDIFACT_UNT_COUNT_MISMATCH: { level: 'transaction', severity: 'error', summary: 'UNT 0074 does not match the number of segments from UNH to UNT', contrl: '29' },
  EDIFACT_UNT_REFERENCE_MISMATCH: { level: 'transaction', severity: 'error', summary: 'UNT 0062 does not match UNH 0062', contrl: '28' },
  EDIFACT_MESSAGE_DUPLICATE_REFERENCE: { level: 'transaction', severity: 'error', summary: 'The message reference number is used twice in the interchange', contrl: '26' },
  EDIFACT_MANDATORY_SEGMENT_MISSING: { level: 'segment', severity: 'error', summary: 'A mandatory segment (BGM after UNH) is missing', contrl: '13' },
  EDIFACT_DATE_FORMAT_MISSING: { level: 'element', severity: 'error', summary: 'A DTM date/time is sent without its format code (C507 2379)', contrl: '13' },
  EDIFACT_PARTNER_UNKNOWN: { level: 'interchange', severity: 'error', summary: 'No trading partner has the UNB sender identification', contrl: '23' },
  EDIFACT_SENDER_MISMATCH: { level: 'interchange', severity: 'error', summary: 'The UNB sender does not belong to the trading partner the file came from', contrl: '23' },
  EDIFACT_DUPLICATE_INTERCHANGE: { level: 'interchange', severity: 'error', summary: 'The interchange control reference was already received from this partner', contrl: '26' },
  EDIFACT_MESSAGE_NOT_SUPPORTED: { level: 'transaction', severity: 'error', summary: 'The message type is not configured for this partner (no agreement)', contrl: '17' },
  EDIFACT_CONTRL_RECEIVED: { level: 'transaction', severity: 'warning', summary: 'A CONTRL from the partner reports an interchange of ours rejected' },
  EDIFACT_CONTRL_UNMATCHED: { level: 'transaction', severity: 'warning', summary: 'A CONTRL from the partner answers no interchange we recorded sending' },

  // ---- CSV files (partner column maps) ----
  CSV_ROW_INVALID: { level: 'segment', severity: 'error', summary: 'A CSV row cannot be read or misses a required value (line number in the message)' },
  CSV_FILE_EMPTY: { level: 'file', severity: 'error', summary: 'The CSV file holds no data row' },
  CSV_FILE_REJECTED: { level: 'file', severity: 'error', summary: 'The CSV file was rejected because of bad rows (partner policy csv.badRows: reject-file)' },
  CSV_MAP_MISSING: { level: 'file', severity: 'error', summary: 'The partner has no CSV map (partners/<id>.yaml csv.map) or the map is not loaded' },

  // ---- X12 implementation-guide checks (src/validation/guides/); severity from the partner's validation.guide ----
  X12_GUIDE_SEGMENT_MISSING: { level: 'segment', severity: 'error', summary: 'A mandatory segment or loop of the transaction set is missing', ak5: '5', ak304: '3' },
  X12_GUIDE_ELEMENT_MISSING: { level: 'element', severity: 'error', summary: 'A mandatory data element the maps read is empty', ak5: '5', ak304: '8', ak403: '1' },
  X12_GUIDE_ELEMENT_TOO_SHORT: { level: 'element', severity: 'error', summary: 'A data element the maps read is shorter than its minimum length', ak5: '5', ak304: '8', ak403: '4' },
  X12_GUIDE_ELEMENT_TOO_LONG: { level: 'element', severity: 'error', summary: 'A data element the maps read is longer than its maximum length', ak5: '5', ak304: '8', ak403: '5' },
  X12_GUIDE_CODE_INVALID: { level: 'element', severity: 'error', summary: 'A data element holds a code that is not in its X12 code list', ak5: '5', ak304: '8', ak403: '7' },
  X12_GUIDE_TOTAL_MISMATCH: {
    level: 'element',
    severity: 'error',
    summary: 'A control total (CTT01 line count, CTT02 hash total, 810 TDS01) disagrees with the lines of the set',
    ak5: '5',
    ak304: '8',
    ak403: '7',
  },
} as const satisfies Record<string, FindingCodeSpec>;

export type FindingCode = keyof typeof FINDING_CODES;

/** True when `code` is in the catalogue. */
export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(FINDING_CODES, code);
}

/**
 * Build a Finding from the catalogue: level, severity and the standard codes (ta1, ak9, ak5) come
 * from the entry for `code`; `extra` may add detail (offset, segment and element notes) or override
 * the severity. The AK3/AK4 codes of the entry fill `segment.code` / `element.code` when `extra`
 * carries those notes without a code.
 */
export function makeFinding(
  code: FindingCode,
  message: string,
  extra?: Partial<Omit<Finding, 'code' | 'message' | 'segment' | 'element'>> & {
    segment?: Omit<NonNullable<Finding['segment']>, 'code'> & { code?: string };
    element?: Omit<NonNullable<Finding['element']>, 'code'> & { code?: string };
  },
): Finding {
  const spec: FindingCodeSpec = FINDING_CODES[code];
  const f: Finding = { code, severity: spec.severity, level: spec.level, message };
  if (spec.ta1 !== undefined) f.ta1 = spec.ta1;
  if (spec.ak9 !== undefined) f.ak9 = spec.ak9;
  if (spec.ak5 !== undefined) f.ak5 = spec.ak5;
  if (spec.contrl !== undefined) f.contrl = spec.contrl;
  if (extra) {
    const { segment, element, ...rest } = extra;
    Object.assign(f, rest);
    if (segment) f.segment = { ...segment, code: segment.code ?? spec.ak304 ?? '8' };
    if (element) f.element = { ...element, code: element.code ?? spec.ak403 ?? '1' };
  }
  return f;
}

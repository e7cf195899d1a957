/**
 * ISA interchange header: field model and validation (X12.5 interchange control structures).
 *
 * The ISA is a fixed-length segment (106 bytes with its terminator; widths below). Real files
 * carry unpadded or over-long ISAs; the tokenizer reads them by counting separators and this
 * module reports the width problem once (X12_ISA_LENGTH, a warning: the interchange is still
 * processed) apart from invalid values (errors: TA1 rejects the interchange).
 */
import type { Finding } from '../../validation/finding.js';
import { makeFinding, type FindingCode } from '../../validation/codes.js';
import type { X12Delimiters, X12InterchangeHeader } from './types.js';
import { ISA_STANDARD_LENGTH, type X12IsaInfo } from './tokenizer.js';
import { isValidDate, isValidTime } from './dictionary.js';

/** Fixed widths of ISA01..ISA16 (X12.5). */
export const ISA_WIDTHS: readonly number[] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

/** Finding code for a problem in ISA01..ISA16 (index 0..15). */
const FIELD_CODES: readonly FindingCode[] = [
  'X12_ISA01_INVALID',
  'X12_ISA02_INVALID',
  'X12_ISA03_INVALID',
  'X12_ISA04_INVALID',
  'X12_ISA05_INVALID',
  'X12_ISA06_INVALID',
  'X12_ISA07_INVALID',
  'X12_ISA08_INVALID',
  'X12_ISA09_INVALID',
  'X12_ISA10_INVALID',
  'X12_ISA11_INVALID',
  'X12_ISA12_INVALID',
  'X12_ISA13_INVALID',
  'X12_ISA14_INVALID',
  'X12_ISA15_INVALID',
  'X12_ISA16_INVALID',
];
/** TA105 code for each ISA field (I18), used for the width warning. */
const FIELD_TA1 = ['010', '011', '012', '013', '005', '006', '007', '008', '014', '015', '016', '017', '018', '019', '020', '027'];

/** ISA01 authorization information qualifier (I01). */
const AUTH_QUALIFIERS = new Set(['00', '01', '02', '03', '04', '05', '06']);
/** ISA03 security information qualifier (I03). */
const SECURITY_QUALIFIERS = new Set(['00', '01']);
/** ISA05/ISA07 interchange id qualifier (I05), 003040 to 008010. */
const ID_QUALIFIERS = new Set([
  '01', '02', '03', '04', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20',
  '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38',
  'AM', 'NR', 'SA', 'SN', 'ZZ',
]);

// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x1f\x7f]/;

function isAlnumChar(s: string): boolean {
  return /^[A-Za-z0-9]$/.test(s);
}

/** Build the header model from the 16 ISA elements as received (missing elements read as ''). */
export function buildInterchangeHeader(elements: string[], delimiters: X12Delimiters, offset: number): X12InterchangeHeader {
  const e = (i: number): string => elements[i] ?? '';
  return {
    isa: Array.from({ length: 16 }, (_, i) => e(i)),
    authorizationQualifier: e(0),
    securityQualifier: e(2),
    senderQualifier: e(4).trim(),
    senderId: e(5).trim(),
    receiverQualifier: e(6).trim(),
    receiverId: e(7).trim(),
    date: e(8),
    time: e(9),
    isa11: e(10),
    version: e(11),
    controlNumber: e(12),
    ackRequested: e(13),
    usage: e(14),
    delimiters,
    offset,
  };
}

/**
 * Validate an ISA (X12.5 ISA01..ISA16 and the delimiters). Returns interchange-level findings
 * with TA105 codes (I18): 005-008 ids and qualifiers, 010-013 authorization and security,
 * 014 date, 015 time, 016 standards id / ISA11, 017 version, 018 control number, 019 ack
 * requested, 020 usage, 026 element separator, 027 component separator, 004 terminator.
 */
export function validateIsa(header: X12InterchangeHeader, info: X12IsaInfo): Finding[] {
  const out: Finding[] = [];
  const at = { offset: header.offset };
  const isa = header.isa;
  const d = info.delimiters;
  const f = (i: number): string => isa[i] ?? '';
  const bad = (i: number, msg: string): void => {
    out.push(makeFinding(FIELD_CODES[i] ?? 'X12_ISA01_INVALID', `ISA${String(i + 1).padStart(2, '0')} ${msg}`, at));
  };

  // Widths: one warning for the whole header, coded by the first field of the wrong width.
  const wrong: number[] = [];
  for (let i = 0; i < 16; i++) if (f(i).length !== ISA_WIDTHS[i]) wrong.push(i);
  if (wrong.length > 0 || info.length !== ISA_STANDARD_LENGTH) {
    const first = wrong[0] ?? 15;
    const list = wrong.map((i) => `ISA${String(i + 1).padStart(2, '0')} is ${f(i).length} (standard ${ISA_WIDTHS[i]})`).join(', ');
    out.push(
      makeFinding('X12_ISA_LENGTH', `ISA is ${info.length} characters (standard ${ISA_STANDARD_LENGTH})${list ? `: ${list}` : ''}`, {
        ...at,
        ta1: FIELD_TA1[first] ?? '024',
      }),
    );
  }

  if (!AUTH_QUALIFIERS.has(f(0))) bad(0, `authorization information qualifier "${f(0)}" is not a valid code`);
  if (CONTROL_RE.test(f(1))) bad(1, 'authorization information holds control characters');
  if (!SECURITY_QUALIFIERS.has(f(2))) bad(2, `security information qualifier "${f(2)}" is not a valid code`);
  if (CONTROL_RE.test(f(3))) bad(3, 'security information holds control characters');
  if (!ID_QUALIFIERS.has(f(4).trim())) bad(4, `sender id qualifier "${f(4)}" is not a valid code`);
  if (f(5).trim() === '' || CONTROL_RE.test(f(5))) bad(5, `sender id "${f(5)}" is empty or holds control characters`);
  if (!ID_QUALIFIERS.has(f(6).trim())) bad(6, `receiver id qualifier "${f(6)}" is not a valid code`);
  if (f(7).trim() === '' || CONTROL_RE.test(f(7))) bad(7, `receiver id "${f(7)}" is empty or holds control characters`);
  if (!/^\d{6}$/.test(f(8)) || !isValidDate(f(8))) bad(8, `interchange date "${f(8)}" is not a valid YYMMDD date`);
  if (!/^\d{4}$/.test(f(9)) || !isValidTime(f(9))) bad(9, `interchange time "${f(9)}" is not a valid HHMM time`);

  const version = f(11);
  if (!/^\d{5}$/.test(version)) bad(11, `interchange control version "${version}" is not five digits`);
  else if (!/^00[2-8]0\d$/.test(version)) {
    out.push(makeFinding('X12_ISA12_UNKNOWN', `ISA12 interchange control version "${version}" is not a known version`, at));
  }

  const isa11 = f(10);
  if (version >= '00402') {
    if (d.repetition === null) {
      bad(10, `"${isa11}" is not usable as repetition separator (version ${version}); repetitions are not split`);
    } else if (isa11 === d.element || isa11 === d.component || isa11 === d.segment) {
      bad(10, `repetition separator "${isa11}" equals another delimiter`);
    }
  } else if (isa11 !== 'U') {
    bad(10, `interchange standards identifier "${isa11}" is not U (version ${version})`);
  }

  if (!/^\d{9}$/.test(f(12))) bad(12, `interchange control number "${f(12)}" is not nine digits`);
  if (f(13) !== '0' && f(13) !== '1') bad(13, `acknowledgment requested "${f(13)}" is not 0 or 1`);
  if (f(14) !== 'P' && f(14) !== 'T' && f(14) !== 'I') bad(14, `usage indicator "${f(14)}" is not P, T or I`);

  const comp = d.component;
  if (isAlnumChar(comp) || comp === ' ' || comp === d.element || comp === d.segment) {
    bad(15, `component element separator "${printable(comp)}" is alphanumeric, blank or equal to another delimiter`);
  }
  if (d.element === d.segment) {
    out.push(makeFinding('X12_ELEMENT_SEPARATOR_INVALID', `data element separator "${printable(d.element)}" equals the segment terminator`, at));
  }
  if (isAlnumChar(d.segment) || d.segment === comp) {
    out.push(
      makeFinding('X12_SEGMENT_TERMINATOR_INVALID', `segment terminator "${printable(d.segment)}" is alphanumeric or equals another delimiter`, at),
    );
  }
  return out;
}

/** Show a delimiter in a message (control characters as hex). */
export function printable(ch: string): string {
  const c = ch.charCodeAt(0);
  if (Number.isNaN(c)) return '';
  if (c < 32 || c === 127) return `0x${c.toString(16).padStart(2, '0').toUpperCase()}`;
  return ch;
}

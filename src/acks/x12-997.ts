/**
 * 997 Functional Acknowledgment builder (X12.5 997; AK3/AK4/AK5/AK9 code lists 720, 723, 718, 716).
 */
import type { Finding } from '../validation/finding.js';
import type { X12Delimiters, X12GroupResult, X12InterchangeHeader, X12SetSummary } from '../formats/x12/types.js';
import { gsDateTime, mirrorInterchange, sanitizeValue, writeSegment, type X12OutSegment } from '../formats/x12/writer.js';

export interface Build997Params {
  /** The inbound interchange header the group came in (mirrored: ids swapped, version and delimiters copied). */
  interchange: X12InterchangeHeader;
  /** Our ISA13 for the acknowledgement interchange: 1 to 9 digits (zero-padded to 9). */
  interchangeControlNumber: string;
  /** Our GS06 for the acknowledgement group: 1 to 9 digits. */
  groupControlNumber: string;
  /** Time written in ISA09/ISA10 and GS04/GS05 (UTC). */
  now: Date;
}

/** Version key (first 6 digits of GS08, e.g. "005010"), or "" when GS08 does not start with 6 digits. */
export function versionKey(gs08: string): string {
  const v = gs08.trim().slice(0, 6);
  return /^\d{6}$/.test(v) ? v : '';
}

export function uniqueCodes(codes: (string | undefined)[], max: number): string[] {
  const set = new Set<string>();
  for (const c of codes) if (c) set.add(c);
  return [...set].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b)).slice(0, max);
}

/**
 * The segment- and element-level findings of one set grouped by segment position (ST = 1), in position order:
 * one AK3 (997) or IK3 (999) loop each.
 */
export function findingsBySegment(findings: Finding[]): Array<{ position: number; note: NonNullable<Finding['segment']>; findings: Finding[] }> {
  const byPosition = new Map<number, Finding[]>();
  for (const f of findings) {
    if (!f.segment) continue;
    const list = byPosition.get(f.segment.position);
    if (list) list.push(f);
    else byPosition.set(f.segment.position, [f]);
  }
  return [...byPosition.entries()].sort((a, b) => a[0] - b[0]).map(([position, list]) => ({ position, note: list[0]!.segment!, findings: list }));
}

/** The element note of a finding as AK4/IK4 elements: position (C030 element:component), reference, code, copy of the bad data. */
export function elementNote(e: NonNullable<Finding['element']>, d: X12Delimiters, code: string = e.code): string[] {
  const pos = e.componentPosition !== undefined ? `${e.position}${d.component}${e.componentPosition}` : String(e.position);
  const bad = e.badValue !== undefined ? sanitizeValue(e.badValue, d).slice(0, 99) : '';
  return [pos, e.reference ?? '', code, bad];
}

/** AK3/AK4 segments for the segment- and element-level findings of one set, by segment position. */
function detailSegments(findings: Finding[], d: X12Delimiters): X12OutSegment[] {
  const out: X12OutSegment[] = [];
  for (const { position, note, findings: list } of findingsBySegment(findings)) {
    out.push({ tag: 'AK3', elements: [sanitizeValue(note.tag, d).slice(0, 3), String(position), sanitizeValue(note.loopId ?? '', d).slice(0, 4), note.code] });
    for (const f of list) if (f.element) out.push({ tag: 'AK4', elements: elementNote(f.element, d) });
  }
  return out;
}

function setSegments(set: X12SetSummary, version: string, d: X12Delimiters): X12OutSegment[] {
  const ak2: string[] = [sanitizeValue(set.setId, d), sanitizeValue(set.controlNumber, d)];
  if (set.implementationReference && version >= '005010') ak2.push(sanitizeValue(set.implementationReference, d));
  const out: X12OutSegment[] = [{ tag: 'AK2', elements: ak2 }];
  out.push(...detailSegments(set.findings, d));
  const ak5 = uniqueCodes(
    set.findings.map((f) => f.ak5),
    5,
  );
  out.push({ tag: 'AK5', elements: [set.ackCode, ...ak5] });
  return out;
}

/**
 * Build a whole interchange holding one 997 for one inbound functional group (X12.5 997).
 *
 * Shape: ISA mirrored from the inbound interchange (sender/receiver and qualifiers swapped, ISA12
 * and delimiters copied, repetition separator only from 00402 on, ISA14 0, ISA15 copied); GS*FA
 * with GS02/GS03 swapped from the inbound GS03/GS02 and GS08 copied; ST*997*0001; AK1 (GS01,
 * GS06, and GS08 as AK103 when GS08 >= 005010); per set AK2 (AK203 = ST03 when present and
 * version >= 005010), AK3/AK4 from the set's segment/element findings (AK304 and AK403 codes),
 * AK5 (AK501 the set's ack code, AK502..AK506 its findings' AK5 codes); AK9 (AK901 group code,
 * AK902 sets included per GE01 or the received count when GE01 is missing or not a number,
 * AK903 received, AK904 accepted, AK905..AK909 the group findings' AK9 codes); SE; GE*1; IEA*1.
 * Each segment terminator is followed by "\n" unless the terminator is CR or LF.
 *
 * Returns the interchange text (latin1 characters). Throws RangeError when a control number
 * parameter is not 1 to 9 digits.
 */
export function build997(group: X12GroupResult, params: Build997Params): string {
  if (!/^\d{1,9}$/.test(params.groupControlNumber)) throw new RangeError(`GS06 "${params.groupControlNumber}" must be 1 to 9 digits`);
  const env = mirrorInterchange(params.interchange, params.interchangeControlNumber, params.now);
  const d = env.delimiters;
  const inGs = group.header;
  const version = versionKey(inGs.version);
  const gsVersion = sanitizeValue(inGs.version.trim(), d) || `${env.version}0`;
  const { date, time } = gsDateTime(params.now);
  const gsDate = version !== '' && version < '004010' ? date.slice(2) : date;

  const body: X12OutSegment[] = [{ tag: 'ST', elements: ['997', '0001'] }];
  const ak1 = [sanitizeValue(inGs.functionalId, d), sanitizeValue(inGs.controlNumber, d)];
  if (version >= '005010') ak1.push(gsVersion);
  body.push({ tag: 'AK1', elements: ak1 });
  for (const set of group.sets) body.push(...setSegments(set, version, d));
  const received = group.sets.length;
  const declared = group.declaredSetCount?.trim() ?? '';
  const included = /^\d{1,6}$/.test(declared) ? String(Number(declared)) : String(received);
  const ak9 = uniqueCodes(
    group.findings.map((f) => f.ak9),
    5,
  );
  body.push({ tag: 'AK9', elements: [group.ackCode, included, String(received), String(group.acceptedCount), ...ak9] });
  body.push({ tag: 'SE', elements: [String(body.length + 1), '0001'] });

  const gs: X12OutSegment = {
    tag: 'GS',
    elements: [
      'FA',
      sanitizeValue(inGs.receiverCode.trim(), d),
      sanitizeValue(inGs.senderCode.trim(), d),
      gsDate,
      time,
      params.groupControlNumber,
      'X',
      gsVersion,
    ],
  };
  const trailer: X12OutSegment[] = [
    { tag: 'GE', elements: ['1', params.groupControlNumber] },
    { tag: 'IEA', elements: ['1', params.interchangeControlNumber.padStart(9, '0')] },
  ];
  return env.isa + writeSegment(gs, d, env.lineEnding) + body.map((s) => writeSegment(s, d, env.lineEnding)).join('') +
    trailer.map((s) => writeSegment(s, d, env.lineEnding)).join('');
}

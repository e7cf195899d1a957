/**
 * 999 Implementation Acknowledgment builder (ASC X12 005010X231A1), sent instead of the 997 to partners
 * on 005010X2xx implementation guides.
 */
import type { Finding } from '../validation/finding.js';
import type { X12Delimiters, X12GroupResult, X12SetSummary } from '../formats/x12/types.js';
import { gsDateTime, mirrorInterchange, sanitizeValue, writeSegment, type X12OutSegment } from '../formats/x12/writer.js';
import { elementNote, findingsBySegment, uniqueCodes, type Build997Params } from './x12-997.js';
import { businessUnitAt } from './business-units.js';

/** The implementation guide of the 999 itself: GS08 and ST03 of the acknowledgement. */
export const X231_VERSION = '005010X231A1';

/** Longest CTX business unit identifier value (005010X231A1: truncate to the first 35 characters). */
const CTX_VALUE_MAX = 35;

/**
 * IK3 loops for the segment- and element-level findings of one set, by segment position: IK3 (segment tag,
 * position in the set with ST = 1, loop id, IK304 code), CTX business unit identifier when the error sits in a
 * business unit whose identifier is known (CTX01-1 element name such as BEG03 or CLM01, CTX01-2 its value), then
 * IK4 per element (IK401 position as C030 element:component, IK402 reference number, IK403 code, IK404 bad data).
 */
function implementationNotes(set: X12SetSummary, d: X12Delimiters): X12OutSegment[] {
  const out: X12OutSegment[] = [];
  for (const { position, note, findings: list } of findingsBySegment(set.findings)) {
    out.push({ tag: 'IK3', elements: [sanitizeValue(note.tag, d).slice(0, 3), String(position), sanitizeValue(note.loopId ?? '', d).slice(0, 4), note.implementationCode ?? note.code] });
    const unit = businessUnitAt(set.businessUnits ?? [], position);
    // A unit whose own identifier is in error is not "known" (X12 RFI 2293): no CTX then.
    const unitInError = unit && list.some((f) => f.element && unit.position === position && `${note.tag}${String(f.element.position).padStart(2, '0')}` === unit.element);
    if (unit && !unitInError) {
      const value = sanitizeValue(unit.value, d).slice(0, CTX_VALUE_MAX);
      if (value) out.push({ tag: 'CTX', elements: [`${unit.element}${d.component}${value}`] });
    }
    for (const f of list) if (f.element) out.push({ tag: 'IK4', elements: elementNote(f.element, d, f.element.implementationCode ?? f.element.code) });
  }
  return out;
}

/**
 * Build a whole interchange holding one 999 for one inbound functional group (005010X231A1).
 *
 * Shape: ISA mirrored from the inbound interchange (as for the 997); GS*FA with GS02/GS03 swapped and GS08
 * 005010X231A1; ST*999*0001*005010X231A1; AK1 (GS01, GS06, GS08 of the inbound group); per set AK2 (ST01,
 * ST02, ST03 when present), the IK3/CTX/IK4 notes (IK304 and IK403 codes share the 997's AK304/AK403 values
 * 1-8 and 1-10, 12, 13; an implementation-guide finding's own I-code, such as IK403 I12, replaces it when it
 * has one), IK5 (IK501 A, E or R; IK502..IK506 the set's findings' codes, which share the 997's AK502 values,
 * or their I-code such as I5); AK9 as in the 997; SE; GE*1; IEA*1.
 *
 * Returns the interchange text (latin1 characters). Throws RangeError when a control number parameter is
 * not 1 to 9 digits.
 */
export function build999(group: X12GroupResult, params: Build997Params): string {
  if (!/^\d{1,9}$/.test(params.groupControlNumber)) throw new RangeError(`GS06 "${params.groupControlNumber}" must be 1 to 9 digits`);
  const env = mirrorInterchange(params.interchange, params.interchangeControlNumber, params.now);
  const d = env.delimiters;
  const inGs = group.header;
  const { date, time } = gsDateTime(params.now);

  const body: X12OutSegment[] = [{ tag: 'ST', elements: ['999', '0001', X231_VERSION] }];
  body.push({ tag: 'AK1', elements: [sanitizeValue(inGs.functionalId, d), sanitizeValue(inGs.controlNumber, d), sanitizeValue(inGs.version.trim(), d)] });
  for (const set of group.sets) {
    const ak2 = [sanitizeValue(set.setId, d), sanitizeValue(set.controlNumber, d)];
    if (set.implementationReference) ak2.push(sanitizeValue(set.implementationReference, d));
    body.push({ tag: 'AK2', elements: ak2 });
    body.push(...implementationNotes(set, d));
    body.push({ tag: 'IK5', elements: [set.ackCode, ...uniqueCodes(set.findings.map((f) => f.ik5 ?? f.ak5), 5)] });
  }
  const received = group.sets.length;
  const declared = group.declaredSetCount?.trim() ?? '';
  const included = /^\d{1,6}$/.test(declared) ? String(Number(declared)) : String(received);
  body.push({ tag: 'AK9', elements: [group.ackCode, included, String(received), String(group.acceptedCount), ...uniqueCodes(group.findings.map((f) => f.ak9), 5)] });
  body.push({ tag: 'SE', elements: [String(body.length + 1), '0001'] });

  const gs: X12OutSegment = {
    tag: 'GS',
    elements: ['FA', sanitizeValue(inGs.receiverCode.trim(), d), sanitizeValue(inGs.senderCode.trim(), d), date, time, params.groupControlNumber, 'X', X231_VERSION],
  };
  const trailer: X12OutSegment[] = [
    { tag: 'GE', elements: ['1', params.groupControlNumber] },
    { tag: 'IEA', elements: ['1', params.interchangeControlNumber.padStart(9, '0')] },
  ];
  return env.isa + writeSegment(gs, d, env.lineEnding) + body.map((s) => writeSegment(s, d, env.lineEnding)).join('') +
    trailer.map((s) => writeSegment(s, d, env.lineEnding)).join('');
}

/**
 * Implementation-guide checks of one X12 transaction set (rules in ./rules.ts, code lists in ./code-lists/):
 * mandatory segments and loops, the length, requirement and code of the elements the maps read, and the
 * totals (CTT01 line count, CTT02 hash total, 810 TDS01). Findings carry the acknowledgement codes:
 *
 * | finding                          | 997 (X12.5)                         | 999 (005010X231A1)                     |
 * |----------------------------------|-------------------------------------|----------------------------------------|
 * | X12_GUIDE_SEGMENT_MISSING        | AK3 AK304 3, AK5 5                  | IK3 IK304 3, IK5 5                     |
 * | X12_GUIDE_ELEMENT_MISSING        | AK3 8, AK4 AK403 1, AK5 5           | IK4 IK403 1                            |
 * | X12_GUIDE_ELEMENT_TOO_SHORT/LONG | AK3 8, AK4 AK403 4 / 5, AK5 5       | IK4 IK403 4 / 5                        |
 * | X12_GUIDE_CODE_INVALID           | AK3 8, AK4 AK403 7, AK5 5           | IK4 IK403 7                            |
 * | X12_GUIDE_TOTAL_MISMATCH         | AK3 8, AK4 AK403 7, AK5 5           | IK3 8, IK4 IK403 I12, IK5 I5           |
 *
 * A totals mismatch is not a syntax error: the element is well formed, its value disagrees with the rest of
 * the set. The 997's AK403 list (723) has no code for that; 7 "Invalid Code Value" is the nearest (the value
 * is not one the set allows in that place), while 1-6 and 8-13 name syntax faults it does not have. The 999
 * has the exact code: X231 gives IK403 I12 "Implementation Pattern Match Failure" for a value that breaks a
 * rule of the implementation, and IK502 I5 "Implementation One or More Segments in Error" for the set.
 */
import type { Finding } from '../finding.js';
import { makeFinding, type FindingCode } from '../codes.js';
import type { X12Delimiters, X12Segment } from '../../formats/x12/types.js';
import { SET_GUIDES, type ElementRule, type RequiredSegment, type SetGuide, type TotalRule } from './rules.js';
import { X12_CODE_LISTS } from './code-lists/x12-004050.js';

/** What the checks read of a transaction set. */
export interface GuideInput {
  setId: string;
  /** GS08, e.g. "004010VICS". */
  version: string;
  /** ST..SE, as read. */
  segments: readonly X12Segment[];
  delimiters: X12Delimiters;
  /** Findings already recorded (syntax): an element already reported is not reported again. */
  existing: readonly Finding[];
}

/** Severity the partner gives implementation-guide findings (error: AK5 R, warning: AK5 E). */
export type GuideFindingSeverity = 'error' | 'warning';

/** The guide of a set id, or undefined when the gateway has none for it. */
export function guideFor(setId: string): SetGuide | undefined {
  return SET_GUIDES[setId];
}

/**
 * True when the X12 code lists (release 004050, see ./code-lists/x12-004050.ts) apply to `version` (GS08):
 * versions 004010 to 004050. Older versions may use codes withdrawn since; 005010 and later add codes.
 */
export function codeListsApply(version: string): boolean {
  const v = version.trim().slice(0, 6);
  return /^\d{6}$/.test(v) && v >= '004010' && v <= '004050';
}

/**
 * Checks one transaction set against its guide.
 * @returns the findings (severity as given), in segment order; [] when the set id has no guide.
 * Pure: reads `input`, throws nothing for any partner data.
 */
export function checkImplementationGuide(input: GuideInput, severity: GuideFindingSeverity): Finding[] {
  const guide = SET_GUIDES[input.setId];
  if (!guide) return [];
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const f of input.existing) {
    if (f.segment) reported.add(f.element ? `${f.segment.position}:${f.element.position}` : `${f.segment.position}`);
  }
  const ctx: Ctx = { input, severity, out, reported, codes: codeListsApply(input.version) };
  for (const r of guide.required) checkRequired(ctx, r);
  const byTag = new Map<string, ElementRule[]>();
  for (const rule of guide.elements) {
    const list = byTag.get(rule.tag);
    if (list) list.push(rule);
    else byTag.set(rule.tag, [rule]);
  }
  input.segments.forEach((seg, i) => {
    for (const rule of byTag.get(seg.tag) ?? []) checkElement(ctx, seg, i + 1, rule);
  });
  for (const t of guide.totals) checkTotal(ctx, t);
  return out.sort((a, b) => (a.segment?.position ?? 0) - (b.segment?.position ?? 0));
}

interface Ctx {
  input: GuideInput;
  severity: GuideFindingSeverity;
  out: Finding[];
  reported: Set<string>;
  codes: boolean;
}

function add(ctx: Ctx, code: FindingCode, message: string, at: { tag: string; position: number; loop?: string }, element?: { position: number; component?: number; ref: string; bad?: string; ik403?: string }, ik5?: string): void {
  const key = element ? `${at.position}:${element.position}` : `${at.position}`;
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  const seg = ctx.input.segments[at.position - 1];
  const f = makeFinding(code, message, {
    severity: ctx.severity,
    ...(seg ? { offset: seg.offset } : {}),
    segment: { tag: at.tag, position: at.position, ...(at.loop ? { loopId: at.loop } : {}) },
    ...(element ? {
      element: {
        position: element.position, reference: element.ref,
        ...(element.component !== undefined ? { componentPosition: element.component } : {}),
        ...(element.bad !== undefined ? { badValue: element.bad } : {}),
        ...(element.ik403 ? { implementationCode: element.ik403 } : {}),
      },
    } : {}),
  });
  if (ik5) f.ik5 = ik5;
  ctx.out.push(f);
}

function checkRequired(ctx: Ctx, r: RequiredSegment): void {
  const segs = ctx.input.segments;
  if (segs.some((s) => s.tag === r.tag)) return;
  let position: number;
  if (r.before === 'afterST') position = 2;
  else {
    const follow = new Set(r.before);
    const i = segs.findIndex((s, k) => k > 0 && follow.has(s.tag));
    position = i >= 0 ? i + 1 : segs.length;
  }
  const guide = SET_GUIDES[ctx.input.setId]!;
  add(ctx, 'X12_GUIDE_SEGMENT_MISSING',
    `mandatory ${r.loop ? `loop ${r.loop}` : `segment ${r.tag}`} of the ${guide.setId} ${guide.name} is missing (expected at segment ${position})`,
    { tag: r.tag, position, ...(r.loop ? { loop: r.loop } : {}) });
}

/** Value of element `position` (component `component`) of `seg`, '' when absent. */
function valueOf(seg: X12Segment, position: number, component: number | undefined, d: X12Delimiters): string {
  const raw = seg.elements[position - 1] ?? '';
  if (component === undefined) return raw;
  return raw.split(d.component)[component - 1] ?? '';
}

/** Length of a value as X12 counts it: R and Nn count digits only (no sign, no decimal point). */
function x12Length(value: string, type: ElementRule['type']): number {
  return type === 'R' || type === 'N' ? value.replace(/[^0-9]/g, '').length : value.length;
}

function checkElement(ctx: Ctx, seg: X12Segment, position: number, rule: ElementRule): void {
  const value = valueOf(seg, rule.position, rule.component, ctx.input.delimiters);
  const name = `${rule.tag}${String(rule.position).padStart(2, '0')}${rule.component !== undefined ? `-${String(rule.component).padStart(2, '0')}` : ''}`;
  const at = { tag: seg.tag, position };
  const el = { position: rule.position, ref: rule.ref, ...(rule.component !== undefined ? { component: rule.component } : {}) };
  if (value === '') {
    if (rule.required) add(ctx, 'X12_GUIDE_ELEMENT_MISSING', `${name} (element ${rule.ref}) is mandatory and empty at segment ${position}`, at, el);
    return;
  }
  const len = x12Length(value, rule.type);
  if (len > rule.max) {
    add(ctx, 'X12_GUIDE_ELEMENT_TOO_LONG', `${name} "${value}" is ${len} characters, at most ${rule.max} allowed (element ${rule.ref})`, at, { ...el, bad: value });
    return;
  }
  if (len < rule.min) {
    add(ctx, 'X12_GUIDE_ELEMENT_TOO_SHORT', `${name} "${value}" is ${len} characters, at least ${rule.min} required (element ${rule.ref})`, at, { ...el, bad: value });
    return;
  }
  const list = rule.codes && ctx.codes ? X12_CODE_LISTS[rule.codes] : undefined;
  if (list && !list.has(value)) {
    add(ctx, 'X12_GUIDE_CODE_INVALID', `${name} "${value}" is not a code of X12 code list ${rule.codes}`, at, { ...el, bad: value });
  }
}

/** A decimal number as X12 writes it (R or N0), or null. */
function num(text: string | undefined): number | null {
  if (text === undefined || !/^-?(\d+\.?\d*|\.\d+)$/.test(text.trim())) return null;
  return Number(text.trim());
}

/**
 * X12 hash total (element 347): the values summed without regard to decimal points or signs, the
 * leftmost digits truncated beyond 10 (X12.3 data element dictionary, 347).
 */
function x12Hash(values: readonly string[]): string {
  let sum = 0n;
  for (const v of values) {
    const digits = v.replace(/[^0-9]/g, '');
    if (digits) sum += BigInt(digits);
  }
  return sum.toString().slice(-10).replace(/^0+(?=\d)/, '');
}

function checkTotal(ctx: Ctx, t: TotalRule): void {
  const segs = ctx.input.segments;
  if (t.kind === 'invoiceTotal') return checkInvoiceTotal(ctx);
  const cttIndex = segs.findIndex((s) => s.tag === 'CTT');
  if (cttIndex < 0) return;
  const ctt = segs[cttIndex]!;
  const counted = segs.filter((s) => s.tag === t.counted);
  const at = { tag: 'CTT', position: cttIndex + 1 };
  if (t.kind === 'lineCount') {
    const declared = ctt.elements[0] ?? '';
    const n = num(declared);
    if (n === null || n !== counted.length) {
      add(ctx, 'X12_GUIDE_TOTAL_MISMATCH', `CTT01 is "${declared}" but the set holds ${counted.length} ${t.counted} segments`, at,
        { position: 1, ref: '354', bad: declared, ik403: 'I12' }, 'I5');
    }
    return;
  }
  const declared = (ctt.elements[1] ?? '').trim();
  if (declared === '') return;
  const values = counted.map((s) => s.elements[t.element - 1] ?? '').filter((v) => v !== '');
  const arithmetic = values.reduce((a, v) => a + (num(v) ?? 0), 0);
  const d = num(declared);
  // Senders write either the arithmetic sum or the X12 digit hash; both are accepted.
  const matches = (d !== null && Math.abs(d - arithmetic) < 1e-6) || declared.replace(/[^0-9]/g, '').replace(/^0+(?=\d)/, '') === x12Hash(values);
  if (!matches) {
    add(ctx, 'X12_GUIDE_TOTAL_MISMATCH', `CTT02 hash total is "${declared}" but the ${t.counted}${String(t.element).padStart(2, '0')} values sum to ${round(arithmetic)}`, at,
      { position: 2, ref: '347', bad: declared, ik403: 'I12' }, 'I5');
  }
}

function round(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

/**
 * 810 TDS01 (N2, implied two decimals): the total invoice amount including charges, less allowances, before
 * terms discount. Recomputed as the sum of IT102 x IT104 per line (each rounded to cents), plus SAC charges
 * (SAC01 C) less SAC allowances (SAC01 A) of SAC05 (N2): those before the TDS (heading and lines), those after
 * it (summary, which often restate the line charges), both or none; allowances counted or not (a terms discount
 * sent as an allowance is outside TDS01); taxes (TXI02) included or not. Accepted
 * when any of these matches within one cent per IT1 line (each extended amount is rounded by the sender); not
 * checked when a line lacks a readable quantity or price.
 */
function checkInvoiceTotal(ctx: Ctx): void {
  const segs = ctx.input.segments;
  const tdsIndex = segs.findIndex((s) => s.tag === 'TDS');
  if (tdsIndex < 0) return;
  const tds01 = (segs[tdsIndex]!.elements[0] ?? '').trim();
  if (!/^-?\d+$/.test(tds01)) return; // a malformed N2 is a syntax finding, not a totals one
  const declared = Number(tds01);
  let lines = 0;
  let count = 0;
  for (const s of segs) {
    if (s.tag !== 'IT1') continue;
    const q = num(s.elements[1]);
    const p = num(s.elements[3]);
    if (q === null || p === null) return;
    lines += Math.round(q * p * 100);
    count++;
  }
  if (count === 0) return;
  // SAC before the TDS (heading and lines) and after it (summary) are summed apart: a summary SAC often
  // restates the line charges (sent either way in practice), so either group, both or none may be counted.
  const before = { charges: 0, allowances: 0 };
  const after = { charges: 0, allowances: 0 };
  let tax = 0;
  segs.forEach((s, i) => {
    if (s.tag === 'SAC') {
      const text = (s.elements[4] ?? '').trim();
      const amount = /^-?\d+$/.test(text) ? Number(text) : 0;
      const group = i < tdsIndex ? before : after;
      if (s.elements[0] === 'C') group.charges += amount;
      else if (s.elements[0] === 'A') group.allowances += amount;
    } else if (s.tag === 'TXI') {
      const t = num(s.elements[1]);
      if (t !== null) tax += Math.round(t * 100);
    }
  });
  const sac = before.charges - before.allowances + after.charges - after.allowances;
  const tolerance = count;
  const candidates: number[] = [];
  for (const g of [{ charges: 0, allowances: 0 }, before, after, { charges: before.charges + after.charges, allowances: before.allowances + after.allowances }]) {
    // An allowance that is a terms discount (SAC C310 with a percent) is outside TDS01: charges alone are tried too.
    for (const charges of [g.charges - g.allowances, g.charges]) for (const taxes of [0, tax]) candidates.push(lines + charges + taxes);
  }
  if (candidates.some((c) => Math.abs(declared - c) <= tolerance)) return;
  add(ctx, 'X12_GUIDE_TOTAL_MISMATCH',
    `TDS01 is ${(declared / 100).toFixed(2)} but the ${count} IT1 lines come to ${(lines / 100).toFixed(2)}` +
    (sac ? `, ${(sac / 100).toFixed(2)} of SAC allowances and charges` : '') + (tax ? `, ${(tax / 100).toFixed(2)} of taxes` : ''),
    { tag: 'TDS', position: tdsIndex + 1 }, { position: 1, ref: '610', bad: tds01, ik403: 'I12' }, 'I5');
}

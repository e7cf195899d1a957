/**
 * The JSON a map sees for one EDIFACT message (UNH..UNT).
 *
 * Every segment tag becomes an ARRAY of segment objects at its level. Element n of a segment is
 * `<tag><nn>` holding its first component (BGM01 = "220", NAD02 = "5412345000013"); an element of
 * several components also has each of them as `<tag><nn>_<mm>` (NAD02_03 = "9", DTM01_02 = the date).
 * Empty values are absent. Segment groups nest as arrays `<trigger>_group` (NAD_group, LIN_group with
 * its PRI_group, PAC_group...; src/mapping/edifact-groups.ts); segments after UNS are under `summary`.
 * Syntax 4 repeated elements are lists under `<tag><nn>_repeats`.
 *
 * Also: messageType, version, release, agency, associationCode, reference (UNH), decimalMark (UNA).
 */
import type { EdifactMessage, EdifactSegment } from '../formats/edifact/types.js';
import { EDIFACT_MESSAGE_SPECS, type EdifactGroupSpec } from './edifact-groups.js';

type Level = Record<string, unknown>;

function names(tag: string, i: number): string {
  return tag + (i < 9 ? '0' : '') + String(i + 1);
}

function segmentObject(seg: EdifactSegment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  seg.elements.forEach((comps, i) => {
    const name = names(seg.tag, i);
    if (comps[0]) out[name] = comps[0];
    if (comps.length > 1) comps.forEach((c, j) => { if (c) out[`${name}_${j < 9 ? '0' : ''}${j + 1}`] = c; });
    const reps = seg.repetitions?.[i];
    if (reps) out[`${name}_repeats`] = reps.map((r) => r.filter(Boolean).join(':'));
  });
  return out;
}

function add(level: Level, key: string, value: unknown): void {
  const arr = level[key] as unknown[] | undefined;
  if (arr) arr.push(value);
  else level[key] = [value];
}

interface Frame { spec: EdifactGroupSpec | null; groups: readonly EdifactGroupSpec[]; segments: readonly string[]; level: Level }

/** Builds the map input of one message (segments UNH..UNT as read). */
export function buildEdifactMapInput(message: Pick<EdifactMessage, 'type' | 'version' | 'release' | 'agency' | 'associationCode' | 'reference' | 'segments'> & { decimalMark?: string }): Record<string, unknown> {
  const root: Level = {
    messageType: message.type, version: message.version, release: message.release, agency: message.agency,
    ...(message.associationCode ? { associationCode: message.associationCode } : {}), reference: message.reference, decimalMark: message.decimalMark ?? '.',
  };
  const spec = EDIFACT_MESSAGE_SPECS[message.type];
  const stack: Frame[] = [{ spec: null, groups: spec?.groups ?? [], segments: spec?.segments ?? [], level: root }];
  let inSummary = false;
  for (const seg of message.segments) {
    const obj = segmentObject(seg);
    if (seg.tag === 'UNS' && !inSummary && spec) {
      inSummary = true;
      const summary: Level = {};
      root.summary = summary;
      stack.length = 0;
      stack.push({ spec: null, groups: spec.summaryGroups ?? [], segments: [], level: summary });
      add(root, 'UNS', obj);
      continue;
    }
    if (seg.tag === 'UNT') { add(root, 'UNT', obj); continue; }
    for (;;) {
      const top = stack[stack.length - 1]!;
      const g = top.groups.find((x) => x.trigger === seg.tag);
      if (g) {
        const level: Level = {};
        add(top.level, `${g.trigger}_group`, level);
        add(level, seg.tag, obj);
        stack.push({ spec: g, groups: g.groups ?? [], segments: g.segments, level });
        break;
      }
      if (top.segments.includes(seg.tag) || stack.length === 1) {
        add(top.level, seg.tag, obj);
        break;
      }
      stack.pop();
    }
  }
  return root;
}

/**
 * The JSON a map sees for one X12 transaction set.
 *
 * Every segment id becomes an ARRAY of segment objects at its level; each segment object holds its
 * non-empty elements under `<tag><nn>` (BEG03, PO107). JSONata flattens single-element arrays, so
 * `BEG.BEG03` and `PO1_loop.PO1.PO102` read naturally. Loops nest as arrays named `<start>_loop`
 * (src/mapping/x12-loops.ts).
 */
import { isUtf8 } from 'node:buffer';
import type { X12Delimiters, X12Segment } from '../formats/x12/types.js';
import { compiledLoopSpec, type CompiledLoop } from './x12-loops.js';

/** What buildX12MapInput needs from a transaction set (a subset of X12TransactionSet). */
export interface X12MapInputSource {
  /** ST01, e.g. "850". */
  setId: string;
  /** ST02. */
  controlNumber: string;
  /** GS08, e.g. "004010VICS". */
  version: string;
  /** ST..SE as read (element strings are latin1: one char per byte). */
  segments: readonly X12Segment[];
  delimiters: X12Delimiters;
}

type SegmentObject = Record<string, string>;
type Level = Record<string, unknown>;

interface Frame {
  loop: CompiledLoop;
  level: Level;
}

/** Element names per tag: `names.get("PO1")[2]` is "PO103". Grows as longer segments are met. */
const elementNames = new Map<string, string[]>();
/** Component suffixes `_01`, `_02`... */
const componentSuffixes: string[] = [];

function namesFor(tag: string, count: number): string[] {
  let names = elementNames.get(tag);
  if (!names) {
    names = [];
    elementNames.set(tag, names);
  }
  for (let i = names.length; i < count; i++) names.push(tag + (i < 9 ? '0' : '') + String(i + 1));
  return names;
}

function componentSuffix(i: number): string {
  for (let j = componentSuffixes.length; j <= i; j++) componentSuffixes.push(j < 9 ? `_0${j + 1}` : `_${j + 1}`);
  return componentSuffixes[i]!;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Element text: the tokenizer gives latin1 (one char per byte). When the bytes hold a character
 * beyond ASCII and form valid UTF-8 they are decoded as UTF-8, otherwise latin1 is kept.
 */
function decodeText(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  const bytes = Buffer.from(s, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : s;
}

function segmentObject(seg: X12Segment, component: string): SegmentObject {
  const els = seg.elements;
  const names = namesFor(seg.tag, els.length);
  const out: SegmentObject = {};
  for (let i = 0; i < els.length; i++) {
    const raw = els[i];
    if (!raw) continue;
    const value = decodeText(raw);
    const name = names[i]!;
    out[name] = value;
    if (component && value.includes(component)) {
      const parts = value.split(component);
      for (let j = 0; j < parts.length; j++) {
        const p = parts[j];
        if (p) out[name + componentSuffix(j)] = p;
      }
    }
  }
  return out;
}

function pushTo(level: Level, key: string, value: unknown): void {
  const arr = level[key] as unknown[] | undefined;
  if (arr) arr.push(value);
  else level[key] = [value];
}

/**
 * Builds the map input for one transaction set.
 *
 * Shape: `{ setId, controlNumber, version, ST: [{ST01, ST02}], BEG: [{BEG01...}], N1_loop: [{ N1: [...], N3: [...] }],
 * PO1_loop: [{ PO1: [...], PID: [...], N1_loop: [...] }], CTT_loop: [{ CTT: [...], AMT: [...] }], SE: [...] }`.
 * - every segment id maps to an array of segment objects at its level, in the order received;
 * - empty elements are omitted; element values are strings (latin1, or UTF-8 when the bytes are valid UTF-8);
 * - an element holding the component separator keeps its raw string (`PO103`) and gets one property per
 *   non-empty component (`PO103_01`, `PO103_02`...);
 * - loops follow the X12 positions of the set (src/mapping/x12-loops.ts: the 850 from 003010 to 005010): a
 *   segment closes inner loops when it belongs to an outer level, a loop's start segment starts a new
 *   repetition; a segment no level knows stays where it appeared (in the innermost open loop);
 * - set ids without a loop spec get a flat structure (every segment at the top level).
 * Never throws for the content of the segments.
 */
export function buildX12MapInput(set: X12MapInputSource): Record<string, unknown> {
  const root: Level = { setId: set.setId, controlNumber: set.controlNumber, version: set.version };
  const component = set.delimiters.component;
  const spec = compiledLoopSpec(set.setId);
  const segments = set.segments;

  if (!spec) {
    for (const seg of segments) pushTo(root, seg.tag, segmentObject(seg, component));
    return root;
  }

  const stack: Frame[] = [{ loop: spec, level: root }];
  for (const seg of segments) {
    const tag = seg.tag;
    const obj = segmentObject(seg, component);
    let placed = false;
    for (let i = stack.length - 1; i >= 0; i--) {
      const frame = stack[i]!;
      const child = frame.loop.children.get(tag);
      if (child) {
        // a loop nested at this level starts (or repeats)
        stack.length = i + 1;
        const level: Level = { [tag]: [obj] };
        pushTo(frame.level, child.key, level);
        stack.push({ loop: child, level });
        placed = true;
        break;
      }
      if (i > 0 && frame.loop.start === tag) {
        // the loop's start segment again: a new repetition of this loop
        stack.length = i;
        const parent = stack[i - 1]!;
        const level: Level = { [tag]: [obj] };
        pushTo(parent.level, frame.loop.key, level);
        stack.push({ loop: frame.loop, level });
        placed = true;
        break;
      }
      if (frame.loop.members.has(tag)) {
        stack.length = i + 1;
        pushTo(frame.level, tag, obj);
        placed = true;
        break;
      }
    }
    if (!placed) pushTo(stack[stack.length - 1]!.level, tag, obj);
  }
  return root;
}

/**
 * Loop structure of X12 transaction sets, used to nest the map input (src/mapping/x12-input.ts).
 *
 * A loop is named by its start segment; its repetitions become an array `<start>_loop` in the
 * enclosing level. The specs below are the union of the positions X12 gives the 850 from
 * 003010 to 005010 (a segment that exists in only some versions does no harm in the others).
 * Set ids without a spec get a flat structure: every segment at the top level.
 */
import { LOGISTICS_LOOP_SPECS } from './x12-loops-logistics.js';

/** One loop: the start segment, the other segments it holds, and the loops nested in it. */
export interface X12LoopSpec {
  /** Segment id that starts (and repeats) the loop, e.g. "N1". */
  start: string;
  /** Segment ids that belong to the loop after its start segment. */
  segments: readonly string[];
  /** Loops nested in this one. */
  loops?: readonly X12LoopSpec[];
}

/** The top level (heading, detail and summary tables flattened) of one transaction set. */
export interface X12SetLoopSpec {
  /** Segment ids that belong to the top level of the set (ST, SE, heading segments...). */
  segments: readonly string[];
  loops: readonly X12LoopSpec[];
}

/* ---------------------------------------------------------------- 850 Purchase Order */

/** N9 loop (reference with free-form messages); MTX replaces MSG from 004030 on. */
const N9_HEADER: X12LoopSpec = { start: 'N9', segments: ['DTM', 'MSG', 'MTX', 'PWK', 'EFI'] };
const N9_DETAIL: X12LoopSpec = { start: 'N9', segments: ['DTM', 'MEA', 'MSG', 'MTX', 'PWK', 'EFI'] };

/** Heading N1 loop (party identification). */
const N1_HEADER: X12LoopSpec = {
  start: 'N1',
  segments: ['N2', 'N3', 'N4', 'NX2', 'REF', 'PER', 'SI', 'FOB', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG'],
};

/** Detail N1 loop (a line's parties, e.g. its own ship-to); it also holds DTM, QTY and SCH. */
const N1_DETAIL: X12LoopSpec = {
  start: 'N1',
  segments: ['N2', 'N3', 'N4', 'QTY', 'NX2', 'REF', 'PER', 'SI', 'DTM', 'FOB', 'SCH', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG', 'MSG', 'MTX'],
};

/** SLN loop (subline item detail), nested in the PO1 loop. */
const SLN_LOOP: X12LoopSpec = {
  start: 'SLN',
  segments: ['MSG', 'MTX', 'SI', 'PID', 'PO3', 'TC2', 'ADV', 'DTM', 'CTP', 'PO4', 'TAX', 'SAC', 'CUR', 'QTY', 'NX2', 'REF'],
  loops: [N9_DETAIL, N1_DETAIL],
};

/** PO1 loop (baseline item data) with everything the 850 detail area can hold. */
const PO1_LOOP: X12LoopSpec = {
  start: 'PO1',
  segments: [
    'LIN', 'SI', 'CUR', 'CN1', 'PO3', 'CTP', 'MEA', 'PID', 'PWK', 'PO4', 'REF', 'PER', 'SAC', 'IT8', 'CSH',
    'ITD', 'DIS', 'INC', 'TAX', 'FOB', 'SDQ', 'IT3', 'DTM', 'TC2', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG', 'MAN',
    'MSG', 'MTX', 'NTE', 'SPI', 'CB1', 'TXI', 'CTB', 'QTY', 'LS', 'LE', 'LQ', 'PCT', 'G53', 'USD', 'FA1', 'FA2',
  ],
  loops: [
    { start: 'SCH', segments: ['TD1', 'TD5', 'TD3', 'TD4', 'REF'] },
    { start: 'LDT', segments: ['QTY', 'MSG', 'MTX', 'REF'] },
    N9_DETAIL,
    N1_DETAIL,
    SLN_LOOP,
    { start: 'AMT', segments: ['REF', 'PCT'] },
    { start: 'LM', segments: ['LQ'] },
  ],
};

/** 850 Purchase Order, 003010 to 005010. */
const X12_850: X12SetLoopSpec = {
  segments: [
    'ST', 'BEG', 'CUR', 'REF', 'PER', 'TAX', 'FOB', 'CTP', 'PAM', 'CSH', 'TC2', 'SAC', 'ITD', 'DIS', 'INC',
    'DTM', 'LDT', 'LIN', 'SI', 'PID', 'MEA', 'PWK', 'PKG', 'TD1', 'TD5', 'TD3', 'TD4', 'MAN', 'PCT', 'CTB',
    'TXI', 'AMT', 'NTE', 'MTX', 'SE',
  ],
  loops: [
    N9_HEADER,
    N1_HEADER,
    { start: 'LM', segments: ['LQ'] },
    { start: 'SPI', segments: ['REF', 'DTM', 'MSG', 'MTX', 'CB1'], loops: [{ start: 'N1', segments: ['N2', 'N3', 'N4', 'G61', 'MSG', 'MTX'] }] },
    { start: 'ADV', segments: ['DTM', 'MTX'] },
    PO1_LOOP,
    { start: 'CTT', segments: ['AMT'] },
  ],
};

/** Loop specs by transaction set id (ST01). */
export const X12_LOOP_SPECS: Readonly<Record<string, X12SetLoopSpec>> = {
  '850': X12_850,
  ...LOGISTICS_LOOP_SPECS,
};

/* ---------------------------------------------------------------- compiled form */

/** Runtime form of a loop spec: set lookups instead of arrays. */
export interface CompiledLoop {
  start: string;
  /** Property name of the loop's array in the enclosing level: `<start>_loop`. */
  key: string;
  members: ReadonlySet<string>;
  children: ReadonlyMap<string, CompiledLoop>;
}

function compileLoop(spec: X12LoopSpec): CompiledLoop {
  return {
    start: spec.start,
    key: `${spec.start}_loop`,
    members: new Set(spec.segments),
    children: new Map((spec.loops ?? []).map((l) => [l.start, compileLoop(l)])),
  };
}

const compiled = new Map<string, CompiledLoop>();

/**
 * The compiled top level of transaction set `setId`, or undefined when no loop spec exists
 * (the caller then builds a flat structure). Compiled once per set id.
 */
export function compiledLoopSpec(setId: string): CompiledLoop | undefined {
  const hit = compiled.get(setId);
  if (hit) return hit;
  const spec = X12_LOOP_SPECS[setId];
  if (!spec) return undefined;
  const root = compileLoop({ start: 'ST', segments: spec.segments, loops: spec.loops });
  compiled.set(setId, root);
  return root;
}

/**
 * Cross-check against x12-parser (test-only dependency): on the fixtures it can read, its segments
 * and elements must agree with ours.
 *
 * x12-parser quirks taken into account: it reads the delimiters once, from fixed ISA offsets of
 * the first chunk (so it cannot read a BOM or blanks before the ISA, an ISA that is not 106
 * characters, an ISA with line breaks inside, or a second interchange with other delimiters); it
 * trims every element and component and removes "\n"; it splits components with odd numbering
 * ("3" first component, "3-1" the second); it does not split the ISA on components nor any
 * element on repetitions; it emits an empty segment after a final newline; it needs an explicit
 * encoding (latin1 here, so bytes map 1:1 as in our tokenizer).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { X12parser } from 'x12-parser';
import type { X12Segment } from '../../src/formats/x12/types.js';
import { fixture, fixtureNames, tokenize } from './helpers.js';

type Parsed = Record<string, string> & { name: string };

async function theirs(buf: Buffer): Promise<Parsed[]> {
  const out: Parsed[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from([buf])
      .pipe(new X12parser('latin1'))
      .on('data', (s: Parsed) => out.push(s))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return out.filter((s) => !(s.name === '' && Object.keys(s).length === 1));
}

/** x12-parser's object back to [name, element strings], components joined with `comp`. */
function fromTheirs(s: Parsed, comp: string): string[] {
  const els: string[] = [];
  for (let i = 1; ; i++) {
    const v = s[String(i)];
    if (v === undefined) break;
    const comps = [v];
    for (let j = 1; s[`${i}-${j}`] !== undefined; j++) comps.push(s[`${i}-${j}`] as string);
    els.push(comps.join(comp));
  }
  return [s.name, ...els];
}

/** Ours normalised the way x12-parser normalises. */
function fromOurs(s: X12Segment, comp: string): string[] {
  const els = s.elements.map((e) => (s.tag === 'ISA' ? e.trim() : e.split(comp).map((c) => c.trim()).join(comp)));
  return [s.tag.trim(), ...els];
}

/** Why x12-parser cannot read a file, or null when it can. */
function skipReason(buf: Buffer): string | null {
  const run = tokenize(buf);
  if (run.isas.length === 0) return 'no ISA';
  if (buf.toString('latin1', 0, 3) !== 'ISA') return 'BOM or blanks before the ISA';
  const first = run.isas[0];
  if (first?.lineBreaksRemoved) return 'line breaks inside the ISA';
  if (first?.length !== 106) return 'ISA is not 106 characters';
  const d = JSON.stringify(first.delimiters);
  if (run.isas.some((i) => JSON.stringify(i.delimiters) !== d)) return 'interchanges with different delimiters';
  return null;
}

/** Pinned: the fixtures x12-parser cannot read, and why. */
const SKIPPED: Record<string, string> = {
  'ediengine__NonEdi.edi': 'no ISA',
  'edinet__x12.810.mandatory-conditions.edi': 'BOM or blanks before the ISA',
  'edinet__x12.810a.edi': 'BOM or blanks before the ISA',
  'edinet__x12.850.edi': 'BOM or blanks before the ISA',
  'edinet__x12.850a.edi': 'BOM or blanks before the ISA',
  'edinet__x12.Issue101.edi': 'BOM or blanks before the ISA',
  'edinet__x12.Issue172.edi': 'ISA is not 106 characters',
  'edinet__x12.Issue91.edi': 'BOM or blanks before the ISA',
  'imsweb__x12_no_isa_line.txt': 'no ISA',
  'oopfactory__850_Example1_PGWGlass.txt': 'BOM or blanks before the ISA',
  'oopfactory__850_Example2_Adobe_TLP.txt': 'BOM or blanks before the ISA',
  'oopfactory__850_Example3_Adobe_CLP.txt': 'BOM or blanks before the ISA',
  'oopfactory__850_Example4_Adobe_ShrinkWrapped.txt': 'BOM or blanks before the ISA',
  'oopfactory__850_From_aojuk.txt': 'BOM or blanks before the ISA',
  'oopfactory__856_Example1.txt': 'BOM or blanks before the ISA',
  'oopfactory__856_Example3.txt': 'BOM or blanks before the ISA',
  'oopfactory__863_essarsteelalgoma.txt': 'BOM or blanks before the ISA',
  'oopfactory__TechnicalAcknowledgment_SampleFromJeffN825.txt': 'BOM or blanks before the ISA',
  'botsplugins__850-004010-08.x12': 'line breaks inside the ISA',
  'botsplugins__850-004010-09.x12': 'line breaks inside the ISA',
  'botsplugins__850-004010.16.x12': 'line breaks inside the ISA',
  'stupidedi__003010_PO850_fail_1.edi': 'ISA is not 106 characters',
  'stupidedi__003050_PO850_fail_1.edi': 'line breaks inside the ISA',
  'stupidedi__004010_PS830_pass_1.edi': 'ISA is not 106 characters',
  'stupidedi__005010_X186A1-AG824_pass_positive-acknowledgment.edi': 'BOM or blanks before the ISA',
};

describe('cross-check with x12-parser', () => {
  const names = fixtureNames();
  const reasons = Object.fromEntries(names.map((n) => [n, skipReason(fixture(n))]).filter((e) => e[1] !== null));

  it('skips exactly the fixtures it cannot read', () => {
    expect(reasons).toEqual(SKIPPED);
    expect(names.length - Object.keys(reasons).length).toBeGreaterThanOrEqual(45);
  });

  for (const name of names) {
    if (SKIPPED[name]) continue;
    it(`${name}: same segments and elements`, async () => {
      const buf = fixture(name);
      const run = tokenize(buf);
      const comp = run.isas[0]?.delimiters.component ?? ':';
      const ours = run.segments.map((s) => fromOurs(s, comp));
      const other = (await theirs(buf)).map((s) => fromTheirs(s, comp));
      expect(ours.length).toBeGreaterThanOrEqual(3);
      expect(other).toEqual(ours);
    });
  }
});

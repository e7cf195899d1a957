/**
 * Every EDIFACT file of the public corpus through the reader: no crash at any chunk size, the CONTRL
 * outcome expected for each (test/edifact/corpus-expectations.ts), the files the source calls valid
 * accepted (or rejected for a stated ISO 9735 reason), those it calls invalid rejected with findings.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEdifactBuffer, EdifactReader } from '../../src/formats/edifact/reader.js';
import type { EdifactInterchangeResult, EdifactMessage } from '../../src/formats/edifact/types.js';
import { outcomeOf } from './outcome.js';
import { OUTCOMES, SOURCE_INVALID, SOURCE_INVALID_BUT_ACCEPTED, SOURCE_VALID, SOURCE_VALID_BUT_REJECTED } from './corpus-expectations.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'edifact');
const files = readdirSync(FIX).filter((f) => f !== 'SOURCES.md').sort();

function chunked(bytes: Buffer, size: number): string {
  const interchanges: EdifactInterchangeResult[] = [];
  const messages: EdifactMessage[] = [];
  const r = new EdifactReader({ onInterchangeEnd: (i) => interchanges.push(i), onMessage: (m) => messages.push(m) });
  for (let i = 0; i < bytes.length; i += size) r.push(Buffer.from(bytes.subarray(i, i + size)));
  r.end();
  return outcomeOf({ interchanges, messages, fileFindings: [] });
}

const accepted = (o: string) => o !== 'none' && !/(^|[[ ,])4/.test(o);
const errorsOf = (r: ReturnType<typeof parseEdifactBuffer>) => [...r.fileFindings, ...r.interchanges.flatMap((i) => [...i.findings, ...i.groups.flatMap((g) => g.findings)]), ...r.messages.flatMap((m) => m.findings)]
  .filter((f) => f.severity === 'error');

describe('EDIFACT corpus', () => {
  it('lists every fixture', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual(files);
  });

  it.each(files)('%s: read without a crash, same outcome in 1-, 7- and 4096-byte chunks, as expected', (f) => {
    const bytes = readFileSync(join(FIX, f));
    const r = parseEdifactBuffer(bytes);
    const o = outcomeOf(r);
    expect(o).toBe(OUTCOMES[f]);
    for (const size of [1, 7, 4096]) expect(chunked(bytes, size)).toBe(o);
    if (!accepted(o) && o !== 'none') expect(errorsOf(r).length).toBeGreaterThan(0);
  });

  it('accepts the files the source calls valid, except those whose bytes break ISO 9735 (each reason checked)', () => {
    for (const f of SOURCE_VALID) {
      const o = OUTCOMES[f]!;
      const deviation = SOURCE_VALID_BUT_REJECTED[f];
      if (!deviation) { expect([f, accepted(o)]).toEqual([f, true]); continue; }
      expect([f, accepted(o)]).toEqual([f, false]);
      if (deviation.lenient) expect([f, accepted(outcomeOf(parseEdifactBuffer(readFileSync(join(FIX, f)), { characterSet: 'lenient' })))]).toEqual([f, true]);
    }
  });

  it('rejects the files the source calls invalid, with findings that say why', () => {
    for (const f of SOURCE_INVALID) {
      const r = parseEdifactBuffer(readFileSync(join(FIX, f)));
      if (SOURCE_INVALID_BUT_ACCEPTED[f]) { expect([f, accepted(outcomeOf(r))]).toEqual([f, true]); continue; }
      expect([f, accepted(outcomeOf(r))]).toEqual([f, false]);
      expect(errorsOf(r).map((e) => e.message).join(' ')).toMatch(/BGM|UNT 0074|DTM|holds "\$"|UNT|segment/);
    }
    const why = errorsOf(parseEdifactBuffer(readFileSync(join(FIX, 'edifactrs__d96a_invoic_malformed.edi')))).map((e) => e.code);
    expect(why).toEqual(['EDIFACT_MANDATORY_SEGMENT_MISSING', 'EDIFACT_DATE_FORMAT_MISSING']);
  });
});

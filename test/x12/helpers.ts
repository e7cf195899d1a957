import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { X12Tokenizer, type X12IsaInfo, type X12TokenizerProblem } from '../../src/formats/x12/tokenizer.js';
import type { X12Segment } from '../../src/formats/x12/types.js';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/x12/', import.meta.url));

/** Bytes of a fixture file. */
export function fixture(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

/** Names of all X12 fixture files. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f !== 'SOURCES.md' && !f.startsWith('.'))
    .sort();
}

export interface TokenRun {
  segments: X12Segment[];
  ends: number[];
  isas: X12IsaInfo[];
  problems: X12TokenizerProblem[];
}

/** Tokenize `buf` fed in chunks of `chunkSize` bytes. */
export function tokenize(buf: Buffer, chunkSize = buf.length || 1, options?: { maxSegmentLength?: number }): TokenRun {
  const run: TokenRun = { segments: [], ends: [], isas: [], problems: [] };
  const tok = new X12Tokenizer(
    {
      onIsa: (s, info, end) => {
        run.segments.push(s);
        run.ends.push(end);
        run.isas.push(info);
      },
      onSegment: (s, end) => {
        run.segments.push(s);
        run.ends.push(end);
      },
      onProblem: (p) => run.problems.push(p),
    },
    options,
  );
  for (let i = 0; i < buf.length; i += chunkSize) tok.push(buf.subarray(i, i + chunkSize));
  tok.end();
  return run;
}

/** Edit a fixture as latin1 text and return the bytes. */
export function edit(name: string, fn: (text: string) => string): Buffer {
  return Buffer.from(fn(fixture(name).toString('latin1')), 'latin1');
}

/** Split an acknowledgement interchange into its segments as text lines (terminator and line ending removed). */
export function ackLines(text: string, terminator = '~'): string[] {
  return text
    .split(terminator)
    .map((s) => s.replace(/^[\r\n]+/, ''))
    .filter((s) => s !== '');
}

/** One-shot parse of a fixture. */
export function parseFixture(name: string) {
  return parseX12Buffer(fixture(name));
}

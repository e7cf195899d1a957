/**
 * Damaged input: random byte edits of real files never throw, and the result never depends on
 * how the bytes were chunked.
 */
import { describe, expect, it } from 'vitest';
import { parseX12Buffer, type X12ParseResult } from '../../src/formats/x12/parse.js';
import { X12Reader } from '../../src/formats/x12/reader.js';
import { fixture } from './helpers.js';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunked(buf: Buffer, next: () => number, options?: { maxSegmentLength?: number }): X12ParseResult {
  const result: X12ParseResult = { interchanges: [], sets: [], fileFindings: [] };
  const reader = new X12Reader(
    { onTransactionSet: (s) => result.sets.push(s), onInterchangeEnd: (i) => result.interchanges.push(i), onFileFinding: (f) => result.fileFindings.push(f) },
    options,
  );
  for (let i = 0; i < buf.length; ) {
    const n = 1 + Math.floor(next() * 300);
    reader.push(buf.subarray(i, i + n));
    i += n;
  }
  reader.end();
  return result;
}

const FILES = [
  'botsplugins__850-004010-08.x12',
  'botsplugins__850-004010.13.x12',
  'botsplugins__850-004030-01.x12',
  'edinet__x12.810a.edi',
  'nodex12__850_fat.edi',
  'x12editools__270_custom_delimiters.x12',
];
const DAMAGE = ['~', '*', '\n', '\r', 'ISA*', 'GS*', 'ST*', 'SE*', 'IEA*', '\xef\xbb\xbf', ' ', '>', '\x00'];

describe('damaged files', () => {
  for (const file of FILES) {
    it(`${file}: 200 random edits, no exception, chunking-independent`, () => {
      const next = rng(file.length * 7919);
      const base = fixture(file).toString('latin1');
      let damaged = 0;
      for (let round = 0; round < 200; round++) {
        let text = base;
        const edits = 1 + Math.floor(next() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(next() * text.length);
          const kind = next();
          const piece = DAMAGE[Math.floor(next() * DAMAGE.length)] ?? '~';
          if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 20));
          else if (kind < 0.8) text = text.slice(0, at) + piece + text.slice(at);
          else text = text.slice(0, at);
        }
        const buf = Buffer.from(text, 'latin1');
        const options = { maxSegmentLength: 64 + Math.floor(next() * 400) };
        const whole = parseX12Buffer(buf, options);
        expect(chunked(buf, next, options)).toEqual(whole);
        if (whole.fileFindings.length > 0 || whole.interchanges.some((i) => i.ackCode !== 'A' || i.groups.some((g) => g.ackCode !== 'A'))) damaged++;
      }
      // Most edits are noticed.
      expect(damaged).toBeGreaterThan(100);
    });
  }
});

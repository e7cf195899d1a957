/**
 * Memory bound: a generated ~100 MB file streamed in 64 KiB chunks. The reader holds the segments
 * of one transaction set at most, and the tokenizer a partial segment at most.
 */
import { describe, expect, it } from 'vitest';
import { X12Reader } from '../../src/formats/x12/reader.js';
import { readX12Stream } from '../../src/formats/x12/parse.js';

const CHUNK = 64 * 1024;

/** One interchange of `sets` 850s; set k has 6 + 2 * (1 + k % 20) segments (at most 46). */
function interchange(icn: number, sets: number): Buffer {
  const ctl = String(icn).padStart(9, '0');
  let s = `ISA*00*          *00*          *ZZ*BUYER          *ZZ*SELLER         *240101*1200*^*00501*${ctl}*0*P*:~\n`;
  s += `GS*PO*BUYER*SELLER*20240101*1200*${icn}*X*005010~\n`;
  for (let k = 1; k <= sets; k++) {
    const st = String(k).padStart(4, '0');
    const lines = 1 + (k % 20);
    let body = `BEG*00*SA*PO-${icn}-${k}**20240101~\nN1*ST*ACME WAREHOUSE*92*0042~\nN3*100 MAIN STREET~\n`;
    for (let l = 1; l <= lines; l++) body += `PO1*${l}*12*EA*9.95**UP*01234567890${l % 10}~\nPID*F****WIDGET ${l}~\n`;
    body += `CTT*${lines}~\n`;
    const count = 3 + 2 * lines + 1 + 2;
    s += `ST*850*${st}~\n${body}SE*${count}*${st}~\n`;
  }
  s += `GE*${sets}*${icn}~\nIEA*1*${ctl}~\n`;
  return Buffer.from(s, 'latin1');
}

/** ~`total` bytes of interchanges, yielded in CHUNK-sized slices that cut segments anywhere. */
function* chunks(total: number): Generator<Buffer> {
  let produced = 0;
  let icn = 0;
  let carry = Buffer.alloc(0);
  while (produced < total) {
    const ic = interchange(++icn, 2000);
    let data = Buffer.concat([carry, ic]);
    while (data.length >= CHUNK) {
      yield data.subarray(0, CHUNK);
      produced += CHUNK;
      data = data.subarray(CHUNK);
    }
    carry = Buffer.from(data);
  }
  if (carry.length > 0) yield carry;
}

describe('memory', () => {
  it('streams ~100 MB holding at most one transaction set and one partial segment', () => {
    let maxSegments = 0;
    let maxBuffered = 0;
    let sets = 0;
    let interchanges = 0;
    let largestSet = 0;
    let rejected = 0;
    const reader = new X12Reader({
      onTransactionSet: (s) => {
        sets++;
        largestSet = Math.max(largestSet, s.segments.length);
        if (s.ackCode !== 'A') rejected++;
      },
      onInterchangeEnd: (i) => {
        interchanges++;
        if (i.ackCode !== 'A' || i.groups.some((g) => g.ackCode !== 'A')) rejected++;
      },
    });
    let bytes = 0;
    for (const chunk of chunks(100 * 1024 * 1024)) {
      reader.push(chunk);
      bytes += chunk.length;
      maxSegments = Math.max(maxSegments, reader.retainedSegments);
      maxBuffered = Math.max(maxBuffered, reader.bufferedBytes);
    }
    reader.end();
    expect(bytes).toBeGreaterThanOrEqual(100 * 1024 * 1024);
    expect(rejected).toBe(0);
    expect(sets).toBeGreaterThan(150_000);
    expect(interchanges).toBe(Math.ceil(sets / 2000));
    expect(largestSet).toBe(46);
    // Never more than the segments of the set being read (bounded by the largest set).
    expect(maxSegments).toBeLessThanOrEqual(largestSet);
    // The tokenizer keeps only the unfinished tail of a chunk.
    expect(maxBuffered).toBeLessThan(200);
    expect(reader.retainedSegments).toBe(0);
  });

  it('readX12Stream reads an async stream of chunks', async () => {
    async function* source(): AsyncGenerator<Buffer> {
      for (const c of chunks(2 * 1024 * 1024)) yield c;
    }
    let sets = 0;
    const codes: string[] = [];
    await readX12Stream(source(), { onTransactionSet: () => sets++, onInterchangeEnd: (i) => codes.push(i.ackCode) });
    expect(sets).toBeGreaterThan(3000);
    expect(new Set(codes)).toEqual(new Set(['A']));
  });
});

import { describe, expect, it } from 'vitest';
import { X12Tokenizer } from '../../src/formats/x12/tokenizer.js';
import { fixture, tokenize, type TokenRun } from './helpers.js';

const CHUNK_SIZES = [1, 7, 105, 106, 65536];

/** Tags and elements only (offsets compared separately). */
function texts(run: TokenRun): string[] {
  return run.segments.map((s) => [s.tag, ...s.elements].join('\u0001'));
}

interface Shape {
  file: string;
  what: string;
  segments: number;
  delimiters: { element: string; component: string; repetition: string | null; segment: string }[];
  isaLength: number;
  beg?: string[];
}

const SHAPES: Shape[] = [
  {
    file: 'botsplugins__850-004010-04.x12',
    what: '"~" terminator + LF',
    segments: 50,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'SA', '548177', '', '20030627'],
  },
  {
    file: 'botsplugins__850-004010-05.x12',
    what: '"~" terminator + CRLF',
    segments: 57,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'SA', '801104', '001', '20050718'],
  },
  {
    file: 'botsplugins__850-004010-07.x12',
    what: 'single line',
    segments: 57,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'SA', '801104', '001', '20050718'],
  },
  {
    file: 'botsplugins__850-004010-ascii-lf.x12',
    what: 'LF terminator',
    segments: 13,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '\n' }],
    isaLength: 106,
    beg: ['00', 'NE', '12345678', '', '20070831'],
  },
  {
    file: 'botsplugins__850-004010.13.x12',
    what: 'CRLF terminator',
    segments: 30,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '\r' }],
    isaLength: 106,
    beg: ['00', 'SA', '1234512345', '', '20060210'],
  },
  {
    file: 'botsplugins__850-004030-01.x12',
    what: 'NAK 0x15 terminator + CRLF',
    segments: 21,
    delimiters: [{ element: '*', component: ':', repetition: null, segment: '\x15' }],
    isaLength: 106,
    beg: ['00', 'SA', '587852', '', '20050601'],
  },
  {
    file: 'botsplugins__850-004010.15.x12',
    what: '"|" element separator',
    segments: 47,
    delimiters: [{ element: '|', component: '>', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'NE', 'P1234567', '', '20020827'],
  },
  {
    file: 'edinet__x12.810a.edi',
    what: 'UTF-8 BOM, tab-indented lines, unpadded 81-char ISA',
    segments: 68,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '~' }],
    isaLength: 81,
  },
  {
    file: 'botsplugins__850-004010-12.x12',
    what: '3 interchanges',
    segments: 135,
    delimiters: [
      { element: '*', component: '>', repetition: null, segment: '~' },
      { element: '*', component: '>', repetition: null, segment: '~' },
      { element: '*', component: '>', repetition: null, segment: '~' },
    ],
    isaLength: 106,
    beg: ['00', 'SA', '4167427123', '', '20060402'],
  },
  {
    file: 'botsplugins__850-004010-02.x12',
    what: '2 GS groups',
    segments: 86,
    delimiters: [{ element: '*', component: '+', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'SA', '95018017', '', '20070929', '950118'],
  },
  {
    file: 'botsplugins__850-004010-08.x12',
    what: 'hard-wrapped at 80 columns with LF, inside the ISA too',
    segments: 57,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'SA', '801104', '001', '20050718'],
  },
  {
    file: 'botsplugins__850-004010-09.x12',
    what: 'hard-wrapped at 80 columns with LF, a space after each terminator',
    segments: 57,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'SA', '801104', '001', '20050718'],
  },
  {
    file: 'botsplugins__850-004010.16.x12',
    what: 'hard-wrapped at 80 columns with CRLF',
    segments: 57,
    delimiters: [{ element: '*', component: '>', repetition: null, segment: '~' }],
    isaLength: 106,
    beg: ['00', 'SA', '801104', '001', '20050718'],
  },
  {
    file: 'x12editools__270_custom_delimiters.x12',
    what: '"|" element, "!" terminator, "~" repetition separator (00501)',
    segments: 17,
    delimiters: [{ element: '|', component: ':', repetition: '~', segment: '!' }],
    isaLength: 106,
  },
  {
    file: 'stupidedi__005010_X186A1-AG824_pass_positive-acknowledgment.edi',
    what: 'BOM, single line, ">" repetition separator',
    segments: 11,
    delimiters: [{ element: '*', component: ':', repetition: '>', segment: '~' }],
    isaLength: 106,
  },
];

describe('X12Tokenizer on corpus shapes', () => {
  for (const shape of SHAPES) {
    it(`${shape.file} (${shape.what}) gives identical segments for chunk sizes ${CHUNK_SIZES.join(', ')}`, () => {
      const buf = fixture(shape.file);
      const whole = tokenize(buf);
      expect(whole.segments).toHaveLength(shape.segments);
      expect(whole.isas.map((i) => i.delimiters)).toEqual(shape.delimiters);
      expect(whole.isas[0]?.length).toBe(shape.isaLength);
      expect(whole.problems).toEqual([]);
      expect(whole.segments[0]?.tag).toBe('ISA');
      expect(whole.segments[0]?.elements).toHaveLength(16);
      expect(whole.segments.at(-1)?.tag).toBe('IEA');
      if (shape.beg) expect(whole.segments.find((s) => s.tag === 'BEG')?.elements).toEqual(shape.beg);
      // CR and LF are never data.
      for (const s of whole.segments) for (const e of [s.tag, ...s.elements]) expect(e).not.toMatch(/[\r\n]/);
      // Offsets point at the segment's tag in the file.
      // (a hard-wrapped file may split a tag over two lines: line breaks are not data)
      for (const s of whole.segments) {
        const at = buf.toString('latin1', s.offset, s.offset + s.tag.length + 2).replace(/[\r\n]/g, '');
        expect(at.slice(0, s.tag.length)).toBe(s.tag);
      }
      for (const size of CHUNK_SIZES) {
        const run = tokenize(buf, size);
        expect(run.segments).toEqual(whole.segments);
        expect(run.ends).toEqual(whole.ends);
        expect(run.isas).toEqual(whole.isas);
        expect(run.problems).toEqual(whole.problems);
      }
    });
  }

  it('reads the same content from "~CRLF", single-line and 80-column wrapped files', () => {
    const crlf = texts(tokenize(fixture('botsplugins__850-004010-05.x12')));
    expect(texts(tokenize(fixture('botsplugins__850-004010-07.x12')))).toEqual(crlf);
    expect(texts(tokenize(fixture('botsplugins__850-004010-08.x12')))).toEqual(crlf);
    // The CRLF-wrapped file differs from the others only in its ISA06 and GS02/GS03 values.
    const wrappedCrlf = tokenize(fixture('botsplugins__850-004010.16.x12')).segments;
    expect(wrappedCrlf[0]?.elements[5]).toBe('092173731      ');
    expect(wrappedCrlf[1]?.elements.slice(1, 3)).toEqual(['092173731', 'Duns          ']);
    expect(texts({ segments: wrappedCrlf.slice(2), ends: [], isas: [], problems: [] })).toEqual(crlf.slice(2));
  });

  it('reads an ISA wrapped inside a field (ISA10 split over two lines)', () => {
    const run = tokenize(fixture('stupidedi__004010_PS830_pass_1.edi'));
    expect(run.segments[0]?.elements[9]).toBe('2016');
    const wrapped = Buffer.from(
      fixture('botsplugins__850-004010-07.x12').toString('latin1').replace('*1700*U*', '*17\n00*U*'),
      'latin1',
    );
    const w = tokenize(wrapped);
    expect(w.segments[0]?.elements[9]).toBe('1700');
    expect(w.isas[0]?.lineBreaksRemoved).toBe(true);
    expect(texts(w)).toEqual(texts(tokenize(fixture('botsplugins__850-004010-07.x12'))));
  });

  it('tells a line wrap right after ISA16 from a newline terminator by looking ahead', () => {
    const text = fixture('botsplugins__850-004010-07.x12').toString('latin1');
    const wrapAfterIsa16 = Buffer.from(text.replace('*P*>~GS*', '*P*>\n~GS*'), 'latin1');
    for (const size of CHUNK_SIZES) {
      const run = tokenize(wrapAfterIsa16, size);
      expect(run.isas[0]?.delimiters.segment).toBe('~');
      expect(texts(run)).toEqual(texts(tokenize(fixture('botsplugins__850-004010-07.x12'))));
    }
    const newlineTerminated = tokenize(fixture('botsplugins__850-004010-ascii-lf.x12'));
    expect(newlineTerminated.isas[0]?.delimiters.segment).toBe('\n');
  });

  it('takes new delimiters from every ISA (two interchanges with different delimiters in one file)', () => {
    const a = fixture('botsplugins__850-004010.15.x12'); // "|" element separator, "~" terminator
    const b = fixture('botsplugins__850-004030-01.x12'); // "*" element separator, NAK terminator
    const both = Buffer.concat([a, Buffer.from('\r\n'), b]);
    for (const size of CHUNK_SIZES) {
      const run = tokenize(both, size);
      expect(run.isas.map((i) => i.delimiters.element + i.delimiters.segment)).toEqual(['|~', '*\x15']);
      expect(texts(run)).toEqual([...texts(tokenize(a)), ...texts(tokenize(b))]);
      expect(run.problems).toEqual([]);
    }
  });

  it('reports "not X12" for a text file and for a file starting with GS, "empty" for an empty file', () => {
    expect(tokenize(fixture('ediengine__NonEdi.edi')).problems).toEqual([{ kind: 'not-x12', offset: 0, length: 27 }]);
    const gsFirst = tokenize(fixture('imsweb__x12_no_isa_line.txt'));
    expect(gsFirst.segments).toEqual([]);
    expect(gsFirst.problems.map((p) => p.kind)).toEqual(['not-x12']);
    expect(tokenize(Buffer.alloc(0)).problems).toEqual([{ kind: 'empty', offset: 0, length: 0 }]);
    expect(tokenize(Buffer.from('  \r\n\r\n')).problems).toEqual([{ kind: 'empty', offset: 0, length: 6 }]);
  });

  it('skips a BOM, blanks and blank lines before an ISA and reports leading garbage', () => {
    const body = fixture('botsplugins__850-004010-07.x12');
    const padded = Buffer.concat([Buffer.from('\xef\xbb\xbf \r\n\r\n\t', 'latin1'), body]);
    for (const size of CHUNK_SIZES) {
      const run = tokenize(padded, size);
      expect(run.problems).toEqual([]);
      expect(run.segments[0]?.offset).toBe(9); // BOM (3) + blank, CRLF, CRLF, tab
      expect(texts(run)).toEqual(texts(tokenize(body)));
    }
    const garbage = tokenize(Buffer.concat([Buffer.from('Subject: order\r\n'), body]), 7);
    expect(garbage.problems).toEqual([{ kind: 'garbage', offset: 0, length: 16 }]);
    expect(garbage.segments).toHaveLength(57);
  });

  it('caps an unterminated segment at maxSegmentLength and discards it up to the next terminator', () => {
    const text = fixture('botsplugins__850-004010-07.x12').toString('latin1');
    // Remove every terminator after the first PID: the rest of the file is one long segment.
    const cut = text.indexOf('PID*');
    const broken = Buffer.from(text.slice(0, cut) + text.slice(cut).replaceAll('~', ''), 'latin1');
    for (const size of CHUNK_SIZES) {
      const run = tokenize(broken, size, { maxSegmentLength: 200 });
      expect(run.problems).toEqual([{ kind: 'segment-too-long', offset: cut, hint: 'PID' }]);
      expect(run.segments.at(-1)?.tag).toBe('PO1');
    }
    // Without the cap the tail is an unterminated last segment, still emitted.
    const uncapped = tokenize(broken);
    expect(uncapped.problems).toEqual([{ kind: 'unterminated', offset: cut, length: broken.length - cut, hint: 'PID' }]);
  });

  it('never buffers more than chunk size + maxSegmentLength bytes', () => {
    const junk = Buffer.concat([fixture('botsplugins__850-004010-07.x12').subarray(0, 400), Buffer.alloc(300_000, 0x41)]);
    const problems: string[] = [];
    const tok = new X12Tokenizer({ onIsa: () => {}, onSegment: () => {}, onProblem: (p) => problems.push(p.kind) }, { maxSegmentLength: 10_000 });
    let max = 0;
    for (let i = 0; i < junk.length; i += 4096) {
      tok.push(junk.subarray(i, i + 4096));
      max = Math.max(max, tok.bufferedBytes);
    }
    tok.end();
    expect(problems).toEqual(['segment-too-long']);
    expect(max).toBeLessThanOrEqual(4096 + 10_000);
  });

  it('emits a last segment without terminator and reports it', () => {
    const run = tokenize(fixture('oopfactory__TechnicalAcknowledgment_SampleFromJeffN825.txt'));
    expect(run.isas[0]?.delimiters).toEqual({ element: '>', component: '+', repetition: '^', segment: '\r' });
    expect(run.segments.map((s) => s.tag)).toEqual(['ISA', 'TA1', 'IEA']);
    expect(run.segments[2]?.elements).toEqual(['0', '000000001']);
    expect(run.problems).toEqual([{ kind: 'unterminated', offset: 147, length: 15, hint: 'IEA' }]);
  });

  it('treats "ISA16 + blank + CRLF" as a CRLF terminator and drops the blank', () => {
    const run = tokenize(fixture('oopfactory__850_Example4_Adobe_ShrinkWrapped.txt'));
    expect(run.isas[0]?.delimiters.segment).toBe('\r');
    expect(run.segments[1]?.elements.at(-1)).toBe('004010');
    expect(run.segments.find((s) => s.tag === 'BEG')?.elements).toEqual(['00', 'NE', 'MH80312', '', '20090421']);
  });

  it('reports an ISA without 16 element separators as unreadable', () => {
    const run = tokenize(Buffer.from('ISA*00*  *00*~GS*PO*A*B~'));
    expect(run.problems.map((p) => p.kind)).toEqual(['isa-unreadable', 'garbage']);
    expect(run.segments).toEqual([]);
  });
});

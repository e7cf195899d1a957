/**
 * Envelope and element errors, built by editing a real 850 (x12types__004010_850.edi), with the
 * exact 997 and TA1 segments they produce.
 */
import { describe, expect, it } from 'vitest';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { build997 } from '../../src/acks/x12-997.js';
import { buildTa1 } from '../../src/acks/ta1.js';
import type { X12InterchangeResult } from '../../src/formats/x12/types.js';
import { edit, fixture } from './helpers.js';

const BASE = 'x12types__004010_850.edi';
const NOW = new Date('2026-11-29T12:34:00Z');

/** Lines of an ack interchange ("~" + "\n" after each segment). */
function lines(text: string): string[] {
  expect(text.endsWith('~\n')).toBe(true);
  return text.slice(0, -2).split('~\n');
}

function only(buf: Buffer, options?: { maxSegmentLength?: number }): { ic: X12InterchangeResult; fileCodes: string[] } {
  const r = parseX12Buffer(buf, options);
  expect(r.interchanges).toHaveLength(1);
  return { ic: r.interchanges[0] as X12InterchangeResult, fileCodes: r.fileFindings.map((f) => f.code) };
}

/** The 997 body (AK1..AK9) for the first group of `buf`. */
function ak(buf: Buffer, options?: { maxSegmentLength?: number }): string[] {
  const { ic } = only(buf, options);
  const group = ic.groups[0];
  if (!group) throw new Error('no group');
  const text = build997(group, { interchange: ic.header, interchangeControlNumber: '000000042', groupControlNumber: '42', now: NOW });
  const all = lines(text);
  // Parse our own 997 back: it must be a clean interchange.
  const back = parseX12Buffer(Buffer.from(text, 'latin1'));
  expect(back.fileFindings).toEqual([]);
  expect(back.interchanges[0]?.ackCode).toBe('A');
  expect(back.interchanges[0]?.groups[0]?.ackCode).toBe('A');
  return all.filter((l) => /^AK/.test(l));
}

/** The TA1 segment for `buf`. */
function ta1(buf: Buffer, options?: { maxSegmentLength?: number }): string {
  const { ic } = only(buf, options);
  const text = buildTa1(ic, { interchangeControlNumber: '000000043', now: NOW });
  const l = lines(text);
  expect(l).toHaveLength(3);
  expect(l[2]).toBe('IEA*0*000000043');
  return l[1] ?? '';
}

const CLEAN_TA1 = 'TA1*000000001*020226*1534*A*000';

describe('envelope validation on a real 850', () => {
  it('accepts the clean file', () => {
    const buf = fixture(BASE);
    expect(ta1(buf)).toBe(CLEAN_TA1);
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*A*1*1*1']);
  });

  it('SE01 wrong: AK5 R 4', () => {
    const buf = edit(BASE, (t) => t.replace('SE*35*000000001', 'SE*34*000000001'));
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*R*4', 'AK9*R*1*1*0']);
    expect(ta1(buf)).toBe(CLEAN_TA1);
  });

  it('SE02 wrong: AK5 R 3', () => {
    const buf = edit(BASE, (t) => t.replace('SE*35*000000001', 'SE*35*000000002'));
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*R*3', 'AK9*R*1*1*0']);
  });

  it('SE missing: AK5 R 2', () => {
    const buf = edit(BASE, (t) => t.replace('SE*35*000000001~\n', ''));
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*R*2', 'AK9*R*1*1*0']);
    expect(ta1(buf)).toBe(CLEAN_TA1);
  });

  it('GE01 wrong: AK9 R 5 (the set itself stays A, nothing is accepted)', () => {
    const buf = edit(BASE, (t) => t.replace('GE*1*1', 'GE*2*1'));
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*R*2*1*0*5']);
  });

  it('GE02 wrong: AK9 R 4', () => {
    const buf = edit(BASE, (t) => t.replace('GE*1*1', 'GE*1*2'));
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*R*1*1*0*4']);
  });

  it('GE missing: AK9 R 3 with the received count as AK902', () => {
    const buf = edit(BASE, (t) => t.replace('GE*1*1~\n', ''));
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*R*1*1*0*3']);
    expect(ta1(buf)).toBe(CLEAN_TA1);
  });

  it('GS06 not numeric: AK9 R 6', () => {
    const buf = edit(BASE, (t) => t.replace('*1534*1*X*004010', '*1534*A1*X*004010').replace('GE*1*1', 'GE*1*A1'));
    expect(ak(buf)).toEqual(['AK1*PO*A1', 'AK2*850*000000001', 'AK5*A', 'AK9*R*1*1*0*6']);
  });

  it('IEA01 wrong: TA1 R 021', () => {
    const buf = edit(BASE, (t) => t.replace('IEA*1*000000001', 'IEA*2*000000001'));
    expect(ta1(buf)).toBe('TA1*000000001*020226*1534*R*021');
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*A*1*1*1']);
  });

  it('IEA02 wrong: TA1 R 001', () => {
    const buf = edit(BASE, (t) => t.replace('IEA*1*000000001', 'IEA*1*000000002'));
    expect(ta1(buf)).toBe('TA1*000000001*020226*1534*R*001');
  });

  it('IEA02 equal to ISA13 only as a number: accepted with errors, TA1 E 018', () => {
    const buf = edit(BASE, (t) => t.replace('IEA*1*000000001', 'IEA*1*1'));
    expect(ta1(buf)).toBe('TA1*000000001*020226*1534*E*018');
  });

  it('IEA missing (file cut after GE): TA1 R 023', () => {
    const buf = edit(BASE, (t) => t.replace('IEA*1*000000001~', ''));
    expect(ta1(buf)).toBe('TA1*000000001*020226*1534*R*023');
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*A*1*1*1']);
  });

  it('file truncated inside a set: AK5 R 2, AK9 R 3, TA1 R 023', () => {
    const buf = edit(BASE, (t) => t.slice(0, t.indexOf('PO4*48*8.9*LB')));
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*R*2', 'AK9*R*1*1*0*3']);
    expect(ta1(buf)).toBe('TA1*000000001*020226*1534*R*023');
  });

  it('last segment without terminator: read, noted (TA1 E 023)', () => {
    const buf = edit(BASE, (t) => t.replace('IEA*1*000000001~', 'IEA*1*000000001'));
    expect(ta1(buf)).toBe('TA1*000000001*020226*1534*E*023');
    expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*A*1*1*1']);
  });

  it('segment without terminator to EOF, longer than maxSegmentLength: discarded, set R 2/5, TA1 R 023', () => {
    const buf = edit(BASE, (t) => {
      const cut = t.indexOf('PO1*');
      return t.slice(0, cut) + t.slice(cut).replaceAll('~', '');
    });
    const { ic } = only(buf, { maxSegmentLength: 300 });
    const codes = ic.groups[0]?.sets[0]?.findings.map((f) => f.code);
    expect(codes).toEqual(['X12_SEGMENT_TOO_LONG', 'X12_SE_MISSING']);
    expect(ak(buf, { maxSegmentLength: 300 })).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*R*2*5', 'AK9*R*1*1*0*3']);
    expect(ta1(buf, { maxSegmentLength: 300 })).toBe('TA1*000000001*020226*1534*R*023');
  });

  describe('ISA fields (TA105 codes)', () => {
    const text = fixture(BASE).toString('latin1');
    const cases: [string, string, string][] = [
      ['ISA01 authorization qualifier', '*00*          *00*', '*99*          *00*'],
      ['ISA03 security qualifier', '*          *00*          *ZZ', '*          *99*          *ZZ'],
      ['ISA05 sender qualifier', '*ZZ*SENDERISA', '*XX*SENDERISA'],
      ['ISA06 sender id', '*SENDERISA      *', '*               *'],
      ['ISA07 receiver qualifier', '*14*0073268795005', '*XX*0073268795005'],
      ['ISA08 receiver id', '*0073268795005  *', '*               *'],
      ['ISA09 date', '*020226*', '*021399*'],
      ['ISA10 time', '*1534*U', '*2460*U'],
      ['ISA12 version', '*00401*', '*0040A*'],
      ['ISA13 control number', '*000000001*0*T', '*00000000X*0*T'],
      ['ISA14 acknowledgment requested', '*000000001*0*T', '*000000001*2*T'],
      ['ISA15 usage indicator', '*0*T*>~', '*0*X*>~'],
      ['ISA16 component separator (alphanumeric)', '*T*>~', '*T*A~'],
      ['ISA16 component separator (equal to the terminator)', '*T*>~', '*T*~~'],
      ['element separator equal to the terminator', '*T*>~\n', '*T*>*\n'],
    ];
    const expected: Record<string, string> = {
      'ISA01 authorization qualifier': '010',
      'ISA03 security qualifier': '012',
      'ISA05 sender qualifier': '005',
      'ISA06 sender id': '006',
      'ISA07 receiver qualifier': '007',
      'ISA08 receiver id': '008',
      'ISA09 date': '014',
      'ISA10 time': '015',
      'ISA12 version': '017',
      'ISA13 control number': '018',
      'ISA14 acknowledgment requested': '019',
      'ISA15 usage indicator': '020',
      'ISA16 component separator (alphanumeric)': '027',
      'ISA16 component separator (equal to the terminator)': '027',
      'element separator equal to the terminator': '026',
    };
    for (const [name, from, to] of cases) {
      it(`${name}: TA1 R ${expected[name]}`, () => {
        expect(text.indexOf(from)).toBeGreaterThanOrEqual(0);
        expect(text.indexOf(from)).toBeLessThan(110);
        const buf = edit(BASE, (t) => t.replace(from, to));
        const { ic } = only(buf);
        expect(ic.ackCode).toBe('R');
        const l = ta1(buf);
        expect(l.split('*').slice(4)).toEqual(['R', expected[name]]);
      });
    }

    it('ISA11 not "U" before 00402: noted, TA1 E 016', () => {
      const buf = edit(BASE, (t) => t.replace('*1534*U*00401*', '*1534*^*00401*'));
      expect(ta1(buf)).toBe('TA1*000000001*020226*1534*E*016');
    });

    it('short (unpadded) ISA: parsed and accepted with errors noted, TA1 E with the first short field', () => {
      const buf = edit(BASE, (t) => t.replace('*00*          *00*          *ZZ*SENDERISA      *', '*00* *00* *ZZ*SENDERISA *'));
      const { ic } = only(buf);
      expect(ic.findings.map((f) => [f.code, f.severity])).toEqual([['X12_ISA_LENGTH', 'warning']]);
      expect(ic.findings[0]?.message).toBe(
        'ISA is 83 characters (standard 106): ISA02 is 1 (standard 10), ISA04 is 1 (standard 10), ISA06 is 10 (standard 15)',
      );
      expect(ic.header.senderId).toBe('SENDERISA');
      expect(ta1(buf)).toBe('TA1*000000001*020226*1534*E*011');
      expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*A*1*1*1']);
    });
  });

  describe('sets and segments', () => {
    /** The base file with a second set (ST02 000000002) in the group. */
    function twoSets(second: (set: string) => string = (s) => s): Buffer {
      return edit(BASE, (t) => {
        const st = t.indexOf('ST*850');
        const se = t.indexOf('GE*1*1');
        const set = t.slice(st, se);
        const set2 = second(set.replaceAll('*000000001~', '*000000002~'));
        return t.slice(0, se) + set2 + t.slice(se).replace('GE*1*1', 'GE*2*1');
      });
    }

    it('two good sets: AK9 A 2 2 2', () => {
      expect(ak(twoSets())).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK2*850*000000002', 'AK5*A', 'AK9*A*2*2*2']);
    });

    it('a bad element in one set of a 2-set group: that set R with AK3/AK4, the good one A, AK9 P', () => {
      const buf = twoSets((s) => s.replace('BEG*00*SA*A99999-01**19970214', 'BEG*00*SA*A99999-01**19971332'));
      expect(ak(buf)).toEqual([
        'AK1*PO*1',
        'AK2*850*000000001',
        'AK5*A',
        'AK2*850*000000002',
        'AK3*BEG*2**8',
        'AK4*5*373*8*19971332',
        'AK5*R*5',
        'AK9*P*2*2*1',
      ]);
    });

    it('ST02 repeated within the group: AK5 R 23 on the second set', () => {
      const buf = twoSets((s) => s.replaceAll('*000000002~', '*000000001~'));
      expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK2*850*000000001', 'AK5*R*23', 'AK9*P*2*2*1']);
    });

    it('ST01 invalid: AK5 R 6; ST02 invalid: AK5 R 7', () => {
      const st01 = edit(BASE, (t) => t.replace('ST*850*', 'ST*85*'));
      expect(ak(st01)).toEqual(['AK1*PO*1', 'AK2*85*000000001', 'AK5*R*6', 'AK9*R*1*1*0']);
      const st02 = edit(BASE, (t) => t.replaceAll('*000000001~\n', '*001~\n'));
      expect(ak(st02)).toEqual(['AK1*PO*1', 'AK2*850*001', 'AK5*R*7', 'AK9*R*1*1*0']);
    });

    it('segment and element errors carry AK3/AK4 detail', () => {
      const buf = edit(BASE, (t) =>
        t
          .replace('BEG*00*SA*A99999-01**', 'BEG*00*SA***') // BEG03 mandatory missing
          .replace('REF*VR*54321~', 'REF*VR*54321~ZZZ*1~') // unrecognized segment (SE01 grows by one)
          .replace('DTM*002*19971219~\nDTM*002*19971219~', 'DTM*002*19971219*2561~\nDTM*002*20021301~') // invalid time, invalid date
          .replace('N4*TEMPLE*TX*76503', 'N4*T*TEX*76503') // too short, too long
          .replace('PO1**16*CA*', 'PO1**1X*CA*') // invalid character in R
          .replace('CTT*7~', 'CTT*7*1*1*EA*1*EA*X*EXTRA~') // too many elements
          .replace('SE*35*', 'SE*36*'),
      );
      expect(ak(buf)).toEqual([
        'AK1*PO*1',
        'AK2*850*000000001',
        'AK3*BEG*2**8',
        'AK4*3*324*1',
        'AK3*ZZZ*4**1',
        'AK3*DTM*6**8',
        'AK4*3*337*9*2561',
        'AK3*DTM*7**8',
        'AK4*2*373*8*20021301',
        'AK3*N4*10**8',
        'AK4*1*19*4*T',
        'AK4*2*156*5*TEX',
        'AK3*PO1*14**8',
        'AK4*2*330*6*1X',
        'AK3*CTT*35**8',
        'AK4*8**3',
        'AK5*R*5',
        'AK9*R*1*1*0',
      ]);
    });

    it('a composite component error gives AK401 as position:component', () => {
      const buf = edit(BASE, (t) => t.replace('REF*VR*54321~', 'REF*VR*54321**VR>~'));
      expect(ak(buf)).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK3*REF*3**8', 'AK4*4>2*127*1', 'AK5*R*5', 'AK9*R*1*1*0']);
    });
  });

  describe('structure', () => {
    it('an ST outside a group: interchange finding, TA1 R 024', () => {
      const buf = edit(BASE, (t) => t.replace(/GS\*[^~]*~\n/, '').replace('GE*1*1~\n', ''));
      const { ic } = only(buf);
      expect(ic.groups).toEqual([]);
      expect(ic.findings.map((f) => f.code)).toEqual(['X12_ST_OUTSIDE_GROUP', 'X12_IEA_COUNT_MISMATCH']);
      expect(ta1(buf)).toBe('TA1*000000001*020226*1534*R*024');
    });

    it('a GS outside an interchange: file finding', () => {
      const t = fixture(BASE).toString('latin1');
      const stray = t.slice(t.indexOf('GS*'), t.indexOf('IEA*'));
      const r = parseX12Buffer(Buffer.from(t + stray, 'latin1'));
      expect(r.interchanges).toHaveLength(1);
      expect(r.interchanges[0]?.ackCode).toBe('A');
      expect(r.fileFindings.map((f) => [f.code, f.level, f.severity])).toEqual([['X12_GS_OUTSIDE_INTERCHANGE', 'file', 'error']]);
    });

    it('a segment between sets: TA1 R 022', () => {
      const buf = edit(BASE, (t) => t.replace('GE*1*1', 'NTE**STRAY~\nGE*1*1'));
      expect(ta1(buf)).toBe('TA1*000000001*020226*1534*R*022');
    });

    it('not X12 and empty files are file findings, never exceptions', () => {
      const nonEdi = parseX12Buffer(fixture('ediengine__NonEdi.edi'));
      expect(nonEdi.interchanges).toEqual([]);
      expect(nonEdi.fileFindings.map((f) => [f.code, f.level, f.severity])).toEqual([['X12_NOT_X12', 'file', 'error']]);
      const empty = parseX12Buffer(Buffer.alloc(0));
      expect(empty.fileFindings.map((f) => f.code)).toEqual(['X12_EMPTY_FILE']);
    });

    it('several interchanges in one file are read one by one', () => {
      const r = parseX12Buffer(fixture('ediengine__MultipleInterchangesAndGroups.edi'));
      expect(r.interchanges.map((i) => [i.header.controlNumber, i.groups.length, i.ackCode])).toEqual([
        ['000003438', 2, 'E'],
        ['000003439', 2, 'E'],
      ]);
      expect(r.sets.map((s) => s.controlNumber)).toEqual(['0001', '0002', '0001', '0001', '0002', '0001']);
      expect(r.interchanges.map((i) => i.findings.map((f) => f.code))).toEqual([['X12_IEA_CONTROL_FORMAT'], ['X12_SEGMENT_UNTERMINATED', 'X12_IEA_CONTROL_FORMAT']]);
    });
  });
});

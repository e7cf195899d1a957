import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { X12Delimiters, X12Segment } from '../../src/formats/x12/types.js';
import { buildX12MapInput } from '../../src/mapping/x12-input.js';
import { X12_LOOP_SPECS } from '../../src/mapping/x12-loops.js';
import { FIXTURES, inputsOf } from './helpers.js';

const DELIMS: X12Delimiters = { element: '*', component: '>', repetition: '^', segment: '~' };

/** Segments from "TAG*a*b~TAG*c~" text (latin1, as the tokenizer yields them). */
function segs(text: string): X12Segment[] {
  return text
    .split('~')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => {
      const [tag, ...elements] = s.split('*');
      return { tag: tag!, elements, offset: i };
    });
}

function build(text: string, setId = '850', version = '004010'): Record<string, any> {
  return buildX12MapInput({ setId, controlNumber: '0001', version, segments: segs(text), delimiters: DELIMS });
}

describe('buildX12MapInput', () => {
  it('maps every segment id to an array of element objects, empty elements left out', () => {
    const input = build('ST*850*0001~BEG*00*SA*PO1**20240101~REF*DP*038~REF*IA*77~SE*5*0001~');
    expect(input.setId).toBe('850');
    expect(input.controlNumber).toBe('0001');
    expect(input.version).toBe('004010');
    expect(input.BEG).toEqual([{ BEG01: '00', BEG02: 'SA', BEG03: 'PO1', BEG05: '20240101' }]);
    expect(input.REF).toEqual([{ REF01: 'DP', REF02: '038' }, { REF01: 'IA', REF02: '77' }]);
    expect(input.SE).toEqual([{ SE01: '5', SE02: '0001' }]);
  });

  it('keeps a composite element raw and adds one property per component', () => {
    const input = build('ST*850*1~BEG*00*SA*X**20240101~PO1*1*10*EA*1~SLN*1.1**I*10000*PC>11.1>>EA*1.56~SE*4*1~');
    const sln = input.PO1_loop[0].SLN_loop[0].SLN[0];
    expect(sln.SLN05).toBe('PC>11.1>>EA');
    expect(sln.SLN05_01).toBe('PC');
    expect(sln.SLN05_02).toBe('11.1');
    expect(sln.SLN05_03).toBeUndefined();
    expect(sln.SLN05_04).toBe('EA');
  });

  it('nests the 850 loops: N9, N1 (with N2..PER), PO1 with its own N1 and SLN loops, CTT with AMT', () => {
    const input = build(
      [
        'ST*850*1', 'BEG*00*SA*X**20240101', 'DTM*002*20240201', 'N9*AH*1', 'MSG*hello', 'MSG*world',
        'N1*ST*DC*92*1', 'N2*DOCK 4', 'N3*1 MAIN ST', 'N4*TOWN*ST*12345', 'PER*BD*JO*TE*555', 'N1*BT*HQ',
        'PO1*1*2*EA*3**BP*A', 'PID*F****LINE ONE', 'DTM*002*20240202', 'N1*ST*STORE 9', 'N3*9 ELM',
        'SLN*1**I*1*EA', 'PID*F****SUBLINE',
        'PO1*2*1*EA*4**BP*B', 'REF*DP*12', 'N9*CU*X', 'MSG*line note',
        'CTT*2', 'AMT*TT*10', 'SE*26*1',
      ].join('~'),
    );
    expect(input.DTM).toEqual([{ DTM01: '002', DTM02: '20240201' }]);
    expect(input.N9_loop).toEqual([{ N9: [{ N901: 'AH', N902: '1' }], MSG: [{ MSG01: 'hello' }, { MSG01: 'world' }] }]);
    expect(input.N1_loop).toHaveLength(2);
    expect(Object.keys(input.N1_loop[0])).toEqual(['N1', 'N2', 'N3', 'N4', 'PER']);
    expect(input.N1_loop[1]).toEqual({ N1: [{ N101: 'BT', N102: 'HQ' }] });
    expect(input.PO1_loop).toHaveLength(2);
    const l1 = input.PO1_loop[0];
    expect(l1.PID).toEqual([{ PID01: 'F', PID05: 'LINE ONE' }]);
    expect(l1.DTM).toEqual([{ DTM01: '002', DTM02: '20240202' }]);
    expect(l1.N1_loop).toEqual([{ N1: [{ N101: 'ST', N102: 'STORE 9' }], N3: [{ N301: '9 ELM' }] }]);
    // the subline's PID stays with the subline
    expect(l1.SLN_loop[0].PID).toEqual([{ PID01: 'F', PID05: 'SUBLINE' }]);
    const l2 = input.PO1_loop[1];
    expect(l2.REF).toEqual([{ REF01: 'DP', REF02: '12' }]);
    expect(l2.N9_loop).toEqual([{ N9: [{ N901: 'CU', N902: 'X' }], MSG: [{ MSG01: 'line note' }] }]);
    expect(input.CTT_loop).toEqual([{ CTT: [{ CTT01: '2' }], AMT: [{ AMT01: 'TT', AMT02: '10' }] }]);
    expect(input.SE).toBeDefined();
    expect(input.PO1).toBeUndefined();
    expect(input.N1).toBeUndefined();
  });

  it('keeps a segment no level knows where it appeared (inside the open loop)', () => {
    const input = build('ST*850*1~BEG*00*SA*X**20240101~PO1*1*2*EA~ZZZ*custom~PID*F****DESC~SE*5*1~');
    expect(input.PO1_loop[0].ZZZ).toEqual([{ ZZZ01: 'custom' }]);
    expect(input.PO1_loop[0].PID).toEqual([{ PID01: 'F', PID05: 'DESC' }]);
  });

  it('gives a set id without a loop spec a flat structure', () => {
    expect(X12_LOOP_SPECS['811']).toBeUndefined();
    const input = build('ST*811*1~BIG*20240101*INV1~N1*ST*X~N3*ADDR~IT1**1*EA*2~PID*F****D~SE*7*1~', '811');
    expect(Object.keys(input)).toEqual(['setId', 'controlNumber', 'version', 'ST', 'BIG', 'N1', 'N3', 'IT1', 'PID', 'SE']);
    expect(input.N1_loop).toBeUndefined();
  });

  it('decodes element bytes that are valid UTF-8 and keeps latin1 otherwise', () => {
    const utf8 = Buffer.from('Müller Straße', 'utf8').toString('latin1'); // as the tokenizer yields it
    const latin1 = Buffer.from('Müller', 'latin1').toString('latin1'); // 0xFC alone is not UTF-8
    const input = build(`ST*850*1~BEG*00*SA*X**20240101~N1*ST*${utf8}~N1*BT*${latin1}~SE*5*1~`);
    expect(input.N1_loop[0].N1[0].N102).toBe('Müller Straße');
    expect(input.N1_loop[1].N1[0].N102).toBe('Müller');
  });

  it('names elements with two-digit positions (PO101 .. PO112)', () => {
    const els = Array.from({ length: 12 }, (_, i) => `v${i + 1}`);
    const input = build(`ST*850*1~BEG*00*SA*X**20240101~PO1*${els.join('*')}~SE*4*1~`);
    const po1 = input.PO1_loop[0].PO1[0];
    expect(po1.PO101).toBe('v1');
    expect(po1.PO109).toBe('v9');
    expect(po1.PO110).toBe('v10');
    expect(po1.PO112).toBe('v12');
  });

  it('builds the same structure for every transaction set of a real file read by the X12 reader', () => {
    const inputs = inputsOf(readFileSync(join(FIXTURES, 'corpus', 'botsplugins__850-004010-12.x12')));
    expect(inputs).toHaveLength(3);
    expect(inputs.map((i) => (i.PO1_loop as unknown[]).length)).toEqual([2, 4, 4]);
    const first = inputs[0] as Record<string, any>;
    // PID 73/74/08 and PO4, SAC stay inside their PO1 loop
    expect(first.PO1_loop[0].PID).toHaveLength(3);
    expect(first.PO1_loop[0].SAC).toHaveLength(3);
    expect(first.CTT_loop[0].CTT[0]).toEqual({ CTT01: '2', CTT02: '456' });
  });
});

import { describe, expect, it } from 'vitest';
import { FINDING_CODES, isFindingCode, makeFinding } from '../../src/validation/codes.js';
import { checkElementValue, checkSegment, dateLengthForVersion, definedSegmentIds, isKnownSegmentId, isValidDate, isValidTime } from '../../src/formats/x12/dictionary.js';

describe('finding code catalogue', () => {
  it('is well formed: levels, severities and standard codes', () => {
    const levels = new Set(['file', 'interchange', 'group', 'transaction', 'segment', 'element']);
    for (const [code, spec] of Object.entries(FINDING_CODES) as [string, Record<string, string>][]) {
      expect(code).toMatch(/^(X12|FILE|MAP|CANONICAL|EDIFACT|CSV|BUSINESS)_[A-Z0-9_]+$/);
      // EDIFACT and CSV findings carry CONTRL codes (or none), not TA1/997 codes
      const x12 = !/^(EDIFACT|CSV)_/.test(code);
      if (spec.contrl !== undefined) expect(spec.contrl).toMatch(/^\d{1,2}$/);
      expect(levels.has(spec.level ?? '')).toBe(true);
      expect(['error', 'warning']).toContain(spec.severity);
      expect((spec.summary ?? '').length).toBeGreaterThan(10);
      if (spec.ta1 !== undefined) expect(spec.ta1).toMatch(/^0[0-3]\d$/);
      if (spec.ak9 !== undefined) expect(spec.ak9).toMatch(/^\d{1,2}$/);
      if (spec.ak5 !== undefined) expect(spec.ak5).toMatch(/^\d{1,2}$/);
      if (x12 && spec.level === 'interchange') expect(spec.ta1).toBeDefined();
      if (x12 && spec.level === 'element') expect([spec.ak304, spec.ak403, spec.ak5]).toEqual(['8', expect.stringMatching(/^\d$/), '5']);
    }
    expect(isFindingCode('X12_SE_COUNT_MISMATCH')).toBe(true);
    expect(isFindingCode('NOPE')).toBe(false);
  });

  it('makeFinding fills the standard codes from the catalogue', () => {
    expect(makeFinding('X12_SE_COUNT_MISMATCH', 'm', { offset: 5 })).toEqual({
      code: 'X12_SE_COUNT_MISMATCH',
      severity: 'error',
      level: 'transaction',
      message: 'm',
      ak5: '4',
      offset: 5,
    });
    const f = makeFinding('X12_ELEMENT_TOO_LONG', 'm', { segment: { tag: 'N4', position: 9 }, element: { position: 2, reference: '156', badValue: 'TEX' } });
    expect([f.segment, f.element, f.ak5]).toEqual([
      { tag: 'N4', position: 9, code: '8' },
      { position: 2, reference: '156', badValue: 'TEX', code: '5' },
      '5',
    ]);
  });
});

describe('dictionary', () => {
  const d = { element: '*', component: '>', repetition: null, segment: '~' };
  const ctx = { position: 2, dateLength: 8 as const, delimiters: d, offset: 0 };

  it('defines the 850 segments and knows other segment IDs', () => {
    for (const tag of ['BEG', 'CUR', 'REF', 'PER', 'TAX', 'FOB', 'CTP', 'CSH', 'SAC', 'ITD', 'DIS', 'DTM', 'TD1', 'TD5', 'TD3', 'TD4', 'MAN', 'N9', 'MSG', 'N1', 'N2', 'N3', 'N4', 'PO1', 'PO3', 'PO4', 'PID', 'MEA', 'PKG', 'SDQ', 'SCH', 'AMT', 'CTT', 'LIN', 'SI', 'PWK', 'TC2', 'SLN']) {
      expect(definedSegmentIds()).toContain(tag);
    }
    for (const tag of ['CLM', 'NM1', 'HL', 'BSN', 'BIG', 'W05', 'AK1', 'CAS']) expect(isKnownSegmentId(tag)).toBe(true);
    expect(isKnownSegmentId('XYZ')).toBe(false);
  });

  it('checks types and lengths (lengths of R and N count digits only)', () => {
    expect(checkElementValue('-12.50', 'R', 1, 4)).toBeNull();
    expect(checkElementValue('12345', 'R', 1, 4)?.code).toBe('X12_ELEMENT_TOO_LONG');
    expect(checkElementValue('1.5E3', 'R', 1, 4)).toBeNull();
    expect(checkElementValue('12a', 'N0', 1, 4)?.code).toBe('X12_ELEMENT_INVALID_CHARACTER');
    expect(checkElementValue('-123', 'N2', 1, 3)).toBeNull();
    expect(checkElementValue('A\x01', 'AN', 1, 4)?.code).toBe('X12_ELEMENT_INVALID_CHARACTER');
    expect(checkElementValue('X', 'ID', 2, 2)?.code).toBe('X12_ELEMENT_TOO_SHORT');
    expect(checkElementValue('20240230', 'DT', 8, 8)?.code).toBe('X12_ELEMENT_INVALID_DATE');
    expect(checkElementValue('20240229', 'DT', 8, 8)).toBeNull();
    expect(checkElementValue('2400', 'TM', 4, 8)?.code).toBe('X12_ELEMENT_INVALID_TIME');
    expect(checkElementValue('235959', 'TM', 4, 8)).toBeNull();
    expect([isValidDate('240229'), isValidDate('230229'), isValidTime('1260')]).toEqual([true, false, false]);
    expect([dateLengthForVersion('003010'), dateLengthForVersion('004010VICS'), dateLengthForVersion('005010X222A1'), dateLengthForVersion('')]).toEqual([6, 8, 8, 8]);
  });

  it('checks a segment: mandatory, too many, composites, dates per version', () => {
    expect(checkSegment({ tag: 'BEG', elements: ['00', 'SA', 'PO1', '', '20240101'], offset: 0 }, ctx)).toBeNull();
    expect(checkSegment({ tag: 'BEG', elements: ['00', 'SA', 'PO1', '', '240101'], offset: 0 }, ctx)?.map((f) => f.element?.code)).toEqual(['4']);
    expect(checkSegment({ tag: 'BEG', elements: ['00', 'SA', 'PO1', '', '240101'], offset: 0 }, { ...ctx, dateLength: 6 })).toBeNull();
    expect(checkSegment({ tag: 'N3', elements: ['A', 'B', '', ''], offset: 0 }, ctx)).toBeNull(); // trailing empty elements tolerated
    expect(checkSegment({ tag: 'N3', elements: ['A', 'B', 'C'], offset: 0 }, ctx)?.map((f) => [f.element?.position, f.element?.code])).toEqual([[3, '3']]);
    expect(checkSegment({ tag: 'MEA', elements: ['PD', 'WT', '10', 'LB>1>2'], offset: 0 }, ctx)).toBeNull();
    expect(checkSegment({ tag: 'MEA', elements: ['PD', 'WT', '10', 'LBS'], offset: 0 }, ctx)?.map((f) => [f.element?.position, f.element?.componentPosition, f.element?.code])).toEqual([[4, 1, '5']]);
    expect(checkSegment({ tag: 'W05', elements: ['anything'], offset: 0 }, ctx)).toBeNull();
    expect(checkSegment({ tag: 'Q9Z', elements: [], offset: 0 }, ctx)?.map((f) => f.segment?.code)).toEqual(['1']);
  });
});

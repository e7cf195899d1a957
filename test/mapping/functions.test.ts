import { describe, expect, it } from 'vitest';
import { decimal, isoDate, MAP_FUNCTIONS, pairs, valueOf } from '../../src/mapping/functions.js';

describe('standard map functions', () => {
  it('$isoDate reads CCYYMMDD, YYMMDD (with century or a 50-year pivot) and date-times', () => {
    expect(isoDate('20240215')).toBe('2024-02-15');
    expect(isoDate('040317')).toBe('2004-03-17');
    expect(isoDate('970214')).toBe('1997-02-14');
    expect(isoDate('491231')).toBe('2049-12-31');
    expect(isoDate('500101')).toBe('1950-01-01');
    expect(isoDate('980615', '19')).toBe('1998-06-15');
    expect(isoDate('080101', '20')).toBe('2008-01-01');
    expect(isoDate('080101', 'D8')).toBe('2008-01-01'); // DTM05 of 004010 is a format qualifier, not a century
    expect(isoDate('202402151230')).toBe('2024-02-15');
    expect(isoDate('20240215123045')).toBe('2024-02-15');
  });

  it('$isoDate returns text it cannot read unchanged and undefined as undefined', () => {
    expect(isoDate('2024-02-15')).toBe('2024-02-15');
    expect(isoDate('15.02.2024')).toBe('15.02.2024');
    expect(isoDate('2024021')).toBe('2024021');
    expect(isoDate(undefined)).toBeUndefined();
  });

  it('$decimal reads X12 R and N values and leaves other text as it is', () => {
    expect(decimal('12.5')).toBe(12.5);
    expect(decimal('0012')).toBe(12);
    expect(decimal('.8')).toBe(0.8);
    expect(decimal('-3')).toBe(-3);
    expect(decimal('-.25')).toBe(-0.25);
    expect(decimal('12.')).toBe(12);
    expect(decimal('0000000.00')).toBe(0);
    expect(decimal(7)).toBe(7);
    expect(decimal('1,5')).toBe('1,5');
    expect(decimal('N/A')).toBe('N/A');
    expect(decimal('')).toBe('');
    expect(decimal(undefined)).toBeUndefined();
  });

  it('$pairs collects the qualifier/value pairs of a segment, skipping incomplete ones', () => {
    const po1 = { PO101: '1', PO102: '5', PO106: 'BP', PO107: 'A-1', PO108: 'VN', PO110: 'UP', PO111: '0123', PO124: 'SK', PO125: '99' };
    expect(pairs(po1, 'PO106', 'PO125')).toEqual([
      { qualifier: 'BP', value: 'A-1' },
      { qualifier: 'UP', value: '0123' },
      { qualifier: 'SK', value: '99' },
    ]);
    expect(pairs([po1], 'PO106', 'PO109')).toEqual([{ qualifier: 'BP', value: 'A-1' }]);
    expect(pairs({ PO101: '1' }, 'PO106', 'PO125')).toBeUndefined();
    expect(pairs(undefined, 'PO106', 'PO125')).toBeUndefined();
  });

  it('$valueOf picks the value of the first qualifier, in order of preference', () => {
    const ids = [{ qualifier: 'VN', value: 'item' }, { qualifier: 'VP', value: 'part' }, { qualifier: 'UP', value: '012' }];
    expect(valueOf(ids, 'UP')).toBe('012');
    expect(valueOf(ids, ['VP', 'VN'])).toBe('part');
    expect(valueOf(ids, ['SK'])).toBeUndefined();
    expect(valueOf({ qualifier: 'BP', value: 'x' }, 'BP')).toBe('x');
    expect(valueOf(undefined, 'BP')).toBeUndefined();
  });

  it('are registered by their names', () => {
    expect(Object.keys(MAP_FUNCTIONS).sort()).toEqual(['decimal', 'isoDate', 'pairs', 'valueOf']);
  });
});

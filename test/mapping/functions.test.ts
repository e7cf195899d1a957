import { describe, expect, it } from 'vitest';
import { decimal, implied, isoDate, MAP_FUNCTIONS, named, pairs, record, records, valueOf } from '../../src/mapping/functions.js';

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

  it('$implied reads X12 Nn numbers with n implied decimals', () => {
    expect(implied('2000', 2)).toBe(20);
    expect(implied('45120', 2)).toBe(451.2);
    expect(implied('80', 2)).toBe(0.8);
    expect(implied('-125', 2)).toBe(-1.25);
    expect(implied('0012', 0)).toBe(12);
    expect(implied('7', '1')).toBe(0.7);
    expect(implied('20.00', 2)).toBe(20); // sent with a decimal point: read as written
    expect(implied(15, 2)).toBe(15);
    expect(implied('12A', 2)).toBe('12A');
    expect(implied('2000', 'x')).toBe('2000');
    expect(implied('2000', 12)).toBe('2000');
    expect(implied(undefined, 2)).toBeUndefined();
  });

  it('$named names the pairs of a table in order of preference, with "unless" fallbacks', () => {
    const names = { buyerPartNumber: 'BP, CB unless IN', buyerItemNumber: 'IN', vendorPartNumber: 'VP, VN, VC', upc: 'UP' };
    const ids = (...q: string[]) => q.map((x) => ({ qualifier: x, value: x.toLowerCase() }));
    expect(named(ids('CB', 'VC', 'UP'), names)).toEqual({ buyerPartNumber: 'cb', vendorPartNumber: 'vc', upc: 'up' });
    expect(named(ids('CB', 'IN', 'VN', 'VC'), names)).toEqual({ buyerItemNumber: 'in', vendorPartNumber: 'vn' });
    expect(named(ids('IN', 'CB', 'BP', 'VC', 'VP'), names)).toEqual({ buyerPartNumber: 'bp', buyerItemNumber: 'in', vendorPartNumber: 'vp' });
    expect(named({ qualifier: 'UP', value: '012' }, names)).toEqual({ upc: '012' });
    expect(named(ids('SK'), names)).toBeUndefined();
    expect(named(undefined, names)).toBeUndefined();
    expect(named(ids('UP'), undefined)).toBeUndefined();
  });

  it('$record reads one segment by a layout: numbers by X12 type, a first component or the whole element', () => {
    const layout = { pack: 'PO401:N0', size: 'PO402:R', unit: 'PO403', amount: 'PO405:N2', date: 'PO406:DT', code: 'PO407_01', text: 'PO408:AN' };
    expect(record([{ PO401: '4', PO402: '.5', PO403: 'EA', PO405: '2000', PO406: '20240105', PO407: 'EA' }], layout)).toEqual({
      pack: 4, size: 0.5, unit: 'EA', amount: 20, date: '2024-01-05', code: 'EA',
    });
    expect(record({ PO407: 'EA>2', PO407_01: 'EA', PO407_02: '2', PO408: '0012' }, layout)).toEqual({ code: 'EA', text: '0012' });
    expect(record({ PO401: 'x4' }, layout)).toEqual({ pack: 'x4' }); // unreadable numbers stay visible to validation
    expect(record({ PO409: '1' }, layout)).toBeUndefined();
    expect(record(undefined, layout)).toBeUndefined();
    expect(record({ PO401: '4' }, undefined)).toBeUndefined();
  });

  it('$records reads every segment of an array, leaving out the empty ones', () => {
    const layout = { unitPrice: 'CTP03:R', multiplier: 'CTP07:R' };
    expect(records([{ CTP03: '19.99' }, { CTP01: 'RS' }, { CTP07: '.57' }], layout)).toEqual([{ unitPrice: 19.99 }, { multiplier: 0.57 }]);
    expect(records({ CTP03: '1' }, layout)).toEqual([{ unitPrice: 1 }]);
    expect(records([{ CTP01: 'RS' }], layout)).toBeUndefined();
    expect(records(undefined, layout)).toBeUndefined();
  });

  it('are registered by their names', () => {
    expect(Object.keys(MAP_FUNCTIONS).sort()).toEqual(['amount', 'decimal', 'implied', 'isoDate', 'isoDateTime', 'named', 'pairs', 'record', 'records', 'valueOf']);
  });
});

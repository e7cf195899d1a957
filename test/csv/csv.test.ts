/**
 * The CSV reader (csv-parse) with partner column maps: the corpus CSV files, and files of our own with
 * quotes, embedded newlines, a Latin-1 encoding and bad rows (each reported with its line number).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvBuffer } from '../../src/formats/csv/reader.js';
import { readCsvSettings } from '../../src/formats/csv/settings.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'csv');
const settings = (raw: Record<string, unknown>) => {
  const r = readCsvSettings(raw);
  expect(r.problems).toEqual([]);
  return r.settings;
};

describe('CSV reader', () => {
  it('reads the corpus order lines (headerless, quoted) grouped by order number', async () => {
    const cols = Array.from({ length: 30 }, (_, i) => `c${i + 1}`);
    const s = settings({ header: 'false', columns: cols, groupBy: ['c5'], required: ['c5', 'c27'], numeric: ['c30'] });
    const r = await readCsvBuffer(readFileSync(join(FIX, 'botsplugins__csv2edi_test.csv')), s);
    expect(r.bad).toEqual([]);
    expect(r.rows).toBe(8);
    expect(r.documents.map((d) => [d.key, d.rows.map((x) => x.line)])).toEqual([['BGMREF', [1, 2, 3, 4]], ['1-4500094289', [5, 6]], ['1-4500094290', [7]], ['1-4500094291', [8]]]);
  });

  it('reads the corpus semicolon files: padded article data with a header, the sales report with decimal commas', async () => {
    const pricat = await readCsvBuffer(readFileSync(join(FIX, 'botsplugins__pricat_articledata01.csv')), settings({ delimiter: ';', trim: 'true', numeric: ['RetailPrice'] }));
    expect(pricat.bad).toEqual([]);
    expect(pricat.documents.length).toBe(pricat.rows);
    expect(pricat.documents[0]!.rows[0]).toEqual({ line: 2, values: expect.objectContaining({ 'GTIN/EAN': '8712345678906', Color: 'white', DateFrom: '30-06-2008', PromoPrice: '' }) });
    const slsrpt = await readCsvBuffer(readFileSync(join(FIX, 'botsplugins__csv_slsrpt_1.csv')),
      settings({ delimiter: ';', header: 'false', columns: ['date', 'location', 'gtin', 'quantity', 'price'], groupBy: ['location'], numeric: ['quantity', 'price'] }));
    expect(slsrpt.bad).toEqual([]);
    expect(slsrpt.documents[0]!.rows.map((x) => x.values.price)).toEqual(['27,000', '19,900', '12,500', '39,800', '13,500']);
    for (const f of ['botsplugins__alto_ETRHDR.csv', 'botsplugins__alto_ETRDTL.csv', 'botsplugins__csv2edi_test2.csv']) {
      const r = await readCsvBuffer(readFileSync(join(FIX, f)), settings({ header: 'false', columns: Array.from({ length: f.includes('HDR') ? 9 : f.includes('DTL') ? 6 : 30 }, (_, i) => `c${i}`) }));
      expect([f, r.bad]).toEqual([f, []]);
    }
  });

  it('quotes, doubled quotes, embedded newlines (line numbers of each record start), a BOM, CRLF and an empty line', async () => {
    const text = '\ufeffid,text,qty\r\n\r\n1,"a, ""quoted"" value",2\r\n2,"two\r\nlines\nand three",3\r\n3,plain,4\r\n';
    const r = await readCsvBuffer(Buffer.from(text, 'utf8'), settings({ numeric: ['qty'] }));
    expect(r.bad).toEqual([]);
    expect(r.documents.map((d) => d.rows[0])).toEqual([
      { line: 3, values: { id: '1', text: 'a, "quoted" value', qty: '2' } },
      { line: 4, values: { id: '2', text: 'two\r\nlines\nand three', qty: '3' } },
      { line: 7, values: { id: '3', text: 'plain', qty: '4' } },
    ]);
  });

  it('decodes a Latin-1 file once, across chunk boundaries', async () => {
    const bytes = Buffer.from('name;city\n"M\xfcller";"K\xf6ln"\n"Gar\xe7on";"Besan\xe7on"\n', 'latin1');
    const r = await readCsvBuffer(bytes, settings({ delimiter: ';', encoding: 'latin1' }));
    expect(r.documents.map((d) => d.rows[0]!.values)).toEqual([{ name: 'Müller', city: 'Köln' }, { name: 'Garçon', city: 'Besançon' }]);
    const utf8 = await readCsvBuffer(Buffer.from('name\n"Müller"\n'), settings({}));
    expect(utf8.documents[0]!.rows[0]!.values.name).toBe('Müller');
  });

  it('reports bad rows with their line number and reason, and keeps reading', async () => {
    const text = 'po,sku,qty\nP1,A,1\nP1,B\nP1,,3\nP2,C,x\n"P3,D,4\n';
    const r = await readCsvBuffer(Buffer.from(text), settings({ groupBy: ['po'], required: ['po', 'sku'], numeric: ['qty'] }));
    expect(r.bad).toEqual([
      { line: 3, reason: '2 column(s), expected 3 (po, sku, qty)' },
      { line: 4, reason: 'required column "sku" is empty' },
      { line: 5, reason: 'column "qty" is not a number: "x"' },
      { line: 6, reason: 'CSV_QUOTE_NOT_CLOSED: Quote Not Closed: the parsing is finished with an opening quote at line 6' },
    ]);
    expect(r.documents.map((d) => [d.key, d.rows.map((x) => x.line)])).toEqual([['P1', [2]]]);
  });

  it('reports a row with bytes the encoding cannot decode or a control character, instead of delivering it garbled', async () => {
    const bytes = Buffer.concat([Buffer.from('po,sku,qty\nP1,A,1\nP2,B'), Buffer.from([0xe9, 0xff]), Buffer.from(',2\nP3,C\u0000D,3\nP4,E\tF,4\n')]);
    const r = await readCsvBuffer(bytes, settings({ groupBy: ['po'], numeric: ['qty'] }));
    expect(r.bad).toEqual([
      { line: 3, reason: 'column "sku" holds bytes that are not valid utf-8' },
      { line: 4, reason: 'column "sku" holds the control character 0x00' },
    ]);
    expect(r.documents.map((d) => d.key)).toEqual(['P1', 'P4']);
  });

  it('checks the csv block of a map: every problem named', () => {
    expect(readCsvSettings({ delimiter: ';;', header: 'no', encoding: 'klingon', groupBy: ['x'], columns: ['a'], colour: 'red' }).problems).toEqual([
      'field "csv.colour" is unknown (known: delimiter, quote, encoding, header, columns, trim, groupBy, required, numeric)',
      'field "csv.delimiter" must be one character: ";;"',
      'field "csv.encoding" "klingon" is not an encoding Node can decode',
      'field "csv.header" must be "true" or "false": "no"',
      'field "csv.groupBy": column "x" is not in csv.columns',
    ]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMaps, mapAndValidate, type LoadedMap, type MapRegistry } from '../../src/mapping/maps.js';
import { diffJson, runMapExamples } from '../../src/mapping/map-tests.js';
import { exampleInputs } from '../../src/mapping/example-inputs.js';
import { FIXTURES, PRODUCT_MAPS, inputOf, setsOf } from './helpers.js';

const CORPUS_DIR = join(FIXTURES, 'corpus');
const EXPECTED_DIR = join(FIXTURES, 'expected');

/** The 850 files listed in test/fixtures/maps/SOURCES.md (copies of the public corpus). */
function corpusFiles(): string[] {
  const md = readFileSync(join(FIXTURES, 'SOURCES.md'), 'utf8');
  return [...md.matchAll(/^\| `corpus\/([^`]+)` \|(?:[^|]*\|){4}([^|]*)\|/gm)]
    .filter((m) => m[2]!.includes('850'))
    .map((m) => m[1]!);
}

let registry: MapRegistry;
let map: LoadedMap;

beforeAll(async () => {
  registry = await loadMaps([PRODUCT_MAPS]);
  map = registry.require('x12-850-order');
});

async function mapFile(path: string): Promise<Array<{ payload: Record<string, unknown>; errors: string[]; po1: number }>> {
  const out = [];
  for (const set of setsOf(readFileSync(path))) {
    const po1 = set.segments.filter((s) => s.tag === 'PO1').length;
    out.push({ ...(await mapAndValidate(map, inputOf(set))), po1 });
  }
  return out;
}

describe('x12-850-order on every 850 of the corpus', () => {
  const files = corpusFiles();

  it('covers at least 15 files, including the required sources and versions', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(files).toEqual(readdirSync(CORPUS_DIR).sort());
    for (const prefix of ['botsplugins__850-', 'nodex12__850', 'ediengine__850.OK.edi', 'x12types__004010_850.edi', 'stupidedi__004010_X357-SC850_pass', 'staedi__invoice810_po850_dual.edi', 'oopfactory__850_']) {
      expect(files.some((f) => f.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it.each(files)('%s maps to valid orders with a PO number, a date and every PO1 line', async (file) => {
    const results = await mapFile(join(CORPUS_DIR, file));
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.errors).toEqual([]);
      expect(r.payload.purchaseOrderNumber).toEqual(expect.any(String));
      expect(r.payload.orderDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.payload.lines).toHaveLength(r.po1);
    }
  });

  it('reads every version of the corpus: 003010, 003050, 004010, 004010VICS, 004010X357, 004030, 004030VICS', async () => {
    const versions = new Set<string>();
    for (const f of files) for (const s of setsOf(readFileSync(join(CORPUS_DIR, f)))) versions.add(s.group.version);
    expect([...versions].sort()).toEqual(['003010', '003050', '004010', '004010VICS', '004010X357', '004030', '004030VICS']);
  });
});

describe('x12-850-order field by field against payloads checked by hand', () => {
  const cases = readdirSync(EXPECTED_DIR).filter((f) => f.endsWith('.expected.json')).sort();

  it('has at least 4 hand-checked files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases)('%s', async (expectedFile) => {
    const source = expectedFile.replace(/\.expected\.json$/, '');
    const expected: unknown = JSON.parse(readFileSync(join(EXPECTED_DIR, expectedFile), 'utf8'));
    const results = await mapFile(join(CORPUS_DIR, source));
    for (const r of results) expect(r.errors).toEqual([]);
    const payloads = results.map((r) => r.payload);
    const actual = Array.isArray(expected) ? payloads : payloads[0];
    expect(diffJson(expected, actual)).toEqual([]);
    expect(actual).toEqual(expected);
  });
});

/** An X12 interchange from segment lines (ISA first), "~" terminated. */
function interchange(isa12: string, gs08: string, body: string[]): Buffer {
  const rep = isa12 >= '00402' ? '^' : 'U';
  const isa = `ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240115*0930*${rep}*${isa12}*000000777*0*T*:`;
  const segs = [isa, `GS*PO*SENDER*RECEIVER*20240115*0930*77*X*${gs08}`, 'ST*850*0001', ...body, `SE*${body.length + 2}*0001`, 'GE*1*77', 'IEA*1*000000777'];
  return Buffer.from(segs.join('~\n') + '~\n', 'latin1');
}

describe('x12-850-order on constructed 850s', () => {
  it('reads a 005010 order: PO1 with five qualifier pairs, MTX notes, line ship-to, SLN, composite unit', async () => {
    const buf = interchange('00501', '005010', [
      'BEG*00*DS*PO-5010*R-2*20240115*CT-9',
      'CUR*BY*EUR',
      'REF*DP*038*SHOES',
      'PER*BD*ANNA*EM*anna@example.com*TE*5551234*EX*12',
      'DTM*010*20240120',
      'DTM*196*20240101*0800',
      'TD5*O*2*ABCD*M*GROUND*******3D',
      'MTX*GEN*Deliver to the back door',
      'N1*BY*BUYER GMBH*92*B1',
      'N1*SU*SUPPLIER*1*123456789',
      'PO1*10*4*EA*19.99*PE*BP*B-100*VP*V-200*UP*012345678905*SK*SKU-1*EN*4006381333931',
      'PID*F*08***RUNNING SHOE',
      'PID*F*74***SIZE 42',
      'DTM*002*20240125',
      'MTX*LIN*Gift wrap',
      'N1*ST*STORE 12*92*S12',
      'N3*HAUPTSTR. 1*HINTERHAUS',
      'N4*BERLIN**10115*DE',
      'SLN*1**I*2*EA:12:LB*19.99',
      'PID*F****SUBLINE DESCRIPTION',
      'CTT*1*4',
      'AMT*TT*79.96',
    ]);
    const [set] = setsOf(buf);
    expect(set).toBeDefined();
    const { payload, errors } = await mapAndValidate(map, inputOf(set!));
    expect(errors).toEqual([]);
    expect(payload).toEqual({
      purchaseOrderNumber: 'PO-5010',
      orderDate: '2024-01-15',
      purpose: { code: '00', meaning: 'Original' },
      orderType: { code: 'DS', meaning: 'Dropship' },
      releaseNumber: 'R-2',
      contractNumber: 'CT-9',
      currency: 'EUR',
      parties: [
        { role: 'buyer', entityCode: 'BY', name: 'BUYER GMBH', ids: [{ qualifier: '92', value: 'B1' }] },
        { role: 'vendor', entityCode: 'SU', name: 'SUPPLIER', ids: [{ qualifier: '1', value: '123456789' }] },
      ],
      contacts: [{ functionCode: 'BD', name: 'ANNA', email: 'anna@example.com', phone: '5551234', communications: [{ qualifier: 'EX', value: '12' }] }],
      dates: { requestedShipDate: '2024-01-20' },
      otherDates: [{ qualifier: '196', date: '2024-01-01', time: '0800' }],
      carriers: [{ routingSequence: 'O', scac: 'ABCD', transportationMethod: { code: 'M', meaning: 'Motor (Common Carrier)' }, routing: 'GROUND', serviceLevel: '3D' }],
      references: [{ qualifier: 'DP', value: '038', description: 'SHOES' }],
      notes: [{ qualifier: 'GEN', text: 'Deliver to the back door' }],
      totals: { lineItemCount: 1, hashTotal: 4, amounts: [{ qualifier: 'TT', amount: 79.96 }] },
      lines: [
        {
          position: 1,
          lineNumber: '10',
          quantity: 4,
          unitOfMeasure: 'EA',
          unitPrice: 19.99,
          priceBasis: 'PE',
          buyerPartNumber: 'B-100',
          vendorPartNumber: 'V-200',
          gtin: '4006381333931',
          upc: '012345678905',
          sku: 'SKU-1',
          productIds: [
            { qualifier: 'BP', value: 'B-100' },
            { qualifier: 'VP', value: 'V-200' },
            { qualifier: 'UP', value: '012345678905' },
            { qualifier: 'SK', value: 'SKU-1' },
            { qualifier: 'EN', value: '4006381333931' },
          ],
          description: 'RUNNING SHOE',
          characteristics: [{ code: '74', text: 'SIZE 42' }],
          dates: { requestedDeliveryDate: '2024-01-25' },
          parties: [
            {
              role: 'shipTo',
              entityCode: 'ST',
              name: 'STORE 12',
              ids: [{ qualifier: '92', value: 'S12' }],
              address: { lines: ['HAUPTSTR. 1', 'HINTERHAUS'], city: 'BERLIN', postalCode: '10115', country: 'DE' },
            },
          ],
          notes: [{ qualifier: 'LIN', text: 'Gift wrap' }],
        },
      ],
    });
    // the composite SLN05 is split for maps that want it
    const sln = (inputOf(set!) as any).PO1_loop[0].SLN_loop[0].SLN[0];
    expect([sln.SLN05, sln.SLN05_01, sln.SLN05_02, sln.SLN05_03]).toEqual(['EA:12:LB', 'EA', '12', 'LB']);
  });

  it('leaves out what is not sent and keeps bad numbers and dates visible to validation', async () => {
    const buf = interchange('00401', '004010', ['BEG*00*SA*PO-9**2024013', 'PO1**1,5*EA*abc', 'CTT*1']);
    const { payload, errors } = await mapAndValidate(map, inputOf(setsOf(buf)[0]!));
    expect(payload).toEqual({
      purchaseOrderNumber: 'PO-9',
      orderDate: '2024013',
      purpose: { code: '00', meaning: 'Original' },
      orderType: { code: 'SA', meaning: 'Stand-alone Order' },
      totals: { lineItemCount: 1 },
      lines: [{ position: 1, quantity: '1,5', unitOfMeasure: 'EA', unitPrice: 'abc' }],
    });
    expect(errors).toEqual(['/orderDate must match format "date"', '/lines/0/quantity must be number', '/lines/0/unitPrice must be number']);
  });

  it('decodes UTF-8 names', async () => {
    const name = Buffer.from('Café Zürich', 'utf8').toString('latin1'); // bytes as the reader yields them
    const buf = interchange('00401', '004010', ['BEG*00*SA*PO-U**20240101', `N1*ST*${name}`, 'PO1*1*1*EA']);
    const { payload } = await mapAndValidate(map, inputOf(setsOf(buf)[0]!));
    expect((payload.parties as Array<{ name: string }>)[0]!.name).toBe('Café Zürich');
  });
});

describe('map examples (edigate maps test)', () => {
  it('passes for the shipped maps, x12-850-order included', async () => {
    const results = await runMapExamples(registry, exampleInputs);
    expect(results.find((r) => r.name === 'x12-850-order')).toEqual({ name: 'x12-850-order', ok: true, problems: [] });
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('names the differing JSON paths when a map no longer produces its expected output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-examples-'));
    cpSync(join(PRODUCT_MAPS, 'x12-850-order'), join(dir, 'x12-850-order'), { recursive: true });
    const expectedPath = join(dir, 'x12-850-order', 'expected.json');
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
    expected.lines[2].quantity = 33;
    expected.parties[0].name = 'SOMEONE ELSE';
    delete expected.totals;
    expected.currency = 'USD';
    writeFileSync(expectedPath, JSON.stringify(expected));
    const [result] = await runMapExamples(await loadMaps([dir]), exampleInputs);
    expect(result).toEqual({
      name: 'x12-850-order',
      ok: false,
      problems: [
        '/parties/0/name: expected "SOMEONE ELSE", got "BUYSNACKS INC."',
        '/lines/2/quantity: expected 33, got 32',
        '/currency: missing (expected "USD")',
        '/totals: unexpected {"lineItemCount":7}',
      ],
    });
  });

  it('reports an example whose document count differs from expected.json, and each document\'s differences', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-examples-'));
    cpSync(join(PRODUCT_MAPS, 'x12-850-order'), join(dir, 'x12-850-order'), { recursive: true });
    cpSync(join(CORPUS_DIR, 'nodex12__850_fat.edi'), join(dir, 'x12-850-order', 'example.edi'));
    const [result] = await runMapExamples(await loadMaps([dir]), exampleInputs);
    expect(result!.ok).toBe(false);
    expect(result!.problems[0]).toMatch(/^example holds 2 850 document\(s\) but .*expected\.json holds 1/);
    expect(result!.problems).toContain('document 1: /purchaseOrderNumber: expected "A99999-01", got "08292233294"');
  });
});

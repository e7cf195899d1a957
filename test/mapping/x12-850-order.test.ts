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

describe('x12-850-order: pricing, pack, schedules, allowances and charges, sub-lines and terms of real 850s', () => {
  /** The payloads of a corpus file, checked against the schema. */
  async function payloadsOf(file: string): Promise<any[]> {
    const results = await mapFile(join(CORPUS_DIR, file));
    for (const r of results) expect(r.errors).toEqual([]);
    return results.map((r) => r.payload);
  }

  it('botsplugins 850-004010-02: SCH*4*EA***002*20071001*0322 is a delivery schedule of the line', async () => {
    const orders = await payloadsOf('botsplugins__850-004010-02.x12');
    expect(orders).toHaveLength(4);
    for (const o of orders) {
      expect(o.lines[0].schedules).toEqual([{ quantity: 4, unitOfMeasure: 'EA', dates: { requestedDeliveryDate: '2007-10-01' } }]);
      expect(o.lines[0]).toMatchObject({ buyerItemNumber: '525', vendorPartNumber: 'X357-W2' });
      expect(o.lines[0].buyerPartNumber).toBeUndefined();
    }
  });

  it('stupidedi X357 tax-exempt PO: SCH with qualifier 106 (required by) and BEG07 NA', async () => {
    const [o] = await payloadsOf('stupidedi__004010_X357-SC850_pass_taxexempt-po.edi');
    expect(o.acknowledgmentType).toEqual({ code: 'NA', meaning: 'No Acknowledgment Needed' });
    expect(o.lines[0].schedules).toEqual([{ quantity: 25, unitOfMeasure: 'EA', dates: { requiredBy: '2017-06-15' } }]);
  });

  it('botsplugins 850-004010-08: CTP******DIS*.57 discount multipliers, BEG07, CSH, FOB and CUR', async () => {
    const [first, second] = await payloadsOf('botsplugins__850-004010-08.x12');
    expect(first.currency).toBe('USD');
    expect(first.shippingTerms).toEqual([{ methodOfPayment: { code: 'BP', meaning: 'Paid by Buyer' }, locationQualifier: 'OR' }]);
    expect(first.lines.map((l: any) => l.buyerPartNumber)).toEqual(['MPDGART', 'MPDGSBOS', 'MPTS112374-1C']);
    expect(second.acknowledgmentType).toEqual({ code: 'AE', meaning: 'Acknowledge - With Exception Detail Only' });
    expect(second.salesRequirements).toEqual([{ code: 'B', meaning: 'Back Order Only If New Item' }]);
    expect(second.lines).toHaveLength(8);
    for (const l of second.lines) expect(l.pricing).toEqual([{ multiplierQualifier: 'DIS', multiplier: 0.57 }]);
  });

  it('botsplugins 850-004010-12: heading and line SAC amounts with two implied decimals, percents, VICS codes', async () => {
    const [a, b, c] = await payloadsOf('botsplugins__850-004010-12.x12');
    // SAC*A*E750***80*******02***New Store Order: 80 is 0.80
    expect(a.allowancesCharges).toEqual([{ indicator: { code: 'A', meaning: 'Allowance' }, code: 'E750', amount: 0.8, handlingCode: '02', description: 'New Store Order' }]);
    expect(a.shippingTerms).toEqual([{ methodOfPayment: { code: 'DF', meaning: 'Defined by Buyer and Seller' }, locationQualifier: 'OR', location: 'EAST WINDSO NJ' }]);
    expect(a.salesRequirements).toEqual([{ code: 'N', meaning: 'No Back Order' }]);
    expect(a.lines[0].allowancesCharges).toEqual([
      { indicator: { code: 'N', meaning: 'No Allowance or Charge' }, agencyQualifier: 'VI', agencyCode: 'TC990101', reference: 'Z12611' },
      { indicator: { code: 'N', meaning: 'No Allowance or Charge' }, agencyQualifier: 'VI', agencyCode: 'HA' },
      // SAC*A*F800***420***1****02***Promotional Allowance
      { indicator: { code: 'A', meaning: 'Allowance' }, code: 'F800', amount: 4.2, rate: 1, handlingCode: '02', description: 'Promotional Allowance' },
    ]);
    // SAC*A*F800****Z*10*****02***Promotional Allowance
    expect(a.lines[1].allowancesCharges[1]).toEqual({
      indicator: { code: 'A', meaning: 'Allowance' }, code: 'F800', percentQualifier: 'Z', percent: 10, handlingCode: '02', description: 'Promotional Allowance',
    });
    expect(a.lines[0]).toMatchObject({
      buyerPartNumber: '976280009',
      pricing: [{ classOfTrade: 'RS', priceQualifier: 'RES', unitPrice: 54.99, multiplePriceQuantity: 1 }],
      pack: { pack: 4, innerPack: 1 },
    });
    // SAC*A*I570***100*******02***Warehouse Allowance: 100 is 1.00
    expect(b.allowancesCharges).toEqual([{ indicator: { code: 'A', meaning: 'Allowance' }, code: 'I570', amount: 1, handlingCode: '02', description: 'Warehouse Allowance' }]);
    expect(c.allowancesCharges[0]).toMatchObject({ code: 'F800', percentQualifier: 'Z', percent: 10 });
  });

  it('node-x12 850: PO4 with packaging code, weight and volume; CB is the buyer part number when no BP/IN is sent', async () => {
    const [o] = await payloadsOf('nodex12__850.edi');
    // PO1*1*120*EA*9.25*TE*CB*065322-117*PR*RO*VN*AB3542 / PO4*4*4*EA*PLT94**3*LR*15*CT
    expect(o.lines[0]).toMatchObject({
      buyerPartNumber: '065322-117',
      vendorPartNumber: 'AB3542',
      pack: { pack: 4, size: 4, unitOfMeasure: 'EA', packagingCode: 'PLT94', grossWeightPerPack: 3, weightUnit: 'LR', grossVolumePerPack: 15, volumeUnit: 'CT' },
    });
    expect(o.lines[1].pack).toEqual({ pack: 2, size: 2, unitOfMeasure: 'EA' });
    expect(o.lines[0].productIds).toEqual([
      { qualifier: 'CB', value: '065322-117' },
      { qualifier: 'PR', value: 'RO' },
      { qualifier: 'VN', value: 'AB3542' },
    ]);
  });

  it('EdiEngine composite SLN and bots 004030: VC is the vendor part number when no VP/VN is sent', async () => {
    const [o] = await payloadsOf('ediengine__850.Composite.SLN.OK.edi');
    // SLN*1.1**I*10000*PC>11.1>12.2>EA>13.3>14.4*1.56*TP**VC*P-875OS*UI*09999982001
    expect(o.lines[0].subLines).toEqual([{
      lineId: '1.1', relationshipCode: 'I', quantity: 10000, unitOfMeasure: 'PC', unitPrice: 1.56, priceBasis: 'TP', vendorPartNumber: 'P-875OS',
      productIds: [{ qualifier: 'VC', value: 'P-875OS' }, { qualifier: 'UI', value: '09999982001' }],
    }]);
    expect(o.lines[0]).toMatchObject({ buyerPartNumber: '065322-117', vendorPartNumber: 'AB3542', description: 'SMALL WIDGET' });
    const [b] = await payloadsOf('botsplugins__850-004030-01.x12');
    // PO1*1*6*EA*22**SK*56065050*VC*5323-1151
    expect(b.currency).toBe('CAD');
    expect(b.lines[0]).toMatchObject({ sku: '56065050', vendorPartNumber: '5323-1151' });
  });
});

describe('x12-850-order on a constructed 004010 order with every new segment', () => {
  it('maps BEG07, CSH, FOB, heading and line SAC, ITD08, TD5 SCAC, CTP, PO4, SCH and the product id preferences', async () => {
    const buf = interchange('00401', '004010', [
      'BEG*00*SA*PO-NEW**20240115**AC',
      'CUR*BY*USD',
      'FOB*CC*OR*ORIGIN DOCK*01*FCA*DE*STORE 12',
      'CSH*SC',
      'CSH*P4',
      'SAC*C*D240***12550**********FREIGHT',
      'SAC*A*C310****3*2.5',
      'ITD*01*3*2**10**30*500',
      'TD5*B*2*UPSN*U',
      'PO1*1*10*EA*2.5**BP*B-1*CB*C-1*IN*I-1*VC*VC-1*VN*VN-1',
      'CTP*RS*RES*4.99',
      'CTP**CON*2.25*100*EA',
      'PO4*12*16*OZ*CTN25*G*10.5*LB*1.2*CF*12*10*8*IN*2',
      'SAC*C*H550***-350',
      'SCH*10*EA***010*20240201**002*20240205*0800',
      'SCH*5*EA***196*20240210*1400',
      'PO1*2*1*EA*3**IN*I-2*CB*C-2*VC*VC-2',
      'PO1*3*1*EA*4**CB*C-3*VC*VC-3*VP*VP-3',
      'CTT*3',
    ]);
    const { payload, errors } = await mapAndValidate(map, inputOf(setsOf(buf)[0]!));
    expect(errors).toEqual([]);
    const o = payload as any;
    expect(o.acknowledgmentType).toEqual({ code: 'AC', meaning: 'Acknowledge - With Detail and Change' });
    expect(o.salesRequirements).toEqual([{ code: 'SC', meaning: 'Ship Complete' }, { code: 'P4', meaning: 'Do Not Preship' }]);
    expect(o.shippingTerms).toEqual([{
      methodOfPayment: { code: 'CC', meaning: 'Collect' }, locationQualifier: 'OR', location: 'ORIGIN DOCK',
      transportationTermsQualifier: '01', transportationTerms: 'FCA', titlePassageLocationQualifier: 'DE', titlePassageLocation: 'STORE 12',
    }]);
    expect(o.allowancesCharges).toEqual([
      { indicator: { code: 'C', meaning: 'Charge' }, code: 'D240', amount: 125.5, description: 'FREIGHT' },
      { indicator: { code: 'A', meaning: 'Allowance' }, code: 'C310', percentQualifier: '3', percent: 2.5 },
    ]);
    expect(o.paymentTerms).toEqual([{ typeCode: '01', basisDateCode: '3', discountPercent: 2, discountDaysDue: 10, netDays: 30, discountAmount: 5 }]);
    expect(o.carriers).toEqual([{ routingSequence: 'B', scac: 'UPSN', transportationMethod: { code: 'U', meaning: 'Private Parcel Service' } }]);
    const [l1, l2, l3] = o.lines;
    expect(l1).toMatchObject({ buyerPartNumber: 'B-1', buyerItemNumber: 'I-1', vendorPartNumber: 'VN-1' });
    expect(l1.pricing).toEqual([
      { classOfTrade: 'RS', priceQualifier: 'RES', unitPrice: 4.99 },
      { priceQualifier: 'CON', unitPrice: 2.25, quantity: 100, unitOfMeasure: 'EA' },
    ]);
    expect(l1.pack).toEqual({
      pack: 12, size: 16, unitOfMeasure: 'OZ', packagingCode: 'CTN25', weightQualifier: 'G', grossWeightPerPack: 10.5, weightUnit: 'LB',
      grossVolumePerPack: 1.2, volumeUnit: 'CF', length: 12, width: 10, height: 8, dimensionUnit: 'IN', innerPack: 2,
    });
    expect(l1.allowancesCharges).toEqual([{ indicator: { code: 'C', meaning: 'Charge' }, code: 'H550', amount: -3.5 }]);
    expect(l1.schedules).toEqual([
      { quantity: 10, unitOfMeasure: 'EA', dates: { requestedShipDate: '2024-02-01', requestedDeliveryDate: '2024-02-05' } },
      { quantity: 5, unitOfMeasure: 'EA', otherDates: [{ qualifier: '196', date: '2024-02-10', time: '1400' }] },
    ]);
    // IN is sent: CB is not the buyer part number; VC when no VP/VN
    expect(l2).toMatchObject({ buyerItemNumber: 'I-2', vendorPartNumber: 'VC-2' });
    expect(l2.buyerPartNumber).toBeUndefined();
    expect(l3).toMatchObject({ buyerPartNumber: 'C-3', vendorPartNumber: 'VP-3' });
    for (const l of [l2, l3]) for (const k of ['pricing', 'pack', 'schedules', 'allowancesCharges', 'subLines']) expect(l).not.toHaveProperty(k);
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
          subLines: [{ lineId: '1', relationshipCode: 'I', quantity: 2, unitOfMeasure: 'EA', unitPrice: 19.99, description: 'SUBLINE DESCRIPTION' }],
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

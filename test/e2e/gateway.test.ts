/**
 * End to end: the gateway started in-process on a temp home, real 850 files from the public corpus
 * dropped into inbox/<partner>/, a real HTTP server on port 0 standing in for the ERP, and the ops API
 * read over HTTP. Asserts the exact 997s written to outbox/, the canonical orders the ERP received and
 * what the ops API returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Gateway } from '../../src/app.js';
import { writeNewPartner } from '../../src/partners/load.js';
import { makeHome, startTestGateway, waitFor } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12');
const NOW = new Date('2026-01-02T03:04:05Z');

const PARTNERS = [
  { id: 'xyz-retail', ids: [['12', '4405197800']] as Array<[string, string]> },
  { id: 'clmerv', ids: [['ZZ', 'CCCCCCC'], ['ZZ', 'CCCCCCCC'], ['ZZ', 'CLMERV']] as Array<[string, string]> },
  { id: 'widgets', ids: [['01', '0011223456']] as Array<[string, string]> },
  { id: 'therma', ids: [['01', '111111111']] as Array<[string, string]> },
  { id: 'lf-retail', ids: [['12', '1234567890']] as Array<[string, string]> },
];

/** The 997 lines we expect, joined by the inbound terminator (plus "\n" when it is not a newline). */
const lines = (segs: string[], term = '~\n') => segs.join(term) + term;

describe('gateway end to end on real partner files', () => {
  let home: string;
  let gw: Gateway;
  let erp: Awaited<ReturnType<typeof startReceiver>>;
  let api: string;

  beforeAll(async () => {
    erp = await startReceiver();
    home = makeHome(PARTNERS);
    ({ gw, api } = await startTestGateway(home, erp.url, { now: NOW, intake: { settleMs: 30 } }));
  });

  afterAll(async () => {
    await gw?.stop();
    await erp?.close();
  });

  const outbox = (partner: string) => (existsSync(join(home, 'outbox', partner)) ? readdirSync(join(home, 'outbox', partner)).filter((f) => !f.startsWith('.')).sort() : []);
  const read = (partner: string, file: string) => readFileSync(join(home, 'outbox', partner, file), 'latin1');
  /** Drops like an SFTP client would: upload under a temp name, then rename. */
  const drop = (partner: string, fixture: string, viaPart = true) => {
    const target = join(home, 'inbox', partner, fixture);
    if (viaPart) {
      copyFileSync(join(FIX, fixture), `${target}.part`);
      renameSync(`${target}.part`, target);
    } else {
      copyFileSync(join(FIX, fixture), target);
    }
  };
  const getJson = async (path: string) => {
    const r = await fetch(api + path);
    expect(r.status).toBe(200);
    return r.json() as Promise<any>;
  };

  it('a 4010 file with ~ and newlines: 997 in the outbox, order at the ERP, both in the ops API', async () => {
    drop('xyz-retail', 'nodex12__850.edi', false);
    await waitFor(() => outbox('xyz-retail').length === 1, '997 for xyz-retail');
    expect(outbox('xyz-retail')).toEqual(['997_000000001.x12']);
    expect(read('xyz-retail', '997_000000001.x12')).toBe(lines([
      'ISA*00*          *00*          *01*999999999      *12*4405197800     *260102*0304*U*00400*000000001*0*P*>',
      'GS*FA*999999999*4405197800*20260102*0304*1*X*004010VICS',
      'ST*997*0001', 'AK1*PO*1421', 'AK2*850*000000010', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001', 'GE*1*1', 'IEA*1*000000001',
    ]));
    expect(existsSync(join(home, 'inbox', 'xyz-retail', 'nodex12__850.edi'))).toBe(false);

    await waitFor(() => erp.requests.length === 1, 'the order at the ERP');
    const req = erp.requests[0]!;
    const msg = req.json as any;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/orders');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe(msg.idempotencyKey);
    expect(req.headers['x-correlation-id']).toBe(msg.correlationId);
    expect(req.headers['x-edigate-message-type']).toBe('order');
    expect(msg).toMatchObject({
      type: 'order', schemaVersion: 1, partnerId: 'xyz-retail',
      source: {
        standard: 'X12', version: '004010VICS', documentType: '850', channel: 'folder', interchangeControlNumber: '000003438',
        groupControlNumber: '1421', transactionSetControlNumber: '000000010', fileName: 'nodex12__850.edi', receivedAt: NOW.toISOString(),
      },
    });
    expect(msg.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    const order = msg.payload;
    expect(order.purchaseOrderNumber).toBe('08292233294');
    expect(order.orderDate).toBe('2010-11-27');
    expect(order.orderType.code).toBe('SA');
    expect(order.parties).toEqual([{
      role: 'shipTo', entityCode: 'ST', name: 'XYZ RETAIL', ids: [{ qualifier: '9', value: '0003947268292' }],
      address: { lines: ['31875 SOLON RD'], city: 'SOLON', stateOrProvince: 'OH', postalCode: '44139' },
    }]);
    expect(order.dates.requestedDeliveryDate).toBe('2010-12-14');
    expect(order.lines).toHaveLength(6);
    expect(order.lines[0]).toMatchObject({ lineNumber: '1', quantity: 120, unitOfMeasure: 'EA', unitPrice: 9.25, vendorPartNumber: 'AB3542', description: 'SMALL WIDGET' });
    expect(order.lines[5]).toMatchObject({ lineNumber: '6', quantity: 696, unitPrice: 9.55, vendorPartNumber: 'DX1875', description: 'ORANGE WIDGET' });
    expect(order.totals).toEqual({ lineItemCount: 6, amounts: [{ qualifier: '1', amount: 13045.94 }] });

    // Ops API: find it by PO number, read its lineage and raw bytes.
    const found = await getJson('/api/interchanges?reference=08292233294');
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ partnerId: 'xyz-retail', controlNumber: '000003438', status: 'accepted', ackCode: 'A', senderId: '4405197800' });
    const detail = await getJson(`/api/interchanges/${found.items[0].id}`);
    expect(detail.file).toMatchObject({ fileName: 'nodex12__850.edi', channel: 'folder', partnerHint: 'xyz-retail', status: 'accepted' });
    expect(detail.groups).toHaveLength(1);
    expect(detail.groups[0]).toMatchObject({ controlNumber: '1421', ackCode: 'A', setCount: 1, acceptedCount: 1 });
    expect(detail.groups[0].transactionSets[0]).toMatchObject({ setId: '850', controlNumber: '000000010', ackCode: 'A', businessReference: '08292233294', segmentCount: 33 });
    expect(detail.findings).toEqual([]);
    expect(detail.acks).toHaveLength(1);
    expect(detail.acks[0]).toMatchObject({ direction: 'outbound', kind: '997', status: 'accepted', interchangeControlNumber: '000000001', fileName: '997_000000001.x12' });
    expect(detail.acks[0].content).toBe(read('xyz-retail', '997_000000001.x12'));
    expect(detail.acks[0].transmissions).toMatchObject([{ channel: 'outbox', state: 'placed', kind: '997', fileName: '997_000000001.x12', pickedUpAt: null }]);
    expect(detail.messages[0].body.payload.purchaseOrderNumber).toBe('08292233294');
    await waitFor(async () => (await getJson(`/api/interchanges/${found.items[0].id}`)).deliveries[0].status === 'delivered', 'delivery recorded');
    const raw = await fetch(`${api}/api/interchanges/${found.items[0].id}/raw`);
    expect(raw.headers.get('content-type')).toContain('application/edi-x12');
    const original = readFileSync(join(FIX, 'nodex12__850.edi'));
    expect(Buffer.from(await raw.arrayBuffer()).toString('latin1')).toBe(original.toString('latin1').trimEnd().slice(0, detail.byteEnd));
  });

  it('three interchanges in one file, then a single-line file: one 997 each, control numbers per partner', async () => {
    drop('clmerv', 'botsplugins__850-004010-12.x12');
    await waitFor(() => outbox('clmerv').length === 3, 'three 997s');
    drop('clmerv', 'botsplugins__850-004010-11.x12');
    await waitFor(() => outbox('clmerv').length === 4, 'fourth 997');
    const expected = [
      ['CCCCCCC        ', '150', '000000001', '1'],
      ['CCCCCCCC       ', '151', '000000002', '2'],
      ['CLMERV         ', '152', '000000003', '3'],
    ];
    for (const [i, [receiver, gs06, isa13, ourGs06]] of expected.entries()) {
      expect(read('clmerv', `997_${isa13}.x12`)).toBe(lines([
        `ISA*00*          *00*          *ZZ*YYYYYYYYYY     *ZZ*${receiver}*260102*0304*U*00401*${isa13}*0*P*>`,
        `GS*FA*YYYYYYYYYY*CLMERV*20260102*0304*${ourGs06}*X*004010`,
        'ST*997*0001', `AK1*PO*${gs06}`, `AK2*850*00000000${i + 1}`, 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001', `GE*1*${ourGs06}`, `IEA*1*${isa13}`,
      ]));
    }
    expect(read('clmerv', '997_000000004.x12')).toBe(lines([
      'ISA*00*          *00*          *ZZ*YYYYYYYYYY     *ZZ*CCCCCCCC       *260102*0304*U*00401*000000004*0*P*>',
      'GS*FA*YYYYYYYYYY*CLMERV*20260102*0304*4*X*004010',
      'ST*997*0001', 'AK1*PO*142', 'AK2*850*101308635', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001', 'GE*1*4', 'IEA*1*000000004',
    ]));
    // The raw bytes of the middle interchange are exactly its ISA..IEA slice of the file.
    const list = await getJson('/api/interchanges?partner=clmerv&controlNumber=000000738');
    expect(list.total).toBe(1);
    const raw = await (await fetch(`${api}/api/interchanges/${list.items[0].id}/raw`)).text();
    expect(raw.startsWith('ISA*00*0000000000*00*0000000000*ZZ*CCCCCCCC       *ZZ*YYYYYYYYYY     *060402*0235*U*00401*000000738')).toBe(true);
    expect(raw.trimEnd().endsWith('IEA*00001*000000738~')).toBe(true);
    // Found by group and by set control number too.
    expect((await getJson('/api/interchanges?controlNumber=151')).items.map((i: any) => i.controlNumber)).toEqual(['000000738']);
    expect((await getJson('/api/interchanges?controlNumber=101308635')).items.map((i: any) => i.controlNumber)).toEqual(['000000821']);
  });

  it('two GS groups repeating GS06 and ST02: the repeats rejected (AK5 23, AK9 19), the good set delivered (AK9 P)', async () => {
    drop('widgets', 'botsplugins__850-004010-02.x12');
    await waitFor(() => outbox('widgets').length === 2, 'two 997s');
    const head = (isa13: string, gs06: string) => [
      `ISA*00*          *00*          *01*999999999      *01*0011223456     *260102*0304*U*00300*${isa13}*0*P*+`,
      `GS*FA*999999999*0011223456*20260102*0304*${gs06}*X*004010`,
    ];
    expect(read('widgets', '997_000000001.x12')).toBe(lines([
      ...head('000000001', '1'), 'ST*997*0001', 'AK1*PO*5', 'AK2*850*000000001', 'AK5*A', 'AK2*850*000000001', 'AK5*R*23', 'AK9*P*2*2*1',
      'SE*8*0001', 'GE*1*1', 'IEA*1*000000001',
    ]));
    expect(read('widgets', '997_000000002.x12')).toBe(lines([
      ...head('000000002', '2'), 'ST*997*0001', 'AK1*PO*5', 'AK2*850*000000001', 'AK5*A', 'AK2*850*000000001', 'AK5*R*23', 'AK9*R*2*2*0*19',
      'SE*8*0001', 'GE*1*2', 'IEA*1*000000002',
    ]));
    const list = await getJson('/api/interchanges?partner=widgets');
    expect(list.items[0]).toMatchObject({ status: 'partially_accepted', controlNumber: '000000005' });
    const detail = await getJson(`/api/interchanges/${list.items[0].id}`);
    // The set of the second group repeats the first group's purchase order too: flagged by the business layer (default flag).
    expect(detail.findings.map((f: any) => f.code).sort()).toEqual(['BUSINESS_DOCUMENT_DUPLICATE', 'X12_GS_DUPLICATE_CONTROL', 'X12_ST_DUPLICATE_CONTROL', 'X12_ST_DUPLICATE_CONTROL']);
    await waitFor(async () => (await getJson(`/api/interchanges/${list.items[0].id}`)).deliveries.some((d: any) => d.status === 'delivered'), 'good set delivered');
    const states = (await getJson(`/api/interchanges/${list.items[0].id}`)).deliveries.map((d: any) => d.status).sort();
    expect(states).toEqual(['cancelled', 'delivered']);
  });

  it('a file hard-wrapped at 80 columns and a file with an LF terminator', async () => {
    drop('therma', 'botsplugins__850-004010-08.x12');
    drop('lf-retail', 'botsplugins__850-004010-ascii-lf.x12');
    await waitFor(() => outbox('therma').length === 2 && outbox('lf-retail').length === 1, 'acks for both');
    // ISA11 "U" with version 00403 is not a repetition separator: noted with a TA1 E 016 (policy on-error), 997 all accepted.
    expect(read('therma', 'TA1_000000001.x12')).toBe(lines([
      'ISA*00*          *00*          *01*Duns           *01*111111111      *260102*0304*^*00403*000000001*0*P*>',
      'TA1*000000010*050718*1700*E*016', 'IEA*0*000000001',
    ]));
    expect(read('therma', '997_000000002.x12')).toBe(lines([
      'ISA*00*          *00*          *01*Duns           *01*111111111      *260102*0304*^*00403*000000002*0*P*>',
      'GS*FA*Suppliers Duns*092173731*20260102*0304*1*X*004010',
      'ST*997*0001', 'AK1*PO*8', 'AK2*850*0007', 'AK5*A', 'AK2*850*0001', 'AK5*A', 'AK9*A*2*2*2', 'SE*8*0001', 'GE*1*1', 'IEA*1*000000002',
    ]));
    expect(read('lf-retail', '997_000000001.x12')).toBe(lines([
      'ISA*00*          *00*          *08*1234567890     *12*1234567890     *260102*0304*U*00401*000000001*0*P*>',
      'GS*FA*1234567890*1234567890*20260102*0304*1*X*004010',
      'ST*997*0001', 'AK1*PO*183', 'AK2*850*0278', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001', 'GE*1*1', 'IEA*1*000000001',
    ], '\n'));
  });

  it('every accepted set reached the ERP exactly once, and the ops API agrees', async () => {
    // 1 + 3 + 1 + 1 (the other -02 sets are rejected) + 2 + 1
    await waitFor(() => erp.requests.length === 9, 'nine orders');
    const pos = erp.requests.map((r) => (r.json as any).payload.purchaseOrderNumber).sort();
    expect(pos).toEqual(['08292233294', '1234512345', '12345678', '801104', '95018017', 'PONUM-1234567', ...threePoNumbers()].sort());
    const keys = erp.requests.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(9);
    const hard = erp.requests.map((r) => (r.json as any).payload).find((p) => p.purchaseOrderNumber === 'PONUM-1234567');
    expect(hard.lines).toHaveLength(8);
    expect(hard.lines[7]).toMatchObject({ quantity: 18, unitOfMeasure: 'UN', unitPrice: 8.95 });

    const delivered = await getJson('/api/deliveries?status=delivered');
    expect(delivered.total).toBe(9);
    const acks = await getJson('/api/acks?direction=outbound&limit=100');
    expect(acks.total).toBe(10);
    expect(acks.items.filter((a: any) => a.status === 'partially_accepted')).toHaveLength(1);
    expect(acks.items.filter((a: any) => a.status === 'rejected')).toHaveLength(1);
    expect((await getJson('/api/acks?status=accepted_with_errors')).items.map((a: any) => a.kind)).toEqual(['TA1']);
    const partners = await getJson('/api/partners');
    expect(partners.items.map((p: any) => p.id).sort()).toEqual(PARTNERS.map((p) => p.id).sort());
    expect((await fetch(`${api}/health`)).status).toBe(200);
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toContain('edigate_interchanges{partner="clmerv",status="accepted"} 4');
    for (const p of PARTNERS) expect(readdirSync(join(home, 'inbox', p.id))).toEqual([]);
  });

  it('ops API: search by PO number or control number without leading zeros; clear errors for bad requests', async () => {
    expect((await getJson('/api/interchanges?q=08292233294')).items.map((i: any) => i.controlNumber)).toEqual(['000003438']);
    expect((await getJson('/api/interchanges?q=3438')).items.map((i: any) => i.controlNumber)).toEqual(['000003438']);
    expect((await getJson('/api/interchanges?controlNumber=738')).items.map((i: any) => i.controlNumber)).toEqual(['000000738']);
    for (const [path, status] of [['/api/interchanges/abc', 400], ['/api/interchanges?status=bogus', 400], ['/api/interchanges?limit=-1', 400],
      ['/api/interchanges/999999', 404], ['/api/nothing', 404], ['/api/deliveries?status=bogus', 400], ['/api/files?offset=99999999999999999999', 400],
      ['/api/files/abc', 400], ['/api/files?status=bogus', 400], ['/api/interchanges?from=notadate', 400],
      ['/api/interchanges?from=2026-13-45', 400], ['/api/files?to=2026-02-30', 400], ['/api/deliveries?from=2026-00-10', 400]] as const) {
      const r = await fetch(api + path);
      expect(r.status, path).toBe(status);
      const body = (await r.json()) as any;
      expect(body.error.code, path).toBe(status === 404 ? 'EDIGATE_NOT_FOUND' : 'EDIGATE_INVALID_REQUEST');
    }
    expect((await getJson('/api/interchanges?from=2026-01-01&to=2026-01-03')).total).toBeGreaterThan(5);
    // A date alone as `to` includes that day (everything here was received on 2026-01-02); /api/files filters by time too.
    const all = (await getJson('/api/interchanges')).total;
    expect((await getJson('/api/interchanges?from=2026-01-02&to=2026-01-02')).total).toBe(all);
    expect((await getJson('/api/interchanges?to=2026-01-01')).total).toBe(0);
    expect((await getJson('/api/files?from=2026-01-03')).total).toBe(0);
    expect((await getJson('/api/files?from=2026-01-02&to=2026-01-02')).total).toBe((await getJson('/api/files')).total);
    const d = (await getJson('/api/deliveries?status=delivered&limit=1')).items[0];
    expect(d.runAtIso).toMatch(/^\d{4}-\d\d-\d\dT/);
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/edigate_deliveries\{destination="erp",state="delivered"\} \d+/);
  });

  it('a partner added while the gateway runs takes effect without a restart', async () => {
    writeNewPartner(join(home, 'partners'), { id: 'snacks', name: 'Snacks Inc', x12: [{ qualifier: 'ZZ', id: 'SENDERISA' }] });
    await waitFor(() => existsSync(join(home, 'inbox', 'snacks')) && gw.partners.get('snacks'), 'partner reloaded');
    drop('snacks', 'x12types__004010_850.edi');
    await waitFor(() => outbox('snacks').length === 1, '997 for the new partner');
    expect(read('snacks', '997_000000001.x12')).toContain('AK9*A*1*1*1~');
    // A broken edit is refused whole: the running partners stay.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(home, 'partners', 'broken.yaml'), 'id: broken\nname: [oops');
    await new Promise((r) => setTimeout(r, 400));
    expect(gw.partners.get('snacks')?.name).toBe('Snacks Inc');
    expect(gw.partners.get('broken')).toBeUndefined();
  });
});

/** PO numbers of the three interchanges of botsplugins__850-004010-12.x12 (BEG03), read from the file itself. */
function threePoNumbers(): string[] {
  const text = readFileSync(join(FIX, 'botsplugins__850-004010-12.x12'), 'latin1');
  return [...text.matchAll(/BEG\*[^*]*\*[^*]*\*([^*~]+)/g)].map((m) => m[1]!);
}

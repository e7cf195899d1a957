import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openStore, type Store } from '../../src/store/index.js';
import { partnerDirectory, readPartners } from '../../src/partners/load.js';
import { generateOutbound } from '../../src/outbound/generate.js';
import { loadMaps, applyMap } from '../../src/mapping/maps.js';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { buildX12MapInput } from '../../src/mapping/x12-input.js';
import { makeHome, startTestGateway } from '../helpers/home.js';
import type { Gateway } from '../../src/app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NOW = new Date('2026-01-02T03:04:05Z');
// The canonical order_ack of a real 855 (node-x12 test-data/855.edi), as the inbound map produces it.
const ORDER_ACK = JSON.parse(readFileSync(join(ROOT, 'maps', 'x12-855-order-ack', 'expected.json'), 'utf8')) as Record<string, unknown>;
const ENVELOPE = { sender: { qualifier: 'ZZ', id: 'EDIGATE' }, receiver: { qualifier: 'ZZ', id: '123MILL' } };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

function home(envelope: object | null = ENVELOPE): { dir: string; partners: ReturnType<typeof partnerDirectory>; open: () => Store } {
  // In memory-backed /dev/shm when there is one: this suite counts control numbers, not fsync latency.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'edigate-outbound-'));
  mkdirSync(join(dir, 'partners'));
  writeFileSync(join(dir, 'partners', 'mill.yaml'), stringify({ id: 'mill', name: 'Mill', x12: { interchangeIds: [{ qualifier: 'ZZ', id: '123MILL' }], ...(envelope ? { envelope } : {}) } }));
  const { partners, problems } = readPartners(join(dir, 'partners'), { mapNames: new Set(), destinationNames: new Set() });
  expect(problems).toEqual([]);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, partners: partnerDirectory(partners), open: () => { const s = openStore(join(dir, 'data', 'edigate.db')); cleanups.unshift(() => s.close()); return s; } };
}

describe('outbound X12 from canonical messages', () => {
  it('an 855 built from a canonical order_ack parses back through our inbound path to the same order_ack', async () => {
    const h = home();
    const store = h.open();
    const r = generateOutbound({ store, config: { outboxDir: join(h.dir, 'outbox'), archiveDir: join(h.dir, 'data', 'archive') }, partners: h.partners, now: () => NOW },
      { partnerId: 'mill', type: 'order_ack', payload: ORDER_ACK, idempotencyKey: 'ack-POTEST1112' });
    expect(r.created).toBe(true);
    expect(r.document).toMatchObject({ documentType: '855', functionalId: 'PR', interchangeControlNumber: '000000001', groupControlNumber: '1', transactionSetControlNumber: '0001', businessReference: 'POTEST1112', fileName: '855_000000001.x12' });
    const lines = r.document.body.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'ISA*00*          *00*          *ZZ*EDIGATE        *ZZ*123MILL        *260102*0304*U*00401*000000001*0*P*>~',
      'GS*PR*EDIGATE*123MILL*20260102*0304*1*X*004010~',
      'ST*855*0001~',
      'BAK*00*AD*POTEST1112*20201015**60169126***20201015~',
    ]);
    expect(lines.slice(-4)).toEqual([expect.stringMatching(/^SE\*\d+\*0001~$/), 'GE*1*1~', 'IEA*1*000000001~', '']);
    // The file is in the partner's outbox, recorded as placed, and the 997 we expect is pending.
    expect(readFileSync(join(h.dir, 'outbox', 'mill', '855_000000001.x12'), 'latin1')).toBe(r.document.body);
    expect(r.transmission).toMatchObject({ channel: 'outbox', state: 'placed' });
    expect(store.acks.list({ direction: 'inbound', partnerId: 'mill', limit: 5, offset: 0 }).items).toMatchObject([{ kind: '997', status: 'pending', interchangeControlNumber: '000000001', groupControlNumber: '1' }]);

    const parsed = parseX12Buffer(Buffer.from(r.document.body, 'latin1'));
    expect(parsed.interchanges[0]!.ackCode).toBe('A');
    expect(parsed.interchanges[0]!.groups[0]!.sets.map((s) => [s.ackCode, s.findings])).toEqual([['A', []]]);
    const set = parsed.sets[0]!;
    const maps = await loadMaps([join(ROOT, 'maps')]);
    const back = await applyMap(maps.require('x12-855-order-ack'), buildX12MapInput({ setId: set.setId, controlNumber: set.controlNumber, version: set.group.version, segments: set.segments, delimiters: set.interchange.delimiters }));
    expect(back).toEqual(ORDER_ACK);
  });

  it.each([
    ['940', 'warehouse_order', 'x12-940-warehouse-order', 'OW', 'W05*N*538686**001001*538686~'],
    ['943', 'inbound_advice', 'x12-943-inbound-advice', 'AR', 'W06*N*TR-558201*20240311*BOL-7781234**PO-88213~'],
    ['204', 'load_tender', 'x12-204-load-tender', 'SM', 'B2**SCAC**75027674**PP~'],
  ])('a %s built from a canonical %s parses back through our inbound path (%s) to the same message', async (setId, type, mapName, functionalId, first) => {
    const message = JSON.parse(readFileSync(join(ROOT, 'maps', mapName, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const h = home();
    const store = h.open();
    const r = generateOutbound({ store, config: { outboxDir: join(h.dir, 'outbox'), archiveDir: join(h.dir, 'data', 'archive') }, partners: h.partners, now: () => NOW },
      { partnerId: 'mill', type, payload: message, idempotencyKey: `k-${setId}` });
    expect(r.document).toMatchObject({ documentType: setId, functionalId, fileName: `${setId}_000000001.x12` });
    expect(r.document.body.split('\n').slice(1, 4)).toEqual([`GS*${functionalId}*EDIGATE*123MILL*20260102*0304*1*X*004010~`, `ST*${setId}*0001~`, first]);
    const parsed = parseX12Buffer(Buffer.from(r.document.body, 'latin1'));
    expect(parsed.interchanges[0]!.groups[0]!.sets.map((s) => [s.ackCode, s.findings])).toEqual([['A', []]]);
    const set = parsed.sets[0]!;
    const maps = await loadMaps([join(ROOT, 'maps')]);
    const back = await applyMap(maps.require(mapName), buildX12MapInput({ setId: set.setId, controlNumber: set.controlNumber, version: set.group.version, segments: set.segments, delimiters: set.interchange.delimiters }));
    expect(back).toEqual(message);
  });

  it('856s built from canonical shipments (orders, tares, packs with SSCC-18, items with lots and serials) parse back to the same shipments', async () => {
    const shipments = [
      JSON.parse(readFileSync(join(ROOT, 'maps', 'x12-856-shipment', 'expected.json'), 'utf8')),
      JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'logistics', 'own', '856-tare-lot-serial.expected.json'), 'utf8')),
      JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'logistics', 'expected', 'nodex12__856.edi.json'), 'utf8')),
    ].flat() as Array<Record<string, unknown>>;
    const h = home();
    const store = h.open();
    const maps = await loadMaps([join(ROOT, 'maps')]);
    for (const [i, shipment] of shipments.entries()) {
      const r = generateOutbound({ store, config: { outboxDir: join(h.dir, 'outbox'), archiveDir: join(h.dir, 'data', 'archive') }, partners: h.partners, now: () => NOW },
        { partnerId: 'mill', type: 'shipment', payload: shipment, idempotencyKey: `asn-${i}` });
      expect(r.document).toMatchObject({ documentType: '856', functionalId: 'SH', businessReference: shipment.shipmentId });
      const parsed = parseX12Buffer(Buffer.from(r.document.body, 'latin1'));
      expect(parsed.interchanges[0]!.groups[0]!.sets.map((s) => [s.ackCode, s.findings])).toEqual([['A', []]]);
      const set = parsed.sets[0]!;
      const back = await applyMap(maps.require('x12-856-shipment'), buildX12MapInput({ setId: set.setId, controlNumber: set.controlNumber, version: set.group.version, segments: set.segments, delimiters: set.interchange.delimiters }));
      expect(back).toEqual(shipment);
    }
  });

  it('810s built from the canonical invoices of a real 810 file parse back through our inbound path to the same invoices', async () => {
    const invoices = [
      ...JSON.parse(readFileSync(join(ROOT, 'maps', 'x12-810-invoice', 'expected.json'), 'utf8')) as Array<Record<string, unknown>>,
      // a Walmart 810 with allowances and charges (SAC), terms and references
      ...[JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'logistics', 'expected', 'oopfactory__810_Example5_Walmart.txt.json'), 'utf8'))].flat() as Array<Record<string, unknown>>,
    ];
    const h = home();
    const store = h.open();
    const maps = await loadMaps([join(ROOT, 'maps')]);
    expect(invoices.length).toBeGreaterThan(1);
    for (const [i, invoice] of invoices.entries()) {
      const r = generateOutbound({ store, config: { outboxDir: join(h.dir, 'outbox'), archiveDir: join(h.dir, 'data', 'archive') }, partners: h.partners, now: () => NOW },
        { partnerId: 'mill', type: 'invoice', payload: invoice, idempotencyKey: `inv-${i}` });
      expect(r.document).toMatchObject({ documentType: '810', functionalId: 'IN', businessReference: invoice.invoiceNumber });
      const parsed = parseX12Buffer(Buffer.from(r.document.body, 'latin1'));
      expect(parsed.interchanges[0]!.groups[0]!.sets.map((s) => [s.ackCode, s.findings])).toEqual([['A', []]]);
      const set = parsed.sets[0]!;
      const back = await applyMap(maps.require('x12-810-invoice'), buildX12MapInput({ setId: set.setId, controlNumber: set.controlNumber, version: set.group.version, segments: set.segments, delimiters: set.interchange.delimiters }));
      expect(back).toEqual(invoice);
    }
  });

  it('10,000 documents across two restarts: no ISA13 or GS06 repeats for the partner', { timeout: 180_000 }, () => {
    const h = home();
    const seen = new Set<string>();
    const gs = new Set<string>();
    const payload = { purchaseOrderNumber: 'PO1', orderDate: '2026-01-02', purpose: { code: '00' }, acknowledgmentType: { code: 'AT' } };
    let n = 0;
    for (const batch of [3334, 3333, 3333]) {
      const store = h.open(); // a restart: the counters are read back from the store
      const deps = { store, config: { outboxDir: join(h.dir, 'outbox'), archiveDir: join(h.dir, 'data', 'archive') }, partners: h.partners, now: () => NOW };
      for (let i = 0; i < batch; i++, n++) {
        const r = generateOutbound(deps, { partnerId: 'mill', type: 'order_ack', payload: { ...payload, purchaseOrderNumber: `PO${n}` }, idempotencyKey: `k${n}` });
        seen.add(r.document.interchangeControlNumber);
        gs.add(r.document.groupControlNumber);
      }
      store.close();
    }
    expect(n).toBe(10_000);
    expect(seen.size).toBe(10_000);
    expect(gs.size).toBe(10_000);
    expect(Math.max(...[...seen].map(Number))).toBe(10_000);
    expect(readdirSync(join(h.dir, 'outbox', 'mill'))).toHaveLength(10_000);
  });
});

describe('POST /api/outbound and the acknowledgements partners send back', () => {
  let gw: Gateway | undefined;
  afterEach(async () => { await gw?.stop(); gw = undefined; });

  it('validates, is idempotent per key, and reconciles the partner\'s 997 and TA1 against the document', async () => {
    const dir = makeHome([{ id: 'mill', ids: [['ZZ', '123MILL']], documents: {} }]);
    const file = join(dir, 'partners', 'mill.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('interchangeIds:', `envelope:\n    sender: { qualifier: ZZ, id: EDIGATE }\n    ackRequested: true\n  interchangeIds:`));
    ({ gw } = await startTestGateway(dir, 'http://127.0.0.1:9', { now: NOW }));
    const post = (body: unknown, key?: string) => gw!.api.inject({ method: 'POST', url: '/api/outbound', payload: body as object, headers: key ? { 'idempotency-key': key } : {} });

    expect((await post({ partnerId: 'mill', type: 'order_ack', payload: ORDER_ACK })).json()).toMatchObject({ error: { code: 'EDIGATE_INVALID_REQUEST' } });
    const invalid = await post({ partnerId: 'mill', type: 'order_ack', payload: { purchaseOrderNumber: 7 } }, 'bad-1');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('EDIGATE_CANONICAL_INVALID');
    expect(invalid.json().error.message).toMatch(/purchaseOrderNumber must be string/);
    expect((await post({ partnerId: 'nobody', type: 'order_ack', payload: ORDER_ACK }, 'x')).statusCode).toBe(404);
    expect((await post({ partnerId: 'mill', type: 'order', payload: {} }, 'x')).json()).toMatchObject({ error: { code: 'EDIGATE_OUTBOUND_UNSUPPORTED' } });

    // Text X12 cannot carry is refused, not written garbled.
    const cjk = await post({ partnerId: 'mill', type: 'order_ack', payload: { ...ORDER_ACK, purchaseOrderNumber: '订单€' } }, 'cjk');
    expect(cjk.statusCode).toBe(400);
    expect(cjk.json().error.message).toMatch(/BAK03 .* outside Latin-1/);
    const first = await post({ partnerId: 'mill', type: 'order_ack', payload: ORDER_ACK }, 'erp-855-POTEST1112');
    expect(first.statusCode).toBe(201);
    const again = await post({ partnerId: 'mill', type: 'order_ack', payload: ORDER_ACK }, 'erp-855-POTEST1112');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, document: { id: first.json().document.id, interchangeControlNumber: '000000001' } });
    const conflict = await post({ partnerId: 'mill', type: 'order_ack', payload: { ...ORDER_ACK, purchaseOrderNumber: 'OTHER' } }, 'erp-855-POTEST1112');
    expect(conflict.statusCode).toBe(409);
    expect(readdirSync(join(dir, 'outbox', 'mill'))).toEqual(['855_000000001.x12']);
    const sent = readFileSync(join(dir, 'outbox', 'mill', '855_000000001.x12'), 'latin1');
    expect(sent.split('\n')[0]).toContain('*00401*000000001*1*P*>~'); // ISA14 = 1: a TA1 is asked for

    const docId = first.json().document.id as number;
    const pending = (await gw.api.inject({ url: '/api/acks?direction=inbound&status=pending' })).json();
    expect(pending.items.map((a: { kind: string }) => a.kind).sort()).toEqual(['997', 'TA1']);

    // The partner answers: a TA1 and a 997 accepting our group 1, in one file through its inbox.
    const reply = [
      'ISA*00*          *00*          *ZZ*123MILL        *ZZ*EDIGATE        *260102*0310*U*00401*000000777*0*P*>~',
      'TA1*000000001*260102*0304*A*000~',
      'GS*FA*123MILL*EDIGATE*20260102*0310*777*X*004010~', 'ST*997*0001~', 'AK1*PR*1~', 'AK2*855*0001~', 'AK5*A~', 'AK9*A*1*1*1~', 'SE*6*0001~', 'GE*1*777~',
      // and a 997 for a group we never sent: recorded, unmatched
      'GS*FA*123MILL*EDIGATE*20260102*0310*778*X*004010~', 'ST*997*0002~', 'AK1*PR*999~', 'AK9*R*1*1*0~', 'SE*4*0002~', 'GE*1*778~',
      'IEA*2*000000777~',
    ].join('\n');
    const summary = await gw.pipeline.ingest({ bytes: Buffer.from(reply), fileName: 'fa.x12', channel: 'folder', partnerHint: 'mill' });
    expect(summary.status).toBe('accepted');
    expect(summary.acks).toEqual([]); // an acknowledgement is never acknowledged
    const detail = (await gw.api.inject({ url: `/api/outbound/${docId}` })).json();
    expect(detail.acks).toMatchObject([
      { kind: '997', ackCode: 'A', status: 'accepted', receivedAt: NOW.toISOString() },
      { kind: 'TA1', ackCode: 'A', status: 'accepted', receivedAt: NOW.toISOString() },
    ]);
    const unmatched = (await gw.api.inject({ url: '/api/acks?direction=inbound&status=rejected' })).json();
    expect(unmatched.items).toMatchObject([{ kind: '997', groupControlNumber: '999', outboundDocumentId: null }]);
  });
});

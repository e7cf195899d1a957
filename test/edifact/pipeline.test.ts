/**
 * EDIFACT and CSV through the whole gateway (in-process, real SQLite, a real HTTP server for the ERP,
 * the ops API over HTTP): a corpus ORDERS file accepted, its orders delivered and its CONTRL written to
 * outbox/<partner>/; a file with a bad message partly accepted; a partner's CONTRL recorded against the
 * CONTRL of ours it answers (and an unmatched one recorded as such); CSV files with bad rows under both
 * partner policies, the bad rows reported with their line numbers in the ops API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Gateway } from '../../src/app.js';
import { readPartners, writeNewPartner } from '../../src/partners/load.js';
import { startTestGateway, waitFor } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'edifact');
const NOW = new Date('2026-01-02T03:04:05Z');

function home(): string {
  const h = mkdtempSync(join(tmpdir(), 'edigate-edifact-'));
  mkdirSync(join(h, 'partners'), { recursive: true });
  const write = (id: string, doc: Record<string, unknown>) => writeFileSync(join(h, 'partners', `${id}.yaml`), stringify({ id, name: id, ...doc }));
  write('retail-eu', {
    edifact: { interchangeIds: [{ id: 'PARTNER1', qualifier: '14' }], contrl: 'always' },
    documents: { ORDERS: { map: 'edifact-orders-order', destinations: ['erp'] } },
  });
  write('shipper', { csv: { map: 'csv-shipment-confirmation', badRows: 'accept-good-rows', destinations: ['erp'] } });
  write('stock', { csv: { map: 'csv-inventory-balance', badRows: 'reject-file', destinations: ['erp'] } });
  return h;
}

describe('EDIFACT and CSV end to end', () => {
  let h: string;
  let gw: Gateway;
  let api: string;
  let erp: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    erp = await startReceiver();
    h = home();
    ({ gw, api } = await startTestGateway(h, erp.url, { now: NOW, watch: false }));
  });
  afterAll(async () => {
    await gw?.stop();
    await erp?.close();
  });

  const ingest = (fileName: string, bytes: Buffer | string, partnerHint: string | null = null) =>
    gw.pipeline.ingest({ bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, fileName, channel: 'cli', partnerHint });
  const get = async (path: string) => (await fetch(api + path)).json() as Promise<Record<string, unknown>>;
  const outbox = (p: string, f: string) => readFileSync(join(h, 'outbox', p, f), 'latin1');

  it('accepts a corpus ORDERS interchange: four orders delivered, CONTRL with UCM 7 each in outbox/retail-eu/', async () => {
    const s = await ingest('orders.edi', readFileSync(join(FIX, 'botsplugins__orders_to_csv_test.edi')));
    expect(s.status).toBe('accepted');
    expect(s.partnerId).toBe('retail-eu');
    expect(s.messagesEnqueued).toBe(4);
    expect(s.acks).toEqual([{ kind: 'CONTRL', fileName: 'CONTRL_1.edi', path: join(h, 'outbox', 'retail-eu', 'CONTRL_1.edi'), ackCode: '7' }]);
    expect(outbox('retail-eu', 'CONTRL_1.edi')).toBe(
      "UNB+UNOA:2+PARTNER2:14+PARTNER1:14+260102:0304+1++++++1'UNH+1+CONTRL:2:2:UN'UCI+UNBREF+PARTNER1:14+PARTNER2:14+7'" +
      "UCM+UNHREF+ORDERS:D:96A:UN:EAN008+7'UCM+1-1UNHREF+ORDERS:D:96A:UN:EAN008+7'UCM+1-2UNHREF+ORDERS:D:96A:UN:EAN008+7'UCM+2-1UNHREF+ORDERS:D:96A:UN:EAN008+7'UNT+7+1'UNZ+1+1'");
    await waitFor(() => erp.requests.length >= 4, 'four orders delivered');
    const bodies = erp.requests.map((r) => r.json as { type: string; payload: { purchaseOrderNumber: string }; source: Record<string, string> });
    expect(bodies.map((b) => b.payload.purchaseOrderNumber).sort()).toEqual(['1-4500094289', '1-4500094290', '1-4500094291', 'BGMREF']);
    expect(bodies[0]!.source).toMatchObject({ standard: 'EDIFACT', documentType: 'ORDERS', interchangeControlNumber: 'UNBREF', version: 'D:96A:UN:EAN008' });
    const list = await get('/api/interchanges?partner=retail-eu');
    const ic = (list.items as Array<Record<string, unknown>>)[0]!;
    expect(ic).toMatchObject({ standard: 'EDIFACT', status: 'accepted', senderId: 'PARTNER1', senderQualifier: '14', controlNumber: 'UNBREF', version: 'UNOA:2', ackCode: '7', setCount: 4 });
    const detail = await get(`/api/interchanges/${ic.id as number}`);
    expect((detail.transactionSets as Array<Record<string, unknown>>).map((t) => [t.setId, t.controlNumber, t.ackCode])).toEqual([
      ['ORDERS', 'UNHREF', '7'], ['ORDERS', '1-1UNHREF', '7'], ['ORDERS', '1-2UNHREF', '7'], ['ORDERS', '2-1UNHREF', '7']]);
    expect((detail.acks as Array<Record<string, unknown>>).map((a) => [a.kind, a.direction, a.status])).toEqual([['CONTRL', 'outbound', 'accepted']]);
    expect((detail.messages as unknown[]).length).toBe(4);
  });

  it('rejects a bad message (UNT count) and an unrouted message type (17, no agreement), delivers the good one', async () => {
    const text = "UNB+UNOA:3+PARTNER1:14+PARTNER2:14+260102:0304+R2'" +
      "UNH+1+ORDERS:D:96A:UN'BGM+220+PO-A+9'DTM+137:20260102:102'LIN+1++4000862141404:EN'QTY+21:5'UNT+6+1'" +
      "UNH+2+ORDERS:D:96A:UN'BGM+220+PO-B+9'DTM+137:20260102:102'UNT+9+2'" +
      "UNH+3+INVOIC:D:96A:UN'BGM+380+INV-1+9'DTM+137:20260102:102'UNT+4+3'UNZ+3+R2'";
    const s = await ingest('mixed.edi', text);
    expect(s.status).toBe('partially_accepted');
    expect(s.messagesEnqueued).toBe(1);
    expect(outbox('retail-eu', 'CONTRL_2.edi')).toBe("UNB+UNOA:3+PARTNER2:14+PARTNER1:14+260102:0304+2'UNH+2+CONTRL:2:2:UN'UCI+R2+PARTNER1:14+PARTNER2:14+7'" +
      "UCM+1+ORDERS:D:96A:UN+7'UCM+2+ORDERS:D:96A:UN+4+29+UNT+1'UCM+3+INVOIC:D:96A:UN+4+17+UNH+2:1'UNT+6+2'UNZ+1+2'");
    expect(s.findings.map((f) => f.code).sort()).toEqual(['EDIFACT_MESSAGE_NOT_SUPPORTED', 'EDIFACT_UNT_COUNT_MISMATCH']);
    const again = await ingest('mixed-again.edi', text.replace('+R2\'', '+R2\'\r\n'));
    expect(again.status).toBe('rejected');
    expect(again.findings.map((f) => f.code)).toContain('EDIFACT_DUPLICATE_INTERCHANGE');
  });

  it('records a partner CONTRL against the CONTRL of ours it answers, and an unknown one as unmatched', async () => {
    const contrl = (ref: string, about: string, action: string) => `UNB+UNOA:3+PARTNER1:14+PARTNER2:14+260102:0400+${ref}'UNH+1+CONTRL:2:2:UN'UCI+${about}+PARTNER2:14+PARTNER1:14+${action}'UNT+3+1'UNZ+1+${ref}'`;
    const s = await ingest('contrl.edi', contrl('C1', '1', '7'));
    expect(s.status).toBe('accepted');
    expect(s.acks).toEqual([]);
    const inbound = (await get('/api/acks?direction=inbound&kind=CONTRL')).items as Array<Record<string, unknown>>;
    const ours = ((await get('/api/acks?direction=outbound&kind=CONTRL')).items as Array<Record<string, unknown>>).find((a) => a.interchangeControlNumber === '1')!;
    expect(inbound[0]).toMatchObject({ direction: 'inbound', kind: 'CONTRL', partnerId: 'retail-eu', ackCode: '7', status: 'accepted', interchangeControlNumber: '1', answersAckId: ours.id });
    expect(ours).toMatchObject({ answeredStatus: 'accepted' });
    const u = await ingest('contrl-unknown.edi', contrl('C2', '999', '4'));
    expect(u.findings.map((f) => f.code)).toEqual(['EDIFACT_CONTRL_UNMATCHED']);
    const all = (await get('/api/acks?direction=inbound&kind=CONTRL')).items as Array<Record<string, unknown>>;
    expect(all[0]).toMatchObject({ interchangeControlNumber: '999', status: 'rejected', answersAckId: null });
  });

  it('CSV, accept-good-rows: the bad row is a finding with its line number, the other rows are delivered', async () => {
    const csv = 'shipment_id,ship_date,carrier_scac,tracking_number,order_number,sscc,line,gtin,description,quantity,uom,lot\n' +
      'SH-1,2026-01-05,UPSN,1Z1,PO-1,003541234500000019,1,05412345678908,"Water, ""sparkling""",24,EA,\n' +
      'SH-1,2026-01-05,UPSN,1Z1,PO-1,003541234500000019,2,05412345678915,"Juice\n(cloudy)",twelve,EA,\n' +
      'SH-2,2026-01-06,FDEG,7946,PO-2,003541234500000026,1,05412345678908,Water,48,EA,\n';
    const before = erp.requests.length;
    const s = await ingest('ship.csv', csv, 'shipper');
    expect(s.status).toBe('accepted_with_errors');
    expect(s.messagesEnqueued).toBe(2);
    expect(s.findings).toEqual([{ code: 'CSV_ROW_INVALID', severity: 'error', level: 'segment', message: 'line 3: column "quantity" is not a number: "twelve"' }]);
    await waitFor(() => erp.requests.length >= before + 2, 'two shipments delivered');
    const ic = ((await get('/api/interchanges?partner=shipper')).items as Array<Record<string, unknown>>)[0]!;
    expect(ic).toMatchObject({ standard: 'CSV', status: 'accepted_with_errors', setCount: 2, version: 'csv-shipment-confirmation' });
    const detail = await get(`/api/interchanges/${ic.id as number}`);
    expect((detail.findings as Array<Record<string, unknown>>).map((f) => [f.code, f.detail])).toEqual([['CSV_ROW_INVALID', { line: 3 }]]);
    expect((detail.transactionSets as Array<Record<string, unknown>>).map((t) => [t.setId, t.controlNumber, t.segmentCount, t.businessReference])).toEqual([
      ['SHIPMENT_CSV', 'SH-1', 1, 'PO-1'], ['SHIPMENT_CSV', 'SH-2', 1, 'PO-2']]);
  });

  it('CSV, reject-file: one bad row (Latin-1 file) rejects the whole file, nothing delivered', async () => {
    const csv = Buffer.from('warehouse;sku;gtin;description;lot;on_hand;available;uom;as_of\n' +
      '"5412345000020";"SKU-1";"5412345678908";"Gem\xfcse";"";"12";"10";"PCE";"2026-01-04"\n' +
      '"5412345000020";"SKU-2";"";"Br\xf6tchen";"";"3";"3";"PCE";"2026-01-04"\n', 'latin1');
    const s = await ingest('stock.csv', csv, 'stock');
    expect(s.status).toBe('rejected');
    expect(s.findings.map((f) => f.message)).toEqual([
      'line 3: required column "gtin" is empty',
      '1 bad row(s) of 2: the whole file is rejected (partner policy csv.badRows: reject-file); nothing was delivered',
    ]);
    const detail = await get(`/api/interchanges/${s.interchanges[0]!.id}`);
    expect((detail.deliveries as Array<Record<string, unknown>>).map((d) => d.status ?? d.state)).toEqual(['cancelled']);
    expect(JSON.parse((detail.messages as Array<{ body: unknown }>)[0] ? JSON.stringify((detail.messages as Array<{ body: { payload: { items: Array<{ product: { description: string } }> } } }>)[0]!.body.payload.items[0]!.product.description) : '""')).toBe('Gemüse');
  });

  it('an interchange whose UNB cannot be read gets no CONTRL with an empty envelope: rejected, kept, visible', async () => {
    const s = await ingest('no-unb-ids.edi', "UNB+'UNH+1+ORDERS:D:96A:UN'BGM+220+X1+9'UNT+3+1'UNZ+1+'", 'retail-eu');
    expect(s.status).toBe('rejected');
    expect(s.acks).toEqual([]);
    expect(s.findings.length).toBeGreaterThan(0);
    expect(s.findings.every((f) => f.severity === 'error' || f.severity === 'warning')).toBe(true);
  });

  it('partners add --edifact writes a partner the gateway loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-partners-'));
    writeNewPartner(dir, { id: 'acme-eu', x12: [], edifact: [{ id: '5412345000013', qualifier: '14' }, { id: 'ACME', qualifier: '' }] });
    const { partners, problems } = readPartners(dir, { mapNames: new Set(['edifact-orders-order']), destinationNames: new Set(['erp']) });
    expect(problems).toEqual([]);
    expect(partners[0]!.edifact).toEqual({ interchangeIds: [{ id: '5412345000013', qualifier: '14' }, { id: 'ACME', qualifier: '' }], contrl: 'as-requested', contrlLevel: 'syntax', characterSet: 'strict' });
    expect(partners[0]!.documents).toEqual({ ORDERS: { map: 'edifact-orders-order', destinations: ['erp'] } });
    expect(readdirSync(dir)).toEqual(['acme-eu.yaml']);
  });
});

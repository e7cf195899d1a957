/**
 * A partner's history built through the real pipeline for the scorecard tests: real corpus files ingested with
 * pinned receive times and a movable clock (our 997s are stamped with it), documents we send generated with
 * generateOutbound, the partner's 997s ingested, deliveries run by the real workers against a local HTTP receiver.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/app.js';
import { generateOutbound } from '../../src/outbound/generate.js';
import { markPickedUp } from '../../src/store/transmissions.js';
import type { IngestSummary } from '../../src/pipeline.js';
import { startReceiver } from '../helpers/receiver.js';
import { waitFor } from '../helpers/home.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'latin1');

// maps/x12-850-order/example.edi: apimeister/x12-types test-data/004010_850.edi, PO A99999-01, 7 lines at 12.34, from ZZ/SENDERISA.
export const ORDER_850 = read('maps', 'x12-850-order', 'example.edi');
/** The same order under PO A99999-04 (BEG03) in its own interchange (ISA13/IEA02 000000002): the order invoice 00001 #2 refers to. */
export const ORDER_850_04 = ORDER_850.replace('BEG*00*SA*A99999-01*', 'BEG*00*SA*A99999-04*').replace('*000000001*0*T*', '*000000002*0*T*').replace('IEA*1*000000001', 'IEA*1*000000002');
// maps/x12-810-invoice/example.edi: xlate/staedi simple810.edi, two 810s (PO A99999-01: the 7 ordered lines; PO A99999-04: 2 lines, 50 and 100 CA).
export const INVOICES_810 = read('maps', 'x12-810-invoice', 'example.edi');
// maps/x12-856-shipment/example.edi: olmelabs/EdiEngine 856.Crossdock.OK.edi, BSN02 000009, orders POREF00 and POREF01, from ZZ/SENDER.
export const ASN_856 = read('maps', 'x12-856-shipment', 'example.edi');
/** The same ship notice as shipment 000010 (BSN02) in its own interchange (ISA13 000000092): no receipt ever answers it. */
export const ASN_856_10 = ASN_856.replace('BSN*00*000009*', 'BSN*00*000010*').replace('*000000091*0*P*', '*000000092*0*P*').replace('IEA*1*000000091', 'IEA*1*000000092');
// test/fixtures/logistics/corpus/nodex12__856.edi: node-x12 test-data/856.edi, BSN02 829716, PO 99999817, from 12/4405197800.
export const ASN_856_NODE = read('test', 'fixtures', 'logistics', 'corpus', 'nodex12__856.edi');
// test/fixtures/x12/botsplugins__850-004010-02.x12: two GS groups both numbered 5, each with ST02 000000001 twice, from 01/0011223456.
export const REPEATS_850 = read('test', 'fixtures', 'x12', 'botsplugins__850-004010-02.x12');
// maps/x12-944-receipt/example.edi (from ZZ/ACMEWMS) with its W17 pointing at one of our shipments: W1702 receipt date, W1705 shipment id.
const RECEIPT_944 = read('maps', 'x12-944-receipt', 'example.edi');
export function receipt944(date: string, shipmentId: string, control: number): string {
  const n = String(control).padStart(9, '0');
  return RECEIPT_944.replace('W17*F*20240318*RCV240318-07*TR-88214*SH-2024-03-0107', `W17*F*${date}*RCV-${control}*TR-${control}*${shipmentId}`)
    .replace('*000004530*', `*${n}*`).replace('IEA*1*000004530', `IEA*1*${n}`).replace('*4530*X*', `*${control}*X*`).replace('GE*1*4530', `GE*1*${control}`);
}
// test/fixtures/x12/botsplugins__997-004010VICS-01.x12: a 997 from 01/111111111 accepting a PR group (0x15 terminator), made to answer our GS06.
const ACK_997 = read('test', 'fixtures', 'x12', 'botsplugins__997-004010VICS-01.x12');
export function partner997(ourGs06: string, control: number): string {
  const n = String(control).padStart(9, '0');
  return ACK_997.replace('AK1*PR*10001', `AK1*PR*${ourGs06}`).replace('*000001816*', `*${n}*`).replace('IEA*1*000001816', `IEA*1*${n}`)
    .replace('*3407*X*', `*${control}*X*`).replace('GE*1*3407', `GE*1*${control}`);
}
// maps/x12-855-order-ack/expected.json: the canonical order_ack of node-x12's 855 (what our ERP posts to send an 855).
export const ORDER_ACK = JSON.parse(read('maps', 'x12-855-order-ack', 'expected.json')) as Record<string, unknown>;

export interface Scenario {
  gw: Gateway;
  home: string;
  clock: { now: Date };
  ingest(text: string, name: string, partner: string, receivedAt: string, ackAfterSeconds?: number): Promise<IngestSummary>;
  send855(at: string, key: string): { gs06: string; fileName: string };
  pickedUp(fileName: string, at: string): void;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a gateway on a fresh home with partners `snacks` (the partner scored: orders, invoices and ship notices
 * from several sender ids; 855s sent to it) and `warehouse` (sends the 944 receipts), deliveries to an HTTP
 * receiver that refuses (400) the shipment `failShipmentId` and accepts everything else.
 */
export async function startScenario(failShipmentId: string): Promise<Scenario> {
  const home = mkdtempSync(join(tmpdir(), 'edigate-scorecards-'));
  mkdirSync(join(home, 'partners'));
  writeFileSync(join(home, 'partners', 'snacks.yaml'), stringify({
    id: 'snacks', name: 'Buy Snacks, Inc.',
    x12: {
      interchangeIds: [{ qualifier: 'ZZ', id: 'SENDERISA' }, { qualifier: 'ZZ', id: 'SENDER' }, { qualifier: '12', id: '4405197800' }, { qualifier: '01', id: '0011223456' }, { qualifier: '01', id: '111111111' }],
      envelope: { sender: { qualifier: 'ZZ', id: 'EDIGATE' }, receiver: { qualifier: '01', id: '111111111' } },
    },
    acknowledgements: { functional: true, ta1: 'on-error' },
    duplicates: { file: 'reject', interchange: 'reject', businessDocument: 'accept' },
    documents: { '850': { map: 'x12-850-order', destinations: ['erp'] }, '810': { map: 'x12-810-invoice', destinations: ['erp'] }, '856': { map: 'x12-856-shipment', destinations: ['erp'] } },
  }));
  writeFileSync(join(home, 'partners', 'warehouse.yaml'), stringify({
    id: 'warehouse', name: 'Acme Warehouse', x12: { interchangeIds: [{ qualifier: 'ZZ', id: 'ACMEWMS' }] },
    acknowledgements: { functional: true, ta1: 'on-error' }, documents: { '944': { map: 'x12-944-receipt', destinations: ['erp'] } },
  }));
  const erp = await startReceiver((req) => {
    const m = req.json as { type?: string; payload?: { shipmentId?: string } } | undefined;
    return m?.type === 'shipment' && m.payload?.shipmentId === failShipmentId ? { status: 400, body: '{"error":"unknown ship-to"}' } : undefined;
  });
  const config = loadConfig({
    home, env: {},
    overrides: {
      ops: { port: 0 },
      destinations: { erp: { kind: 'http', url: `${erp.url}/messages`, retry: { initialBackoffMs: 20, maxBackoffMs: 100 } } },
      workers: { pollMs: 20 },
    },
  });
  const clock = { now: new Date('2026-01-01T00:00:00.000Z') };
  const gw = await createGateway(config, { logger: pino({ level: 'silent' }), watch: false, listen: false, now: () => clock.now });
  await gw.start();
  return {
    gw, home, clock,
    async ingest(text, name, partner, receivedAt, ackAfterSeconds = 0) {
      clock.now = new Date(Date.parse(receivedAt) + ackAfterSeconds * 1000);
      return gw.pipeline.ingest({ bytes: Buffer.from(text, 'latin1'), fileName: name, channel: 'folder', partnerHint: partner, receivedAt: new Date(receivedAt) });
    },
    send855(at, key) {
      clock.now = new Date(at);
      const r = generateOutbound({ store: gw.store, config: gw.config, partners: gw.partners, now: () => clock.now }, { partnerId: 'snacks', type: 'order_ack', payload: ORDER_ACK, idempotencyKey: key });
      return { gs06: r.document.groupControlNumber, fileName: r.document.fileName };
    },
    pickedUp(fileName, at) {
      if (markPickedUp(gw.store.db, 'snacks', fileName, Date.parse(at)) !== 1) throw new Error(`${fileName} is not waiting in the outbox`);
    },
    async settle() {
      await waitFor(() => (gw.store.db.prepare(`SELECT count(*) AS n FROM deliveries WHERE state IN ('held', 'pending', 'running')`).get() as { n: number }).n === 0, 'deliveries to finish');
    },
    async close() {
      await gw.stop();
      await erp.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

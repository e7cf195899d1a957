import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/app.js';
import { generateOutbound } from '../../src/outbound/generate.js';
import { markPickedUp } from '../../src/store/transmissions.js';
import { insertInboundOnce, updateAs2Message } from '../../src/store/as2.js';
import { readPartners } from '../../src/partners/load.js';
import { parseDuration } from '../../src/partners/sla-settings.js';
import { makeHome } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BASE_850 = readFileSync(join(ROOT, 'test', 'fixtures', 'x12', 'x12types__004010_850.edi'), 'latin1');
const ORDER_ACK = JSON.parse(readFileSync(join(ROOT, 'maps', 'x12-855-order-ack', 'expected.json'), 'utf8')) as Record<string, unknown>;
const MIN = 60_000;
const HOUR = 3_600_000;

/** The fixture 850 as interchange `n` with PO number `po`. */
function order850(n: number, po: string): string {
  const ctl = String(n).padStart(9, '0');
  return BASE_850.replace('*000000001*0*T*>~', `*${ctl}*0*T*>~`).replace('IEA*1*000000001~', `IEA*1*${ctl}~`).replace('BEG*00*SA*A99999-01', `BEG*00*SA*${po}`);
}

/** The partner's 997 file answering our groups: one 997 per [GS06, AK9 code]. */
function partner997(isa13: number, groups: Array<[string, string]>): string {
  const segs = [`ISA*00*          *00*          *ZZ*SENDERISA      *ZZ*EDIGATE        *260102*0310*U*00401*${String(isa13).padStart(9, '0')}*0*T*>~`];
  groups.forEach(([gs06, code], i) => {
    const gc = String(900 + isa13 * 10 + i);
    segs.push(`GS*FA*SENDERISA*EDIGATE*20260102*0310*${gc}*X*004010~`, `ST*997*0001~`, `AK1*PR*${gs06}~`, `AK9*${code}*1*1*${code === 'R' ? 0 : 1}~`, `SE*4*0001~`, `GE*1*${gc}~`);
  });
  segs.push(`IEA*${groups.length}*${String(isa13).padStart(9, '0')}~`);
  return segs.join('\n');
}

describe('acknowledgement ledger', () => {
  let gw: Gateway | undefined;
  let closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
    for (const c of closers) await c();
    closers = [];
  });

  it('drives documents through every state, alerts once per overdue entry, and reconciles late arrivals', async () => {
    // The webhook answers 500 once, then 200: the alert is retried with the backoff, then sent, and never again.
    const hook = await startReceiver((_r, n) => ({ status: n === 1 ? 500 : 200 }));
    closers.push(hook.close);
    const home = makeHome([{ id: 'snacks', ids: [['ZZ', 'SENDERISA']] }]);
    const file = join(home, 'partners', 'snacks.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('interchangeIds:', 'envelope:\n    sender: { qualifier: ZZ, id: EDIGATE }\n  interchangeIds:')
      + stringify({ slas: { '855': { '997': '30m', pickup: '2h' }, '850': { '855': '24h' } } }));
    const config = loadConfig({
      home, env: {},
      overrides: {
        ops: { port: 0 }, destinations: { erp: { kind: 'http', url: 'http://127.0.0.1:9/orders' } }, workers: { pollMs: 20 },
        ledger: { checkIntervalMs: 3_600_000, webhook: { url: `${hook.url}/alerts`, headers: { authorization: 'Bearer t0k' }, retry: { maxAttempts: 3, initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: 0 } } },
      },
    });
    const logs: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'warn' }, new Writable({ write(chunk, _e, cb) { logs.push(JSON.parse(String(chunk))); cb(); } }));
    // The clock starts 20 minutes before the wall clock (documents posted through the API carry the wall clock's time).
    let clock = Date.now() - 20 * MIN;
    const now = () => new Date(clock);
    gw = await createGateway(config, { logger, now, watch: false, deliver: false });
    await gw.start();
    const g = gw;
    const get = async (url: string) => { const r = await g.api.inject({ url }); expect(r.statusCode).toBe(200); return r.json() as any; };
    const ingest = (name: string, text: string) => g.pipeline.ingest({ bytes: Buffer.from(text, 'latin1'), fileName: name, channel: 'folder', partnerHint: 'snacks' });
    const iso = (t: number) => new Date(t).toISOString();
    const t0 = clock;

    // 1. The partner's 850: our 997 (given at once, elapsed 0) and the 855 we owe within 24 hours.
    const s850 = await ingest('po1.x12', order850(1, 'A99999-01'));
    expect(s850.status).toBe('accepted');
    expect(s850.acks.map((a) => a.kind)).toEqual(['997']);
    const ours = (await get('/api/acks?partner=snacks&direction=outbound')).items;
    expect(ours.map((e: any) => [e.level, e.kind, e.state, e.documentType])).toEqual([['business', '855', 'expected', '850'], ['functional', '997', 'accepted', '850']]);
    const our997 = ours[1];
    expect(our997).toMatchObject({ status: 'accepted', expectedAt: iso(t0), receivedAt: iso(t0), elapsedMs: 0, dueAt: iso(t0 + 24 * HOUR), ackTransmissionState: 'placed', ackPickedUpAt: null });
    expect(our997.links).toEqual({ document: `/api/interchanges/${our997.interchangeId}`, interchange: `/api/interchanges/${our997.interchangeId}`, ack: `/api/acks/${our997.id}` });
    expect(ours[0]).toMatchObject({ businessReference: 'A99999-01', dueAt: iso(t0 + 24 * HOUR), transactionSetId: expect.any(Number), links: { ack: null } });
    // Did the partner collect our 997? Hosted SFTP marks it when the partner deletes it from /outbound.
    clock += 5 * MIN;
    expect(markPickedUp(g.store.db, 'snacks', s850.acks[0]!.fileName, clock)).toBe(1);
    expect((await get(`/api/acks/${our997.id}`))).toMatchObject({ ackTransmissionState: 'picked_up', ackPickedUpAt: iso(clock), content: expect.stringContaining('AK9*A*1*1*1') });

    // 2. Our 855 for it, posted by the ERP: the business entry is answered (BAK02 AD: accepted); the 855 in turn
    //    waits for the partner's 997 (30 minutes) and its pickup (2 hours).
    const posted = await g.api.inject({ method: 'POST', url: '/api/outbound', payload: { partnerId: 'snacks', type: 'order_ack', payload: { ...ORDER_ACK, purchaseOrderNumber: 'A99999-01' } }, headers: { 'idempotency-key': 'ack-A99999-01' } });
    expect(posted.statusCode).toBe(201);
    const doc = posted.json().document as { id: number; createdAt: string; groupControlNumber: string; fileName: string };
    const answered = (await get('/api/acks?level=business')).items;
    expect(answered).toMatchObject([{ kind: '855', state: 'accepted', outcome: 'accepted', replyDocumentId: doc.id, receivedAt: doc.createdAt, links: { ack: `/api/outbound/${doc.id}` } }]);
    const waiting = (await get(`/api/acks?outboundDocument=${doc.id}`)).items;
    expect(waiting.map((e: any) => [e.level, e.kind, e.state, e.documentType, e.dueAt])).toEqual([
      ['transport', 'pickup', 'expected', '855', iso(Date.parse(doc.createdAt) + 2 * HOUR)],
      ['functional', '997', 'expected', '855', iso(Date.parse(doc.createdAt) + 30 * MIN)],
    ]);
    // The acknowledgements list as before the ledger: status filters the acks rows.
    expect((await get('/api/acks?direction=inbound&status=pending')).items.map((e: any) => e.kind)).toEqual(['997']);

    // 3. 31 minutes after the 855: the 997 is overdue; one warning in the log, one alert to the webhook (answered 500).
    clock = Date.parse(doc.createdAt) + 31 * MIN;
    expect(await g.ledger.check()).toEqual({ overdue: 1, alerts: 1 });
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]).toMatchObject({ method: 'POST', url: '/alerts', headers: { authorization: 'Bearer t0k', 'content-type': 'application/json' } });
    const overdue997 = waiting[1];
    expect(hook.requests[0]!.json).toEqual({
      event: 'acknowledgement.overdue', ledgerId: overdue997.ledgerId, partnerId: 'snacks', direction: 'inbound', level: 'functional', kind: '997',
      documentType: '855', businessReference: 'A99999-01', expectedAt: doc.createdAt, dueAt: overdue997.dueAt, overdueAt: iso(clock),
      document: `/api/outbound/${doc.id}`, interchange: `/api/outbound/${doc.id}`, entry: `/api/acks?ledgerId=${overdue997.ledgerId}`,
    });
    expect(logs.filter((l) => l.msg === 'acknowledgement overdue')).toMatchObject([{ ledgerId: overdue997.ledgerId, partner: 'snacks', kind: '997', documentType: '855' }]);
    expect((await get('/api/acks?state=overdue')).items).toMatchObject([{ kind: '997', alertState: 'pending', alertAttempts: 1, alertError: `HTTP 500 from ${hook.url}/alerts`, overdueAt: iso(clock), ageMs: 31 * MIN }]);
    expect((await get('/api/acks?status=overdue')).items.map((e: any) => e.kind)).toEqual(['997']);
    // Age: the 850's entries are 56 minutes old, the 855's 31.
    expect((await get('/api/acks?olderThan=PT45M')).items.map((e: any) => e.kind).sort()).toEqual(['855', '997']);
    expect((await get('/api/acks?olderThan=45')).total).toBe(2);
    expect((await get('/api/acks?olderThan=PT30M&state=overdue')).total).toBe(1);
    expect((await g.api.inject({ url: '/api/acks?olderThan=soon' })).json()).toMatchObject({ error: { code: 'EDIGATE_INVALID_REQUEST' } });

    // The retry waits for its backoff (1 s), then succeeds; after that the entry is never alerted again.
    expect(await g.ledger.check()).toEqual({ overdue: 0, alerts: 0 });
    clock += 1000;
    expect(await g.ledger.check()).toEqual({ overdue: 0, alerts: 1 });
    expect(hook.requests).toHaveLength(2);
    expect((await get(`/api/acks?ledgerId=${overdue997.ledgerId}`)).items).toMatchObject([{ state: 'overdue', alertState: 'sent', alertAttempts: 2, alertedAt: iso(clock) }]);
    clock += HOUR;
    expect(await g.ledger.check()).toEqual({ overdue: 0, alerts: 0 });
    expect(hook.requests).toHaveLength(2);
    expect(logs.filter((l) => l.msg === 'acknowledgement overdue')).toHaveLength(1);

    // 4. The partner's 997 arrives after all: late, reconciled, with what it said; the pickup comes within its 2 hours.
    const fa = await ingest('fa1.x12', partner997(1, [[doc.groupControlNumber, 'A']]));
    expect(fa.status).toBe('accepted');
    const lateAt = clock;
    clock += 10 * MIN;
    expect(markPickedUp(g.store.db, 'snacks', doc.fileName, clock)).toBe(1);
    const settled = (await get(`/api/acks?outboundDocument=${doc.id}`)).items;
    expect(settled.map((e: any) => [e.kind, e.state, e.outcome, e.receivedAt])).toEqual([['pickup', 'received', 'received', iso(clock)], ['997', 'late', 'accepted', iso(lateAt)]]);
    expect(settled[1]).toMatchObject({ status: 'accepted', ackCode: 'A', elapsedMs: lateAt - Date.parse(doc.createdAt), links: { ack: `/api/acks/${settled[1].id}` } });
    expect(settled[0].links).toEqual({ document: `/api/outbound/${doc.id}`, interchange: `/api/outbound/${doc.id}`, ack: `/api/transmissions/${settled[0].transmissionId}` });
    expect((await get(`/api/acks/${settled[1].id}`)).content).toContain('AK1*PR*');
    expect(await get(`/api/acks/documents?outboundDocument=${doc.id}`)).toMatchObject({ direction: 'inbound', status: 'late' });
    expect(await g.ledger.check()).toEqual({ overdue: 0, alerts: 0 });

    // 5. A second 850 left unanswered past its 24 hours: overdue (alert sent at once), then our 855 comes: late.
    const s2 = await ingest('po2.x12', order850(2, 'A99999-02'));
    expect(s2.status).toBe('accepted');
    const po2At = clock;
    clock += 25 * HOUR;
    expect(await g.ledger.check()).toEqual({ overdue: 1, alerts: 1 });
    expect(hook.requests.map((r) => (r.json as any).kind)).toEqual(['997', '997', '855']);
    expect(hook.requests[2]!.json).toMatchObject({ direction: 'outbound', level: 'business', documentType: '850', businessReference: 'A99999-02', dueAt: iso(po2At + 24 * HOUR) });
    const deps = { store: g.store, config: g.config, partners: g.partners, now };
    generateOutbound(deps, { partnerId: 'snacks', type: 'order_ack', payload: { ...ORDER_ACK, purchaseOrderNumber: 'A99999-02', acknowledgmentType: { code: 'RJ' } }, idempotencyKey: 'ack-A99999-02' });
    const late855 = (await get('/api/acks?level=business&partner=snacks&documentType=850')).items[0];
    expect(late855).toMatchObject({ businessReference: 'A99999-02', state: 'late', outcome: 'rejected', receivedAt: iso(clock), alertState: 'sent' });
    expect(await get(`/api/acks/documents?interchange=${late855.interchangeId}`)).toMatchObject({ direction: 'outbound', status: 'late' });

    // 6. Three more 855s answered in time: accepted with errors, partially accepted, rejected.
    const sent = ['03', '04', '05'].map((n) => generateOutbound(deps, { partnerId: 'snacks', type: 'order_ack', payload: { ...ORDER_ACK, purchaseOrderNumber: `A99999-${n}` }, idempotencyKey: `ack-A99999-${n}` }).document);
    clock += 10 * MIN;
    await ingest('fa2.x12', partner997(2, [[sent[0]!.groupControlNumber, 'E'], [sent[1]!.groupControlNumber, 'P'], [sent[2]!.groupControlNumber, 'R']]));
    for (const [d, state] of [[sent[0]!, 'accepted_with_errors'], [sent[1]!, 'partially_accepted'], [sent[2]!, 'rejected']] as const) {
      const entries = (await get(`/api/acks?outboundDocument=${d.id}&kind=997`)).items;
      expect(entries).toMatchObject([{ state, outcome: state, elapsedMs: 10 * MIN, receivedAt: iso(clock) }]);
    }
    expect(await get(`/api/acks/documents?outboundDocument=${sent[2]!.id}`)).toMatchObject({ status: 'rejected' });
    expect(await get(`/api/acks/documents?outboundDocument=${sent[0]!.id}`)).toMatchObject({ status: 'accepted_with_errors' });

    // 7. AS2 messages the partner sent asking for an MDN: ours, given in the response (sync) or delivered later (async).
    const mSync = insertInboundOnce(g.store.db, { messageId: '<m1@snacks>', partnerId: 'snacks', as2From: 'SNACKS', as2To: 'EDIGATE', mdnMode: 'sync', now: clock }).id;
    const mAsync = insertInboundOnce(g.store.db, { messageId: '<m2@snacks>', partnerId: 'snacks', as2From: 'SNACKS', as2To: 'EDIGATE', mdnMode: 'async', now: clock }).id;
    updateAs2Message(g.store.db, mSync, { status: 'error', detail: 'decryption-failed' }, clock + 1000);
    updateAs2Message(g.store.db, mAsync, { status: 'processed', mdnState: 'pending' }, clock + 1000);
    const mdns = (await get('/api/acks?kind=MDN')).items;
    expect(mdns.map((e: any) => [e.as2MessageId, e.direction, e.state, e.dueAt])).toEqual([[mAsync, 'outbound', 'expected', iso(clock + HOUR)], [mSync, 'outbound', 'rejected', iso(clock + HOUR)]]);
    clock += 61 * MIN;
    // Overdue now: our async MDN (1 hour by default) and the partner's 997 for the 855 of step 5 (71 minutes, SLA 30).
    expect(await g.ledger.check()).toEqual({ overdue: 2, alerts: 2 });
    expect((await get('/api/acks?state=overdue')).items.map((e: any) => [e.kind, e.as2MessageId ?? e.businessReference])).toEqual([['MDN', mAsync], ['997', 'A99999-02']]);
    updateAs2Message(g.store.db, mAsync, { mdnState: 'sent' }, clock);
    expect((await get(`/api/acks?kind=MDN&state=late`)).items).toMatchObject([{ as2MessageId: mAsync, outcome: 'accepted', receivedAt: iso(clock), links: { ack: `/api/as2/messages/${mAsync}` } }]);

    // Every state was seen.
    const states = new Set(((await get('/api/acks?limit=500')).items as any[]).map((e) => e.state));
    clock += 365 * 24 * HOUR;
    await g.ledger.check();
    const after = new Set(((await get('/api/acks?limit=500')).items as any[]).map((e) => e.state));
    expect([...new Set([...states, ...after])].sort()).toEqual(['accepted', 'accepted_with_errors', 'expected', 'late', 'overdue', 'partially_accepted', 'received', 'rejected']);
  });

  it('reads SLAs from the partner file and reports every problem in it', () => {
    expect([parseDuration('30m'), parseDuration('24h'), parseDuration('PT2H30M'), parseDuration('P1DT1S'), parseDuration('off'), parseDuration('soon'), parseDuration('P')])
      .toEqual([30 * MIN, 24 * HOUR, 2.5 * HOUR, 86_401_000, null, undefined, undefined]);
    const dir = mkdtempSync(join(tmpdir(), 'edigate-sla-'));
    mkdirSync(join(dir, 'partners'));
    const partner = (id: string, slas: unknown) => writeFileSync(join(dir, 'partners', `${id}.yaml`), stringify({ id, name: id, x12: { interchangeIds: [{ qualifier: 'ZZ', id: id.toUpperCase() }] }, documents: {}, slas }));
    partner('good', { '856': { '997': '30m', pickup: 'PT2H' }, '850': { '855': '24h' }, '*': { TA1: 'off' } });
    partner('bad', { '856': { '997': 'soon', MDN: '0m' }, '*': { '824': '2d' }, '850': { '850': '1h' }, x: { '997': '1h' }, '810': { 'a-b': '1h', '997': 30 } });
    const { partners, problems } = readPartners(join(dir, 'partners'), { mapNames: new Set(), destinationNames: new Set(['erp']) });
    expect(partners.find((p) => p.id === 'good')!.slas).toEqual({ '856': { '997': 30 * MIN, pickup: 2 * HOUR }, '850': { '855': 24 * HOUR }, '*': { TA1: null } });
    // Object keys of numeric look come first in JavaScript, so the order is compared sorted.
    expect([...problems].sort()).toEqual([
      'partners/bad.yaml: /slas/856/997 "soon" is not a duration (e.g. 30m, 24h, 2d, PT2H, off)',
      'partners/bad.yaml: /slas/856/MDN "0m" must be longer than zero (or off)',
      'partners/bad.yaml: /slas/*/824: a business reply (824) is expected for named document types only, e.g. /slas/850/824',
      'partners/bad.yaml: /slas/850/850: a document does not answer itself',
      'partners/bad.yaml: /slas/x: not a document type (an X12 set id such as 856, an EDIFACT type such as ORDERS, or *)',
      'partners/bad.yaml: /slas/810/a-b: not a kind of acknowledgement (pickup, upload, MDN, TA1, 997, 999, CONTRL, or a reply document type such as 855)',
      'partners/bad.yaml: /slas/810/997 "30" is not a duration (e.g. 30m, 24h, 2d, PT2H, off)',
    ].sort());
  });
});

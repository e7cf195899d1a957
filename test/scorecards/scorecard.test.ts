import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { scorecardQueries } from '../../src/store/scorecards.js';
import { buildScorecard, parsePeriod, scorecardCsv } from '../../src/scorecards/index.js';
import {
  startScenario, ORDER_850, ORDER_850_04, INVOICES_810, ASN_856, ASN_856_10, ASN_856_NODE, REPEATS_850, receipt944, partner997, type Scenario,
} from './scenario.js';

// The scenario (times UTC; "+Ns" is when our 997 was stamped after the file was received):
//   2026-W02  Mon 05 09:00 a  850 PO A99999-01 (7 lines)                                  our 997 +120 s, picked up
//             Mon 05 12:00 O1 we send an 855; 12:30 the partner's 997 accepts it           1800 s
//             Tue 06 10:00 c  810 x2: invoice for A99999-01 (7 lines) and for A99999-04     our 997 +600 s, picked up
//             Wed 07 08:00 d  856 shipment 000009                                            our 997 +60 s, picked up
//             Thu 08 15:00    944 from the warehouse: shipment 000009 received 2026-01-08
//   2026-W03  Mon 12 09:00 f  the bytes of file a again                                     refused (duplicate file), no 997
//             Tue 13 11:00 g  850 x4 in two groups both GS06 5, ST02 000000001 twice each   two 997s +300 s
//             Tue 13 16:00    944: shipment 829716 received 2026-01-13
//             Wed 14 07:00 i  856 shipment 829716 (after its goods); the ERP refuses it (400)  our 997 +900 s
//             Wed 14 12:00 O2 855; Fri 16 12:00 its 997                                      172800 s (over the 24 h SLA)
//   2026-W04  Mon 19 12:00 O3 855, never acknowledged
//             Tue 20 09:00 k  850 PO A99999-04 (the same 7 lines: 16, 13, ... CA)            our 997 +240 s
//             Wed 21 08:00 m  856 shipment 000010 (no receipt)                               our 997 +60 s
//             Fri 23 12:00 O4 855; 13:00 its 997                                             3600 s
// Scorecards are judged at NOW = 2026-02-01T00:00Z.
let s: Scenario;
const acks: Record<string, string> = {};

beforeAll(async () => {
  s = await startScenario('829716');
  // ISO week 2026-W02 (Mon 5 Jan - Sun 11 Jan)
  const a = await s.ingest(ORDER_850, 'po-a99999-01.edi', 'snacks', '2026-01-05T09:00:00.000Z', 120);
  acks.a = a.acks[0]!.fileName;
  const o1 = s.send855('2026-01-05T12:00:00.000Z', '855-1');
  await s.ingest(partner997(o1.gs06, 501), 'fa-1.edi', 'snacks', '2026-01-05T12:30:00.000Z');
  const c = await s.ingest(INVOICES_810, 'inv-00001.edi', 'snacks', '2026-01-06T10:00:00.000Z', 600);
  acks.c = c.acks[0]!.fileName;
  const d = await s.ingest(ASN_856, 'asn-000009.edi', 'snacks', '2026-01-07T08:00:00.000Z', 60);
  acks.d = d.acks[0]!.fileName;
  await s.ingest(receipt944('20260108', '000009', 7001), 'rcv-1.edi', 'warehouse', '2026-01-08T15:00:00.000Z', 30);
  // 2026-W03 (12 - 18 Jan)
  await s.ingest(ORDER_850, 'po-a99999-01-again.edi', 'snacks', '2026-01-12T09:00:00.000Z');
  const g = await s.ingest(REPEATS_850, 'po-repeats.edi', 'snacks', '2026-01-13T11:00:00.000Z', 300);
  acks.g = g.acks[0]?.fileName ?? '';
  await s.ingest(receipt944('20260113', '829716', 7002), 'rcv-2.edi', 'warehouse', '2026-01-13T16:00:00.000Z', 30);
  const o2 = s.send855('2026-01-14T12:00:00.000Z', '855-2');
  const i = await s.ingest(ASN_856_NODE, 'asn-829716.edi', 'snacks', '2026-01-14T07:00:00.000Z', 900);
  acks.i = i.acks[0]!.fileName;
  await s.ingest(partner997(o2.gs06, 502), 'fa-2.edi', 'snacks', '2026-01-16T12:00:00.000Z');
  // 2026-W04 (19 - 25 Jan)
  s.send855('2026-01-19T12:00:00.000Z', '855-3');
  const k = await s.ingest(ORDER_850_04, 'po-a99999-04.edi', 'snacks', '2026-01-20T09:00:00.000Z', 240);
  acks.k = k.acks[0]!.fileName;
  const m = await s.ingest(ASN_856_10, 'asn-000010.edi', 'snacks', '2026-01-21T08:00:00.000Z', 60);
  acks.m = m.acks[0]!.fileName;
  const o4 = s.send855('2026-01-23T12:00:00.000Z', '855-4');
  await s.ingest(partner997(o4.gs06, 503), 'fa-4.edi', 'snacks', '2026-01-23T13:00:00.000Z');
  s.pickedUp(acks.a, '2026-01-05T10:00:00.000Z');
  s.pickedUp(acks.c, '2026-01-06T11:00:00.000Z');
  s.pickedUp(acks.d, '2026-01-07T09:00:00.000Z');
  await s.settle();
}, 60_000);
afterAll(async () => { await s?.close(); });

const PARTNER = { id: 'snacks', name: 'Buy Snacks, Inc.' };
const NOW = new Date('2026-02-01T00:00:00.000Z');
const card = (from: string, to: string) => buildScorecard(s.gw.store.db, PARTNER, parsePeriod({ from, to }, NOW), NOW);

describe('partner scorecard, computed by hand over three weeks of real traffic', () => {
  it('documents received and sent by type, with the shares rejected and the top error reasons', () => {
    const c = card('2026-01-05', '2026-01-25');
    expect([c.from, c.to]).toEqual(['2026-01-05T00:00:00.000Z', '2026-01-26T00:00:00.000Z']); // `to` as a date: the whole day
    // files: a, fa-1, c, d + f, g, i, fa-2 + k, m, fa-4 = 11; f refused as a duplicate, g partially accepted
    expect(c.received.files).toBe(11);
    expect(c.received.filesByStatus).toEqual({ accepted: 9, duplicate: 1, partially_accepted: 1 });
    // sets: 810 x2 (c); 850: a 1 + g 4 + k 1 = 6; 856: d, i, m = 3; 997 x3 from the partner = 14.
    // g: group 1 keeps its first ST (A) and rejects the repeated ST02 (R); group 2 repeats GS06 5 (AK9 R), both sets rejected.
    expect(c.received.transactionSets).toBe(14);
    expect(c.received.byType).toEqual([
      { type: '810', total: 2, accepted: 2, acceptedWithErrors: 0, rejected: 0, duplicate: 0 },
      { type: '850', total: 6, accepted: 3, acceptedWithErrors: 0, rejected: 3, duplicate: 0 },
      { type: '856', total: 3, accepted: 3, acceptedWithErrors: 0, rejected: 0, duplicate: 0 },
      { type: '997', total: 3, accepted: 3, acceptedWithErrors: 0, rejected: 0, duplicate: 0 },
    ]);
    // sent: four 855s (outbox, not collected); 997s: a, c, d, g x2, i, k, m = 8, of which a, c, d picked up
    expect(c.sent).toEqual({ files: 12, byType: [{ type: '855', total: 4, byState: { placed: 4 } }, { type: '997', total: 8, byState: { picked_up: 3, placed: 5 } }] });
    // documents = 14 - 3 acknowledgements = 11; rejected 3 -> 3/11 = 0.2727
    expect(c.quality).toEqual({
      documents: 11, rejected: 3, acceptedWithErrors: 0, rejectedShare: 0.2727, acceptedWithErrorsShare: 0,
      topErrors: [
        { code: 'X12_ST_DUPLICATE_CONTROL', count: 2, files: 1 }, // g: one repeated ST02 in each group
        { code: 'FILE_DUPLICATE_CONTENT', count: 1, files: 1 }, // f
        { code: 'X12_GS_DUPLICATE_CONTROL', count: 1, files: 1 }, // g: the second GS06 5
      ],
    });
  });

  it('acknowledgement timeliness: the partner\'s 997s to our 855s, and ours', () => {
    const c = card('2026-01-05', '2026-01-25');
    // O1 1800 s, O2 172800 s, O4 3600 s; O3 none. median of [1800, 3600, 172800] = 3600; p95 = ceil(0.95 x 3) = 3rd = 172800.
    // overdue against 24 h: O2 late (172800 > 86400) + O3 missing (created 19 Jan 12:00, judged 1 Feb) = 2 of 4 = 0.5
    expect(c.partnerAcknowledgements).toEqual({
      slaSeconds: 86400, slaSource: 'default', documents: 4, acknowledged: 3, rejected: 0, medianSeconds: 3600, p95Seconds: 172800,
      overdue: 2, late: 1, missing: 1, pending: 0, overdueShare: 0.5,
    });
    // ours: [120, 600, 60, 300, 300, 900, 240, 60] sorted [60, 60, 120, 240, 300, 300, 600, 900]: median (240 + 300) / 2 = 270,
    // p95 = ceil(0.95 x 8) = 8th = 900; picked up a, c, d = 3 / 8 = 0.375
    expect(c.ourAcknowledgements).toEqual({ sent: 8, medianSeconds: 270, p95Seconds: 900, pickedUp: 3, awaitingPickup: 5, failed: 0, pickedUpShare: 0.375 });
  });

  it('duplicates and resends, and delivery success to the ERP', () => {
    const c = card('2026-01-05', '2026-01-25');
    // file f (file layer); g: 2 ST02 repeats + 1 GS06 repeat (control numbers). duplicate rate 1 file / 11 = 0.0909;
    // resend rate: the 2 sets carrying an ST02 repeat / 14 sets = 0.1429
    expect(c.duplicates).toEqual({
      byLayer: { file: 1, interchange: 0, controlNumbers: 3, businessDocument: 0 }, files: 11, filesRepeated: 1, duplicateRate: 0.0909,
      transactionSets: 14, setsRepeated: 2, resendRate: 0.1429,
    });
    // messages: a 1, c 2, d 1, g 2 (group 2's accepted set cancelled with its AK9 R), i 1 (HTTP 400: dead), k 1, m 1 = 9.
    // success = delivered 7 / (7 + 1 dead) = 0.875; the cancelled one was never attempted
    expect(c.deliveries).toEqual({
      total: 9, byState: { cancelled: 1, dead: 1, delivered: 7 }, byDestination: [{ destination: 'erp', delivered: 7, failed: 1, inFlight: 0 }],
      delivered: 7, failed: 1, successRate: 0.875,
    });
  });

  it('ASN timeliness against the warehouse\'s 944s, and the invoice-to-order match', () => {
    const c = card('2026-01-05', '2026-01-25');
    // d: goods = min(end of 8 Jan, 944 received 8 Jan 15:00) = 15:00; ASN 7 Jan 08:00 -> on time, lead 31 h = 111600 s.
    // i: goods = min(end of 13 Jan, 13 Jan 16:00) = 16:00; ASN 14 Jan 07:00 -> late, lead -15 h = -54000 s. m: no receipt.
    // median lead (111600 - 54000) / 2 = 28800
    expect(c.asnTimeliness).toEqual({ shipments: 3, withReceipt: 2, onTime: 1, late: 1, withoutReceipt: 1, onTimeShare: 0.5, medianLeadSeconds: 28800 });
    // invoice 1 (A99999-01): 7 lines = the order's 7 (same GTIN, quantity, 12.34) -> matched.
    // invoice 2 (A99999-04, order k): 50 CA vs 16 ordered, 100 CA vs 9 -> 0 of 2 lines, mismatched. 1/2 = 0.5; lines 7/9 = 0.7778
    expect(c.invoiceMatch).toEqual({
      invoices: 2, withOrder: 2, matched: 1, mismatched: 1, withoutOrder: 0, matchRate: 0.5, lines: 9, linesMatched: 7, lineMatchRate: 0.7778,
      tolerance: { quantity: 0.000001, priceAbsolute: 0.01, priceRelative: 0.005 },
    });
  });

  it('the trend by ISO week', () => {
    expect(card('2026-01-05', '2026-01-25').weekly).toEqual([
      {
        // files a, fa-1, c, d; sets 1 + 1 + 2 + 1 = 5 (documents 4, none rejected); O1 1800 s; ours [120, 600, 60] -> 120;
        // deliveries a, c x2, d all delivered; ASN d on time; invoice 1 of 2 matched
        week: '2026-W02', filesReceived: 4, transactionSets: 5, rejectedShare: 0, acceptedWithErrorsShare: 0, partnerAckMedianSeconds: 1800,
        partnerAckOverdueShare: 0, ourAckMedianSeconds: 120, duplicateRate: 0, resendRate: 0, deliverySuccessRate: 1, asnOnTimeShare: 1, invoiceMatchRate: 0.5,
      },
      {
        // files f, g, i, fa-2; sets 4 + 1 + 1 = 6, documents 5, rejected 3 -> 0.6; O2 172800 s, overdue 1/1; ours [300, 300, 900] -> 300;
        // f repeated 1/4 = 0.25; 2 resent sets / 6 = 0.3333; delivered g1 / (g1 + i dead) = 0.5; ASN i late
        week: '2026-W03', filesReceived: 4, transactionSets: 6, rejectedShare: 0.6, acceptedWithErrorsShare: 0, partnerAckMedianSeconds: 172800,
        partnerAckOverdueShare: 1, ourAckMedianSeconds: 300, duplicateRate: 0.25, resendRate: 0.3333, deliverySuccessRate: 0.5, asnOnTimeShare: 0, invoiceMatchRate: null,
      },
      {
        // files k, m, fa-4; sets 3, documents 2; O3 missing + O4 3600 s -> median 3600, overdue 1/2; ours [240, 60] -> 150; m has no receipt
        week: '2026-W04', filesReceived: 3, transactionSets: 3, rejectedShare: 0, acceptedWithErrorsShare: 0, partnerAckMedianSeconds: 3600,
        partnerAckOverdueShare: 0.5, ourAckMedianSeconds: 150, duplicateRate: 0, resendRate: 0, deliverySuccessRate: 1, asnOnTimeShare: null, invoiceMatchRate: null,
      },
    ]);
  });

  it('GET /api/partners/:id/scorecard answers the same figures; errors are 404 and 400', async () => {
    const res = await s.gw.api.inject({ url: '/api/partners/snacks/scorecard?from=2026-01-05&to=2026-01-25' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown>;
    expect({ ...body, generatedAt: NOW.toISOString(), partnerAcknowledgements: undefined }).toEqual({ ...card('2026-01-05', '2026-01-25'), partnerAcknowledgements: undefined });
    expect((await s.gw.api.inject({ url: '/api/partners/nobody/scorecard' })).statusCode).toBe(404);
    const bad = await s.gw.api.inject({ url: '/api/partners/snacks/scorecard?from=2026-02-01&to=2026-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'EDIGATE_INVALID_REQUEST' } });
    expect((await s.gw.api.inject({ url: '/api/partners/snacks/scorecard?from=yesterday' })).statusCode).toBe(400);
  });

  it('CSV export: the whole scorecard of week 2026-W04, exactly', async () => {
    const res = await s.gw.api.inject({ url: '/api/partners/snacks/scorecard.csv?from=2026-01-19&to=2026-01-25' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="scorecard-snacks-2026-01-19-2026-01-26.csv"');
    const viaFormat = await s.gw.api.inject({ url: '/api/partners/snacks/scorecard?from=2026-01-19&to=2026-01-25&format=csv' });
    const strip = (t: string) => t.replace(/\r\nscorecard,generatedAt,,[^\r]+/, '');
    expect(strip(viaFormat.body)).toBe(strip(res.body));
    expect(scorecardCsv(card('2026-01-19', '2026-01-25'))).toBe([
      'section,figure,key,value',
      'scorecard,partnerId,,snacks',
      'scorecard,partnerName,,"Buy Snacks, Inc."',
      'scorecard,from,,2026-01-19T00:00:00.000Z',
      'scorecard,to,,2026-01-26T00:00:00.000Z',
      'scorecard,generatedAt,,2026-02-01T00:00:00.000Z',
      // k, m, fa-4
      'received,files,,3', 'received,filesByStatus,accepted,3', 'received,transactionSets,,3',
      'received,byType.total,850,1', 'received,byType.accepted,850,1', 'received,byType.acceptedWithErrors,850,0', 'received,byType.rejected,850,0', 'received,byType.duplicate,850,0',
      'received,byType.total,856,1', 'received,byType.accepted,856,1', 'received,byType.acceptedWithErrors,856,0', 'received,byType.rejected,856,0', 'received,byType.duplicate,856,0',
      'received,byType.total,997,1', 'received,byType.accepted,997,1', 'received,byType.acceptedWithErrors,997,0', 'received,byType.rejected,997,0', 'received,byType.duplicate,997,0',
      // O3, O4; our 997s of k and m
      'sent,files,,4', 'sent,byType.total,855,2', 'sent,byType.byState,855/placed,2', 'sent,byType.total,997,2', 'sent,byType.byState,997/placed,2',
      'quality,documents,,2', 'quality,rejected,,0', 'quality,acceptedWithErrors,,0', 'quality,rejectedShare,,0', 'quality,acceptedWithErrorsShare,,0',
      // O4 3600 s; O3 missing: 1 overdue of 2
      'partnerAcknowledgements,slaSeconds,,86400', 'partnerAcknowledgements,slaSource,,default', 'partnerAcknowledgements,documents,,2',
      'partnerAcknowledgements,acknowledged,,1', 'partnerAcknowledgements,rejected,,0', 'partnerAcknowledgements,medianSeconds,,3600',
      'partnerAcknowledgements,p95Seconds,,3600', 'partnerAcknowledgements,overdue,,1', 'partnerAcknowledgements,late,,0', 'partnerAcknowledgements,missing,,1',
      'partnerAcknowledgements,pending,,0', 'partnerAcknowledgements,overdueShare,,0.5',
      // [240, 60]: median 150, p95 = 2nd = 240
      'ourAcknowledgements,sent,,2', 'ourAcknowledgements,medianSeconds,,150', 'ourAcknowledgements,p95Seconds,,240', 'ourAcknowledgements,pickedUp,,0',
      'ourAcknowledgements,awaitingPickup,,2', 'ourAcknowledgements,failed,,0', 'ourAcknowledgements,pickedUpShare,,0',
      'duplicates,byLayer,file,0', 'duplicates,byLayer,interchange,0', 'duplicates,byLayer,controlNumbers,0', 'duplicates,byLayer,businessDocument,0',
      'duplicates,files,,3', 'duplicates,filesRepeated,,0', 'duplicates,duplicateRate,,0', 'duplicates,transactionSets,,3', 'duplicates,setsRepeated,,0', 'duplicates,resendRate,,0',
      'deliveries,total,,2', 'deliveries,byState,delivered,2', 'deliveries,byDestination.delivered,erp,2', 'deliveries,byDestination.failed,erp,0',
      'deliveries,byDestination.inFlight,erp,0', 'deliveries,delivered,,2', 'deliveries,failed,,0', 'deliveries,successRate,,1',
      // m: no receipt; nothing to measure is an empty value
      'asnTimeliness,shipments,,1', 'asnTimeliness,withReceipt,,0', 'asnTimeliness,onTime,,0', 'asnTimeliness,late,,0', 'asnTimeliness,withoutReceipt,,1',
      'asnTimeliness,onTimeShare,,', 'asnTimeliness,medianLeadSeconds,,',
      'invoiceMatch,invoices,,0', 'invoiceMatch,withOrder,,0', 'invoiceMatch,matched,,0', 'invoiceMatch,mismatched,,0', 'invoiceMatch,withoutOrder,,0',
      'invoiceMatch,matchRate,,', 'invoiceMatch,lines,,0', 'invoiceMatch,linesMatched,,0', 'invoiceMatch,lineMatchRate,,',
      'invoiceMatch,tolerance.quantity,,0.000001', 'invoiceMatch,tolerance.priceAbsolute,,0.01', 'invoiceMatch,tolerance.priceRelative,,0.005',
      'weekly,filesReceived,2026-W04,3', 'weekly,transactionSets,2026-W04,3', 'weekly,rejectedShare,2026-W04,0', 'weekly,acceptedWithErrorsShare,2026-W04,0',
      'weekly,partnerAckMedianSeconds,2026-W04,3600', 'weekly,partnerAckOverdueShare,2026-W04,0.5', 'weekly,ourAckMedianSeconds,2026-W04,150',
      'weekly,duplicateRate,2026-W04,0', 'weekly,resendRate,2026-W04,0', 'weekly,deliverySuccessRate,2026-W04,1', 'weekly,asnOnTimeShare,2026-W04,',
      'weekly,invoiceMatchRate,2026-W04,',
    ].join('\r\n') + '\r\n');
  });
});

describe('scorecard queries use indexes', () => {
  it('EXPLAIN QUERY PLAN: every table is searched through an index, none scanned', () => {
    const db = openDatabase(':memory:');
    try {
      const plans = scorecardQueries().map((q) => ({
        name: q.name,
        steps: (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(Array.isArray(q.params) ? q.params : [q.params])) as Array<{ detail: string }>).map((r) => r.detail),
      }));
      expect(plans.map((p) => p.name)).toEqual(['files', 'sets', 'errors', 'duplicates', 'transmissions', 'partnerAcks', 'ourAcks', 'deliveries', 'messagesOfType', 'messagesByReference', 'receiptsByShipmentId']);
      for (const p of plans) {
        expect({ name: p.name, scans: p.steps.filter((d) => /^SCAN /.test(d)) }).toEqual({ name: p.name, scans: [] });
        expect(p.steps.some((d) => /^SEARCH .* USING (COVERING )?INDEX|^SEARCH .* USING INTEGER PRIMARY KEY/.test(d))).toBe(true);
      }
    } finally {
      db.close();
    }
  });
});

/**
 * Partner scorecards: what a partner sent and received in a period, how well and how fast, computed from the store
 * (src/store/scorecards.ts, indexed range reads), with a trend by ISO week. Definitions of every figure are in
 * README.md "Partner scorecards"; the rules for ASN timeliness and the invoice match are in ./asn.ts and
 * ./invoice-match.ts.
 */
import type { Db } from '../store/db.js';
import {
  deliveriesByDay, duplicatesByDay, errorCodes, filesByDay, messagesByReference, messagesOfType, outboundWithAcks, ourAcks, receiptsByShipmentId, setsByDay,
  transmissionsByDay, type ScorecardRange,
} from '../store/scorecards.js';
import { DUPLICATE_LAYERS } from '../store/duplicates.js';
import { isoWeek, weeksOf, type Period } from './period.js';
import { median, p95, secondsBetween, share } from './stats.js';
import { measureAsns } from './asn.js';
import { measureInvoices, PRICE_TOLERANCE_ABSOLUTE, PRICE_TOLERANCE_RELATIVE, QUANTITY_TOLERANCE } from './invoice-match.js';

/** Time a partner has to send its functional acknowledgement (997/999) for a document we sent, when no SLA is configured: 24 hours. */
export const DEFAULT_FUNCTIONAL_ACK_SLA_SECONDS = 24 * 3600;
/** Error reasons listed. */
export const TOP_ERRORS = 5;
/** Set ids that are acknowledgements: listed with the documents received, left out of the rejected/with-errors shares. */
const ACK_SET_IDS = new Set(['997', '999', 'TA1', 'CONTRL']);

/** One ISO week of the trend. */
export interface WeekFigures {
  week: string;
  filesReceived: number;
  transactionSets: number;
  rejectedShare: number | null;
  acceptedWithErrorsShare: number | null;
  partnerAckMedianSeconds: number | null;
  partnerAckOverdueShare: number | null;
  ourAckMedianSeconds: number | null;
  duplicateRate: number | null;
  resendRate: number | null;
  deliverySuccessRate: number | null;
  asnOnTimeShare: number | null;
  invoiceMatchRate: number | null;
}

export interface Scorecard {
  partnerId: string;
  partnerName: string;
  from: string;
  to: string;
  generatedAt: string;
  received: {
    files: number;
    filesByStatus: Record<string, number>;
    transactionSets: number;
    byType: Array<{ type: string; total: number; accepted: number; acceptedWithErrors: number; rejected: number; duplicate: number }>;
  };
  sent: { files: number; byType: Array<{ type: string; total: number; byState: Record<string, number> }> };
  quality: {
    documents: number; rejected: number; acceptedWithErrors: number; rejectedShare: number | null; acceptedWithErrorsShare: number | null;
    topErrors: Array<{ code: string; count: number; files: number }>;
  };
  partnerAcknowledgements: {
    slaSeconds: number; slaSource: 'default'; documents: number; acknowledged: number; rejected: number; medianSeconds: number | null; p95Seconds: number | null;
    overdue: number; late: number; missing: number; pending: number; overdueShare: number | null;
  };
  ourAcknowledgements: {
    sent: number; medianSeconds: number | null; p95Seconds: number | null;
    pickedUp: number; awaitingPickup: number; failed: number; pickedUpShare: number | null;
  };
  duplicates: {
    byLayer: Record<string, number>; files: number; filesRepeated: number; duplicateRate: number | null;
    transactionSets: number; setsRepeated: number; resendRate: number | null;
  };
  deliveries: {
    total: number; byState: Record<string, number>; byDestination: Array<{ destination: string; delivered: number; failed: number; inFlight: number }>;
    delivered: number; failed: number; successRate: number | null;
  };
  asnTimeliness: { shipments: number; withReceipt: number; onTime: number; late: number; withoutReceipt: number; onTimeShare: number | null; medianLeadSeconds: number | null };
  invoiceMatch: {
    invoices: number; withOrder: number; matched: number; mismatched: number; withoutOrder: number; matchRate: number | null;
    lines: number; linesMatched: number; lineMatchRate: number | null;
    tolerance: { quantity: number; priceAbsolute: number; priceRelative: number };
  };
  weekly: WeekFigures[];
}

/** Delivery states that end a delivery well, badly, or leave it in flight (src/store/deliveries.ts). */
const DELIVERED = new Set(['delivered']);
const FAILED = new Set(['dead', 'dismissed']);
const NOT_ATTEMPTED = new Set(['cancelled']);
/** Transmission states (src/store/transmissions.ts): collected by or delivered to the partner, waiting, failed. */
const PICKED_UP = new Set(['picked_up', 'sent']);

class Weekly {
  private readonly m = new Map<string, Record<string, number[]>>();
  add(week: string, key: string, value: number, count = 1): void {
    let w = this.m.get(week);
    if (!w) this.m.set(week, (w = {}));
    const list = (w[key] ??= [0, 0]);
    list[0]! += value;
    list[1]! += count;
  }
  /** [sum, count] */
  get(week: string, key: string): [number, number] { const v = this.m.get(week)?.[key]; return v ? [v[0]!, v[1]!] : [0, 0]; }
  private readonly lists = new Map<string, number[]>();
  push(week: string, key: string, value: number): void {
    const k = `${week}|${key}`;
    let l = this.lists.get(k);
    if (!l) this.lists.set(k, (l = []));
    l.push(value);
  }
  list(week: string, key: string): number[] { return this.lists.get(`${week}|${key}`) ?? []; }
}

const inc = (o: Record<string, number>, k: string, n = 1) => { o[k] = (o[k] ?? 0) + n; };

/**
 * Computes the scorecard of `partner` over `period`.
 * @param now the time pending acknowledgements are judged at (overdue once older than the SLA).
 * @returns figures as defined in README.md "Partner scorecards": counts, shares in [0, 1] rounded to 4 decimals
 *   (null when there is nothing to measure), durations in seconds.
 */
export function buildScorecard(db: Db, partner: { id: string; name: string }, period: Period, now: Date, opts: { slaSeconds?: number } = {}): Scorecard {
  const r: ScorecardRange = { partnerId: partner.id, from: period.from, to: period.to };
  const wk = new Weekly();
  const sla = opts.slaSeconds ?? DEFAULT_FUNCTIONAL_ACK_SLA_SECONDS;

  // Received: files and transaction sets.
  const filesByStatus: Record<string, number> = {};
  let files = 0;
  for (const f of filesByDay(db, r)) { files += f.n; inc(filesByStatus, f.status, f.n); wk.add(isoWeek(f.day), 'files', f.n); }
  const types = new Map<string, { type: string; total: number; accepted: number; acceptedWithErrors: number; rejected: number; duplicate: number }>();
  let sets = 0;
  let documents = 0;
  let rejected = 0;
  let withErrors = 0;
  for (const s of setsByDay(db, r)) {
    const t = types.get(s.setId) ?? { type: s.setId, total: 0, accepted: 0, acceptedWithErrors: 0, rejected: 0, duplicate: 0 };
    types.set(s.setId, t);
    t.total += s.n;
    if (s.outcome === 'accepted_with_errors') t.acceptedWithErrors += s.n;
    else if (s.outcome === 'rejected' || s.outcome === 'duplicate' || s.outcome === 'accepted') t[s.outcome] += s.n;
    sets += s.n;
    const w = isoWeek(s.day);
    wk.add(w, 'sets', s.n);
    if (ACK_SET_IDS.has(s.setId)) continue;
    documents += s.n;
    wk.add(w, 'documents', s.n);
    if (s.outcome === 'rejected') { rejected += s.n; wk.add(w, 'rejected', s.n); }
    if (s.outcome === 'accepted_with_errors') { withErrors += s.n; wk.add(w, 'withErrors', s.n); }
  }

  // Sent: every file we sent the partner, by kind (documents and acknowledgements).
  const sentTypes = new Map<string, { type: string; total: number; byState: Record<string, number> }>();
  let sentFiles = 0;
  for (const t of transmissionsByDay(db, r)) {
    const e = sentTypes.get(t.kind) ?? { type: t.kind, total: 0, byState: {} };
    sentTypes.set(t.kind, e);
    e.total += t.n;
    inc(e.byState, t.state, t.n);
    sentFiles += t.n;
  }

  // The partner's functional acknowledgements of our documents.
  const nowMs = now.getTime();
  const ackTimes: number[] = [];
  let acknowledged = 0; let ackRejected = 0; let overdue = 0; let late = 0; let missing = 0; let pending = 0;
  const outbound = outboundWithAcks(db, r);
  for (const d of outbound) {
    const w = isoWeek(d.createdAt);
    wk.add(w, 'outDocs', 1);
    if (d.ackReceivedAt) {
      const s = secondsBetween(d.createdAt, d.ackReceivedAt);
      acknowledged++;
      ackTimes.push(s);
      wk.push(w, 'ackTimes', s);
      if (d.ackStatus === 'rejected') ackRejected++;
      if (s > sla) { overdue++; late++; wk.add(w, 'overdue', 1); }
    } else if ((nowMs - Date.parse(d.createdAt)) / 1000 > sla) {
      overdue++; missing++; wk.add(w, 'overdue', 1);
    } else {
      pending++;
    }
  }

  // Our functional acknowledgements of the partner's files.
  const ours = ourAcks(db, r);
  const ourTimes: number[] = [];
  let pickedUp = 0; let awaiting = 0; let failedOut = 0;
  for (const a of ours) {
    const s = secondsBetween(a.fileReceivedAt, a.createdAt);
    ourTimes.push(s);
    wk.push(isoWeek(a.createdAt), 'ourTimes', s);
    if (a.transmissionState && PICKED_UP.has(a.transmissionState)) pickedUp++;
    else if (a.transmissionState === 'dead') failedOut++;
    else awaiting++;
  }

  // Duplicates and resends.
  const byLayer: Record<string, number> = Object.fromEntries(Object.keys(DUPLICATE_LAYERS).map((k) => [k, 0]));
  const layerOf = new Map(Object.entries(DUPLICATE_LAYERS).flatMap(([layer, codes]) => codes.map((c) => [c, layer] as const)));
  let filesRepeated = 0; let setsRepeated = 0;
  for (const d of duplicatesByDay(db, r)) {
    inc(byLayer, layerOf.get(d.code) ?? 'other', d.n);
    filesRepeated += d.files;
    setsRepeated += d.sets;
    const w = isoWeek(d.day);
    wk.add(w, 'filesRepeated', d.files);
    wk.add(w, 'setsRepeated', d.sets);
  }

  // Deliveries to ERP/WMS.
  const byState: Record<string, number> = {};
  const byDest = new Map<string, { destination: string; delivered: number; failed: number; inFlight: number }>();
  let deliveriesTotal = 0; let delivered = 0; let failed = 0;
  for (const d of deliveriesByDay(db, r)) {
    deliveriesTotal += d.n;
    inc(byState, d.state, d.n);
    if (NOT_ATTEMPTED.has(d.state)) continue;
    const e = byDest.get(d.destination) ?? { destination: d.destination, delivered: 0, failed: 0, inFlight: 0 };
    byDest.set(d.destination, e);
    const w = isoWeek(d.day);
    if (DELIVERED.has(d.state)) { e.delivered += d.n; delivered += d.n; wk.add(w, 'delivered', d.n); }
    else if (FAILED.has(d.state)) { e.failed += d.n; failed += d.n; wk.add(w, 'failed', d.n); }
    else e.inFlight += d.n;
  }

  // ASN timeliness.
  const asns = measureAsns(messagesOfType(db, r, 'shipment'), (ids, orders) => {
    const seen = new Set<string>();
    return [...receiptsByShipmentId(db, ids), ...messagesByReference(db, 'receipt', orders)]
      .filter((m) => !seen.has(m.id) && !!seen.add(m.id))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  });
  const measured = asns.filter((a) => a.onTime !== null);
  const onTime = measured.filter((a) => a.onTime).length;
  for (const a of measured) { const w = isoWeek(a.receivedAt); wk.add(w, 'asnMeasured', 1); if (a.onTime) wk.add(w, 'asnOnTime', 1); }

  // Invoice-to-order match.
  const invoiceMessages = messagesOfType(db, r, 'invoice');
  const invoices = measureInvoices(invoiceMessages, (refs) => messagesByReference(db, 'order', refs));
  const withOrder = invoices.filter((i) => i.orderFound);
  const matched = withOrder.filter((i) => i.matched).length;
  invoices.forEach((inv, i) => {
    if (!inv.orderFound) return;
    const w = isoWeek(invoiceMessages[i]!.createdAt);
    wk.add(w, 'invWithOrder', 1);
    if (inv.matched) wk.add(w, 'invMatched', 1);
  });
  const lines = withOrder.reduce((a, i) => a + i.lines, 0);
  const linesMatched = withOrder.reduce((a, i) => a + i.linesMatched, 0);

  const weekly: WeekFigures[] = weeksOf(period).map((week) => {
    const n = (k: string) => wk.get(week, k)[0];
    const docs = n('documents');
    return {
      week,
      filesReceived: n('files'),
      transactionSets: n('sets'),
      rejectedShare: share(n('rejected'), docs),
      acceptedWithErrorsShare: share(n('withErrors'), docs),
      partnerAckMedianSeconds: median(wk.list(week, 'ackTimes')),
      partnerAckOverdueShare: share(n('overdue'), n('outDocs')),
      ourAckMedianSeconds: median(wk.list(week, 'ourTimes')),
      duplicateRate: share(n('filesRepeated'), n('files')),
      resendRate: share(n('setsRepeated'), n('sets')),
      deliverySuccessRate: share(n('delivered'), n('delivered') + n('failed')),
      asnOnTimeShare: share(n('asnOnTime'), n('asnMeasured')),
      invoiceMatchRate: share(n('invMatched'), n('invWithOrder')),
    };
  });

  const byName = (a: { type: string }, b: { type: string }) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
  return {
    partnerId: partner.id,
    partnerName: partner.name,
    from: period.from,
    to: period.to,
    generatedAt: now.toISOString(),
    received: { files, filesByStatus: sortKeys(filesByStatus), transactionSets: sets, byType: [...types.values()].sort(byName) },
    sent: { files: sentFiles, byType: [...sentTypes.values()].sort(byName).map((t) => ({ ...t, byState: sortKeys(t.byState) })) },
    quality: {
      documents, rejected, acceptedWithErrors: withErrors, rejectedShare: share(rejected, documents), acceptedWithErrorsShare: share(withErrors, documents),
      topErrors: errorCodes(db, r, TOP_ERRORS).map((e) => ({ code: e.code, count: e.n, files: e.files })),
    },
    partnerAcknowledgements: {
      slaSeconds: sla, slaSource: 'default', documents: outbound.length, acknowledged, rejected: ackRejected,
      medianSeconds: median(ackTimes), p95Seconds: p95(ackTimes), overdue, late, missing, pending, overdueShare: share(overdue, outbound.length),
    },
    ourAcknowledgements: {
      sent: ours.length, medianSeconds: median(ourTimes), p95Seconds: p95(ourTimes), pickedUp, awaitingPickup: awaiting, failed: failedOut,
      pickedUpShare: share(pickedUp, ours.length),
    },
    duplicates: { byLayer, files, filesRepeated, duplicateRate: share(filesRepeated, files), transactionSets: sets, setsRepeated, resendRate: share(setsRepeated, sets) },
    deliveries: {
      total: deliveriesTotal, byState: sortKeys(byState), byDestination: [...byDest.values()].sort((a, b) => (a.destination < b.destination ? -1 : 1)),
      delivered, failed, successRate: share(delivered, delivered + failed),
    },
    asnTimeliness: {
      shipments: asns.length, withReceipt: measured.length, onTime, late: measured.length - onTime, withoutReceipt: asns.length - measured.length,
      onTimeShare: share(onTime, measured.length), medianLeadSeconds: median(measured.map((a) => a.leadSeconds!)),
    },
    invoiceMatch: {
      invoices: invoices.length, withOrder: withOrder.length, matched, mismatched: withOrder.length - matched, withoutOrder: invoices.length - withOrder.length,
      matchRate: share(matched, withOrder.length), lines, linesMatched, lineMatchRate: share(linesMatched, lines),
      tolerance: { quantity: QUANTITY_TOLERANCE, priceAbsolute: PRICE_TOLERANCE_ABSOLUTE, priceRelative: PRICE_TOLERANCE_RELATIVE },
    },
    weekly,
  };
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

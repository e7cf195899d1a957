/**
 * ASN timeliness: did the partner's ship notice (856, canonical shipment) reach us before the goods reached the
 * warehouse? The goods' arrival is read from a receipt (944 or RECADV, canonical receipt) from any partner (the
 * warehouse is often another partner than the supplier).
 *
 * Matching rule: a receipt belongs to a shipment when its `shipmentId` equals the shipment's `shipmentId`;
 * failing that, when the receipt carries no `shipmentId` of another shipment of the period and its
 * `purchaseOrderNumber` is one of the shipment's purchase order numbers (the shipment's own, its orders' and its
 * lines'). The earliest matching receipt counts.
 *
 * Arrival of the goods: the receipt's `receiptDate` (944 W17 receipt date, RECADV DTM 50). A date without a
 * time cannot say when in the day the goods came, so it counts as the end of that day, but never later than the
 * receipt message itself arrived (a warehouse reports goods after they came). A receipt without a date: the time
 * it arrived. On time: the shipment was received strictly before that instant.
 */
import type { ScorecardMessage } from '../store/scorecards.js';

/** One shipment with its receipt, as measured. */
export interface AsnMeasure {
  shipmentId: string | null;
  receivedAt: string;
  /** Goods arrival by the rule above; null when no receipt matched. */
  goodsReceivedAt: string | null;
  onTime: boolean | null;
  /** Seconds from the ASN to the goods (negative: the goods came first). */
  leadSeconds: number | null;
}

interface Payload { [k: string]: unknown }

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const payloadOf = (m: ScorecardMessage): Payload => ((JSON.parse(m.body) as { payload?: Payload }).payload ?? {});

/** The purchase order numbers a canonical shipment names (top level, each order, each line and package item). */
export function shipmentOrderNumbers(p: Payload): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => { const s = str(v); if (s) out.add(s); };
  add(p.purchaseOrderNumber);
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(walk); return; }
    const o = node as Payload;
    add(o.purchaseOrderNumber);
    for (const k of ['orders', 'packages', 'lines', 'items']) walk(o[k]);
  };
  for (const k of ['orders', 'packages', 'lines']) walk(p[k]);
  return [...out];
}

/** Goods arrival of a receipt message by the rule in the module comment. */
export function goodsReceivedAt(receipt: ScorecardMessage): string {
  const date = str(payloadOf(receipt).receiptDate);
  if (!date) return receipt.createdAt;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    const endOfDay = Date.parse(`${date}T00:00:00.000Z`) + 86_400_000 - 1;
    return new Date(Math.min(endOfDay, Date.parse(receipt.createdAt))).toISOString();
  }
  const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(date) ? date : `${date}Z`);
  return Number.isFinite(t) ? new Date(t).toISOString() : receipt.createdAt;
}

/**
 * Measures each shipment against the receipts that may answer it.
 * @param shipments the partner's canonical shipments of the period.
 * @param lookup receipts, oldest first, whose shipmentId is one of `shipmentIds` or whose business reference (the
 *   receipt's purchase order number) is one of `orderNumbers`.
 */
export function measureAsns(shipments: readonly ScorecardMessage[], lookup: (shipmentIds: string[], orderNumbers: string[]) => ScorecardMessage[]): AsnMeasure[] {
  const infos = shipments.map((m) => {
    const p = payloadOf(m);
    return { m, shipmentId: str(p.shipmentId), orders: shipmentOrderNumbers(p) };
  });
  const receipts = lookup([...new Set(infos.flatMap((i) => (i.shipmentId ? [i.shipmentId] : [])))], [...new Set(infos.flatMap((i) => i.orders))])
    .map((r) => ({ r, p: payloadOf(r) }));
  const ownIds = new Set(infos.map((i) => i.shipmentId).filter((s): s is string => !!s));
  // The earliest receipt per shipment id, and per order number among receipts naming no shipment of the period.
  const byShipment = new Map<string, (typeof receipts)[number]>();
  const byOrder = new Map<string, (typeof receipts)[number]>();
  for (const x of receipts) {
    const sid = str(x.p.shipmentId);
    const po = str(x.p.purchaseOrderNumber);
    if (sid && !byShipment.has(sid)) byShipment.set(sid, x);
    if (po && (!sid || !ownIds.has(sid)) && !byOrder.has(po)) byOrder.set(po, x);
  }
  return infos.map((i) => {
    let match = i.shipmentId !== null ? byShipment.get(i.shipmentId) : undefined;
    if (!match) {
      for (const po of i.orders) {
        const x = byOrder.get(po);
        if (x && (!match || x.r.createdAt < match.r.createdAt)) match = x;
      }
    }
    if (!match) return { shipmentId: i.shipmentId, receivedAt: i.m.createdAt, goodsReceivedAt: null, onTime: null, leadSeconds: null };
    const goods = goodsReceivedAt(match.r);
    return {
      shipmentId: i.shipmentId, receivedAt: i.m.createdAt, goodsReceivedAt: goods,
      onTime: Date.parse(i.m.createdAt) < Date.parse(goods), leadSeconds: (Date.parse(goods) - Date.parse(i.m.createdAt)) / 1000,
    };
  });
}

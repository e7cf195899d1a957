/**
 * Invoice-to-order match (a two-way match of the partner's invoices, 810 / INVOIC, against the purchase orders,
 * 850 / ORDERS, both as canonical messages).
 *
 * Order of an invoice: the latest canonical order (any partner) whose purchase order number equals the invoice's
 * `purchaseOrderNumber` (else the first line's). No order: the invoice is counted as `withoutOrder`, not matched
 * nor mismatched.
 *
 * Lines: each invoice line is paired with an order line by line number when both carry one (X12 IT101 = PO101),
 * else by a product id the two share (GTIN, UPC, buyer's or vendor's part number, SKU). A line matches when the
 * invoiced quantity equals the ordered quantity (QUANTITY_TOLERANCE) and the invoiced unit price is within
 * max(PRICE_TOLERANCE_ABSOLUTE, PRICE_TOLERANCE_RELATIVE x ordered price) of the ordered unit price (an order line
 * without a price matches on quantity alone). An invoice matches when every one of its lines matches.
 */
import type { ScorecardMessage } from '../store/scorecards.js';

/** Quantities are counts of units: equal up to rounding noise. */
export const QUANTITY_TOLERANCE = 1e-6;
/** Unit prices may differ by one cent... */
export const PRICE_TOLERANCE_ABSOLUTE = 0.01;
/** ...or by half a percent of the ordered price, whichever is larger. */
export const PRICE_TOLERANCE_RELATIVE = 0.005;

/** One invoice with its outcome. */
export interface InvoiceMeasure {
  invoiceNumber: string | null;
  purchaseOrderNumber: string | null;
  orderFound: boolean;
  lines: number;
  linesMatched: number;
  matched: boolean | null;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const payloadOf = (m: ScorecardMessage): Obj => ((JSON.parse(m.body) as { payload?: Obj }).payload ?? {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

const ID_FIELDS = ['gtin', 'upc', 'buyerPartNumber', 'buyerItemNumber', 'vendorPartNumber', 'sku'] as const;

/** Product ids of an order line (flat on the line) or an invoice line (under `product`), without leading zeros (GTIN-12/13/14 forms of one code compare equal). */
function productIds(line: Obj): Set<string> {
  const out = new Set<string>();
  const from = (o: Obj) => { for (const f of ID_FIELDS) { const v = str(o[f]); if (v) out.add(v.replace(/^0+/, '')); } };
  from(line);
  if (line.product && typeof line.product === 'object') from(line.product as Obj);
  return out;
}

/** The purchase order number an invoice refers to. */
export function invoiceOrderNumber(p: Obj): string | null {
  return str(p.purchaseOrderNumber) ?? str(arr(p.lines)[0]?.purchaseOrderNumber);
}

/** Pairs and compares an invoice's lines with its order's by the rule in the module comment. */
export function matchInvoice(invoice: Obj, order: Obj | undefined): Omit<InvoiceMeasure, 'invoiceNumber' | 'purchaseOrderNumber'> {
  const lines = arr(invoice.lines);
  if (!order) return { orderFound: false, lines: lines.length, linesMatched: 0, matched: null };
  const orderLines = arr(order.lines);
  let linesMatched = 0;
  for (const line of lines) {
    const ln = str(line.lineNumber);
    const ids = productIds(line);
    const target = (ln !== null ? orderLines.find((o) => str(o.lineNumber) === ln) : undefined)
      ?? orderLines.find((o) => [...productIds(o)].some((id) => ids.has(id)));
    if (!target) continue;
    const q = num(line.quantity);
    const oq = num(target.quantity);
    const price = num(line.unitPrice);
    const oprice = num(target.unitPrice);
    const qtyOk = q !== null && oq !== null && Math.abs(q - oq) <= QUANTITY_TOLERANCE;
    const priceOk = oprice === null || (price !== null && Math.abs(price - oprice) <= Math.max(PRICE_TOLERANCE_ABSOLUTE, PRICE_TOLERANCE_RELATIVE * Math.abs(oprice)) + 1e-9);
    if (qtyOk && priceOk) linesMatched++;
  }
  return { orderFound: true, lines: lines.length, linesMatched, matched: lines.length > 0 && linesMatched === lines.length };
}

/**
 * Measures each invoice against its order.
 * @param lookup orders whose business reference is one of the given purchase order numbers, oldest first.
 */
export function measureInvoices(invoices: readonly ScorecardMessage[], lookup: (references: string[]) => ScorecardMessage[]): InvoiceMeasure[] {
  const infos = invoices.map((m) => { const p = payloadOf(m); return { p, po: invoiceOrderNumber(p), number: str(p.invoiceNumber) }; });
  const orders = lookup(infos.map((i) => i.po).filter((s): s is string => !!s));
  const latest = new Map<string, Obj>();
  for (const o of orders) if (o.businessReference) latest.set(o.businessReference, payloadOf(o));
  return infos.map((i) => ({ invoiceNumber: i.number, purchaseOrderNumber: i.po, ...matchInvoice(i.p, i.po ? latest.get(i.po) : undefined) }));
}

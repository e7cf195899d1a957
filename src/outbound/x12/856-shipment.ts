/**
 * shipment -> X12 856 Ship Notice/Manifest (GS01 SH), the reverse of maps/x12-856-shipment: BSN, then the HL
 * hierarchy numbered in document order (S shipment, O order, T/P/... packages, I items; HL02 the parent), with
 * TD1/TD5/TD3/REF/DTM/N1 at the shipment level, PRF/TD1/REF/N1 per order, PO4 or TD1 and MAN (SSCC-18 as GM
 * with its application identifier 00) per package, LIN (with the lot as LT), SN1, PRF, PID, REF SE (serial
 * numbers) and DTM 036 (expiry) per item, and CTT (X12 4010 856).
 */
import type { X12OutSegment } from '../../formats/x12/writer.js';
import { registerX12Builder, type X12BuildContext } from '../x12-builder.js';
import { arr, code, gs1PartyLoop, gs1ProductPairs, refSegments, str, x12Date, x12Number } from './segments.js';

type Obj = Record<string, unknown>;

/** DTM of an ISO date or date-time (YYYY-MM-DD[THH:MM[:SS]]): DTM02 the date, DTM03 the time. */
function dtm(qualifier: string, value: unknown, ctx: X12BuildContext): X12OutSegment {
  const [date, time] = str(value).split('T');
  return { tag: 'DTM', elements: [qualifier, x12Date(date, ctx), time ? time.replace(/:/g, '') : ''] };
}
const weight = (w: unknown): { value: string; unit: string } | null => (w && typeof w === 'object' ? { value: x12Number((w as Obj).value), unit: str((w as Obj).unit) } : null);

class Hierarchy {
  private next = 1;
  readonly out: X12OutSegment[] = [];
  constructor(private readonly ctx: X12BuildContext) {}

  hl(parent: string, level: string): string {
    const id = String(this.next++);
    this.out.push({ tag: 'HL', elements: [id, parent, level] });
    return id;
  }

  item(it: Obj, parent: string, inheritedPo: string | undefined): void {
    this.hl(parent, 'I');
    const pairs = gs1ProductPairs(it.product as Obj | undefined);
    if (it.lot) pairs.push('LT', str(it.lot));
    this.out.push({ tag: 'LIN', elements: [str(it.lineNumber), ...pairs] });
    this.out.push({ tag: 'SN1', elements: ['', x12Number(it.quantity), str(it.unitOfMeasure), '', x12Number(it.quantityOrdered), it.quantityOrdered !== undefined ? str(it.unitOfMeasure) : '', '', code(it.status)] });
    if (it.purchaseOrderNumber && it.purchaseOrderNumber !== inheritedPo) this.out.push({ tag: 'PRF', elements: [str(it.purchaseOrderNumber)] });
    const desc = (it.product as Obj | undefined)?.description;
    if (desc) this.out.push({ tag: 'PID', elements: ['F', '', '', '', str(desc)] });
    for (const sn of (Array.isArray(it.serialNumbers) ? it.serialNumbers : []) as unknown[]) this.out.push({ tag: 'REF', elements: ['SE', str(sn)] });
    if (it.expiryDate) this.out.push(dtm('036', it.expiryDate, this.ctx));
  }

  pkg(p: Obj, parent: string, po: string | undefined): void {
    const id = this.hl(parent, str(p.levelCode) || 'P');
    const w = weight(p.grossWeight);
    if (p.packageType || p.packageCount !== undefined) {
      this.out.push({ tag: 'TD1', elements: [str(p.packageType), x12Number(p.packageCount), '', '', '', w ? 'G' : '', w?.value ?? '', w?.unit ?? ''] });
    } else if (w) {
      this.out.push({ tag: 'PO4', elements: ['', '', '', '', '', w.value, w.unit] });
    }
    if (p.sscc) {
      const s = str(p.sscc);
      this.out.push({ tag: 'MAN', elements: ['GM', /^\d{18}$/.test(s) ? `00${s}` : s] });
    }
    for (const m of arr(p.marks)) this.out.push({ tag: 'MAN', elements: [str(m.qualifier), str(m.value)] });
    for (const sub of arr(p.packages)) this.pkg(sub, id, po);
    for (const it of arr(p.items)) this.item(it, id, po);
  }

  order(o: Obj, parent: string): void {
    const id = this.hl(parent, 'O');
    const po = o.purchaseOrderNumber === undefined ? undefined : str(o.purchaseOrderNumber);
    this.out.push({ tag: 'PRF', elements: [po ?? '', str(o.releaseNumber), '', o.purchaseOrderDate ? x12Date(o.purchaseOrderDate, this.ctx) : ''] });
    const w = weight(o.grossWeight);
    if (o.packageType || o.packageCount !== undefined || w) {
      this.out.push({ tag: 'TD1', elements: [str(o.packageType), x12Number(o.packageCount), '', '', '', w ? 'G' : '', w?.value ?? '', w?.unit ?? ''] });
    }
    this.out.push(...refSegments(o.references));
    for (const party of arr(o.parties)) this.out.push(...gs1PartyLoop(party));
    for (const p of arr(o.packages)) this.pkg(p, id, po);
    for (const it of arr(o.lines)) this.item(it, id, po);
  }
}

registerX12Builder({
  messageType: 'shipment',
  setId: '856',
  functionalId: 'SH',
  businessReference: (p) => str(p.shipmentId) || null,
  build(p, ctx) {
    const documentDate = str(p.documentDate || p.despatchDate || ctx.now.toISOString().slice(0, 16));
    const [date, time] = documentDate.split('T');
    const out: X12OutSegment[] = [{ tag: 'BSN', elements: [code(p.purpose) || '00', str(p.shipmentId), x12Date(date, ctx), (time ?? '0000').replace(/:/g, '')] }];
    const h = new Hierarchy(ctx);
    const ship = h.hl('', 'S');
    const totals = (p.totals ?? {}) as Obj;
    const gw = weight(totals.grossWeight);
    const vol = weight(totals.volume);
    if (totals.packageCount !== undefined || gw || vol) {
      h.out.push({ tag: 'TD1', elements: ['', x12Number(totals.packageCount), '', '', '', gw ? 'G' : '', gw?.value ?? '', gw?.unit ?? '', vol?.value ?? '', vol?.unit ?? ''] });
    }
    const c = (p.carrier ?? {}) as Obj;
    if (c.scac || c.name || c.transportMode) {
      h.out.push({ tag: 'TD5', elements: ['', c.scac ? '2' : '', str(c.scac), code(c.transportMode), str(c.name)] });
    }
    if (c.meansOfTransport) {
      const m = str(c.meansOfTransport);
      const sp = m.indexOf(' ');
      const split = sp > 0 && sp <= 4;
      h.out.push({ tag: 'TD3', elements: ['', split ? m.slice(0, sp) : '', split ? m.slice(sp + 1) : m] });
    }
    const refs = arr(p.references);
    h.out.push(...refSegments(refs));
    if (c.trackingNumber && !refs.some((r) => r.qualifier === 'CN')) h.out.push({ tag: 'REF', elements: ['CN', str(c.trackingNumber)] });
    if (c.billOfLading && !refs.some((r) => r.qualifier === 'BM')) h.out.push({ tag: 'REF', elements: ['BM', str(c.billOfLading)] });
    if (p.despatchDate) h.out.push(dtm('011', p.despatchDate, ctx));
    if (p.estimatedDeliveryDate) h.out.push(dtm('017', p.estimatedDeliveryDate, ctx));
    if (p.scheduledDeliveryDate) h.out.push(dtm('067', p.scheduledDeliveryDate, ctx));
    for (const party of arr(p.parties)) h.out.push(...gs1PartyLoop(party));
    for (const o of arr(p.orders)) h.order(o, ship);
    for (const pk of arr(p.packages)) h.pkg(pk, ship, undefined);
    for (const it of arr(p.lines)) h.item(it, ship, undefined);
    const hlCount = h.out.filter((s) => s.tag === 'HL').length;
    out.push(...h.out, { tag: 'CTT', elements: [x12Number(totals.lineCount ?? hlCount)] });
    return out;
  },
});

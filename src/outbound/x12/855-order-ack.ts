/**
 * order_ack -> X12 855 Purchase Order Acknowledgment (GS01 PR), the reverse of maps/x12-855-order-ack:
 * BAK, CUR, REF, PER, DTM, N1 loops, then per line PO1, PID, ACK, SCH, DTM, REF, and CTT (X12 4010/5010 855).
 */
import type { X12OutSegment } from '../../formats/x12/writer.js';
import { registerX12Builder, type X12BuildContext } from '../x12-builder.js';
import { arr, code, dtmSegments, partyLoop, perSegment, productIdPairs, refSegments, x12Date, x12Number, DATE_QUALIFIERS } from './segments.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** SCH of a schedule: SCH01 quantity, SCH02 unit, SCH05/06 and SCH08/09 the first two dates with SCH07/SCH10 times. */
function schSegment(s: Obj, ctx: X12BuildContext): X12OutSegment {
  const dates: Array<[string, string, string]> = [];
  for (const [name, value] of Object.entries((s.dates ?? {}) as Obj)) {
    const q = DATE_QUALIFIERS[name];
    if (q) dates.push([q, x12Date(value, ctx), '']);
  }
  for (const d of arr(s.otherDates)) dates.push([str(d.qualifier), x12Date(d.date, ctx), str(d.time)]);
  const [a, b] = dates;
  return { tag: 'SCH', elements: [x12Number(s.quantity), str(s.unitOfMeasure), '', '', a?.[0] ?? '', a?.[1] ?? '', a?.[2] ?? '', b?.[0] ?? '', b?.[1] ?? '', b?.[2] ?? ''] };
}

/** ACK of a line acknowledgment: status, quantity, unit, date, request reference, product ids (ACK07..26), industry code (ACK27..29). */
function ackSegment(a: Obj, ctx: X12BuildContext): X12OutSegment {
  const ids = productIdPairs({ productIds: a.productIds }).slice(0, 20);
  while (ids.length < 20) ids.push('');
  const industry = (a.industryCode ?? null) as Obj | null;
  const [agency, list] = industry ? str(industry.qualifier).split('/') : ['', ''];
  return {
    tag: 'ACK',
    elements: [code(a.status), x12Number(a.quantity), str(a.unitOfMeasure), str(a.dateQualifier), a.date ? x12Date(a.date, ctx) : '', str(a.requestReference),
      ...ids, industry ? agency ?? '' : '', industry ? list ?? '' : '', industry ? str(industry.value) : ''],
  };
}

registerX12Builder({
  messageType: 'order_ack',
  setId: '855',
  functionalId: 'PR',
  businessReference: (p) => str(p.purchaseOrderNumber) || null,
  build(p, ctx) {
    const out: X12OutSegment[] = [{
      tag: 'BAK',
      elements: [code(p.purpose), code(p.acknowledgmentType), str(p.purchaseOrderNumber), x12Date(p.orderDate, ctx), str(p.releaseNumber),
        str(p.requestReference), str(p.contractNumber), str(p.sellerOrderNumber), p.acknowledgmentDate ? x12Date(p.acknowledgmentDate, ctx) : '', str(p.transactionTypeCode)],
    }];
    if (p.currency) out.push({ tag: 'CUR', elements: ['BT', str(p.currency)] });
    out.push(...refSegments(p.references));
    for (const c of arr(p.contacts)) out.push(perSegment(c));
    out.push(...dtmSegments(p.dates, p.otherDates, ctx));
    for (const party of arr(p.parties)) out.push(...partyLoop(party));
    const lines = arr(p.lines);
    for (const l of lines) {
      const ids = productIdPairs(l);
      out.push({ tag: 'PO1', elements: [str(l.lineNumber), x12Number(l.quantity), str(l.unitOfMeasure), x12Number(l.unitPrice), str(l.priceBasis), ...ids] });
      if (l.description) out.push({ tag: 'PID', elements: ['F', '', '', '', str(l.description)] });
      for (const c of arr(l.characteristics)) out.push({ tag: 'PID', elements: ['F', str(c.code), '', '', str(c.text)] });
      for (const a of arr(l.acknowledgments)) out.push(ackSegment(a, ctx));
      for (const s of arr(l.schedules)) out.push(schSegment(s, ctx));
      out.push(...dtmSegments(l.dates, l.otherDates, ctx));
      out.push(...refSegments(l.references));
    }
    const totals = (p.totals ?? {}) as Obj;
    const hash = totals.hashTotal ?? lines.reduce((sum, l) => sum + (typeof l.quantity === 'number' ? l.quantity : 0), 0);
    if (lines.length || p.totals) out.push({ tag: 'CTT', elements: [x12Number(totals.lineItemCount ?? lines.length), x12Number(hash)] });
    return out;
  },
});

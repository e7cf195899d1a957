/**
 * warehouse_order -> X12 940 Warehouse Shipping Order (GS01 OW), the reverse of maps/x12-940-warehouse-order:
 * W05, N1 loops, N9, G62, NTE, W66, then per line LX, W01, G69, W20, N9, G62, NTE, and W76 (X12 4010 940).
 */
import type { X12OutSegment } from '../../formats/x12/writer.js';
import { registerX12Builder, type X12BuildContext } from '../x12-builder.js';
import { arr, code, partyLoop, productIdPairs, x12Date, x12Number } from './segments.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** N9 of references ({ qualifier, value, description }). */
function n9(refs: unknown): X12OutSegment[] {
  return arr(refs).map((r) => ({ tag: 'N9', elements: [str(r.qualifier), str(r.value), str(r.description)] }));
}

/** G62 of date-times ({ qualifier, date, timeQualifier, time, timeZone }). */
function g62(dateTimes: unknown, ctx: X12BuildContext): X12OutSegment[] {
  return arr(dateTimes).map((d) => ({ tag: 'G62', elements: [str(d.qualifier), x12Date(d.date, ctx), str(d.timeQualifier), str(d.time), str(d.timeZone)] }));
}

/** NTE of notes ({ qualifier, text }). */
function nte(notes: unknown): X12OutSegment[] {
  return arr(notes).map((n) => ({ tag: 'NTE', elements: [str(n.qualifier), str(n.text)] }));
}

registerX12Builder({
  messageType: 'warehouse_order',
  setId: '940',
  functionalId: 'OW',
  businessReference: (p) => str(p.depositorOrderNumber) || null,
  build(p, ctx) {
    const out: X12OutSegment[] = [{
      tag: 'W05',
      elements: [str(p.orderStatusCode) || 'N', str(p.depositorOrderNumber), str(p.purchaseOrderNumber), str(p.linkSequenceNumber), str(p.masterReferenceNumber), str(p.transactionTypeCode)],
    }];
    for (const party of arr(p.parties)) out.push(...partyLoop(party));
    out.push(...n9(p.references), ...g62(p.dateTimes, ctx), ...nte(p.notes));
    const c = p.carrier as Obj | undefined;
    if (c) {
      out.push({
        tag: 'W66',
        elements: [code(c.methodOfPayment), code(c.transportationMethod), str(c.palletExchangeCode), str(c.unitLoadOptionCode), str(c.routing), str(c.fobPointCode),
          str(c.fobPoint), str(c.codMethodOfPayment), x12Number(c.codAmount), str(c.scac)],
      });
    }
    arr(p.lines).forEach((l, i) => {
      out.push({ tag: 'LX', elements: [str(l.lineNumber) || String(i + 1)] });
      const ids = productIdPairs(l).slice(0, 4);
      while (ids.length < 4) ids.push('');
      out.push({ tag: 'W01', elements: [x12Number(l.quantity), str(l.unitOfMeasure), str(l.upcCaseCode), ...ids, str(l.freightClass), '', '', '', '', str(l.warehouseLotNumber), str(l.productConditionCode)] });
      if (l.description) out.push({ tag: 'G69', elements: [str(l.description)] });
      const w = l.weight as Obj | undefined;
      if (w || l.pack !== undefined) {
        out.push({ tag: 'W20', elements: [x12Number(l.pack), '', '', x12Number(w?.weight), str(w?.weightQualifier), str(w?.weightUnit)] });
      }
      out.push(...n9(l.references), ...g62(l.dateTimes, ctx), ...nte(l.notes));
    });
    const t = p.totals as Obj | undefined;
    if (t) out.push({ tag: 'W76', elements: [x12Number(t.quantity), x12Number(t.weight), str(t.weightUnit), x12Number(t.volume), str(t.volumeUnit)] });
    return out;
  },
});

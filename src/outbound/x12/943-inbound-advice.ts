/**
 * inbound_advice -> X12 943 Warehouse Stock Transfer Shipment Advice (GS01 AR), the reverse of
 * maps/x12-943-inbound-advice: W06, N1 loops, N9, G62, NTE, W27, then per line W04, G69, N9 (LT lot), W20, G62,
 * and W03 totals (X12 4010 943).
 */
import type { X12OutSegment } from '../../formats/x12/writer.js';
import { registerX12Builder, type X12BuildContext } from '../x12-builder.js';
import { arr, code, partyLoop, productIdPairs, x12Date, x12Number } from './segments.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const n9 = (refs: unknown): X12OutSegment[] => arr(refs).map((r) => ({ tag: 'N9', elements: [str(r.qualifier), str(r.value), str(r.description)] }));
const g62 = (d: unknown, ctx: X12BuildContext): X12OutSegment[] =>
  arr(d).map((x) => ({ tag: 'G62', elements: [str(x.qualifier), x12Date(x.date, ctx), str(x.timeQualifier), str(x.time), str(x.timeZone)] }));

registerX12Builder({
  messageType: 'inbound_advice',
  setId: '943',
  functionalId: 'AR',
  businessReference: (p) => str(p.depositorOrderNumber) || str(p.shipmentId) || null,
  build(p, ctx) {
    const out: X12OutSegment[] = [{
      tag: 'W06',
      elements: [str(p.reportingCode) || 'N', str(p.depositorOrderNumber), p.shipmentDate ? x12Date(p.shipmentDate, ctx) : '', str(p.shipmentId), str(p.agentShipmentId),
        str(p.purchaseOrderNumber), str(p.masterReferenceNumber)],
    }];
    for (const party of arr(p.parties)) out.push(...partyLoop(party));
    out.push(...n9(p.references), ...g62(p.dateTimes, ctx));
    for (const n of arr(p.notes)) out.push({ tag: 'NTE', elements: [str(n.qualifier), str(n.text)] });
    const c = p.carrier as Obj | undefined;
    if (c) {
      out.push({ tag: 'W27', elements: [code(c.transportationMethod), str(c.scac), str(c.routing), code(c.methodOfPayment), str(c.equipmentDescriptionCode), str(c.equipmentInitial), str(c.equipmentNumber)] });
    }
    for (const l of arr(p.lines)) {
      const ids = productIdPairs(l);
      const first = ids.slice(0, 4);
      while (first.length < 4) first.push('');
      const third = ids.slice(4, 6);
      out.push({ tag: 'W04', elements: [x12Number(l.quantity), str(l.unitOfMeasure), str(l.upcCaseCode), ...first, str(l.freightClass), '', '', '', '', '', ...third] });
      if (l.description) out.push({ tag: 'G69', elements: [str(l.description)] });
      const refs = arr(l.references);
      if (l.lotNumber && !refs.some((r) => r.qualifier === 'LT')) out.push({ tag: 'N9', elements: ['LT', str(l.lotNumber)] });
      out.push(...n9(refs));
      const w = l.weight as Obj | undefined;
      if (w || l.pack !== undefined) out.push({ tag: 'W20', elements: [x12Number(l.pack), '', '', x12Number(w?.weight), str(w?.weightQualifier), str(w?.weightUnit)] });
      out.push(...g62(l.dateTimes, ctx));
    }
    const t = p.totals as Obj | undefined;
    if (t) out.push({ tag: 'W03', elements: [x12Number(t.quantity), x12Number(t.weight), str(t.weightUnit), x12Number(t.volume), str(t.volumeUnit)] });
    return out;
  },
});

/**
 * load_tender -> X12 204 Motor Carrier Load Tender (GS01 SM), the reverse of maps/x12-204-load-tender:
 * B2, B2A, L11, G62, NTE, N1 loops (with L11), N7, then per stop S5, L11, G62, AT8, NTE, N1 loops, L5 with AT8,
 * and L3 totals (X12 4010 204). Field layouts are those of the inbound map's map.yaml.
 */
import type { X12OutSegment } from '../../formats/x12/writer.js';
import { registerX12Builder, type X12BuildContext } from '../x12-builder.js';
import { arr, code, fromRecord, partyLoop, x12Date, x12Number } from './segments.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const TOTALS = { weight: 'L301:R', weightQualifier: 'L302', freightRate: 'L303:R', rateQualifier: 'L304', charge: 'L305:N2', advances: 'L306:N2', prepaidAmount: 'L307:N2', specialChargeCode: 'L308', volume: 'L309:R', volumeUnit: 'L310', ladingQuantity: 'L311:N0', weightUnit: 'L312' };
const STOP = { weight: 'S503:R', weightUnit: 'S504', quantity: 'S505:R', unitOfMeasure: 'S506', volume: 'S507:R', volumeUnit: 'S508', description: 'S509' };
const WEIGHT = { weightQualifier: 'AT801', weightUnit: 'AT802', weight: 'AT803:R', ladingQuantity: 'AT804:N0', unitizedLadingQuantity: 'AT805:N0', volumeUnit: 'AT806', volume: 'AT807:R' };
const LADING = { ladingLineNumber: 'L501', description: 'L502', commodityCode: 'L503', commodityCodeQualifier: 'L504', packagingCode: 'L505', marks: 'L506', marksQualifier: 'L507' };
const EQUIPMENT = { equipmentInitial: 'N701', equipmentNumber: 'N702', equipmentDescriptionCode: 'N711', length: 'N715' };

const l11 = (refs: unknown): X12OutSegment[] => arr(refs).map((r) => ({ tag: 'L11', elements: [str(r.value), str(r.qualifier), str(r.description)] }));
const g62 = (d: unknown, ctx: X12BuildContext): X12OutSegment[] =>
  arr(d).map((x) => ({ tag: 'G62', elements: [str(x.qualifier), x12Date(x.date, ctx), str(x.timeQualifier), str(x.time), str(x.timeZone)] }));
const nte = (notes: unknown): X12OutSegment[] => arr(notes).map((n) => ({ tag: 'NTE', elements: [str(n.qualifier), str(n.text)] }));
const at8 = (weights: unknown): X12OutSegment[] => arr(weights).map((w) => ({ tag: 'AT8', elements: fromRecord(w, 'AT8', WEIGHT) }));
/** N1 loop of the 204: references are L11 there, not REF. */
const parties = (ps: unknown): X12OutSegment[] => arr(ps).flatMap((p) => [...partyLoop({ ...p, references: undefined }), ...l11(p.references)]);

registerX12Builder({
  messageType: 'load_tender',
  setId: '204',
  functionalId: 'SM',
  businessReference: (p) => str(p.shipmentId) || null,
  build(p, ctx) {
    const out: X12OutSegment[] = [{ tag: 'B2', elements: [str(p.tariffServiceCode), str(p.scac), '', str(p.shipmentId), '', code(p.methodOfPayment)] }];
    if (p.purpose || p.applicationType) out.push({ tag: 'B2A', elements: [code(p.purpose), str(p.applicationType)] });
    out.push(...l11(p.references), ...g62(p.dateTimes, ctx), ...nte(p.notes), ...parties(p.parties));
    for (const e of arr(p.equipment)) out.push({ tag: 'N7', elements: fromRecord(e, 'N7', EQUIPMENT) });
    for (const s of arr(p.stops)) {
      const s5 = fromRecord(s, 'S5', STOP);
      s5[0] = x12Number(s.sequence);
      s5[1] = code(s.reason);
      out.push({ tag: 'S5', elements: Array.from(s5, (v) => v ?? '') });
      out.push(...l11(s.references), ...g62(s.dateTimes, ctx), ...at8(s.weights), ...nte(s.notes), ...parties(s.parties));
      for (const l of arr(s.lading)) out.push({ tag: 'L5', elements: fromRecord(l, 'L5', LADING) }, ...at8(l.weights));
    }
    if (p.totals) out.push({ tag: 'L3', elements: fromRecord(p.totals as Obj, 'L3', TOTALS) });
    return out;
  },
});

/**
 * invoice -> X12 810 Invoice (GS01 IN), the reverse of maps/x12-810-invoice: BIG (date, number, PO date, PO number,
 * release, type, purpose), NTE, CUR, REF, N1 loops, ITD, DTM 011/035, then per line IT1, PID, REF PO/LT, TXI, SAC, and
 * TDS, TXI, SAC, CTT (X12 4010 810). Amounts in TDS, SAC05 and ITD08 are N2 (two implied decimals).
 */
import type { X12OutSegment } from '../../formats/x12/writer.js';
import { registerX12Builder, type X12BuildContext } from '../x12-builder.js';
import { arr, code, fromRecord, gs1PartyLoop, gs1ProductPairs, str, x12Date, x12Number } from './segments.js';

type Obj = Record<string, unknown>;
const TERMS = { typeCode: 'ITD01', discountPercent: 'ITD03:R', discountDueDate: 'ITD04:DT', discountDays: 'ITD05:N0', dueDate: 'ITD06:DT', netDays: 'ITD07:N0', discountAmount: 'ITD08:N2', description: 'ITD12' };
const TOTALS = { invoiceTotal: 'TDS01:N2', amountSubjectToDiscount: 'TDS02:N2', discountedAmountDue: 'TDS03:N2', termsDiscountAmount: 'TDS04:N2' };

/** SAC of an allowance or charge: SAC01 A/C, SAC02 code, SAC05 amount (N2), SAC07 percent, SAC08 rate, SAC15 description. */
function sac(a: Obj): X12OutSegment {
  const amount = a.amount === undefined ? '' : String(Math.round(Number(a.amount) * 100));
  return { tag: 'SAC', elements: [a.indicator === 'allowance' ? 'A' : 'C', str(a.code), '', '', amount, '', x12Number(a.percent), x12Number(a.rate), '', '', '', '', '', '', str(a.description)] };
}
const txi = (t: Obj): X12OutSegment => ({ tag: 'TXI', elements: [str(t.type), x12Number(t.amount), x12Number(t.rate)] });

registerX12Builder({
  messageType: 'invoice',
  setId: '810',
  functionalId: 'IN',
  businessReference: (p) => str(p.invoiceNumber) || null,
  build(p, ctx: X12BuildContext) {
    // References the BIG carries: the PO (with its date) and the release (RE), in that order; the rest are REF.
    const refs = arr(p.references);
    let i = 0;
    const poRef = refs[0]?.qualifier === 'PO' && refs[0]?.value === p.purchaseOrderNumber ? refs[i++] : undefined;
    const release = refs[i]?.qualifier === 'RE' && !refs[i]?.date ? refs[i++] : undefined;
    const out: X12OutSegment[] = [{
      tag: 'BIG',
      elements: [x12Date(p.invoiceDate, ctx), str(p.invoiceNumber), poRef?.date ? x12Date(poRef.date, ctx) : '', str(p.purchaseOrderNumber), str(release?.value), '',
        code(p.invoiceType), code(p.purpose)],
    }];
    for (const n of (Array.isArray(p.notes) ? p.notes : []) as unknown[]) out.push({ tag: 'NTE', elements: ['', str(n)] });
    if (p.currency) out.push({ tag: 'CUR', elements: ['SE', str(p.currency)] });
    for (const r of refs.slice(i)) out.push({ tag: 'REF', elements: [str(r.qualifier), str(r.value)] });
    for (const party of arr(p.parties)) out.push(...gs1PartyLoop(party));
    for (const t of arr(p.paymentTerms)) out.push({ tag: 'ITD', elements: fromRecord(t, 'ITD', TERMS) });
    if (p.shipDate) out.push({ tag: 'DTM', elements: ['011', x12Date(p.shipDate, ctx)] });
    if (p.deliveryDate) out.push({ tag: 'DTM', elements: ['035', x12Date(p.deliveryDate, ctx)] });
    const lines = arr(p.lines);
    for (const l of lines) {
      out.push({ tag: 'IT1', elements: [str(l.lineNumber), x12Number(l.quantity), str(l.unitOfMeasure), x12Number(l.unitPrice), '', ...gs1ProductPairs(l.product as Obj | undefined)] });
      const desc = (l.product as Obj | undefined)?.description;
      if (desc) out.push({ tag: 'PID', elements: ['F', '', '', '', str(desc)] });
      if (l.purchaseOrderNumber) out.push({ tag: 'REF', elements: ['PO', str(l.purchaseOrderNumber)] });
      if (l.lot) out.push({ tag: 'REF', elements: ['LT', str(l.lot)] });
      for (const t of arr(l.taxes)) out.push(txi(t));
      for (const a of arr(l.allowancesCharges)) out.push(sac(a));
    }
    const totals = (p.totals ?? {}) as Obj;
    // TDS01 is mandatory: without an invoice total, the sum of the lines (quantity x unit price), rounded to the cent.
    const invoiceTotal = totals.invoiceTotal ?? Math.round(lines.reduce((sum, l) => sum + Number(l.quantity ?? 0) * Number(l.unitPrice ?? 0), 0) * 100) / 100;
    out.push({ tag: 'TDS', elements: fromRecord({ ...totals, invoiceTotal }, 'TDS', TOTALS) });
    for (const t of arr(p.taxes)) out.push(txi(t));
    for (const a of arr(p.allowancesCharges)) out.push(sac(a));
    out.push({ tag: 'CTT', elements: [x12Number(totals.lineCount ?? lines.length)] });
    return out;
  },
});

/**
 * What a map costs when it is plain code instead of JSONata: a TypeScript function giving the same
 * canonical order as maps/x12-850-order for the 850s that bench/generate.ts writes (BEG, REF, DTM, N1
 * loop with N3/N4, PO1 with PID, CTT). Stage 4 of bench/run.ts checks that its output equals the JSONata
 * map's on every set it maps, then times it. Not a map of the product: segments the generator never
 * writes (N9, PER, TD5, ITD, AMT, line-level N1/DTM/REF...) are ignored here.
 */
import type { X12Segment } from '../src/formats/x12/types.js';

type Json = Record<string, unknown>;

const PURPOSES: Record<string, string> = { '00': 'Original', '01': 'Cancellation', '02': 'Add', '03': 'Delete', '04': 'Change', '05': 'Replace', '06': 'Confirmation', '07': 'Duplicate', '22': 'Information Copy' };
const ORDER_TYPES: Record<string, string> = {
  SA: 'Stand-alone Order', NE: 'New Order', BK: 'Blanket Order (Quantity Firm)', BE: 'Blanket Order/Estimated Quantities (Not Firm Commitment)',
  RL: 'Release or Delivery Order', RE: 'Reorder', RO: 'Rush Order', DS: 'Dropship', CN: 'Consigned Order', OS: 'Special Order', PR: 'Promotion Information',
  SP: 'Sample', ST: 'Standing Order', SS: 'Supply or Service Order', CF: 'Confirmation', EO: 'Emergency Order',
};
const ROLES: Record<string, string> = { BY: 'buyer', OB: 'buyer', ST: 'shipTo', BT: 'billTo', VN: 'vendor', SU: 'vendor', SE: 'vendor', SF: 'shipFrom' };
const DATE_NAMES: Record<string, string> = {
  '001': 'cancelAfter', '002': 'requestedDeliveryDate', '007': 'effectiveDate', '010': 'requestedShipDate', '017': 'estimatedDeliveryDate',
  '036': 'expirationDate', '037': 'shipNotBefore', '038': 'shipNoLater', '063': 'doNotDeliverAfter', '064': 'doNotDeliverBefore',
  '067': 'scheduledDeliveryDate', '068': 'scheduledShipDate', '106': 'requiredBy', '118': 'requestedPickupDate', '175': 'cancelIfNotShippedBy',
};

const DIGITS = /^[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

function isoDate(text: string | undefined, century?: string): string | undefined {
  if (text === undefined || !DIGITS.test(text)) return text;
  const n = text.length;
  if (n === 8 || n === 12 || n === 14) return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  if (n === 6) {
    const cc = century !== undefined && century.length === 2 && DIGITS.test(century) ? century : text < '50' ? '20' : '19';
    return `${cc}${text.slice(0, 2)}-${text.slice(2, 4)}-${text.slice(4, 6)}`;
  }
  return text;
}

function decimal(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : text;
}

/** Element `i` (1-based, as in PO102) when present and not empty. */
const el = (s: X12Segment | undefined, i: number): string | undefined => {
  const v = s?.elements[i - 1];
  return v === undefined || v === '' ? undefined : v;
};

/** Sets `k` when `v` is not undefined (JSONata leaves out undefined fields). */
function put(o: Json, k: string, v: unknown): void {
  if (v !== undefined) o[k] = v;
}

function party(n1: X12Segment, n3: X12Segment[], n4: X12Segment | undefined): Json {
  const p: Json = { role: ROLES[el(n1, 1) ?? ''] ?? 'other' };
  put(p, 'entityCode', el(n1, 1));
  put(p, 'name', el(n1, 2));
  if (el(n1, 4)) p.ids = [{ qualifier: el(n1, 3), value: el(n1, 4) }];
  const lines: string[] = [];
  for (const s of n3) for (const i of [1, 2]) { const v = el(s, i); if (v !== undefined) lines.push(v); }
  if (lines.length || n4) {
    const a: Json = {};
    if (lines.length) a.lines = lines;
    put(a, 'city', el(n4, 1));
    put(a, 'stateOrProvince', el(n4, 2));
    put(a, 'postalCode', el(n4, 3));
    put(a, 'country', el(n4, 4));
    p.address = a;
  }
  return p;
}

function line(po1: X12Segment, pids: X12Segment[], position: number): Json {
  const ids: Array<{ qualifier: string; value: string }> = [];
  for (let i = 6; i < 25; i += 2) {
    const q = el(po1, i);
    const v = el(po1, i + 1);
    if (q !== undefined && v !== undefined) ids.push({ qualifier: q, value: v });
  }
  const valueOf = (qs: string[]) => {
    for (const q of qs) { const hit = ids.find((p) => p.qualifier === q); if (hit) return hit.value; }
    return undefined;
  };
  const l: Json = { position };
  put(l, 'lineNumber', el(po1, 1));
  put(l, 'quantity', decimal(el(po1, 2)));
  put(l, 'unitOfMeasure', el(po1, 3));
  put(l, 'unitPrice', decimal(el(po1, 4)));
  put(l, 'priceBasis', el(po1, 5));
  put(l, 'buyerPartNumber', valueOf(['BP']));
  put(l, 'buyerItemNumber', valueOf(['IN']));
  put(l, 'vendorPartNumber', valueOf(['VP', 'VN']));
  put(l, 'gtin', valueOf(['UK', 'EN', 'UA']));
  put(l, 'upc', valueOf(['UP']));
  put(l, 'sku', valueOf(['SK']));
  if (ids.length) l.productIds = ids;
  if (pids.length) {
    const desc = pids.filter((p) => (el(p, 2) ?? '08') === '08').map((p) => el(p, 5)).filter((v): v is string => v !== undefined);
    if (desc.length) l.description = desc.join(' ');
    const ch = pids.filter((p) => el(p, 5) !== undefined && (el(p, 2) ?? '08') !== '08').map((p) => ({ code: el(p, 2), text: el(p, 5) }));
    if (ch.length) l.characteristics = ch;
  }
  return l;
}

/** The canonical order payload of one 850 (ST..SE segments), for the segments listed in the module comment. */
export function map850(segments: readonly X12Segment[]): Json {
  let beg: X12Segment | undefined;
  let ctt: X12Segment | undefined;
  const refs: Json[] = [];
  const dtms: X12Segment[] = [];
  const parties: Json[] = [];
  const lines: Json[] = [];
  let n1: X12Segment | undefined;
  let n3: X12Segment[] = [];
  let n4: X12Segment | undefined;
  let po1: X12Segment | undefined;
  let pids: X12Segment[] = [];
  const closeParty = () => { if (n1) parties.push(party(n1, n3, n4)); n1 = undefined; n3 = []; n4 = undefined; };
  const closeLine = () => { if (po1) lines.push(line(po1, pids, lines.length + 1)); po1 = undefined; pids = []; };
  for (const s of segments) {
    switch (s.tag) {
      case 'BEG': beg = s; break;
      case 'REF': if (!po1) { const r: Json = { qualifier: el(s, 1), value: el(s, 2) ?? el(s, 3) }; if (el(s, 2)) put(r, 'description', el(s, 3)); refs.push(r); } break;
      case 'DTM': if (!po1) dtms.push(s); break;
      case 'N1': closeParty(); n1 = s; break;
      case 'N3': if (n1) n3.push(s); break;
      case 'N4': if (n1) n4 ??= s; break;
      case 'PO1': closeParty(); closeLine(); po1 = s; break;
      case 'PID': if (po1) pids.push(s); break;
      case 'CTT': closeParty(); closeLine(); ctt = s; break;
      default: break;
    }
  }
  closeParty();
  closeLine();
  const o: Json = {};
  put(o, 'purchaseOrderNumber', el(beg, 3));
  put(o, 'orderDate', isoDate(el(beg, 5)));
  if (el(beg, 1)) { const p: Json = { code: el(beg, 1) }; put(p, 'meaning', PURPOSES[el(beg, 1)!]); o.purpose = p; }
  if (el(beg, 2)) { const t: Json = { code: el(beg, 2) }; put(t, 'meaning', ORDER_TYPES[el(beg, 2)!]); o.orderType = t; }
  put(o, 'releaseNumber', el(beg, 4));
  put(o, 'contractNumber', el(beg, 6));
  if (parties.length) o.parties = parties;
  if (dtms.length) {
    const dates: Json = {};
    const other: Json[] = [];
    for (const d of dtms) {
      const name = DATE_NAMES[el(d, 1) ?? ''];
      if (name && el(d, 2)) dates[name] = isoDate(el(d, 2), el(d, 5));
      else if (!name && el(d, 2)) { const x: Json = { qualifier: el(d, 1), date: isoDate(el(d, 2), el(d, 5)) }; put(x, 'time', el(d, 3)); other.push(x); }
    }
    if (Object.keys(dates).length) o.dates = dates;
    if (other.length) o.otherDates = other;
  }
  if (refs.length) o.references = refs;
  if (ctt) {
    const t: Json = {};
    put(t, 'lineItemCount', decimal(el(ctt, 1)));
    put(t, 'hashTotal', decimal(el(ctt, 2)));
    put(t, 'weight', decimal(el(ctt, 3)));
    put(t, 'weightUnit', el(ctt, 4));
    put(t, 'volume', decimal(el(ctt, 5)));
    put(t, 'volumeUnit', el(ctt, 6));
    o.totals = t;
  }
  o.lines = lines;
  return o;
}

/**
 * Segment helpers shared by the outbound X12 builders: the reverse of what the inbound maps read
 * (maps/x12-*), so a document we send parses back to the same canonical message.
 */
import type { X12OutSegment } from '../../formats/x12/writer.js';
import type { X12BuildContext } from '../x12-builder.js';

type Obj = Record<string, unknown>;
export const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
export const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** DTM01 qualifiers of the named dates of canonical messages (code list 374; same table as the inbound maps). */
export const DATE_QUALIFIERS: Readonly<Record<string, string>> = Object.freeze({
  cancelAfter: '001', requestedDeliveryDate: '002', effectiveDate: '007', requestedShipDate: '010', estimatedDeliveryDate: '017',
  expirationDate: '036', shipNotBefore: '037', shipNoLater: '038', doNotDeliverAfter: '063', doNotDeliverBefore: '064',
  scheduledDeliveryDate: '067', scheduledShipDate: '068', requiredBy: '106', requestedPickupDate: '118', cancelIfNotShippedBy: '175',
});

/** An ISO date (YYYY-MM-DD) as X12 DT: CCYYMMDD from 004010 on, YYMMDD before. */
export function x12Date(iso: unknown, ctx: X12BuildContext): string {
  const s = str(iso).replace(/-/g, '');
  return ctx.groupVersion < '004010' ? s.slice(2) : s;
}

/** A JSON number as X12 R (decimal, no exponent, no trailing zeros): 12 -> "12", 1.50 -> "1.5". */
export function x12Number(n: unknown): string {
  if (n === undefined || n === null || n === '') return '';
  const v = Number(n);
  if (!Number.isFinite(v)) return '';
  return String(v).includes('e') ? v.toFixed(6).replace(/\.?0+$/, '') : String(v);
}

/** A code of a codeMeaning object ({ code, meaning }) or a plain string. */
export function code(v: unknown): string {
  return v && typeof v === 'object' ? str((v as Obj).code) : str(v);
}

/** DTM segments of named dates then other dates ({ qualifier, date, time }). */
export function dtmSegments(dates: unknown, otherDates: unknown, ctx: X12BuildContext): X12OutSegment[] {
  const out: X12OutSegment[] = [];
  if (dates && typeof dates === 'object') {
    for (const [name, value] of Object.entries(dates as Obj)) {
      const q = DATE_QUALIFIERS[name];
      if (q) out.push({ tag: 'DTM', elements: [q, x12Date(value, ctx)] });
    }
  }
  for (const d of arr(otherDates)) out.push({ tag: 'DTM', elements: [str(d.qualifier), x12Date(d.date, ctx), str(d.time)] });
  return out;
}

/** REF segments ({ qualifier, value, description }). */
export function refSegments(refs: unknown): X12OutSegment[] {
  return arr(refs).map((r) => ({ tag: 'REF', elements: [str(r.qualifier), str(r.value), str(r.description)] }));
}

/** PER segment of a contact ({ functionCode, name, phone, fax, email, communications }). */
export function perSegment(c: Obj): X12OutSegment {
  const pairs: string[] = [];
  if (c.phone) pairs.push('TE', str(c.phone));
  if (c.fax) pairs.push('FX', str(c.fax));
  if (c.email) pairs.push('EM', str(c.email));
  for (const x of arr(c.communications)) pairs.push(str(x.qualifier), str(x.value));
  return { tag: 'PER', elements: [str(c.functionCode) || 'IC', str(c.name), ...pairs.slice(0, 6)] };
}

/** N1 loop of a party: N1 (N101 entity code, N102 name, N103/N104 first id), N2, N3, N4, REF, PER. */
export function partyLoop(p: Obj): X12OutSegment[] {
  const id = arr(p.ids)[0];
  const out: X12OutSegment[] = [{ tag: 'N1', elements: [str(p.entityCode), str(p.name), id ? str(id.qualifier) : '', id ? str(id.value) : ''] }];
  const names = (Array.isArray(p.additionalNames) ? p.additionalNames : []) as string[];
  for (let i = 0; i < names.length; i += 2) out.push({ tag: 'N2', elements: [names[i] ?? '', names[i + 1] ?? ''] });
  const a = (p.address ?? {}) as Obj;
  const lines = (Array.isArray(a.lines) ? a.lines : []) as string[];
  for (let i = 0; i < lines.length; i += 2) out.push({ tag: 'N3', elements: [lines[i] ?? '', lines[i + 1] ?? ''] });
  if (a.city || a.stateOrProvince || a.postalCode || a.country) out.push({ tag: 'N4', elements: [str(a.city), str(a.stateOrProvince), str(a.postalCode), str(a.country)] });
  out.push(...refSegments(p.references));
  for (const c of arr(p.contacts)) out.push(perSegment(c));
  return out;
}

/**
 * Product id qualifier/value pairs of a line, for PO106..PO125 or LIN/ACK pairs: every pair of `productIds`
 * when given (it holds all as sent), else the named fields (BP, IN, VP, UK, UP, SK).
 */
export function productIdPairs(line: Obj): string[] {
  const ids = arr(line.productIds);
  if (ids.length) return ids.flatMap((x) => [str(x.qualifier), str(x.value)]);
  const named: Array<[string, string]> = [['buyerPartNumber', 'BP'], ['buyerItemNumber', 'IN'], ['vendorPartNumber', 'VP'], ['gtin', 'UK'], ['upc', 'UP'], ['sku', 'SK']];
  return named.flatMap(([field, q]) => (line[field] ? [q, str(line[field])] : []));
}

/**
 * Elements of segment `tag` from an object and a field layout (`field: "L305:N2"`: element L305, type N2) — the
 * reverse of the inbound maps' $record: R numbers as decimals, Nn numbers as integers with n implied decimals
 * (X12.6 numeric type), anything else as text. Elements not in the layout are left empty.
 */
export function fromRecord(obj: Record<string, unknown> | undefined, tag: string, layout: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  if (!obj) return out;
  for (const [field, spec] of Object.entries(layout)) {
    const [element, type] = spec.split(':');
    const pos = Number(element!.slice(tag.length)) - 1;
    const v = obj[field];
    if (v === undefined || v === null || pos < 0) continue;
    const n = type?.match(/^N(\d)$/);
    out[pos] = n ? String(Math.round(Number(v) * 10 ** Number(n[1]))) : type === 'R' ? x12Number(v) : type === 'DT' ? String(v).replace(/-/g, '') : String(v);
  }
  return Array.from(out, (v) => v ?? '');
}

/**
 * N1 loop of a party of the shipment and invoice messages (GS1 style): N1 (N101 entity code, N102 name, N103/N104
 * the GLN as UL or the first id), N3, N4, PER per contact, REF per reference.
 */
export function gs1PartyLoop(p: Obj): X12OutSegment[] {
  const id = p.gln ? { qualifier: 'UL', value: p.gln } : arr(p.ids)[0];
  const out: X12OutSegment[] = [{ tag: 'N1', elements: [str(p.entityCode), str(p.name), id ? str(id.qualifier) : '', id ? str(id.value) : ''] }];
  const a = (p.address ?? {}) as Obj;
  const lines = (Array.isArray(a.lines) ? a.lines : []) as string[];
  for (let i = 0; i < lines.length; i += 2) out.push({ tag: 'N3', elements: [lines[i] ?? '', lines[i + 1] ?? ''] });
  if (a.city || a.stateOrProvince || a.postalCode || a.country) out.push({ tag: 'N4', elements: [str(a.city), str(a.stateOrProvince), str(a.postalCode), str(a.country)] });
  for (const c of arr(p.contacts)) out.push(perSegment(c));
  out.push(...refSegments(p.references));
  return out;
}

/** GS1 product ids for LIN/IT1 pairs: named fields with a qualifier (GTIN by its length), then the other ids. */
export function gs1ProductPairs(product: Obj | undefined): string[] {
  if (!product) return [];
  const out: string[] = [];
  if (product.gtin) {
    const g = str(product.gtin);
    out.push(g.length === 14 ? 'UK' : g.length === 12 ? 'UP' : 'EN', g);
  }
  if (product.buyerPartNumber) out.push('BP', str(product.buyerPartNumber));
  if (product.vendorPartNumber) out.push('VP', str(product.vendorPartNumber));
  if (product.sku) out.push('SK', str(product.sku));
  for (const x of arr(product.ids)) out.push(str(x.qualifier), str(x.value));
  return out;
}

/**
 * Standard functions every map can call, next to JSONata's own ($isoDate, $decimal, $pairs, $valueOf).
 *
 * They do the small conversions every EDI map needs on every line, natively: a JSONata helper doing
 * the same costs several microseconds per call on the async evaluator, which is most of a map's time
 * on a long order. Each one accepts any input and never throws: text it cannot read is returned
 * unchanged, so the canonical schema validation names the field instead of the map failing.
 */

const DIGITS = /^[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

/**
 * `$isoDate(text, century?)`: an EDI date to ISO-8601 YYYY-MM-DD.
 * - CCYYMMDD (X12 DT 8, EDIFACT 102), or CCYYMMDDHHMM[SS] (EDIFACT 203/204): the date part;
 * - YYMMDD (X12 DT 6 before 004010, EDIFACT 101): the century is `century` when it is two digits
 *   (X12 DTM05 before 004010), else 20 for YY < 50 and 19 otherwise;
 * - anything else is returned unchanged; undefined stays undefined.
 */
export function isoDate(text: unknown, century?: unknown): unknown {
  if (typeof text !== 'string' || !DIGITS.test(text)) return text;
  const n = text.length;
  if (n === 8 || n === 12 || n === 14) return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  if (n === 6) {
    const cc = typeof century === 'string' && century.length === 2 && DIGITS.test(century) ? century : text < '50' ? '20' : '19';
    return `${cc}${text.slice(0, 2)}-${text.slice(2, 4)}-${text.slice(4, 6)}`;
  }
  return text;
}

/**
 * `$decimal(text)`: an EDI numeric (X12 R and Nn types: "12.5", "0012", ".8", "-3", "12.") to a
 * JSON number. Numbers pass through; other text is returned unchanged; undefined stays undefined.
 */
export function decimal(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : text;
}

/**
 * `$pairs(segment, first, last)`: qualifier/value element pairs of one segment object of the X12 map
 * input, from element `first` to element `last` (e.g. `$pairs($po1, "PO106", "PO125")` for the X12 850
 * PO1 product/service id qualifier pairs PO106/PO107 .. PO124/PO125). Returns
 * `[{ qualifier, value }]` for the pairs where both are present, in element order; undefined when none.
 */
export function pairs(segment: unknown, first: unknown, last: unknown): Array<{ qualifier: string; value: string }> | undefined {
  if (!segment || typeof segment !== 'object' || typeof first !== 'string' || typeof last !== 'string') return undefined;
  const seg = (Array.isArray(segment) ? segment[0] : segment) as Record<string, unknown> | undefined;
  if (!seg) return undefined;
  const tag = first.slice(0, -2);
  const from = Number(first.slice(-2));
  const to = Number(last.slice(-2));
  if (!Number.isInteger(from) || !Number.isInteger(to)) return undefined;
  let out: Array<{ qualifier: string; value: string }> | undefined;
  for (let i = from; i < to; i += 2) {
    const q = seg[elementName(tag, i)];
    const v = seg[elementName(tag, i + 1)];
    if (typeof q === 'string' && typeof v === 'string') (out ??= []).push({ qualifier: q, value: v });
  }
  return out;
}

const names = new Map<string, string>();
function elementName(tag: string, i: number): string {
  const key = tag + '|' + i;
  let name = names.get(key);
  if (name === undefined) {
    name = tag + (i < 10 ? '0' : '') + String(i);
    names.set(key, name);
  }
  return name;
}

/**
 * `$valueOf(pairs, qualifiers)`: the value of the first pair whose qualifier is the first of
 * `qualifiers` (a string or an array, in order of preference) that occurs; undefined when none.
 * E.g. `$valueOf($ids, ["VP", "VN"])` is the vendor part number, else the vendor item number.
 */
export function valueOf(list: unknown, qualifiers: unknown): unknown {
  if (!Array.isArray(list)) list = list && typeof list === 'object' ? [list] : [];
  const items = list as Array<Record<string, unknown>>;
  const wanted = Array.isArray(qualifiers) ? qualifiers : [qualifiers];
  for (const q of wanted) {
    for (const p of items) if (p && p.qualifier === q && p.value !== undefined) return p.value;
  }
  return undefined;
}

/** The standard functions by the name maps call them with (without the `$`). */
export const MAP_FUNCTIONS: Readonly<Record<string, (...args: unknown[]) => unknown>> = Object.freeze({
  isoDate,
  decimal,
  pairs,
  valueOf,
});

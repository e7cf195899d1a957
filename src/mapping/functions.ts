/**
 * Standard functions every map can call, next to JSONata's own ($isoDate, $decimal, $implied, $pairs,
 * $valueOf, $named, $record, $records).
 *
 * They do the small conversions every EDI map needs on every line, natively: a JSONata helper doing
 * the same costs several microseconds per call on the async evaluator, which is most of a map's time
 * on a long order. Each one accepts any input and never throws: text it cannot read is returned
 * unchanged, so the canonical schema validation names the field instead of the map failing.
 */

const DIGITS = /^[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const INTEGER = /^[+-]?[0-9]+$/;

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
 * `$implied(text, decimals)`: an X12 Nn numeric (a number with `decimals` implied decimal places, e.g.
 * SAC05 or ITD08, both N2) to a JSON number: ("2000", 2) is 20, ("-125", 2) is -1.25. A value sent with
 * a decimal point is read as written ("20.00" is 20). Numbers pass through; other text, or `decimals`
 * that is not a whole number from 0 to 9, returns the text unchanged; undefined stays undefined.
 */
export function implied(text: unknown, decimals: unknown): unknown {
  if (typeof text !== 'string') return text;
  const n = typeof decimals === 'string' && DIGITS.test(decimals) ? Number(decimals) : decimals;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 9) return text;
  const t = text.trim();
  if (INTEGER.test(t)) return Number(t) / 10 ** n;
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

/** One field of a parsed name table: its qualifiers in order of preference, each with the qualifiers that rule it out. */
interface NamedField {
  field: string;
  choices: Array<{ qualifier: string; unless: string[] }>;
}

const nameTables = new WeakMap<object, NamedField[]>();

function parseNames(names: object): NamedField[] {
  let parsed = nameTables.get(names);
  if (parsed) return parsed;
  parsed = [];
  for (const [field, spec] of Object.entries(names)) {
    const list = typeof spec === 'string' ? spec.split(',') : Array.isArray(spec) ? spec.map(String) : [];
    const choices = list
      .map((c) => c.trim().split(/\s+unless\s+/))
      .filter(([q]) => q)
      .map(([q, unless]) => ({ qualifier: q!, unless: unless ? unless.split(/\s+/).filter(Boolean) : [] }));
    if (choices.length) parsed.push({ field, choices });
  }
  nameTables.set(names, parsed);
  return parsed;
}

/**
 * `$named(pairs, names)`: named values of qualifier/value pairs (as `$pairs` returns them), the fields
 * of one object: `names` maps each field to its qualifiers in order of preference, as `$valueOf` takes
 * them, e.g. `{ "vendorPartNumber": "VP, VN, VC", "upc": "UP" }`. A qualifier followed by `unless`
 * and other qualifiers is used only when none of those is sent: `"BP, CB unless IN"` is BP, else CB
 * when no IN is sent. Fields without a value are left out; undefined when none has one. One native
 * call instead of one `$valueOf` per field; the table is read once per table object.
 */
export function named(list: unknown, names: unknown): Record<string, unknown> | undefined {
  if (!names || typeof names !== 'object') return undefined;
  if (!Array.isArray(list)) list = list && typeof list === 'object' ? [list] : [];
  const items = list as Array<Record<string, unknown>>;
  if (!items.length) return undefined;
  const sent = (q: string): boolean => items.some((p) => p && p.qualifier === q && p.value !== undefined);
  let out: Record<string, unknown> | undefined;
  for (const f of parseNames(names)) {
    for (const c of f.choices) {
      if (c.unless.some(sent)) continue;
      const v = valueOf(items, c.qualifier);
      if (v !== undefined) {
        (out ??= {})[f.field] = v;
        break;
      }
    }
  }
  return out;
}

/** One field of a parsed layout: the element read, the element read when it is absent, the conversion. */
interface LayoutField {
  field: string;
  element: string;
  /** For a first component (`CTP05_01`): the whole element (`CTP05`), read when the composite was sent without separator. */
  whole: string | undefined;
  convert: ((text: string) => unknown) | undefined;
}

const layouts = new WeakMap<object, LayoutField[]>();

function converter(type: string | undefined): ((text: string) => unknown) | undefined {
  if (type === undefined) return undefined;
  if (type === 'R' || type === 'N' || type === 'N0') return decimal;
  if (type === 'DT') return isoDate;
  const m = /^N([1-9])$/.exec(type);
  if (m) {
    const n = Number(m[1]);
    return (text) => implied(text, n);
  }
  return undefined; // ID, AN and unknown types: the text as sent
}

function parseLayout(layout: object): LayoutField[] {
  let parsed = layouts.get(layout);
  if (parsed) return parsed;
  parsed = [];
  for (const [field, spec] of Object.entries(layout)) {
    if (typeof spec !== 'string') continue;
    const colon = spec.indexOf(':');
    const element = (colon < 0 ? spec : spec.slice(0, colon)).trim();
    const type = colon < 0 ? undefined : spec.slice(colon + 1).trim();
    if (!element) continue;
    parsed.push({ field, element, whole: element.endsWith('_01') ? element.slice(0, -3) : undefined, convert: converter(type) });
  }
  layouts.set(layout, parsed);
  return parsed;
}

function recordOf(seg: unknown, fields: readonly LayoutField[]): Record<string, unknown> | undefined {
  if (!seg || typeof seg !== 'object') return undefined;
  const s = seg as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const f of fields) {
    let v = s[f.element];
    if (v === undefined && f.whole !== undefined) v = s[f.whole];
    if (typeof v !== 'string') continue;
    (out ??= {})[f.field] = f.convert ? f.convert(v) : v;
  }
  return out;
}

/**
 * `$record(segment, layout)`: the elements of one segment object of the X12 map input (the first when
 * given an array) as an object with the field names of `layout`. `layout` maps each field to an
 * element, optionally with its X12 data type: `{ "pack": "PO401:N0", "size": "PO402:R",
 * "unitOfMeasure": "PO403" }`. Types R and N0 are read with $decimal, N1..N9 with $implied (N2: two
 * implied decimals), DT with $isoDate; ID, AN or no type keep the text. A first component (`CTP05_01`)
 * reads the whole element when the composite was sent without separator. Fields whose element is
 * absent are left out; undefined when none is present. One native call instead of one JSONata
 * expression per field: use it for segments that repeat on every line. The layout is read once per
 * layout object (bind it once, e.g. as a lookup of map.yaml).
 */
export function record(segment: unknown, layout: unknown): Record<string, unknown> | undefined {
  if (!layout || typeof layout !== 'object') return undefined;
  return recordOf(Array.isArray(segment) ? segment[0] : segment, parseLayout(layout));
}

/**
 * `$records(segments, layout)`: `$record` of every segment of an array (or of one segment object), in
 * order, leaving out segments with none of the fields; undefined when none is left.
 */
export function records(segments: unknown, layout: unknown): Array<Record<string, unknown>> | undefined {
  if (!layout || typeof layout !== 'object' || !segments || typeof segments !== 'object') return undefined;
  const fields = parseLayout(layout);
  let out: Array<Record<string, unknown>> | undefined;
  for (const seg of Array.isArray(segments) ? segments : [segments]) {
    const r = recordOf(seg, fields);
    if (r) (out ??= []).push(r);
  }
  return out;
}

/**
 * `$isoDateTime(text)`: an EDI date-time to ISO-8601 local time: CCYYMMDDHHMM (EDIFACT 203) to
 * `YYYY-MM-DDTHH:MM`, CCYYMMDDHHMMSS (204) with seconds, CCYYMMDD (102) to the date alone; anything
 * else unchanged.
 */
export function isoDateTime(text: unknown): unknown {
  if (typeof text !== 'string' || !DIGITS.test(text)) return text;
  const d = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  if (text.length === 8) return d;
  if (text.length === 12) return `${d}T${text.slice(8, 10)}:${text.slice(10, 12)}`;
  if (text.length === 14) return `${d}T${text.slice(8, 10)}:${text.slice(10, 12)}:${text.slice(12, 14)}`;
  return text;
}

/**
 * `$amount(text)`: a number written with a decimal point or a decimal comma (the UNA decimal mark of
 * EDIFACT, ISO 9735 allows either; European CSV exports): "27,000" is 27, "-0,5" is -0.5, "12.5" is 12.5.
 * Numbers pass through; other text (thousands separators included) is returned unchanged.
 */
export function amount(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  const c = t.replace(',', '.');
  return !t.includes('.') && DECIMAL.test(c) ? Number(c) : text;
}

/** The standard functions by the name maps call them with (without the `$`). */
export const MAP_FUNCTIONS: Readonly<Record<string, (...args: unknown[]) => unknown>> = Object.freeze({
  isoDate,
  isoDateTime,
  decimal,
  amount,
  implied,
  pairs,
  valueOf,
  named,
  record,
  records,
});

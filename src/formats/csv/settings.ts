/**
 * The `csv` block of a CSV map's map.yaml: how the partner's file is read and how its rows group into
 * documents (every value is text, YAML failsafe schema):
 *
 *   csv:
 *     delimiter: ";"             # default ","
 *     quote: '"'                 # default '"'; "" for none
 *     encoding: windows-1252     # utf-8 (default), latin1, or any WHATWG label Node's TextDecoder knows
 *     header: "true"             # "true": the first row names the columns; "false": name them under columns
 *     columns: [po, sku, qty]    # names by position (without header, or to rename the header's)
 *     trim: "true"               # strip blanks around values (padded exports)
 *     groupBy: [po]              # consecutive rows with equal values here form one document; none: one per row
 *     required: [po, sku]        # a row missing one of these is a bad row
 *     numeric: [qty]             # a value here that is not a number (decimal point or comma) makes a bad row
 */
import { TextDecoder } from 'node:util';

export interface CsvSettings {
  delimiter: string;
  quote: string;
  encoding: string;
  header: boolean;
  columns: string[] | null;
  trim: boolean;
  groupBy: string[];
  required: string[];
  numeric: string[];
}

const FIELDS = ['delimiter', 'quote', 'encoding', 'header', 'columns', 'trim', 'groupBy', 'required', 'numeric'];

function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

/**
 * Reads and checks a `csv` block.
 * @returns the settings (defaults filled in) and every problem, each naming its field.
 */
export function readCsvSettings(raw: unknown): { settings: CsvSettings; problems: string[] } {
  const problems: string[] = [];
  const b = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  if (raw === undefined) problems.push('field "csv" is required for a CSV map (delimiter, header or columns, groupBy...)');
  for (const k of Object.keys(b)) if (!FIELDS.includes(k)) problems.push(`field "csv.${k}" is unknown (known: ${FIELDS.join(', ')})`);
  const text = (k: string, dflt: string): string => {
    const v = b[k];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string') { problems.push(`field "csv.${k}" must be text`); return dflt; }
    return v;
  };
  const delimiter = text('delimiter', ',');
  if (delimiter.length !== 1) problems.push(`field "csv.delimiter" must be one character: "${delimiter}"`);
  const quote = text('quote', '"');
  if (quote.length > 1) problems.push(`field "csv.quote" must be one character or empty: "${quote}"`);
  const encoding = text('encoding', 'utf-8');
  try { new TextDecoder(encoding); } catch { problems.push(`field "csv.encoding" "${encoding}" is not an encoding Node can decode`); }
  const header = text('header', 'true');
  if (header !== 'true' && header !== 'false') problems.push(`field "csv.header" must be "true" or "false": "${header}"`);
  const trim = text('trim', 'false');
  const lists: Record<string, string[]> = {};
  for (const k of ['columns', 'groupBy', 'required', 'numeric']) {
    const v = list(b[k]);
    if (b[k] !== undefined && v === undefined) problems.push(`field "csv.${k}" must be a list of column names`);
    lists[k] = v ?? [];
  }
  if (header === 'false' && lists.columns!.length === 0) problems.push('field "csv.columns" is required when "csv.header" is "false"');
  if (lists.columns!.length) {
    for (const k of ['groupBy', 'required', 'numeric']) {
      for (const c of lists[k]!) if (!lists.columns!.includes(c)) problems.push(`field "csv.${k}": column "${c}" is not in csv.columns`);
    }
  }
  return {
    settings: {
      delimiter, quote, encoding, header: header === 'true', columns: lists.columns!.length ? lists.columns! : null, trim: trim === 'true',
      groupBy: lists.groupBy!, required: lists.required!, numeric: lists.numeric!,
    },
    problems,
  };
}

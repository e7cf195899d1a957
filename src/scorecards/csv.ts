/**
 * CSV export of a scorecard (RFC 4180: comma separated, CRLF line ends, fields holding a comma, quote or line
 * break in double quotes with quotes doubled), in long form so any spreadsheet can pivot it:
 *
 *   section,figure,key,value
 *   scorecard,partnerId,,acme
 *   received,byType.rejected,850,1
 *   weekly,rejectedShare,2026-W03,0.5
 *
 * `section` is a top-level part of the JSON scorecard, `figure` the path of the figure inside it, `key` the row
 * it belongs to (document type, error code, destination, state, ISO week; several joined with "/"), `value` the
 * number or text (empty for null: nothing to measure).
 */
import type { Scorecard } from './scorecard.js';

/** Fields that name the element of a list (its key) rather than being a figure. */
const ID_FIELDS = ['week', 'type', 'code', 'destination'] as const;
/** Objects whose property names are keys (states, statuses, layers) rather than figure names. */
const KEYED = new Set(['filesByStatus', 'byState', 'byLayer']);

function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The scorecard as CSV text (header line first, CRLF after every line). */
export function scorecardCsv(card: Scorecard): string {
  const rows: string[][] = [['section', 'figure', 'key', 'value']];
  const walk = (section: string, path: string[], key: string[], v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      rows.push([section, path.join('.'), key.join('/'), v === null || v === undefined ? '' : String(v)]);
      return;
    }
    if (Array.isArray(v)) {
      for (const el of v as Array<Record<string, unknown>>) {
        const idField = ID_FIELDS.find((f) => typeof el[f] === 'string');
        const id = idField ? String(el[idField]) : '';
        for (const [k, x] of Object.entries(el)) if (k !== idField) walk(section, [...path, k], [...key, id], x);
      }
      return;
    }
    const keyed = KEYED.has(path[path.length - 1] ?? '');
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (keyed) walk(section, path, [...key, k], x);
      else walk(section, [...path, k], key, x);
    }
  };
  for (const [k, v] of Object.entries(card)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(k, [], [], v);
    else if (Array.isArray(v)) walk(k, [], [], v);
    else rows.push(['scorecard', k, '', String(v)]);
  }
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

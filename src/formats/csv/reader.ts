/**
 * Streaming CSV reader on csv-parse: decodes the partner's bytes with the map's encoding, reads records
 * (quotes, embedded newlines, a BOM), names the columns (header row or the map's columns), checks each
 * row (column count, required and numeric columns) and groups consecutive rows with equal groupBy values
 * into documents. A bad row is reported with its line number (1-based, the line its record starts on)
 * and reason; it never stops the reading.
 */
import { TextDecoder } from 'node:util';
import { parse, type Info } from 'csv-parse';
import type { CsvSettings } from './settings.js';

/** One data row with its columns by name and the line it starts on. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvDocument {
  /** groupBy values joined with "|" ('' without groupBy). */
  key: string;
  rows: CsvRow[];
}

export interface CsvBadRow {
  line: number;
  reason: string;
}

export interface CsvReaderHandler {
  onDocument(doc: CsvDocument): void;
  onBadRow(bad: CsvBadRow): void;
}

const NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

/** A CSV reader for one file; write() chunks of bytes, then end(). */
export class CsvReader {
  private readonly s: CsvSettings;
  private readonly h: CsvReaderHandler;
  private readonly decoder: InstanceType<typeof TextDecoder>;
  private readonly parser: ReturnType<typeof parse>;
  private readonly done: Promise<void>;
  private columns: string[] | null;
  private group: CsvDocument | null = null;
  private headerPending: boolean;
  /** Line the next record starts on (line breaks inside quoted values counted, a CRLF as one). */
  private nextLine = 1;
  /** Data rows read (good or bad). */
  rows = 0;

  constructor(settings: CsvSettings, handler: CsvReaderHandler) {
    this.s = settings;
    this.h = handler;
    this.columns = settings.columns;
    this.headerPending = settings.header;
    this.decoder = new TextDecoder(settings.encoding);
    this.parser = parse({
      delimiter: settings.delimiter, quote: settings.quote || false, bom: true, info: true, raw: true, relax_column_count: true,
      skip_empty_lines: false, trim: settings.trim, skip_records_with_error: true,
      on_skip: (err, raw) => {
        const e = err as (Error & { lines?: number; code?: string }) | undefined;
        const line = this.nextLine;
        if (typeof raw === 'string') this.nextLine += breaks(raw);
        if (e) this.h.onBadRow({ line, reason: `${e.code ?? 'CSV_ERROR'}: ${e.message}` });
      },
    });
    this.parser.on('data', (r: { record: string[]; info: Info; raw: string }) => this.record(r));
    this.done = new Promise((resolve, reject) => {
      this.parser.on('end', () => resolve());
      this.parser.on('error', reject);
    });
  }

  write(chunk: Buffer): void {
    const text = this.decoder.decode(chunk, { stream: true });
    if (text) this.parser.write(text);
  }

  /** Ends the input; resolves once every row and the last document were handed on. */
  async end(): Promise<void> {
    const rest = this.decoder.decode();
    if (rest) this.parser.write(rest);
    this.parser.end();
    this.parser.resume();
    await this.done;
    if (this.group) this.h.onDocument(this.group);
    this.group = null;
  }

  private record(r: { record: string[]; info: Info; raw: string }): void {
    const line = this.nextLine;
    this.nextLine += breaks(r.raw);
    if (r.record.length === 1 && r.record[0] === '' && !r.raw.trim()) return; // an empty line
    if (this.headerPending) {
      this.headerPending = false;
      if (!this.columns) this.columns = r.record.map((c) => c.trim());
      return;
    }
    this.rows++;
    const cols = this.columns!;
    if (r.record.length !== cols.length) {
      this.h.onBadRow({ line, reason: `${r.record.length} column(s), expected ${cols.length} (${cols.join(', ')})` });
      return;
    }
    const values: Record<string, string> = {};
    cols.forEach((c, i) => { values[c] = this.s.trim ? r.record[i]!.trim() : r.record[i]!; });
    // Bytes the declared encoding cannot decode (U+FFFD from the decoder) and control characters other than tab and
    // line breaks are not data: the row is reported, never delivered garbled.
    for (const c of cols) {
      const v = values[c]!;
      if (v.includes('\uFFFD')) { this.h.onBadRow({ line, reason: `column "${c}" holds bytes that are not valid ${this.s.encoding}` }); return; }
      // eslint-disable-next-line no-control-regex
      const ctl = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.exec(v);
      if (ctl) { this.h.onBadRow({ line, reason: `column "${c}" holds the control character 0x${ctl[0].charCodeAt(0).toString(16).padStart(2, '0')}` }); return; }
    }
    for (const c of this.s.required) {
      if (!values[c]?.trim()) { this.h.onBadRow({ line, reason: `required column "${c}" is empty` }); return; }
    }
    for (const c of this.s.numeric) {
      const v = values[c]?.trim();
      if (v && !NUMBER.test(v)) { this.h.onBadRow({ line, reason: `column "${c}" is not a number: "${v}"` }); return; }
    }
    const key = this.s.groupBy.map((c) => values[c] ?? '').join('|');
    if (this.group && (this.s.groupBy.length === 0 || this.group.key !== key)) {
      this.h.onDocument(this.group);
      this.group = null;
    }
    if (!this.group) this.group = { key, rows: [] };
    this.group.rows.push({ line, values });
  }
}

/** Line breaks in a record's raw text (CRLF, LF or CR each one). */
function breaks(raw: string): number {
  return (raw.match(/\r\n|\n|\r/g) ?? []).length;
}

/** Reads a whole buffer (map examples, tests). */
export async function readCsvBuffer(bytes: Buffer, settings: CsvSettings): Promise<{ documents: CsvDocument[]; bad: CsvBadRow[]; rows: number }> {
  const documents: CsvDocument[] = [];
  const bad: CsvBadRow[] = [];
  const r = new CsvReader(settings, { onDocument: (d) => documents.push(d), onBadRow: (b) => bad.push(b) });
  r.write(bytes);
  await r.end();
  return { documents, bad, rows: r.rows };
}

/** The map input of one CSV document: its rows (columns by name, with their line) and its group key. */
export function buildCsvMapInput(doc: CsvDocument): Record<string, unknown> {
  return { key: doc.key, firstLine: doc.rows[0]?.line ?? 0, rows: doc.rows.map((r) => ({ ...r.values, _line: r.line })) };
}

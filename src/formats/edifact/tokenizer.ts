/**
 * Streaming UN/EDIFACT tokenizer: the `edifact` package's Parser (node-edifact, a SAX push parser)
 * behind a wrapper that does what the package does not (../shared/research/libraries.md section 2):
 *
 * - interchanges are framed on the raw bytes: a BOM or white space before them, a UNA at each one
 *   (any service characters, not only a space at position 7), several interchanges per file, each with
 *   its own UNA and character set;
 * - the character set is read from each UNB syntax identifier (S001 0001) and the bytes decoded to
 *   Unicode once (src/formats/edifact/charsets.ts); level A/B interchanges are checked for characters
 *   outside their repertoire;
 * - only whole segments are written to the Parser: the incomplete tail of a chunk (which may end in a
 *   release character) is carried over to the next chunk, so memory is bounded by the longest segment;
 * - the syntax 4 repetition separator (which the Parser does not know) is honoured;
 * - characters the Parser refuses (it throws) become a problem on that one segment, and reading goes on.
 *
 * Segment and element positions follow ISO 9735; byte offsets are those of the received file.
 */
import edifactPkg from 'edifact';
import { charsetOf, decodeBytes, FALLBACK_CHARSET, type EdifactCharset } from './charsets.js';
import { readUna } from './una.js';
import { DEFAULT_DELIMITERS, type EdifactDelimiters, type EdifactSegment, type EdifactSyntax } from './types.js';

const { Parser } = edifactPkg;

/** A problem the tokenizer saw, with the CONTRL syntax error code (0085) it stands for. */
export interface EdifactTokenProblem {
  kind: 'data-outside' | 'una-invalid' | 'invalid-character' | 'unterminated' | 'segment-too-long' | 'charset-unsupported';
  message: string;
  /** Byte offset in the file (of the slice or interchange where it was seen). */
  offset: number;
  /** 0085 code: 20 service character, 21 invalid character, 13 missing (terminator), 2 syntax level. */
  code: string;
}

/** Segment as handed to the reader, with the invalid character found in it under a strict level. */
export interface EdifactTokenSegment extends EdifactSegment {
  /** First character outside the level A/B repertoire (or refused by the parser): element and component positions (1-based). */
  invalid?: { element: number; component: number; char: string };
}

export interface EdifactTokenizerHandler {
  /** A UNA, UNB or UNH (message without interchange) opens an interchange. */
  onInterchangeOpen(syntax: EdifactSyntax): void;
  onSegment(segment: EdifactTokenSegment): void;
  /** The interchange ended: after its UNZ, before the next UNA/UNB, or at the end of the file. */
  onInterchangeClose(offsetEnd: number): void;
  onProblem(problem: EdifactTokenProblem): void;
}

export interface EdifactTokenizerOptions {
  /** Longest segment accepted, in bytes (a missing terminator otherwise holds the whole file). Default 1 MiB. */
  maxSegmentLength?: number;
}

const SPACE_OR_CONTROL = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x00 || b === 0x1a;
const U = 0x55; // 'U'
const N = 0x4e; // 'N'
/** Stands for an unreleased repetition separator while the Parser reads the text (private use). */
const REPETITION_MARK = '\uE000';
/** The Parser's release character when the UNA says there is none (never in data: private use). */
const NO_RELEASE = 0xe001;

function escapeClass(ch: string): string {
  return ch.replace(/[\\\]^-]/g, '\\$&');
}

/** Streaming tokenizer; push() chunks, then end(). Calls are synchronous. */
export class EdifactTokenizer {
  private readonly h: EdifactTokenizerHandler;
  private readonly maxSegment: number;
  private carry: Buffer | null = null;
  /** File offset of carry[0]. */
  private base = 0;
  private atFileStart = true;
  private inInterchange = false;
  private syntax: EdifactSyntax | null = null;
  private parser: InstanceType<typeof Parser> | null = null;
  private st = 0x27;
  private rc = 0x3f;
  private version = '';
  private strictRegex: RegExp | undefined;
  private sliceSuspect: RegExp | undefined;
  // segment being built by the Parser's callbacks
  private cur: EdifactTokenSegment | null = null;
  private el: string[] | null = null;
  private segmentsInInterchange = 0;
  private pendingUna: { text: string; delimiters: EdifactDelimiters; offset: number } | null = null;
  private garbageReported = false;
  /** A UNA problem, reported once its interchange is open. */
  private unaProblem: EdifactTokenProblem | null = null;

  constructor(handler: EdifactTokenizerHandler, options: EdifactTokenizerOptions = {}) {
    this.h = handler;
    this.maxSegment = options.maxSegmentLength ?? 1024 * 1024;
  }

  /** Feeds the next chunk of the file (the buffer may be reused by the caller after the call). */
  push(chunk: Buffer): void {
    const buf = this.carry && this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const pos = this.run(buf, false);
    this.keep(buf, pos);
  }

  /** No more data: the last interchange is closed (an unterminated last segment is read with a problem). */
  end(): void {
    const buf = this.carry ?? Buffer.alloc(0);
    const pos = this.run(buf, true);
    this.keep(buf, pos);
    if (this.inInterchange) this.closeInterchange(this.base);
  }

  private keep(buf: Buffer, pos: number): void {
    this.base += pos;
    this.carry = pos >= buf.length ? null : Buffer.from(buf.subarray(pos));
  }

  /** Processes `buf` from 0; returns how many bytes were consumed (the rest is carried). */
  private run(buf: Buffer, ending: boolean): number {
    let pos = 0;
    for (;;) {
      if (!this.inInterchange) {
        const next = this.seek(buf, pos, ending);
        if (next < 0) return ending ? buf.length : -next - 1;
        pos = next;
        if (!this.inInterchange) return pos;
      }
      const r = this.readInterchange(buf, pos, ending);
      pos = r.pos;
      if (r.closed) {
        this.closeInterchange(this.base + pos);
        continue;
      }
      return pos;
    }
  }

  /**
   * Between interchanges: skips a BOM and white space, reads a UNA, opens the interchange at UNB/UNH.
   * @returns the position to go on from, or -(pos+1) when more bytes are needed (carry from pos).
   */
  private seek(buf: Buffer, from: number, ending: boolean): number {
    let pos = from;
    if (this.atFileStart) {
      if (buf.length - pos < 3 && !ending) return -(pos + 1);
      if (buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf) pos += 3;
      this.atFileStart = false;
    }
    while (pos < buf.length && SPACE_OR_CONTROL(buf[pos]!)) pos++;
    if (pos >= buf.length) return pos;
    if (buf.length - pos < 3) return ending ? this.garbage(buf, pos, buf.length) : -(pos + 1);
    if (buf[pos] === U && buf[pos + 1] === N && buf[pos + 2] === 0x41 /* A */ && !this.pendingUna) {
      if (buf.length - pos < 9) return ending ? this.garbage(buf, pos, buf.length) : -(pos + 1);
      const text = buf.toString('latin1', pos, pos + 9);
      const { delimiters, problem } = readUna(text);
      this.unaProblem = problem ? { kind: 'una-invalid', message: `${problem} (UNA "${text}")`, offset: this.base + pos, code: '20' } : null;
      this.pendingUna = { text, delimiters, offset: this.base + pos };
      pos += 9;
      while (pos < buf.length && SPACE_OR_CONTROL(buf[pos]!)) pos++;
      if (buf.length - pos < 3 && !ending) return -(pos + 1);
    }
    if (buf.length - pos >= 3 && buf[pos] === U && buf[pos + 1] === N && (buf[pos + 2] === 0x42 /* B */ || buf[pos + 2] === 0x48 /* H */)) {
      const isUnb = buf[pos + 2] === 0x42;
      const d = this.pendingUna?.delimiters ?? DEFAULT_DELIMITERS;
      let charset: EdifactCharset = FALLBACK_CHARSET;
      let unsupported: EdifactTokenProblem | null = null;
      this.version = '';
      if (isUnb) {
        // S001 (syntax identifier and version) is ASCII: read it from the bytes to choose the decoding.
        const end = Math.min(buf.length, pos + 40);
        const head = buf.toString('latin1', pos, end);
        const stop = head.indexOf(d.segment, 4);
        if (stop < 0 && end - pos < 40 && !ending) return -(pos + 1);
        const s001 = head.slice(4, stop < 0 ? undefined : stop).split(d.element)[0] ?? '';
        const [id = '', version = ''] = s001.split(d.component);
        this.version = version;
        const cs = charsetOf(id);
        if (cs) charset = cs;
        else unsupported = { kind: 'charset-unsupported', message: `UNB syntax identifier "${id}" is not a supported character set (UNOA..UNOY, IATA, IATB); read as Latin-1`, offset: this.base + pos, code: '2' };
      }
      const offset = this.pendingUna?.offset ?? this.base + pos;
      const unaProblem = this.unaProblem;
      this.unaProblem = null;
      this.open({ delimiters: { ...d, repetition: this.version === '4' ? d.repetition : '' }, una: this.pendingUna?.text ?? null, charset, offset });
      if (unaProblem) this.h.onProblem(unaProblem);
      if (unsupported) this.h.onProblem(unsupported);
      this.pendingUna = null;
      return pos;
    }
    if (this.pendingUna) {
      // a UNA not followed by UNB/UNH: the UNA alone (e.g. a fragment) opens nothing
      this.h.onProblem({ kind: 'data-outside', message: `UNA "${this.pendingUna.text}" is not followed by a UNB (or UNH)`, offset: this.pendingUna.offset, code: '13' });
      this.pendingUna = null;
      this.unaProblem = null;
    }
    return this.garbage(buf, pos, buf.length, ending);
  }

  /** Data outside any interchange: skipped up to the next UNA/UNB/UNH, reported once per run. */
  private garbage(buf: Buffer, from: number, to: number, ending = true): number {
    let i = from;
    for (;;) {
      i = buf.indexOf('UN', i + 1, 'latin1');
      if (i < 0 || i >= to) break;
      const t = buf[i + 2];
      if (t === 0x41 || t === 0x42 || t === 0x48) break;
      if (t === undefined) break;
    }
    const stop = i < 0 || i >= to ? (ending ? to : Math.max(from, to - 2)) : i;
    if (!this.garbageReported && stop > from) {
      this.h.onProblem({ kind: 'data-outside', message: `data outside an interchange (not after a UNA or UNB, nor between UNB and UNZ) was ignored from byte ${this.base + from}`, offset: this.base + from, code: '33' });
      this.garbageReported = true;
    }
    return stop;
  }

  private open(syntax: EdifactSyntax): void {
    this.syntax = syntax;
    this.inInterchange = true;
    this.segmentsInInterchange = 0;
    this.garbageReported = false;
    const d = syntax.delimiters;
    this.st = d.segment.charCodeAt(0);
    this.rc = d.release ? d.release.charCodeAt(0) : -1;
    const p = new Parser();
    const cfg = p._configuration;
    cfg.CDS = d.component.charCodeAt(0);
    cfg.DES = d.element.charCodeAt(0);
    cfg.DM = d.decimal.charCodeAt(0);
    cfg.RC = d.release ? d.release.charCodeAt(0) : NO_RELEASE;
    cfg.ST = this.st;
    // Our own data class: every character from U+0020 up except the service characters (the package's
    // compiled class breaks on service characters such as "^" or "\"); controls end a value.
    const delims = [d.component, d.element, d.decimal, d.segment, d.release].filter(Boolean).map(escapeClass).join('');
    const data = new RegExp(`[^${delims}\\x00-\\x1f]*`, 'g');
    p._tokenizer._regexes = { ...p._tokenizer._regexes, alphanumeric: data };
    p._tokenizer._regex = data;
    p.state = Parser.states.segment!;
    p.onopensegment = (tag) => { this.cur = { tag, elements: [] }; this.el = null; };
    p.onelement = () => { this.el = []; this.cur!.elements.push(this.el); };
    p.oncomponent = (v) => { this.el!.push(v); };
    p.onclosesegment = () => this.emit();
    this.parser = p;
    this.strictRegex = syntax.charset.invalid;
    this.sliceSuspect = syntax.charset.invalid
      ? new RegExp(syntax.charset.invalid.source.replace('[^', `[^${[d.component, d.element, d.decimal, d.segment, d.release, d.repetition].filter(Boolean).map(escapeClass).join('')}\\r\\n`))
      : undefined;
    this.h.onInterchangeOpen(syntax);
  }

  private closeInterchange(offsetEnd: number): void {
    this.inInterchange = false;
    this.parser = null;
    this.syntax = null;
    this.h.onInterchangeClose(offsetEnd);
  }

  /** True when the byte at `i` (a terminator) is preceded by an odd run of release characters. */
  private released(buf: Buffer, i: number, floor: number): boolean {
    if (this.rc < 0) return false;
    let n = 0;
    for (let j = i - 1; j >= floor && buf[j] === this.rc; j--) n++;
    return (n & 1) === 1;
  }

  /** Index just past the next unreleased terminator at or after `from`, or -1. */
  private segmentEnd(buf: Buffer, from: number, floor: number): number {
    let i = from;
    for (;;) {
      i = buf.indexOf(this.st, i);
      if (i < 0) return -1;
      if (!this.released(buf, i, floor)) return i + 1;
      i++;
    }
  }

  /** True when `i` starts a segment: only white space back to an unreleased terminator or to `floor`. */
  private atSegmentStart(buf: Buffer, i: number, floor: number): boolean {
    let j = i - 1;
    while (j >= floor && (buf[j] === 0x0a || buf[j] === 0x0d || buf[j] === 0x20)) j--;
    if (j < floor) return true;
    return buf[j] === this.st && !this.released(buf, j, floor);
  }

  /**
   * Inside an interchange: writes the whole segments of buf[from..] to the Parser, up to the end of the
   * UNZ (closed) or the start of a next UNA/UNB (closed; its UNZ is missing).
   */
  private readInterchange(buf: Buffer, from: number, ending: boolean): { pos: number; closed: boolean } {
    const d = this.syntax!.delimiters;
    let limit = buf.length;
    let closed = false;
    let feedEnd = -1;
    // Look for the interchange's end: a UNZ, UNB or UNA at a segment start.
    let i = from - 1;
    for (;;) {
      i = buf.indexOf('UN', i + 1, 'latin1');
      if (i < 0 || i + 2 >= buf.length) break;
      const t = buf[i + 2];
      if (t !== 0x5a && t !== 0x42 && t !== 0x41) continue;
      if (i > from && !this.atSegmentStart(buf, i, from)) continue;
      if (i === from && t !== 0x5a) {
        // UNB/UNA right at the start of this slice: it opens the next interchange, unless this is our own UNB
        if (this.segmentsInInterchange > 0 || t === 0x41) { limit = i; closed = true; break; }
        continue;
      }
      if (t === 0x5a) {
        const after = buf[i + 3];
        if (after !== undefined && after !== d.element.charCodeAt(0) && after !== this.st) continue;
        const e = this.segmentEnd(buf, i, from);
        if (e < 0) { limit = i; break; }
        feedEnd = e;
        limit = e;
        closed = true;
      } else {
        limit = i;
        closed = true;
      }
      break;
    }
    if (feedEnd < 0) {
      if (closed) feedEnd = limit;
      else {
        // the last unreleased terminator before the limit: whole segments only
        let j = limit - 1;
        for (;;) {
          j = buf.lastIndexOf(this.st, j);
          if (j < from) { j = -1; break; }
          if (!this.released(buf, j, from)) break;
          j--;
        }
        feedEnd = j < 0 ? from : j + 1;
      }
    }
    if (feedEnd > from) this.feed(buf, from, feedEnd);
    const pos = feedEnd;
    if (closed) return { pos, closed: true };
    if (ending) {
      let k = pos;
      while (k < buf.length && SPACE_OR_CONTROL(buf[k]!)) k++;
      if (k < buf.length) {
        this.h.onProblem({ kind: 'unterminated', message: `the last segment has no segment terminator "${d.segment}" (${JSON.stringify(buf.toString('latin1', k, Math.min(buf.length, k + 24)))})`, offset: this.base + k, code: '13' });
        this.feedText(decodeBytes(buf.subarray(k), this.syntax!.charset) + d.segment);
      }
      return { pos: buf.length, closed: true };
    }
    if (buf.length - pos > this.maxSegment) {
      this.h.onProblem({ kind: 'segment-too-long', message: `a segment is longer than ${this.maxSegment} bytes (missing segment terminator "${d.segment}"?); the rest of the interchange was skipped`, offset: this.base + pos, code: '13' });
      return { pos: buf.length, closed: true };
    }
    return { pos, closed: false };
  }

  /** Decodes whole segments buf[a..b) with the interchange's charset and writes them to the Parser. */
  private feed(buf: Buffer, a: number, b: number): void {
    this.feedText(decodeBytes(buf.subarray(a, b), this.syntax!.charset));
  }

  private feedText(textIn: string): void {
    let text = textIn;
    const d = this.syntax!.delimiters;
    if (d.repetition && text.includes(d.repetition)) text = markRepetitions(text, d);
    const suspect = this.sliceSuspect ? this.sliceSuspect.test(text) : false;
    this.checkStrict = suspect;
    this.emittedInWrite = 0;
    const p = this.parser!;
    try {
      p.write(text);
    } catch {
      this.recover(text, this.emittedInWrite);
    }
  }

  private checkStrict = false;
  private emittedInWrite = 0;

  private emit(): void {
    const seg = this.cur!;
    this.cur = null;
    this.emittedInWrite++;
    this.segmentsInInterchange++;
    if (this.syntax!.delimiters.repetition) splitRepetitions(seg);
    if (this.checkStrict && this.strictRegex) {
      outer: for (let e = 0; e < seg.elements.length; e++) {
        const comps = seg.elements[e]!;
        for (let c = 0; c < comps.length; c++) {
          const m = this.strictRegex.exec(comps[c]!);
          if (m) { seg.invalid = { element: e + 1, component: c + 1, char: m[0] }; break outer; }
        }
      }
    }
    this.h.onSegment(seg);
  }

  /**
   * The Parser threw on a character it does not accept: the segments it emitted stay, the rest of the
   * text is split into segments here (release-aware) and written one by one; a segment the Parser
   * refuses is handed on as a segment with an invalid character (so positions stay right).
   */
  private recover(text: string, done: number): void {
    const d = this.syntax!.delimiters;
    const pieces = splitSegments(text, d);
    for (let k = done; k < pieces.length; k++) {
      const piece = pieces[k]!.replace(/^[\s\0]+/, '');
      if (!piece) continue;
      const p = this.parser!;
      p.state = Parser.states.segment!;
      p._tokenizer.reset();
      this.cur = null;
      try {
        p.write(piece);
      } catch (err) {
        const tag = /^[A-Z]{3}/.exec(piece)?.[0] ?? piece.slice(0, 3);
        const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f]/.exec(piece)?.[0] ?? (err as Error).message.replace(/^Invalid character (.).*$/s, '$1');
        const seg: EdifactTokenSegment = { tag, elements: [], invalid: { element: 0, component: 0, char: bad } };
        p.state = Parser.states.segment!;
        p._tokenizer.reset();
        this.h.onSegment(seg);
      }
    }
    this.emittedInWrite = 0;
  }
}

/** Release-aware split of whole-segment text into segment texts (each with its terminator). */
function splitSegments(text: string, d: EdifactDelimiters): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (d.release && ch === d.release) { i++; continue; }
    if (ch === d.segment) { out.push(text.slice(start, i + 1)); start = i + 1; }
  }
  if (start < text.length && text.slice(start).trim()) out.push(text.slice(start));
  return out;
}

/** Replaces unreleased repetition separators by REPETITION_MARK (the Parser reads it as data). */
function markRepetitions(text: string, d: EdifactDelimiters): string {
  let out = '';
  let last = 0;
  let i = text.indexOf(d.repetition);
  while (i >= 0) {
    let n = 0;
    for (let j = i - 1; j >= 0 && text[j] === d.release; j--) n++;
    if ((n & 1) === 0) { out += text.slice(last, i) + REPETITION_MARK; last = i + 1; }
    i = text.indexOf(d.repetition, i + 1);
  }
  return out + text.slice(last);
}

/** Splits elements holding REPETITION_MARK into repetitions (syntax 4). */
function splitRepetitions(seg: EdifactSegment): void {
  for (let e = 0; e < seg.elements.length; e++) {
    const comps = seg.elements[e]!;
    if (!comps.some((c) => c.includes(REPETITION_MARK))) continue;
    // the mark splits the element's text: rebuild repetitions component-wise
    const reps: string[][] = [[]];
    for (const c of comps) {
      const parts = c.split(REPETITION_MARK);
      reps[reps.length - 1]!.push(parts[0]!);
      for (let k = 1; k < parts.length; k++) reps.push([parts[k]!]);
    }
    seg.elements[e] = reps[0]!;
    (seg.repetitions ??= {})[e] = reps;
  }
}

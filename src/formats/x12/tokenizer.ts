/**
 * Streaming X12 tokenizer: bytes in, segments out.
 *
 * - Fed Buffer chunks of any size (1 byte up); the output does not depend on the chunking.
 * - Works on latin1 strings, so one char is one byte and segment offsets are byte offsets.
 * - Delimiters are read from every ISA (X12.5): element separator = the char after "ISA";
 *   ISA16 = component separator, found by counting 16 element separators (real files carry
 *   unpadded ISAs); segment terminator = the char right after ISA16; repetition separator =
 *   ISA11 when ISA12 >= 00402 and ISA11 is not alphanumeric or blank.
 * - A UTF-8 BOM and blanks before a segment are skipped. CR and LF are never data: with a
 *   newline terminator a trailing CR is dropped (or the LF of CRLF skipped); with any other
 *   terminator CR/LF are removed wherever they occur (files hard-wrapped at 80 columns),
 *   inside the ISA too.
 * - Elements are split eagerly; components and repetitions are left to consumers.
 * - A segment longer than `maxSegmentLength` (no terminator in sight) is reported and
 *   discarded up to the next terminator, so memory stays bounded.
 *
 * Problems in the bytes are reported through `onProblem`, never thrown.
 */
import type { X12Delimiters, X12Segment } from './types.js';

/** Default maximum segment length in bytes (1 MiB). */
export const DEFAULT_MAX_SEGMENT_LENGTH = 1024 * 1024;
/** How far to look for the 16 element separators of an ISA before calling it unreadable. */
const MAX_ISA_SCAN = 1024;
/** Standard ISA length in bytes, terminator included (X12.5). */
export const ISA_STANDARD_LENGTH = 106;

const BOM = '\xef\xbb\xbf';
const CRLF_RE = /[\r\n]/g;

/** What the tokenizer learned while reading one ISA. */
export interface X12IsaInfo {
  delimiters: X12Delimiters;
  /** ISA length in bytes from "I" to the terminator inclusive, line breaks removed (standard: 106). */
  length: number;
  /** True when line breaks were removed from inside the ISA (hard-wrapped file). */
  lineBreaksRemoved: boolean;
}

export type X12TokenizerProblemKind =
  | 'empty' // no non-blank byte at all
  | 'not-x12' // no ISA anywhere
  | 'garbage' // bytes outside any interchange that are not segments
  | 'isa-unreadable' // "ISA" without 16 separators, or truncated
  | 'segment-too-long' // longer than maxSegmentLength; discarded
  | 'unterminated'; // last segment of the file has no terminator (it is still emitted)

export interface X12TokenizerProblem {
  kind: X12TokenizerProblemKind;
  /** Byte offset where the problem starts. */
  offset: number;
  /** Number of bytes concerned, when known. */
  length?: number;
  /** First characters of the segment concerned (e.g. its tag), when known. */
  hint?: string;
}

export interface X12TokenizerHandlers {
  /** An ISA segment (16 elements, as received). `end` is the byte offset just past its terminator. */
  onIsa(segment: X12Segment, info: X12IsaInfo, end: number): void;
  /** Any other segment. `end` is the byte offset just past its terminator. */
  onSegment(segment: X12Segment, end: number): void;
  onProblem(problem: X12TokenizerProblem): void;
}

export interface X12TokenizerOptions {
  /** Maximum segment length in bytes before the segment is discarded (default 1 MiB). */
  maxSegmentLength?: number;
}

const enum Mode {
  Seek = 0, // looking for an ISA (start of file, after an unreadable ISA)
  Segments = 1,
  Skip = 2, // discarding an over-long segment up to the next terminator
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isNl(c: number): boolean {
  return c === 10 || c === 13;
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
/** A char that may follow "ISA" as element separator: not alphanumeric, not blank, not a line break. */
function isSeparatorCandidate(c: number): boolean {
  return !Number.isNaN(c) && !isAlnum(c) && !isNl(c) && !isBlank(c);
}

/**
 * Streaming X12 tokenizer. `push()` any number of chunks, then `end()` once.
 * Handlers are called synchronously from `push()`/`end()`.
 */
export class X12Tokenizer {
  private buf = '';
  /** Byte offset of buf[0] in the stream. */
  private base = 0;
  private mode: Mode = Mode.Seek;
  private ended = false;
  private readonly maxSeg: number;

  private sep = '*';
  private term = '~';
  private termCode = 126;
  private termIsNewline = false;
  private trimBlanks = false;

  private sawContent = false;
  private sawIsa = false;
  /** Absolute offset before which the pending segment is known to hold no terminator. */
  private noTermBefore = 0;
  /** Absolute offset where unparseable data began, or -1. */
  private garbageStart = -1;

  constructor(
    private readonly handlers: X12TokenizerHandlers,
    options?: X12TokenizerOptions,
  ) {
    this.maxSeg = Math.max(16, options?.maxSegmentLength ?? DEFAULT_MAX_SEGMENT_LENGTH);
  }

  /** Number of bytes currently buffered (a partial segment); bounded by chunk size + maxSegmentLength. */
  get bufferedBytes(): number {
    return this.buf.length;
  }

  /** Feed the next chunk of the file. */
  push(chunk: Buffer): void {
    if (this.ended) throw new Error('X12Tokenizer.push() after end()');
    if (chunk.length === 0) return;
    const s = chunk.toString('latin1');
    this.buf = this.buf.length === 0 ? s : this.buf + s;
    this.run();
  }

  /** Signal the end of the file: flushes the last segment and reports what is left over. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.run();
    this.finish();
  }

  private run(): void {
    const buf = this.buf;
    const len = buf.length;
    let pos = 0;
    // Cached positions of the next LF / CR at or after the current segment (-1: none in buf, -2: unknown).
    let lf = -2;
    let cr = -2;

    outer: while (pos < len) {
      if (this.mode === Mode.Skip) {
        const e = buf.indexOf(this.term, pos);
        if (e < 0) {
          pos = len;
          break;
        }
        pos = e + 1;
        this.mode = Mode.Segments;
        continue;
      }

      // Skip blanks, line breaks and BOMs before a segment.
      let c = 0;
      while (pos < len) {
        c = buf.charCodeAt(pos);
        if (c <= 32 && c !== this.termCode) pos++;
        else if (c === 0xef && buf.startsWith(BOM, pos)) pos += 3;
        else if (c === 0xef && !this.ended && len - pos < 3 && BOM.startsWith(buf.slice(pos))) break outer;
        else break;
      }
      if (pos >= len) break;
      this.sawContent = true;

      if (this.mode === Mode.Seek) {
        const i = this.findIsa(buf, pos);
        if (i === -1) {
          // No ISA in what we have: keep the last 3 chars (an "ISA" may be split across chunks).
          if (this.garbageStart < 0) this.garbageStart = this.base + pos;
          pos = this.ended ? len : Math.max(pos, len - 3);
          break;
        }
        if (i > pos) {
          if (this.garbageStart < 0) this.garbageStart = this.base + pos;
          pos = i;
        }
        if (len - pos < 4) break; // need the separator after "ISA"
        const next = this.readIsa(buf, pos);
        if (next === -1) break; // need more data
        if (next === -2) {
          pos += 3;
          continue;
        }
        pos = next;
        lf = cr = -2;
        continue;
      }

      // Segments mode.
      if (c === 73 /* I */) {
        if (len - pos < 4 && !this.ended && 'ISA'.startsWith(buf.slice(pos, pos + 3))) break;
        if (buf.startsWith('ISA', pos) && isSeparatorCandidate(buf.charCodeAt(pos + 3))) {
          const next = this.readIsa(buf, pos);
          if (next === -1) break;
          if (next === -2) {
            this.mode = Mode.Seek;
            pos += 3;
            continue;
          }
          pos = next;
          lf = cr = -2;
          continue;
        }
      }

      const end = buf.indexOf(this.term, Math.max(pos, this.noTermBefore - this.base));
      if (end < 0 || end - pos > this.maxSeg) {
        if (end < 0 && len - pos <= this.maxSeg) {
          this.noTermBefore = this.base + len; // no terminator up to here: do not rescan it
          break; // wait for the terminator
        }
        // The reported facts must not depend on the chunking: offset and tag only.
        this.handlers.onProblem({ kind: 'segment-too-long', offset: this.base + pos, hint: this.segmentHint(buf, pos) });
        if (end < 0) {
          this.mode = Mode.Skip;
          pos = len;
          break;
        }
        pos = end + 1;
        continue;
      }
      this.emit(buf, pos, end, lf, cr);
      if (!this.termIsNewline) {
        // Keep the line-break caches (positions of the next LF / CR) in step.
        if (lf !== -1 && lf < pos) lf = buf.indexOf('\n', pos);
        if (cr !== -1 && cr < pos) cr = buf.indexOf('\r', pos);
      }
      pos = end + 1;

      // Fast path: consecutive ordinary segments with the same delimiters.
      const term = this.term;
      const termCode = this.termCode;
      const sep = this.sep;
      const handlers = this.handlers;
      const newlineTerm = this.termIsNewline;
      const trim = this.trimBlanks;
      const maxSeg = this.maxSeg;
      const base = this.base;
      for (;;) {
        let p = pos;
        let ch = 0;
        while (p < len) {
          ch = buf.charCodeAt(p);
          if (ch <= 32 && ch !== termCode) p++;
          else break;
        }
        if (p >= len || ch === 73 || ch === 0xef) break;
        const e = buf.indexOf(term, p);
        if (e < 0 || e - p > maxSeg) break;
        let raw = buf.slice(p, e);
        if (newlineTerm) {
          if (raw.charCodeAt(raw.length - 1) === 13) raw = raw.slice(0, -1);
        } else {
          if (lf !== -1 && lf < p) lf = buf.indexOf('\n', p);
          if (cr !== -1 && cr < p) cr = buf.indexOf('\r', p);
          if ((lf !== -1 && lf < e) || (cr !== -1 && cr < e)) raw = raw.replace(CRLF_RE, '');
        }
        if (trim) raw = trimBlanksEnd(raw);
        if (raw.length > 0) {
          const elements = raw.split(sep);
          const tag = elements.shift() ?? '';
          handlers.onSegment({ tag, elements, offset: base + p }, base + e + 1);
        }
        pos = e + 1;
      }
    }

    this.base += pos;
    this.buf = pos >= len ? '' : buf.slice(pos);
  }

  /** Emit the segment buf[pos, end) (slow path; the fast loop in run() inlines the same steps). */
  private emit(buf: string, pos: number, end: number, lf: number, cr: number): void {
    let raw = buf.slice(pos, end);
    if (this.termIsNewline) {
      if (raw.charCodeAt(raw.length - 1) === 13) raw = raw.slice(0, -1);
    } else {
      if (lf !== -1 && lf < pos) lf = buf.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = buf.indexOf('\r', pos);
      if ((lf !== -1 && lf < end) || (cr !== -1 && cr < end)) raw = raw.replace(CRLF_RE, '');
    }
    if (this.trimBlanks) raw = trimBlanksEnd(raw);
    if (raw.length > 0) {
      const elements = raw.split(this.sep);
      const tag = elements.shift() ?? '';
      this.handlers.onSegment({ tag, elements, offset: this.base + pos }, this.base + end + 1);
    }
  }

  /** Index of the next "ISA" followed by a plausible separator at or after `from`, -1 if none (yet). */
  private findIsa(buf: string, from: number): number {
    let i = from;
    for (;;) {
      i = buf.indexOf('ISA', i);
      if (i < 0) return -1;
      if (i + 3 >= buf.length) return this.ended ? -1 : i; // decide when the next char arrives
      if (isSeparatorCandidate(buf.charCodeAt(i + 3))) return i;
      i++;
    }
  }

  /**
   * Read the ISA starting at `pos`. Returns the position after it (terminator consumed),
   * -1 when more data is needed, -2 when it is unreadable (reported).
   */
  private readIsa(buf: string, pos: number): number {
    const len = buf.length;
    const sepCode = buf.charCodeAt(pos + 3);
    const limit = Math.min(len, pos + MAX_ISA_SCAN);
    let count = 1;
    let wrapped = false;
    let i = pos + 4;
    for (; i < limit; i++) {
      const c = buf.charCodeAt(i);
      if (c === sepCode) {
        if (++count === 16) break;
      } else if (c === 10 || c === 13) wrapped = true;
    }
    if (count < 16) {
      if (!this.ended && limit === len && len - pos < MAX_ISA_SCAN) return -1;
      return this.isaUnreadable(pos, Math.min(len, pos + MAX_ISA_SCAN) - pos);
    }
    // ISA16: the first char after the 16th separator that is not a line break.
    let k = i + 1;
    while (k < len && isNl(buf.charCodeAt(k))) {
      wrapped = true;
      k++;
    }
    if (k + 1 >= len) {
      if (!this.ended) return -1;
      return this.isaUnreadable(pos, len - pos);
    }
    const t = k + 1;
    const c = buf.charCodeAt(t);
    let termPos = t;
    let next = t + 1;
    let trimBlanks = false;
    if (isNl(c)) {
      // Either a newline terminator, or a line wrap right after ISA16 followed by the real terminator:
      // look past the line breaks; a segment tag there means the newline is the terminator.
      let u = t;
      while (u < len && u - t < MAX_ISA_SCAN && (isNl(buf.charCodeAt(u)) || isBlank(buf.charCodeAt(u)))) u++;
      if (u >= len && !this.ended) return -1;
      if (u < len && u - t < MAX_ISA_SCAN && !isAlnum(buf.charCodeAt(u))) {
        termPos = u;
        next = u + 1;
        wrapped = true;
      }
    } else if (isBlank(c)) {
      // "ISA16 + blank + newline": the blank is padding and the newline terminates.
      let u = t;
      while (u < len && u - t < MAX_ISA_SCAN && isBlank(buf.charCodeAt(u))) u++;
      if (u >= len && !this.ended) return -1;
      if (u < len && isNl(buf.charCodeAt(u))) {
        termPos = u;
        next = u + 1;
        trimBlanks = true;
      }
    }

    let text = buf.slice(pos, k + 1);
    if (wrapped) text = text.replace(CRLF_RE, '');
    const sep = buf.charAt(pos + 3);
    const parts = text.split(sep);
    parts.shift();
    const term = buf.charAt(termPos);
    const isa11 = parts[10] ?? '';
    const isa12 = parts[11] ?? '';
    const repCode = isa11.length === 1 ? isa11.charCodeAt(0) : NaN;
    const repetition =
      isa12 >= '00402' && isa11.length === 1 && !isAlnum(repCode) && !isBlank(repCode) && !isNl(repCode) ? isa11 : null;
    const delimiters: X12Delimiters = { element: sep, component: buf.charAt(k), repetition, segment: term };

    this.sep = sep;
    this.term = term;
    this.termCode = term.charCodeAt(0);
    this.termIsNewline = term === '\n' || term === '\r';
    this.trimBlanks = trimBlanks;
    this.mode = Mode.Segments;
    this.sawIsa = true;
    if (this.garbageStart >= 0) this.flushGarbage(this.base + pos);

    this.handlers.onIsa(
      { tag: 'ISA', elements: parts, offset: this.base + pos },
      { delimiters, length: text.length + 1, lineBreaksRemoved: wrapped },
      this.base + next,
    );
    return next;
  }

  private isaUnreadable(pos: number, length: number): number {
    if (this.garbageStart >= 0) this.flushGarbage(this.base + pos);
    this.handlers.onProblem({ kind: 'isa-unreadable', offset: this.base + pos, length, hint: 'ISA' });
    this.sawIsa = true;
    return -2;
  }

  private flushGarbage(until: number): void {
    const start = this.garbageStart;
    this.garbageStart = -1;
    if (until > start) this.handlers.onProblem({ kind: 'garbage', offset: start, length: until - start });
  }

  private segmentHint(buf: string, pos: number): string {
    const s = buf.slice(pos, pos + 4);
    const i = s.indexOf(this.sep);
    return (i >= 0 ? s.slice(0, i) : s.slice(0, 3)).replace(CRLF_RE, '');
  }

  private finish(): void {
    const rest = this.buf;
    const restNonBlank = rest.replace(/[\s\x00-\x20]+/g, '').replace(BOM, '');
    if (this.mode === Mode.Segments && restNonBlank.length > 0) {
      // The last segment has no terminator: report it, then emit it as a segment.
      let start = 0;
      while (start < rest.length && rest.charCodeAt(start) <= 32) start++;
      let raw = rest.slice(start).replace(CRLF_RE, '');
      raw = trimBlanksEnd(raw);
      const offset = this.base + start;
      this.handlers.onProblem({ kind: 'unterminated', offset, length: rest.length - start, hint: this.segmentHint(rest, start) });
      const elements = raw.split(this.sep);
      const tag = elements.shift() ?? '';
      this.handlers.onSegment({ tag, elements, offset }, this.base + rest.length);
    } else if (this.mode === Mode.Seek && (this.garbageStart >= 0 || restNonBlank.length > 0)) {
      const start = this.garbageStart >= 0 ? this.garbageStart : this.base;
      this.garbageStart = -1;
      if (this.sawIsa) this.handlers.onProblem({ kind: 'garbage', offset: start, length: this.base + rest.length - start });
      else this.handlers.onProblem({ kind: 'not-x12', offset: start, length: this.base + rest.length - start });
    } else if (!this.sawContent && !this.sawIsa) {
      this.handlers.onProblem({ kind: 'empty', offset: 0, length: this.base + rest.length });
    }
    this.base += rest.length;
    this.buf = '';
  }
}

function trimBlanksEnd(s: string): string {
  let e = s.length;
  while (e > 0 && isBlank(s.charCodeAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}

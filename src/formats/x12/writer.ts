/**
 * X12 writer: serialise segments with given delimiters, and build a fixed-width ISA (X12.5).
 */
import type { X12Delimiters, X12InterchangeHeader } from './types.js';
import { ISA_WIDTHS } from './isa.js';

/** A segment to write: tag and elements (elements[0] is XX01). */
export interface X12OutSegment {
  tag: string;
  elements: readonly string[];
}

/** ISA01..ISA16 for buildIsa; each value is padded to its fixed width (spaces for AN, zeros for ISA13). */
export interface X12IsaFields {
  authorizationQualifier?: string; // ISA01, default "00"
  authorizationInformation?: string; // ISA02, default blank
  securityQualifier?: string; // ISA03, default "00"
  securityInformation?: string; // ISA04, default blank
  senderQualifier: string; // ISA05
  senderId: string; // ISA06
  receiverQualifier: string; // ISA07
  receiverId: string; // ISA08
  date: string; // ISA09 YYMMDD
  time: string; // ISA10 HHMM
  /** ISA11: "U" before 00402, the repetition separator from 00402 on (default: derived from delimiters and version). */
  isa11?: string;
  version: string; // ISA12, 5 digits
  controlNumber: string; // ISA13, 9 digits (shorter all-digit values are zero-padded)
  ackRequested: string; // ISA14 "0" | "1"
  usage: string; // ISA15 "P" | "T" | "I"
}

/**
 * Serialise one segment: tag + elements joined by the element separator, trailing empty elements
 * dropped (X12.6: no trailing separators), plus the segment terminator and `lineEnding`.
 * Values are written as given (callers escape nothing: X12 has no release character).
 */
export function writeSegment(seg: X12OutSegment, delimiters: X12Delimiters, lineEnding = ''): string {
  let n = seg.elements.length;
  while (n > 0 && seg.elements[n - 1] === '') n--;
  let s = seg.tag;
  for (let i = 0; i < n; i++) s += delimiters.element + (seg.elements[i] ?? '');
  return s + delimiters.segment + lineEnding;
}

/** Serialise several segments (see writeSegment). */
export function writeSegments(segments: readonly X12OutSegment[], delimiters: X12Delimiters, lineEnding = ''): string {
  let out = '';
  for (const seg of segments) out += writeSegment(seg, delimiters, lineEnding);
  return out;
}

/**
 * Line ending to put after each segment terminator: "\n" unless the terminator is itself CR or LF.
 */
export function lineEndingFor(delimiters: X12Delimiters): string {
  return delimiters.segment === '\n' || delimiters.segment === '\r' ? '' : '\n';
}

function fit(value: string, width: number, name: string, pad: 'space' | 'zero'): string {
  if (value.length > width) throw new RangeError(`${name} "${value}" is longer than ${width} characters`);
  return pad === 'zero' ? value.padStart(width, '0') : value.padEnd(width, ' ');
}

/**
 * Build an ISA segment with every field padded to its fixed width (X12.5): 106 characters with
 * the terminator (plus `lineEnding`). ISA16 is the component separator of `delimiters`.
 * Shorter values are padded (spaces; zeros for ISA13). Throws RangeError when a value is longer
 * than its field, ISA13 is not digits, or ISA12 is not five digits.
 */
export function buildIsa(fields: X12IsaFields, delimiters: X12Delimiters, lineEnding = ''): string {
  if (!/^\d{1,9}$/.test(fields.controlNumber)) throw new RangeError(`ISA13 "${fields.controlNumber}" must be 1 to 9 digits`);
  if (!/^\d{5}$/.test(fields.version)) throw new RangeError(`ISA12 "${fields.version}" must be 5 digits`);
  const isa11 = fields.isa11 ?? (fields.version >= '00402' ? (delimiters.repetition ?? '^') : 'U');
  const values = [
    fields.authorizationQualifier ?? '00',
    fields.authorizationInformation ?? '',
    fields.securityQualifier ?? '00',
    fields.securityInformation ?? '',
    fields.senderQualifier,
    fields.senderId,
    fields.receiverQualifier,
    fields.receiverId,
    fields.date,
    fields.time,
    isa11,
    fields.version,
    fields.controlNumber,
    fields.ackRequested,
    fields.usage,
    delimiters.component,
  ];
  const padded = values.map((v, i) => {
    const width = ISA_WIDTHS[i] ?? 1;
    const name = `ISA${String(i + 1).padStart(2, '0')}`;
    return fit(v, width, name, i === 12 ? 'zero' : 'space');
  });
  return `ISA${delimiters.element}${padded.join(delimiters.element)}${delimiters.segment}${lineEnding}`;
}

/** YYMMDD and HHMM of `now` in UTC (ISA09/ISA10, TA102/TA103). */
export function isaDateTime(now: Date): { date: string; time: string } {
  const iso = now.toISOString();
  return { date: iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10), time: iso.slice(11, 13) + iso.slice(14, 16) };
}

/** CCYYMMDD and HHMM of `now` in UTC (GS04/GS05). */
export function gsDateTime(now: Date): { date: string; time: string } {
  const iso = now.toISOString();
  return { date: iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10), time: iso.slice(11, 13) + iso.slice(14, 16) };
}

const DEFAULT_DELIMITERS: X12Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };

/** An outbound interchange envelope mirroring an inbound one (see mirrorInterchange). */
export interface X12MirroredEnvelope {
  /** Delimiters to write with (copied from the inbound interchange). */
  delimiters: X12Delimiters;
  /** What follows each segment terminator: "\n" unless the terminator is CR or LF. */
  lineEnding: string;
  /** The ISA, padded to its fixed width, with its terminator and line ending. */
  isa: string;
  /** ISA12 written. */
  version: string;
}

function usableDelimiters(d: X12Delimiters, version: string): X12Delimiters {
  const set = [d.element, d.component, d.segment];
  const ok =
    set.every((c) => c.length === 1 && !/[A-Za-z0-9 ]/.test(c)) && new Set(set).size === 3;
  const base = ok ? { ...d } : { ...DEFAULT_DELIMITERS, repetition: d.repetition };
  if (version >= '00402') {
    const used = new Set([base.element, base.component, base.segment]);
    if (base.repetition === null || base.repetition.length !== 1 || used.has(base.repetition)) {
      base.repetition = ['^', '{', '}', '|', '`'].find((c) => !used.has(c)) ?? '^';
    }
  } else {
    base.repetition = null;
  }
  return base;
}

/** Remove delimiters, line breaks and control characters from a value copied into an outbound segment. */
export function sanitizeValue(value: string, delimiters: X12Delimiters): string {
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (c < 32 || c === 127) continue;
    if (ch === delimiters.element || ch === delimiters.component || ch === delimiters.segment || ch === delimiters.repetition) continue;
    out += ch;
  }
  return out;
}

/**
 * Build the ISA of an acknowledgement interchange that mirrors `inbound` (X12.5; design: "ack
 * envelopes mirror the inbound one"): sender and receiver swapped with their qualifiers, ISA12
 * and the delimiters copied (the repetition separator only from 00402 on), ISA01-04 "00" and
 * blank, ISA09/ISA10 from `now` (UTC), ISA13 = `controlNumber`, ISA14 "0", ISA15 copied.
 * Throws RangeError when `controlNumber` is not 1 to 9 digits.
 */
export function mirrorInterchange(inbound: X12InterchangeHeader, controlNumber: string, now: Date): X12MirroredEnvelope {
  const version = /^\d{5}$/.test(inbound.version) ? inbound.version : '00401';
  const delimiters = usableDelimiters(inbound.delimiters, version);
  const lineEnding = lineEndingFor(delimiters);
  const { date, time } = isaDateTime(now);
  const clean = (v: string, width: number): string => sanitizeValue(v.trim(), delimiters).slice(0, width);
  const usage = ['P', 'T', 'I'].includes(inbound.usage) ? inbound.usage : 'P';
  const isa = buildIsa(
    {
      senderQualifier: clean(inbound.receiverQualifier, 2),
      senderId: clean(inbound.receiverId, 15),
      receiverQualifier: clean(inbound.senderQualifier, 2),
      receiverId: clean(inbound.senderId, 15),
      date,
      time,
      version,
      controlNumber,
      ackRequested: '0',
      usage,
    },
    delimiters,
    lineEnding,
  );
  return { delimiters, lineEnding, isa, version };
}

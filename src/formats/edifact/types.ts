/**
 * Shapes of parsed UN/EDIFACT (ISO 9735): service characters, segments, and the envelope levels
 * (interchange UNB..UNZ, optional group UNG..UNE, message UNH..UNT) with their validation outcome in
 * CONTRL terms (action code 0083, syntax error code 0085).
 */
import type { Finding } from '../../validation/finding.js';
import type { EdifactCharset } from './charsets.js';

/** Service characters (UNA, ISO 9735-1 section 7), as single characters. */
export interface EdifactDelimiters {
  component: string;
  element: string;
  decimal: string;
  release: string;
  /** Repetition separator (syntax 4 only); '' when none. */
  repetition: string;
  segment: string;
}

/** The defaults when no UNA is sent: `:+.? '` (level A/B; no repetition separator). */
export const DEFAULT_DELIMITERS: Readonly<EdifactDelimiters> = Object.freeze({
  component: ':', element: '+', decimal: '.', release: '?', repetition: '', segment: "'",
});

/** One segment: tag and elements, each element a list of components (release characters resolved). */
export interface EdifactSegment {
  tag: string;
  /** elements[i][j]: component j+1 of element i+1 ('' when empty). */
  elements: string[][];
  /** For syntax 4 repetition separators: element index -> every repetition's components (the first is elements[i]). */
  repetitions?: Record<number, string[][]>;
}

/** What the tokenizer knows about the interchange it is reading. */
export interface EdifactSyntax {
  delimiters: EdifactDelimiters;
  /** The UNA as sent (9 characters), or null. */
  una: string | null;
  charset: EdifactCharset;
  /** Byte offset of the UNA, else of the UNB (or UNH of a bare message). */
  offset: number;
}

/** CONTRL action code (0083): 7 acknowledged, 4 rejected, 8 received. */
export type ContrlAction = '4' | '7' | '8';

/** UNB as read. */
export interface EdifactInterchangeHeader {
  syntax: EdifactSyntax;
  /** S001 0001, e.g. UNOC ('' for a message sent without UNB). */
  syntaxId: string;
  /** S001 0002, e.g. "3". */
  syntaxVersion: string;
  senderId: string;
  senderQualifier: string;
  recipientId: string;
  recipientQualifier: string;
  date: string;
  time: string;
  /** 0020 interchange control reference. */
  controlReference: string;
  /** 0026 application reference. */
  applicationReference: string;
  /** 0031 acknowledgement request ('1' asks for one). */
  ackRequest: string;
  /** 0035 test indicator ('1' = test). */
  testIndicator: string;
  /** The UNB segment (mirrored in acknowledgements). */
  segment: EdifactSegment | null;
  /** False for a message received without UNB/UNZ. */
  enveloped: boolean;
  /** Byte offset of the interchange (its UNA or UNB). */
  offset: number;
}

/** UNG as read. */
export interface EdifactGroupHeader {
  /** 0038 message group identification (e.g. ORDERS). */
  groupId: string;
  senderId: string;
  senderQualifier: string;
  recipientId: string;
  recipientQualifier: string;
  date: string;
  time: string;
  /** 0048 group reference number. */
  reference: string;
  /** S008 message version as sent (e.g. D:96A). */
  version: string;
}

/** A UCS/UCD error: segment position in the message (UNH = 1), optional element/component. */
export interface EdifactSegmentError {
  /** 0096 segment position in the message body, UNH counted as 1. */
  position: number;
  tag: string;
  /** 0085 code of the segment (UCS) when the error is the segment itself. */
  code?: string;
  /** UCD: 0085 code, element position (0098), component position (0104). */
  element?: { code: string; position: number; component?: number };
}

/** One message (UNH..UNT) with its outcome. */
export interface EdifactMessage {
  /** 0062 message reference number. */
  reference: string;
  /** S009: 0065 type, 0052 version, 0054 release, 0051 agency, 0057 association assigned code. */
  type: string;
  version: string;
  release: string;
  agency: string;
  associationCode: string;
  /** UNH..UNT inclusive, as read (kept until the message is handed on). */
  segments: EdifactSegment[];
  /** 1-based ordinal of the message in its interchange. */
  index: number;
  /** The UNG group reference, or '' outside a group. */
  groupReference: string;
  interchange: EdifactInterchangeHeader;
  /** 7 acknowledged, 4 rejected. */
  action: ContrlAction;
  /** UCM 0085 and 0013/S011 (message-level error), when there is one. */
  syntaxError?: { code: string; tag?: string; element?: number; component?: number };
  segmentErrors: EdifactSegmentError[];
  findings: Finding[];
  /** The summary kept in the interchange result (UCM): a later decision (e.g. routing) updates it. */
  summary?: EdifactMessageSummary;
}

/** Summary of a message kept after it was handed on (for UCM). */
export interface EdifactMessageSummary {
  reference: string;
  type: string;
  version: string;
  release: string;
  agency: string;
  associationCode: string;
  action: ContrlAction;
  syntaxError?: EdifactMessage['syntaxError'];
  segmentErrors: EdifactSegmentError[];
}

/** A group (UNG..UNE) with its outcome. */
export interface EdifactGroupResult {
  header: EdifactGroupHeader;
  messages: EdifactMessageSummary[];
  action: ContrlAction;
  syntaxError?: { code: string; tag?: string; element?: number; component?: number };
  findings: Finding[];
  declaredCount: string | null;
}

/** An interchange (UNB..UNZ) with its outcome. */
export interface EdifactInterchangeResult {
  header: EdifactInterchangeHeader;
  groups: EdifactGroupResult[];
  /** Messages outside groups. */
  messages: EdifactMessageSummary[];
  messageCount: number;
  action: ContrlAction;
  /** UCI 0085 with 0013 (service segment tag) and S011 (element/component position). */
  syntaxError?: { code: string; tag?: string; element?: number; component?: number };
  findings: Finding[];
  /** Byte offset just past the interchange. */
  offsetEnd: number;
}

/**
 * EDIFACT envelope reader: the tokenizer's segments in, interchanges, groups and messages out, each
 * validated against ISO 9735 (syntax versions 1 to 4) with its outcome in CONTRL terms:
 *
 * - UNB: syntax identifier and version supported, sender, recipient, date/time and control reference
 *   present; a UNB running into the next segment (its terminator missing) is caught;
 * - UNZ: 0036 equals the number of messages (or of groups, when groups are used) and 0020 equals UNB 0020;
 * - UNG/UNE: 0060 equals the number of messages in the group, UNE 0048 equals UNG 0048; groups and
 *   messages outside groups are not mixed (code 30);
 * - UNH/UNT: S009 type, version, release and agency present; UNT 0074 equals the segments from UNH to
 *   UNT inclusive, UNT 0062 equals UNH 0062; message references unique in the interchange;
 * - characters outside the level A/B repertoire (code 21), segments outside a message (code 33).
 *
 * Syntax error codes are those of UN/EDIFACT service code list 0085 (CONTRL 0085). A message is held in
 * memory only until its UNT (memory is bounded by the largest message).
 */
import type { Finding } from '../../validation/finding.js';
import { makeFinding, type FindingCode } from '../../validation/codes.js';
import { EdifactTokenizer, type EdifactTokenProblem, type EdifactTokenSegment } from './tokenizer.js';
import type {
  ContrlAction, EdifactGroupResult, EdifactInterchangeHeader, EdifactInterchangeResult, EdifactMessage, EdifactMessageSummary,
  EdifactSegment, EdifactSyntax,
} from './types.js';

export interface EdifactReaderHandler {
  onInterchangeStart?(header: EdifactInterchangeHeader): void;
  onMessage?(message: EdifactMessage): void;
  onGroupEnd?(group: EdifactGroupResult): void;
  onInterchangeEnd?(interchange: EdifactInterchangeResult): void;
  /** Problems outside any interchange (data before/between interchanges). */
  onFileFinding?(finding: Finding): void;
}

export interface EdifactReaderOptions {
  maxSegmentLength?: number;
  /**
   * Characters outside the declared level A/B repertoire: 'strict' (ISO 9735: syntax error 21, the
   * message or interchange is rejected) or 'lenient' (a warning; the data is read as sent).
   */
  characterSet?: 'strict' | 'lenient';
  /** Per interchange, once its UNB is read (e.g. the sending partner's policy); overrides characterSet. */
  characterSetFor?: (header: EdifactInterchangeHeader) => 'strict' | 'lenient' | undefined;
}

/** Messages that start with BGM (beginning of message) after the UNH in every UN directory. */
const BGM_MESSAGES = new Set(['ORDERS', 'ORDRSP', 'ORDCHG', 'DESADV', 'INVOIC', 'INVRPT', 'RECADV', 'IFTSTA', 'PRICAT', 'SLSRPT', 'APERAK', 'QUOTES', 'REMADV', 'DELFOR', 'DELJIT']);

interface GroupState {
  header: EdifactGroupResult['header'];
  messages: EdifactMessageSummary[];
  findings: Finding[];
  syntaxError?: EdifactGroupResult['syntaxError'];
}

interface InterchangeState {
  header: EdifactInterchangeHeader;
  syntax: EdifactSyntax;
  groups: EdifactGroupResult[];
  messages: EdifactMessageSummary[];
  messageCount: number;
  groupCount: number;
  findings: Finding[];
  syntaxError?: EdifactInterchangeResult['syntaxError'];
  unzSeen: boolean;
  started: boolean;
  references: Set<string>;
  /** Problems seen before the UNB was read (UNA, charset). */
  early: Array<{ code: FindingCode; message: string; contrl: string; offset: number }>;
}

const el = (s: EdifactSegment, e: number, c = 1): string => s.elements[e - 1]?.[c - 1] ?? '';

/** Streaming reader: push() chunks of the file, then end(). */
export class EdifactReader {
  private readonly h: EdifactReaderHandler;
  private strict: boolean;
  private readonly defaultStrict: boolean;
  private readonly characterSetFor: EdifactReaderOptions['characterSetFor'];
  private readonly tokenizer: EdifactTokenizer;
  private ic: InterchangeState | null = null;
  private group: GroupState | null = null;
  private msg: EdifactMessage | null = null;

  constructor(handler: EdifactReaderHandler, options: EdifactReaderOptions = {}) {
    this.h = handler;
    this.defaultStrict = (options.characterSet ?? 'strict') === 'strict';
    this.strict = this.defaultStrict;
    this.characterSetFor = options.characterSetFor;
    this.tokenizer = new EdifactTokenizer({
      onInterchangeOpen: (syntax) => this.open(syntax),
      onSegment: (seg) => this.segment(seg),
      onInterchangeClose: (end) => this.close(end),
      onProblem: (p) => this.problem(p),
    }, { maxSegmentLength: options.maxSegmentLength });
  }

  push(chunk: Buffer): void {
    this.tokenizer.push(chunk);
  }

  end(): void {
    this.tokenizer.end();
  }

  private open(syntax: EdifactSyntax): void {
    const header: EdifactInterchangeHeader = {
      syntax, syntaxId: '', syntaxVersion: '', senderId: '', senderQualifier: '', recipientId: '', recipientQualifier: '', date: '', time: '',
      controlReference: '', applicationReference: '', ackRequest: '', testIndicator: '', segment: null, enveloped: false, offset: syntax.offset,
    };
    this.ic = {
      header, syntax, groups: [], messages: [], messageCount: 0, groupCount: 0, findings: [], unzSeen: false, started: false,
      references: new Set(), early: [],
    };
  }

  private problem(p: EdifactTokenProblem): void {
    if (p.kind === 'data-outside') {
      this.h.onFileFinding?.(makeFinding('EDIFACT_DATA_OUTSIDE_INTERCHANGE', p.message, { offset: p.offset }));
      return;
    }
    const ic = this.ic;
    const code: FindingCode = p.kind === 'una-invalid' ? 'EDIFACT_UNA_INVALID' : p.kind === 'charset-unsupported' ? 'EDIFACT_SYNTAX_UNSUPPORTED'
      : p.kind === 'unterminated' ? 'EDIFACT_SEGMENT_UNTERMINATED' : p.kind === 'segment-too-long' ? 'EDIFACT_SEGMENT_TOO_LONG' : 'EDIFACT_INVALID_CHARACTER';
    if (!ic) {
      this.h.onFileFinding?.(makeFinding(code, p.message, { offset: p.offset }));
      return;
    }
    if (!ic.started && (p.kind === 'una-invalid' || p.kind === 'charset-unsupported')) {
      ic.early.push({ code, message: p.message, contrl: p.code, offset: p.offset });
      return;
    }
    this.interchangeError(code, p.message, p.code, p.kind === 'unterminated' ? { severity: 'warning' } : {});
  }

  /** Records an interchange-level finding; the first error sets the UCI syntax error. */
  private interchangeError(code: FindingCode, message: string, contrl: string, extra: { tag?: string; element?: number; component?: number; severity?: 'warning' } = {}): void {
    const ic = this.ic!;
    const f = makeFinding(code, message, { contrl, ...(extra.severity ? { severity: extra.severity } : {}) });
    ic.findings.push(f);
    if (f.severity === 'error' && !ic.syntaxError) {
      ic.syntaxError = { code: contrl, ...(extra.tag ? { tag: extra.tag } : {}), ...(extra.element ? { element: extra.element } : {}), ...(extra.component ? { component: extra.component } : {}) };
    }
  }

  private groupError(code: FindingCode, message: string, contrl: string, extra: { tag?: string; element?: number } = {}): void {
    const g = this.group!;
    g.findings.push(makeFinding(code, message, { contrl }));
    g.syntaxError ??= { code: contrl, ...(extra.tag ? { tag: extra.tag } : {}), ...(extra.element ? { element: extra.element } : {}) };
  }

  private messageError(code: FindingCode, message: string, contrl: string, extra: { tag?: string; element?: number; component?: number } = {}): void {
    const m = this.msg!;
    m.findings.push(makeFinding(code, `UNH ${m.reference}: ${message}`, { contrl }));
    m.syntaxError ??= { code: contrl, ...(extra.tag ? { tag: extra.tag } : {}), ...(extra.element ? { element: extra.element } : {}), ...(extra.component ? { component: extra.component } : {}) };
    m.action = '4';
  }

  /** Characters outside the level's repertoire in a service segment: an error at the envelope level (or a warning when lenient). */
  private serviceCharacters(seg: EdifactTokenSegment, level: 'interchange' | 'group'): void {
    if (!seg.invalid) return;
    const { element, component, char } = seg.invalid;
    const msg = `${seg.tag} element ${element}${component > 1 ? ` component ${component}` : ''} holds "${char}", which syntax level ${this.ic!.syntax.charset.id} does not allow (ISO 9735 character repertoire)`;
    if (!this.strict) {
      this.ic!.findings.push(makeFinding('EDIFACT_INVALID_CHARACTER', `${msg}; read as sent (partner policy edifact.characterSet: lenient)`, { severity: 'warning' }));
      return;
    }
    if (level === 'group' && this.group) this.groupError('EDIFACT_INVALID_CHARACTER', msg, '21', { tag: seg.tag, element });
    else this.interchangeError('EDIFACT_INVALID_CHARACTER', msg, '21', { tag: seg.tag, element, component });
  }

  private segment(seg: EdifactTokenSegment): void {
    const ic = this.ic;
    if (!ic) return;
    const first = !ic.started;
    ic.started = true;
    switch (seg.tag) {
      case 'UNB':
        if (first) return this.unb(seg);
        break;
      case 'UNG': return this.ung(seg);
      case 'UNE': return this.une(seg);
      case 'UNH': {
        if (first) this.bare();
        return this.unh(seg);
      }
      case 'UNT': return this.unt(seg);
      case 'UNZ': return this.unz(seg);
      default: break;
    }
    if (first) this.bare();
    if (this.msg) {
      this.msg.segments.push(seg);
      this.bodySegment(seg, this.msg.segments.length);
      return;
    }
    this.interchangeError('EDIFACT_SEGMENT_OUTSIDE_MESSAGE', `segment ${seg.tag} appears outside a message (not between UNH and UNT)`, '33');
  }

  /** The interchange has no UNB (a message sent without envelope). */
  private bare(): void {
    const ic = this.ic!;
    for (const e of ic.early) this.interchangeError(e.code, e.message, e.contrl);
    const policy = this.characterSetFor?.(ic.header);
    this.strict = policy ? policy === 'strict' : this.defaultStrict;
    ic.findings.push(makeFinding('EDIFACT_UNB_MISSING', 'the message is not enclosed in an interchange (no UNB/UNZ): read without an envelope, no CONTRL can be addressed'));
    this.h.onInterchangeStart?.(ic.header);
  }

  private unb(seg: EdifactTokenSegment): void {
    const ic = this.ic!;
    const hd = ic.header;
    hd.segment = seg;
    hd.enveloped = true;
    hd.syntaxId = el(seg, 1, 1);
    hd.syntaxVersion = el(seg, 1, 2);
    hd.senderId = el(seg, 2, 1);
    hd.senderQualifier = el(seg, 2, 2);
    hd.recipientId = el(seg, 3, 1);
    hd.recipientQualifier = el(seg, 3, 2);
    hd.date = el(seg, 4, 1);
    hd.time = el(seg, 4, 2);
    hd.controlReference = el(seg, 5);
    hd.applicationReference = el(seg, 7);
    hd.ackRequest = el(seg, 9);
    hd.testIndicator = el(seg, 11);
    const policy = this.characterSetFor?.(hd);
    this.strict = policy ? policy === 'strict' : this.defaultStrict;
    for (const e of ic.early) this.interchangeError(e.code, e.message, e.contrl, { tag: 'UNB', element: 1, component: 1 });
    // A UNB that runs into the next segment: its terminator is missing (the next tag ends up in a UNB element).
    const swallowed = seg.elements.findIndex((comps, i) => i >= 4 && comps.some((c) => /(?:UNH|UNG)$/.test(c)));
    if (swallowed >= 0) {
      this.interchangeError('EDIFACT_UNB_UNTERMINATED', `UNB has no segment terminator "${ic.syntax.delimiters.segment}": element ${swallowed + 1} "${seg.elements[swallowed]!.join(ic.syntax.delimiters.component)}" runs into the next segment`, '13', { tag: 'UNB' });
    }
    if (!/^[1-4]$/.test(hd.syntaxVersion)) {
      this.interchangeError('EDIFACT_SYNTAX_UNSUPPORTED', `UNB S001 syntax version "${hd.syntaxVersion}" is not 1, 2, 3 or 4`, '2', { tag: 'UNB', element: 1, component: 2 });
    }
    const missing: Array<[string, number, number, string]> = [['S002 0004 sender identification', 2, 1, hd.senderId], ['S003 0010 recipient identification', 3, 1, hd.recipientId],
      ['S004 0017 date', 4, 1, hd.date], ['S004 0019 time', 4, 2, hd.time], ['0020 interchange control reference', 5, 1, hd.controlReference]];
    for (const [what, e, c, v] of missing) {
      if (!v) this.interchangeError('EDIFACT_UNB_INVALID', `UNB ${what} is missing`, '13', { tag: 'UNB', element: e, component: c });
    }
    if (hd.controlReference.length > 14) this.interchangeError('EDIFACT_UNB_INVALID', `UNB 0020 "${hd.controlReference}" is longer than 14 characters`, '39', { tag: 'UNB', element: 5 });
    if (hd.date && !/^(?:\d{6}|\d{8})$/.test(hd.date)) this.interchangeError('EDIFACT_UNB_INVALID', `UNB S004 0017 date "${hd.date}" is not YYMMDD or CCYYMMDD`, '12', { tag: 'UNB', element: 4, component: 1 });
    if (hd.time && !/^\d{4}$/.test(hd.time)) this.interchangeError('EDIFACT_UNB_INVALID', `UNB S004 0019 time "${hd.time}" is not HHMM`, '12', { tag: 'UNB', element: 4, component: 2 });
    if (seg.elements.length > 11) this.interchangeError('EDIFACT_UNB_INVALID', `UNB has ${seg.elements.length} data elements (at most 11)`, '16', { tag: 'UNB' });
    this.serviceCharacters(seg, 'interchange');
    this.h.onInterchangeStart?.(hd);
  }

  private ung(seg: EdifactTokenSegment): void {
    const ic = this.ic!;
    if (this.msg) this.closeMessageWithoutUnt();
    if (this.group) this.closeGroup(null);
    if (ic.messages.length > 0) this.interchangeError('EDIFACT_GROUPS_AND_MESSAGES_MIXED', 'a functional group (UNG) follows messages sent outside groups', '30', { tag: 'UNG' });
    ic.groupCount++;
    this.group = {
      header: {
        groupId: el(seg, 1), senderId: el(seg, 2, 1), senderQualifier: el(seg, 2, 2), recipientId: el(seg, 3, 1), recipientQualifier: el(seg, 3, 2),
        date: el(seg, 4, 1), time: el(seg, 4, 2), reference: el(seg, 5), version: (seg.elements[6] ?? []).filter(Boolean).join(':'),
      },
      messages: [], findings: [],
    };
    if (!this.group.header.reference) this.groupError('EDIFACT_UNG_INVALID', 'UNG 0048 group reference number is missing', '13', { tag: 'UNG', element: 5 });
    this.serviceCharacters(seg, 'group');
  }

  private une(seg: EdifactTokenSegment): void {
    if (this.msg) this.closeMessageWithoutUnt();
    if (!this.group) {
      this.interchangeError('EDIFACT_SEGMENT_OUTSIDE_MESSAGE', 'UNE without a UNG', '33', { tag: 'UNE' });
      return;
    }
    this.closeGroup(seg);
  }

  private closeGroup(une: EdifactSegment | null): void {
    const g = this.group!;
    const ic = this.ic!;
    let declared: string | null = null;
    if (!une) {
      this.groupError('EDIFACT_UNE_MISSING', `group ${g.header.reference} ends without a UNE`, '13', { tag: 'UNE' });
    } else {
      declared = el(une, 1);
      if (!/^\d+$/.test(declared) || Number(declared) !== g.messages.length) {
        this.groupError('EDIFACT_UNE_COUNT_MISMATCH', `UNE 0060 is "${declared}" but group ${g.header.reference} holds ${g.messages.length} message(s)`, '29', { tag: 'UNE', element: 1 });
      }
      if (el(une, 2) !== g.header.reference) {
        this.groupError('EDIFACT_UNE_REFERENCE_MISMATCH', `UNE 0048 "${el(une, 2)}" does not match UNG 0048 "${g.header.reference}"`, '28', { tag: 'UNE', element: 2 });
      }
    }
    if (g.messages.length === 0) this.groupError('EDIFACT_GROUP_EMPTY', `group ${g.header.reference} holds no message`, '32');
    const rejected = !!g.syntaxError || (g.messages.length > 0 && g.messages.every((m) => m.action === '4'));
    const result: EdifactGroupResult = {
      header: g.header, messages: g.messages, action: g.syntaxError ? '4' : '7', findings: g.findings, declaredCount: declared,
      ...(g.syntaxError ? { syntaxError: g.syntaxError } : {}),
    };
    void rejected;
    ic.groups.push(result);
    this.group = null;
    this.h.onGroupEnd?.(result);
  }

  private unh(seg: EdifactTokenSegment): void {
    const ic = this.ic!;
    if (this.msg) this.closeMessageWithoutUnt();
    if (ic.groupCount > 0 && !this.group) this.interchangeError('EDIFACT_GROUPS_AND_MESSAGES_MIXED', `message UNH ${el(seg, 1)} is outside a group although the interchange uses groups`, '30', { tag: 'UNH' });
    ic.messageCount++;
    const m: EdifactMessage = {
      reference: el(seg, 1), type: el(seg, 2, 1), version: el(seg, 2, 2), release: el(seg, 2, 3), agency: el(seg, 2, 4), associationCode: el(seg, 2, 5),
      segments: [seg], index: ic.messageCount, groupReference: this.group?.header.reference ?? '', interchange: ic.header, action: '7', segmentErrors: [], findings: [],
    };
    this.msg = m;
    if (!m.reference) this.messageError('EDIFACT_UNH_INVALID', 'UNH 0062 message reference number is missing', '13', { tag: 'UNH', element: 1 });
    const parts: Array<[string, number, string]> = [['0065 message type', 1, m.type], ['0052 version', 2, m.version], ['0054 release', 3, m.release], ['0051 controlling agency', 4, m.agency]];
    for (const [what, c, v] of parts) {
      if (!v) this.messageError('EDIFACT_UNH_INVALID', `UNH S009 ${what} is missing`, '13', { tag: 'UNH', element: 2, component: c });
    }
    if (m.reference && ic.references.has(m.reference)) this.messageError('EDIFACT_MESSAGE_DUPLICATE_REFERENCE', `message reference ${m.reference} is used twice in interchange ${ic.header.controlReference}`, '26', { tag: 'UNH', element: 1 });
    ic.references.add(m.reference);
    this.bodySegment(seg, 1);
  }

  /** Checks inside a message: characters, BGM after UNH, DTM format. */
  private bodySegment(seg: EdifactTokenSegment, position: number): void {
    const m = this.msg!;
    if (seg.invalid) {
      const { element, component, char } = seg.invalid;
      if (element === 0) {
        m.segmentErrors.push({ position, tag: seg.tag, code: '21' });
        m.findings.push(makeFinding('EDIFACT_SEGMENT_UNREADABLE', `UNH ${m.reference}: segment ${position} (${seg.tag}) holds a character the syntax does not allow (${JSON.stringify(char)}); it was not read`, { contrl: '21', segment: { tag: seg.tag, position, code: '21' } }));
        m.action = '4';
      } else {
        const what = `segment ${position} (${seg.tag}) element ${element}${component > 1 ? ` component ${component}` : ''} holds "${char}", which syntax level ${this.ic!.syntax.charset.id} does not allow (ISO 9735 character repertoire)`;
        if (this.strict) {
          m.segmentErrors.push({ position, tag: seg.tag, element: { code: '21', position: element, component } });
          m.findings.push(makeFinding('EDIFACT_INVALID_CHARACTER', `UNH ${m.reference}: ${what}`, { contrl: '21', segment: { tag: seg.tag, position, code: '21' }, element: { position: element, componentPosition: component, code: '21' } }));
          m.action = '4';
        } else {
          m.findings.push(makeFinding('EDIFACT_INVALID_CHARACTER', `UNH ${m.reference}: ${what}; read as sent (partner policy edifact.characterSet: lenient)`, { severity: 'warning' }));
        }
      }
    }
    if (position === 2 && BGM_MESSAGES.has(m.type) && seg.tag !== 'BGM' && seg.tag !== 'UNT') {
      m.segmentErrors.push({ position, tag: seg.tag, code: '13' });
      m.findings.push(makeFinding('EDIFACT_MANDATORY_SEGMENT_MISSING', `UNH ${m.reference}: ${m.type} must start with BGM after UNH, found ${seg.tag} at segment 2`, { contrl: '13', segment: { tag: seg.tag, position, code: '13' } }));
      m.action = '4';
    }
    if (seg.tag === 'DTM') {
      const value = el(seg, 1, 2);
      if (value && !el(seg, 1, 3)) {
        m.segmentErrors.push({ position, tag: seg.tag, element: { code: '13', position: 1, component: 3 } });
        m.findings.push(makeFinding('EDIFACT_DATE_FORMAT_MISSING', `UNH ${m.reference}: segment ${position} DTM ${el(seg, 1, 1)} gives the date "${value}" without its format code (C507 2379), so it cannot be read unambiguously`, { contrl: '13', segment: { tag: 'DTM', position, code: '13' }, element: { position: 1, componentPosition: 3, code: '13' } }));
        m.action = '4';
      }
    }
  }

  private unt(seg: EdifactTokenSegment): void {
    const m = this.msg;
    if (!m) {
      this.interchangeError('EDIFACT_SEGMENT_OUTSIDE_MESSAGE', `UNT ${el(seg, 2)} without a UNH`, '33', { tag: 'UNT' });
      return;
    }
    m.segments.push(seg);
    this.bodySegment(seg, m.segments.length);
    const declared = el(seg, 1);
    if (!/^\d+$/.test(declared) || Number(declared) !== m.segments.length) {
      this.messageError('EDIFACT_UNT_COUNT_MISMATCH', `UNT 0074 is "${declared}" but the message has ${m.segments.length} segments from UNH to UNT`, '29', { tag: 'UNT', element: 1 });
    }
    if (el(seg, 2) !== m.reference) {
      this.messageError('EDIFACT_UNT_REFERENCE_MISMATCH', `UNT 0062 "${el(seg, 2)}" does not match UNH 0062 "${m.reference}"`, '28', { tag: 'UNT', element: 2 });
    }
    this.finishMessage();
  }

  private closeMessageWithoutUnt(): void {
    this.messageError('EDIFACT_UNT_MISSING', 'the message ends without a UNT', '13', { tag: 'UNT' });
    this.finishMessage();
  }

  private finishMessage(): void {
    const m = this.msg!;
    this.msg = null;
    const summary: EdifactMessageSummary = {
      reference: m.reference, type: m.type, version: m.version, release: m.release, agency: m.agency, associationCode: m.associationCode,
      action: m.action, segmentErrors: m.segmentErrors, ...(m.syntaxError ? { syntaxError: m.syntaxError } : {}),
    };
    if (this.group) this.group.messages.push(summary);
    else this.ic!.messages.push(summary);
    m.summary = summary;
    this.h.onMessage?.(m);
    m.segments = [];
  }

  private unz(seg: EdifactTokenSegment): void {
    const ic = this.ic!;
    if (this.msg) this.closeMessageWithoutUnt();
    if (this.group) this.closeGroup(null);
    ic.unzSeen = true;
    const declared = el(seg, 1);
    const counted = ic.groupCount > 0 ? ic.groupCount : ic.messageCount;
    const what = ic.groupCount > 0 ? 'group(s)' : 'message(s)';
    if (!/^\d+$/.test(declared) || Number(declared) !== counted) {
      this.interchangeError('EDIFACT_UNZ_COUNT_MISMATCH', `UNZ 0036 is "${declared}" but the interchange holds ${counted} ${what}`, '29', { tag: 'UNZ', element: 1 });
    }
    if (el(seg, 2) !== ic.header.controlReference) {
      this.interchangeError('EDIFACT_UNZ_REFERENCE_MISMATCH', `UNZ 0020 "${el(seg, 2)}" does not match UNB 0020 "${ic.header.controlReference}"`, '28', { tag: 'UNZ', element: 2 });
    }
  }

  private close(offsetEnd: number): void {
    const ic = this.ic;
    if (!ic) return;
    if (!ic.started) {
      // a UNA with nothing after it
      this.ic = null;
      return;
    }
    if (this.msg) this.closeMessageWithoutUnt();
    if (this.group) this.closeGroup(null);
    if (ic.header.enveloped && !ic.unzSeen) this.interchangeError('EDIFACT_UNZ_MISSING', `interchange ${ic.header.controlReference} ends without a UNZ`, '13', { tag: 'UNZ' });
    if (ic.messageCount === 0) this.interchangeError('EDIFACT_INTERCHANGE_EMPTY', `interchange ${ic.header.controlReference} holds no message`, '32');
    const action: ContrlAction = ic.syntaxError ? '4' : '7';
    const result: EdifactInterchangeResult = {
      header: ic.header, groups: ic.groups, messages: ic.messages, messageCount: ic.messageCount, action, findings: ic.findings, offsetEnd,
      ...(ic.syntaxError ? { syntaxError: ic.syntaxError } : {}),
    };
    this.ic = null;
    this.h.onInterchangeEnd?.(result);
  }
}

/** Reads a whole buffer (tests, `edigate validate`, map examples). */
export function parseEdifactBuffer(bytes: Buffer, options: EdifactReaderOptions = {}): {
  interchanges: EdifactInterchangeResult[]; messages: EdifactMessage[]; fileFindings: Finding[];
} {
  const interchanges: EdifactInterchangeResult[] = [];
  const messages: EdifactMessage[] = [];
  const fileFindings: Finding[] = [];
  const r = new EdifactReader({
    onMessage: (m) => messages.push({ ...m, segments: [...m.segments] }),
    onInterchangeEnd: (i) => interchanges.push(i),
    onFileFinding: (f) => fileFindings.push(f),
  }, options);
  r.push(bytes);
  r.end();
  return { interchanges, messages, fileFindings };
}

/**
 * CONTRL syntax and service report message (UN/EDIFACT, ISO 9735 syntax versions 3 and 4; also sent for
 * versions 1 and 2, which have no CONTRL of their own, in the version 3 form).
 *
 *   UNA (when the interchange had one or uses other service characters)
 *   UNB  envelope mirrored: sender and recipient swapped, syntax identifier and version kept, test indicator kept
 *   UNH  CONTRL:2:2:UN (syntax 1-3) or CONTRL:4:1:UN (syntax 4)
 *   UCI  the interchange: its 0020, S002 sender and S003 recipient as received, 0083 action
 *        (7 acknowledged, 4 rejected, 8 received), 0085 syntax error with 0013 segment tag and S011 position
 *   UCF  per group (UNG 0048, S006, S007), with UCM for its messages
 *   UCM  per message: 0062, S009, 0083, 0085/0013/S011 for an error in UNH/UNT,
 *   UCS  0096 position of the segment in error (UNH = 1) with its 0085, and
 *   UCD  0085 with S011 (0098 element position, 0104 component position) for the element in error
 *   UNT, UNZ
 *
 * Syntax error codes: UN/EDIFACT service code list 0085. CONTRL messages themselves are never acknowledged.
 */
import type { ContrlPolicy } from '../partners/partner.js';
import { writeSegment } from '../formats/edifact/writer.js';
import { isDefaultDelimiters, unaText } from '../formats/edifact/una.js';
import type { EdifactInterchangeResult, EdifactMessageSummary } from '../formats/edifact/types.js';

export interface ContrlOptions {
  /** Our UNB 0020 for the CONTRL interchange (per-partner counter). */
  controlReference: string;
  /** UNH 0062 of the CONTRL message. */
  messageReference: string;
  now: Date;
  /** 'syntax' (default): UCI 7/4 with UCF/UCM detail; 'received': UCI 8 only, for interchanges not rejected. */
  level?: 'syntax' | 'received';
}

function s011(e?: number, c?: number): string[] {
  if (!e) return [];
  return c ? [String(e), String(c)] : [String(e)];
}

function ucm(m: EdifactMessageSummary, d: Parameters<typeof writeSegment>[2]): string[] {
  const out: string[] = [];
  const s009 = [m.type, m.version, m.release, m.agency, m.associationCode];
  const err = m.syntaxError;
  out.push(writeSegment('UCM', [m.reference, s009, m.action, err?.code ?? '', err?.tag ?? '', s011(err?.element, err?.component)], d));
  for (const se of m.segmentErrors) {
    out.push(writeSegment('UCS', [String(se.position), se.code ?? ''], d));
    if (se.element) out.push(writeSegment('UCD', [se.element.code, s011(se.element.position, se.element.component)], d));
  }
  return out;
}

/** True when some level of the interchange was rejected (UCI, UCF or UCM action 4). */
export function contrlHasErrors(ic: EdifactInterchangeResult): boolean {
  return ic.action === '4' || ic.messages.some((m) => m.action === '4') || ic.groups.some((g) => g.action === '4' || g.messages.some((m) => m.action === '4'));
}

/**
 * Whether a CONTRL goes back for `ic` under the partner's policy: never; on-error (some level rejected);
 * always; as-requested (UNB 0031 = 1, ISO 9735 "acknowledgement request"). A message received without UNB
 * cannot be answered, and an interchange holding only CONTRL messages is never answered.
 */
export function shouldSendContrl(policy: ContrlPolicy, ic: EdifactInterchangeResult, onlyContrl: boolean): boolean {
  if (!ic.header.enveloped || onlyContrl) return false;
  switch (policy) {
    case 'never': return false;
    case 'always': return true;
    case 'on-error': return contrlHasErrors(ic);
    case 'as-requested': return ic.header.ackRequest === '1';
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The CONTRL interchange answering `ic`.
 * @returns the text (characters; encode with the interchange's character set).
 */
export function buildContrl(ic: EdifactInterchangeResult, opts: ContrlOptions): string {
  const h = ic.header;
  const d = h.syntax.delimiters;
  const v4 = h.syntaxVersion === '4';
  const now = opts.now;
  const yy = String(now.getUTCFullYear());
  const date = (v4 ? yy : yy.slice(2)) + pad(now.getUTCMonth() + 1) + pad(now.getUTCDate());
  const time = pad(now.getUTCHours()) + pad(now.getUTCMinutes());
  const segs: string[] = [];
  const head: string[] = [];
  if (h.syntax.una || !isDefaultDelimiters(d)) head.push(unaText(d));
  const unb: Array<string | string[]> = [[h.syntaxId, h.syntaxVersion], [h.recipientId, h.recipientQualifier], [h.senderId, h.senderQualifier], [date, time], opts.controlReference];
  if (h.testIndicator === '1') unb.push('', '', '', '', '', '1');
  head.push(writeSegment('UNB', unb, d));
  segs.push(writeSegment('UNH', [opts.messageReference, v4 ? ['CONTRL', '4', '1', 'UN'] : ['CONTRL', '2', '2', 'UN']], d));
  const received = opts.level === 'received' && ic.action !== '4';
  const action = received ? '8' : ic.action;
  const err = ic.syntaxError;
  segs.push(writeSegment('UCI', [h.controlReference, [h.senderId, h.senderQualifier], [h.recipientId, h.recipientQualifier], action,
    err?.code ?? '', err?.tag ?? '', s011(err?.element, err?.component)], d));
  if (!received && ic.action !== '4') {
    for (const m of ic.messages) segs.push(...ucm(m, d));
    for (const g of ic.groups) {
      const ge = g.syntaxError;
      segs.push(writeSegment('UCF', [g.header.reference, [g.header.senderId, g.header.senderQualifier], [g.header.recipientId, g.header.recipientQualifier], g.action,
        ge?.code ?? '', ge?.tag ?? '', s011(ge?.element)], d));
      if (g.action !== '4') for (const m of g.messages) segs.push(...ucm(m, d));
    }
  }
  segs.push(writeSegment('UNT', [String(segs.length + 1), opts.messageReference], d));
  return head.join('') + segs.join('') + writeSegment('UNZ', ['1', opts.controlReference], d);
}

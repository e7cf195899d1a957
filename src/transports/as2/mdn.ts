/**
 * Message Disposition Notifications for AS2 (RFC 4130 §7.4, RFC 3798 / RFC 8098 multipart/report):
 * building ours (signed when the sender asks, RFC 4130 §7.4.2) and reading the partner's.
 *
 *   Content-Type: multipart/report; report-type=disposition-notification; boundary=...
 *     text/plain                           human-readable explanation
 *     message/disposition-notification     Reporting-UA, Original-Recipient, Final-Recipient, Original-Message-ID,
 *                                          Received-Content-MIC, Disposition
 * A signed MDN is that entity as the first part of a multipart/signed with an application/pkcs7-signature part.
 */
import {
  headerOf, newBoundary, parseEntity, parseHeaderBlock, parseHeaderValue, splitMultipart, decodedBody, type MimeEntity,
} from './mime.js';
import { micalgOf, signDetached, verifyDetached, type Certificate, type DigestName, type KeyPair, type VerifyResult } from './cms.js';
import { formatMic, parseMic, type Mic } from './mic.js';

/**
 * A disposition (RFC 4130 §7.5.3): `processed`; `processed/error: <modifier>` (authentication-failed,
 * decryption-failed, decompression-failed, insufficient-message-security, integrity-check-failed,
 * unexpected-processing-error); `processed/warning: duplicate-document`; `failed/failure: <text>`.
 */
export type Disposition =
  | { type: 'processed' }
  | { type: 'error'; modifier: string }
  | { type: 'warning'; modifier: string }
  | { type: 'failed'; modifier: string };

/** The Disposition field value: `automatic-action/MDN-sent-automatically; processed[/error: x]`. */
export function dispositionText(d: Disposition): string {
  const base = 'automatic-action/MDN-sent-automatically; ';
  switch (d.type) {
    case 'processed': return `${base}processed`;
    case 'error': return `${base}processed/error: ${d.modifier}`;
    case 'warning': return `${base}processed/warning: ${d.modifier}`;
    case 'failed': return `${base}failed/failure: ${d.modifier}`;
  }
}

/** What an MDN says. */
export interface MdnInput {
  reportingUa: string;
  /** Our AS2 id: Original-Recipient and Final-Recipient (`rfc822; <id>`). */
  recipient: string;
  originalMessageId: string;
  /** Absent when no MIC could be computed (the message could not be unwrapped). */
  mic?: Mic;
  disposition: Disposition;
  /** Human-readable explanation (first part). */
  text: string;
  /** Sign the MDN with this key and digest (RFC 4130 §7.4.2). */
  sign?: { keyPair: KeyPair; digest: DigestName };
}

/** An MDN ready to send: the top-level Content-Type (goes in HTTP headers) and the body. */
export interface BuiltMdn {
  contentType: string;
  body: Buffer;
}

/** Quotes an AS2 id for a header when it needs it (RFC 4130 §6.2: ids with spaces are quoted strings). */
export function quoteAs2Id(id: string): string {
  return /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(id) ? id : `"${id.replace(/(["\\])/g, '\\$1')}"`;
}

/** Removes the quoting of an AS2-From/AS2-To value (RFC 4130 §6.2). */
export function unquoteAs2Id(value: string | undefined): string {
  const v = (value ?? '').trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/**
 * Builds an MDN (multipart/report), signed as multipart/signed when `input.sign` is given.
 * Lines end with CRLF, so the signed bytes are the bytes sent.
 */
export async function buildMdn(input: MdnInput): Promise<BuiltMdn> {
  const rb = newBoundary('mdn');
  const fields = [
    `Reporting-UA: ${input.reportingUa}`,
    `Original-Recipient: rfc822; ${quoteAs2Id(input.recipient)}`,
    `Final-Recipient: rfc822; ${quoteAs2Id(input.recipient)}`,
    `Original-Message-ID: ${input.originalMessageId}`,
    ...(input.mic ? [`Received-Content-MIC: ${formatMic(input.mic)}`] : []),
    `Disposition: ${dispositionText(input.disposition)}`,
  ];
  const reportBody = [
    `--${rb}`,
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit',
    '',
    input.text.replace(/\r?\n/g, '\r\n').replace(/[^\x09\x0a\x0d\x20-\x7e]/g, '?'),
    '',
    `--${rb}`,
    'Content-Type: message/disposition-notification',
    'Content-Transfer-Encoding: 7bit',
    '',
    ...fields,
    '',
    `--${rb}--`,
    '',
  ].join('\r\n');
  const reportType = `multipart/report; report-type=disposition-notification; boundary="${rb}"`;
  if (!input.sign) return { contentType: reportType, body: Buffer.from(reportBody, 'latin1') };
  const entity = Buffer.from(`Content-Type: ${reportType}\r\n\r\n${reportBody}`, 'latin1');
  const p7s = await signDetached(entity, input.sign.keyPair, input.sign.digest);
  const sb = newBoundary('signed');
  const body = Buffer.concat([
    Buffer.from(`--${sb}\r\n`, 'latin1'),
    entity,
    Buffer.from(`\r\n--${sb}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n` +
      `Content-Disposition: attachment; filename=smime.p7s\r\n\r\n${base64Lines(p7s)}\r\n--${sb}--\r\n`, 'latin1'),
  ]);
  return { contentType: `multipart/signed; protocol="application/pkcs7-signature"; micalg=${micalgOf(input.sign.digest)}; boundary="${sb}"`, body };
}

/** Base64 in lines of 76 characters (RFC 2045 §6.8). */
export function base64Lines(b: Buffer): string {
  return (b.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** An MDN as read. */
export interface ParsedMdn {
  signed: boolean;
  /** Signature check against the partner's certificates (signed MDNs only). */
  signature?: VerifyResult;
  originalMessageId?: string;
  reportingUa?: string;
  finalRecipient?: string;
  mic?: Mic;
  /** Disposition field as received. */
  disposition: string;
  /** processed (no modifier), warning, error, failed, or unknown when the field cannot be read. */
  outcome: 'processed' | 'warning' | 'error' | 'failed' | 'unknown';
  /** The modifier text after `error:`/`warning:`/`failure:` (e.g. decryption-failed). */
  modifier?: string;
  /** The human-readable part. */
  text: string;
}

/** True when an entity with this Content-Type and body is an MDN (multipart/report, possibly inside multipart/signed). */
export function isMdn(contentType: string, body: Buffer): boolean {
  const ct = parseHeaderValue(contentType);
  if (ct.value === 'multipart/report') return true;
  if (ct.value !== 'multipart/signed' || !ct.params.boundary) return false;
  const first = splitMultipart(body, ct.params.boundary)[0];
  return first?.contentType.value === 'multipart/report';
}

/**
 * Reads an MDN; a signed one is verified against `trusted` (the partner's signing certificates) over the exact
 * bytes of its first part.
 * @throws Error when there is no message/disposition-notification part.
 */
export async function parseMdn(contentType: string, body: Buffer, trusted: Certificate[]): Promise<ParsedMdn> {
  const ct = parseHeaderValue(contentType);
  let report: MimeEntity;
  let signed = false;
  let signature: VerifyResult | undefined;
  if (ct.value === 'multipart/signed') {
    const parts = splitMultipart(body, ct.params.boundary ?? '');
    const first = parts[0];
    const sig = parts[1];
    if (!first || !sig) throw new Error('multipart/signed MDN without two parts');
    signed = true;
    try {
      signature = await verifyDetached(decodedBody(sig), first.raw, trusted);
    } catch (err) {
      signature = { outcome: 'authentication-failed', digest: undefined, detail: `signature unreadable: ${(err as Error).message}` };
    }
    report = first;
  } else {
    report = parseEntity(Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`, 'latin1'), body]));
  }
  if (report.contentType.value !== 'multipart/report') throw new Error(`not an MDN: ${report.contentType.value}`);
  const parts = splitMultipart(report.body, report.contentType.params.boundary ?? '');
  const notification = parts.find((p) => p.contentType.value === 'message/disposition-notification');
  if (!notification) throw new Error('MDN without a message/disposition-notification part');
  const fields = parseHeaderBlock(decodedBody(notification).toString('latin1'));
  const text = parts.filter((p) => p.contentType.value === 'text/plain').map((p) => decodedBody(p).toString('utf8')).join('\n').trim();
  const disposition = headerOf(fields, 'disposition') ?? '';
  const m = /;\s*(processed|failed)(?:\s*\/\s*(error|warning|failure)\s*:\s*(.*))?$/i.exec(disposition.trim());
  let outcome: ParsedMdn['outcome'] = 'unknown';
  if (m) {
    const kind = m[2]?.toLowerCase();
    outcome = m[1]!.toLowerCase() === 'failed' ? 'failed' : kind === 'error' ? 'error' : kind === 'warning' ? 'warning' : kind === 'failure' ? 'failed' : 'processed';
  }
  const micText = headerOf(fields, 'received-content-mic');
  const mic = micText ? parseMic(micText) : undefined;
  const finalRecipient = headerOf(fields, 'final-recipient')?.replace(/^rfc822;\s*/i, '');
  const originalMessageId = headerOf(fields, 'original-message-id');
  const reportingUa = headerOf(fields, 'reporting-ua');
  return {
    signed, disposition, outcome, text,
    ...(signature ? { signature } : {}),
    ...(originalMessageId ? { originalMessageId: originalMessageId.trim() } : {}),
    ...(reportingUa ? { reportingUa } : {}),
    ...(finalRecipient ? { finalRecipient: unquoteAs2Id(finalRecipient) } : {}),
    ...(mic ? { mic } : {}),
    ...(m?.[3] ? { modifier: m[3].trim() } : {}),
  };
}

/**
 * Reads Disposition-Notification-Options (RFC 4130 §7.3):
 * `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256, sha1`.
 * @returns whether a signed receipt is asked for and the MIC algorithms in the sender's order.
 */
export function parseNotificationOptions(value: string | undefined): { signed: boolean; micalgs: string[] } {
  if (!value) return { signed: false, micalgs: [] };
  let signed = false;
  let micalgs: string[] = [];
  for (const param of value.split(';')) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    const values = param.slice(eq + 1).split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
    // first value is the importance (required | optional)
    if (name === 'signed-receipt-protocol') signed = values.slice(1).some((v) => v.toLowerCase() === 'pkcs7-signature');
    if (name === 'signed-receipt-micalg') micalgs = values.slice(1).filter(Boolean);
  }
  return { signed, micalgs };
}

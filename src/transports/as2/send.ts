/**
 * AS2 sending (RFC 4130): the OutboundSender of channel `as2`. Each file is wrapped as the partner file asks
 * (compressed with RFC 3274 before signing, signed as multipart/signed, encrypted as CMS EnvelopedData), POSTed
 * with an MDN request (sync or async), and counts as delivered only when the MDN proves it: signed by the
 * partner's certificate (when a signed MDN was asked for), Original-Message-ID ours, disposition `processed`
 * (or `processed/warning`, e.g. duplicate-document for a resend it already had), and Received-Content-MIC equal
 * to the MIC we computed. The MDN is kept verbatim as evidence on the transmission and the AS2 message.
 * A resend of the same transmission reuses its Message-ID, so a partner that had it answers duplicate-document.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../../store/db.js';
import {
  insertAs2Message, outboundByMessageId, outboundOfTransmission, overdueOutbound, updateAs2Message, type As2MessageRow,
} from '../../store/as2.js';
import { completeTransmission, failTransmission, getTransmission } from '../../store/transmissions.js';
import type { Partner } from '../../partners/partner.js';
import type { PartnerDirectory } from '../../partners/load.js';
import { GatewayError, type ErrorCode } from '../../errors.js';
import { DEFAULT_RETRY_POLICY } from '../../queue/retry-policy.js';
import { retryDelayMs } from '../../queue/backoff.js';
import type { OutboundFile, OutboundSender, SendOutcome } from '../outbound.js';
import { compress, encrypt, micalgOf, signDetached, type CipherName, type DigestName, type KeyPair, type Certificate } from './cms.js';
import { computeMic, sameMic, type Mic } from './mic.js';
import { base64Lines, isMdn, parseMdn, quoteAs2Id } from './mdn.js';
import { newBoundary } from './mime.js';
import type { CertificateCache } from './certificates.js';
import { REPORTING_UA } from './receive.js';

/** How to wrap one message. */
export interface WrapOptions {
  sign?: { keyPair: KeyPair; digest: DigestName; scheme: 'pkcs1v15' | 'pss' };
  encrypt?: { cert: Certificate; cipher: CipherName; keyTransport: 'pkcs1v15' | 'oaep' };
  compress?: boolean;
  /** MIC algorithm when not signing. Default SHA-256. */
  micDigest?: DigestName;
}

/** A wrapped message: the outer MIME header fields (they go into the HTTP request), the body and our MIC. */
export interface WrappedMessage {
  headers: Record<string, string>;
  body: Buffer;
  mic: Mic;
}

/** The MIME type of an EDI payload (RFC 1767): X12 or EDIFACT by their first bytes, else octet-stream. */
export function ediContentType(bytes: Buffer): string {
  const head = bytes.subarray(0, 16).toString('latin1').replace(/^\uFEFF|^\s+/, '');
  if (head.startsWith('ISA')) return 'application/edi-x12';
  if (head.startsWith('UNA') || head.startsWith('UNB')) return 'application/edifact';
  return 'application/octet-stream';
}

/**
 * Wraps a payload for AS2: entity (Content-Type, Content-Disposition filename, binary) -> compressed (optional)
 * -> multipart/signed (optional) -> EnvelopedData (optional). The MIC (RFC 4130 §7.3.1) is over the signed
 * entity's bytes, or the unsigned, uncompressed entity when not signing.
 */
export async function wrapMessage(payload: Buffer, fileName: string, o: WrapOptions): Promise<WrappedMessage> {
  const safeName = fileName.replace(/["\\\r\n]/g, '_');
  let entity = Buffer.concat([
    Buffer.from(`Content-Type: ${ediContentType(payload)}\r\nContent-Transfer-Encoding: binary\r\nContent-Disposition: attachment; filename="${safeName}"\r\n\r\n`, 'latin1'),
    payload,
  ]);
  let mic = computeMic(entity, o.sign?.digest ?? o.micDigest ?? 'SHA-256');
  if (o.compress) {
    entity = Buffer.concat([
      Buffer.from('Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\nContent-Transfer-Encoding: binary\r\n' +
        'Content-Disposition: attachment; filename=smime.p7z\r\n\r\n', 'latin1'),
      compress(entity),
    ]);
  }
  if (o.sign) {
    mic = computeMic(entity, o.sign.digest);
    const p7s = await signDetached(entity, o.sign.keyPair, o.sign.digest, o.sign.scheme);
    const b = newBoundary('part');
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\n`, 'latin1'), entity,
      Buffer.from(`\r\n--${b}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n` +
        `Content-Disposition: attachment; filename=smime.p7s\r\n\r\n${base64Lines(p7s)}\r\n--${b}--\r\n`, 'latin1'),
    ]);
    entity = Buffer.concat([
      Buffer.from(`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=${micalgOf(o.sign.digest)}; boundary="${b}"\r\n\r\n`, 'latin1'),
      body,
    ]);
  }
  if (o.encrypt) {
    const der = await encrypt(entity, o.encrypt.cert, o.encrypt.cipher, o.encrypt.keyTransport);
    return {
      headers: { 'content-type': 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m', 'content-transfer-encoding': 'binary', 'content-disposition': 'attachment; filename=smime.p7m' },
      body: der, mic,
    };
  }
  // Unencrypted: the entity's own header fields become the request's.
  const sep = entity.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of entity.subarray(0, sep).toString('latin1').split('\r\n')) {
    const c = line.indexOf(':');
    headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, body: entity.subarray(sep + 4), mic };
}

export interface As2SenderDeps {
  db: Db;
  partners: PartnerDirectory;
  ourId: string;
  identity: KeyPair;
  certs: CertificateCache;
  logger: Logger;
  /** Where partners POST our async MDNs (Receipt-Delivery-Option). */
  asyncMdnUrl(): string;
  /** HTTP timeout of a send (including a sync MDN), ms. Default 120000. */
  timeoutMs?: number;
}

/** What an MDN proved. */
interface Verdict {
  ok: boolean;
  code?: ErrorCode;
  detail: string;
  disposition: string;
}

/** The AS2 OutboundSender; also takes async MDNs and turns missing ones overdue. */
export class As2Sender implements OutboundSender {
  readonly channel = 'as2' as const;

  constructor(private readonly deps: As2SenderDeps) {}

  /**
   * Sends one file to `partner` over AS2.
   * @returns `sent` with the MDN as evidence (sync), or `awaiting_receipt` (async).
   * @throws GatewayError EDIGATE_AS_PARTNER_NOT_CONFIGURED (not retried), EDIGATE_AS_SEND_FAILED and
   *   EDIGATE_AS_MDN_MISSING (retried), EDIGATE_AS_MDN_NEGATIVE and EDIGATE_AS_MDN_INVALID (dead at once).
   */
  async send(partner: Partner, file: OutboundFile): Promise<SendOutcome> {
    const { db } = this.deps;
    const as2 = partner.as2;
    if (!as2?.url) throw new GatewayError('EDIGATE_AS_PARTNER_NOT_CONFIGURED', `partner ${partner.id} has no as2.url`);
    const encCert = as2.encrypt === 'none' ? undefined : this.deps.certs.encryptionCertificate(partner);
    if (as2.encrypt !== 'none' && !encCert) throw new GatewayError('EDIGATE_AS_PARTNER_NOT_CONFIGURED', `partner ${partner.id} has no valid encryption certificate`);
    const digest = as2.sign === 'none' ? undefined : (`SHA-${as2.sign.slice(3)}` as DigestName);
    const wrapped = await wrapMessage(file.bytes, file.fileName, {
      ...(digest ? { sign: { keyPair: this.deps.identity, digest, scheme: as2.signatureScheme } } : {}),
      ...(encCert ? { encrypt: { cert: encCert, cipher: as2.encrypt as CipherName, keyTransport: as2.keyTransport } } : {}),
      compress: as2.compress,
    });
    let row = outboundOfTransmission(db, file.transmissionId);
    const messageId = row?.messageId ?? `<edigate-${randomUUID()}@${this.deps.ourId.replace(/[^A-Za-z0-9.-]/g, '_')}>`;
    const async = as2.mdn.mode === 'async';
    if (!row) {
      const id = insertAs2Message(db, {
        direction: 'out', messageId, partnerId: partner.id, as2From: this.deps.ourId, as2To: as2.id, status: 'sending',
        mdnMode: as2.mdn.mode, mdnSigned: as2.mdn.signed, transmissionId: file.transmissionId,
      });
      row = outboundOfTransmission(db, file.transmissionId)!;
      void id;
    }
    updateAs2Message(db, row.id, {
      status: 'sending', fileName: file.fileName, mic: wrapped.mic.value, micAlg: wrapped.mic.alg, signed: digest ? 1 : 0, encrypted: encCert ? 1 : 0,
      compressed: as2.compress ? 1 : 0, detail: null, mdnDueAt: null,
    });
    const headers: Record<string, string> = {
      ...wrapped.headers,
      'mime-version': '1.0', 'as2-version': '1.2', 'as2-from': quoteAs2Id(this.deps.ourId), 'as2-to': quoteAs2Id(as2.id), 'message-id': messageId,
      subject: `${file.kind} ${file.fileName}`, date: new Date().toUTCString(), 'user-agent': REPORTING_UA,
      'disposition-notification-to': this.deps.asyncMdnUrl(),
      'disposition-notification-options': as2.mdn.signed
        ? `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, ${wrapped.mic.alg}`
        : `signed-receipt-micalg=optional, ${wrapped.mic.alg}`,
      ...(async ? { 'receipt-delivery-option': this.deps.asyncMdnUrl() } : {}),
    };
    let res: Response;
    let body: Buffer;
    try {
      res = await fetch(as2.url, { method: 'POST', headers, body: wrapped.body, signal: AbortSignal.timeout(this.deps.timeoutMs ?? 120_000) });
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      updateAs2Message(db, row.id, { status: 'failed', detail: `POST ${as2.url}: ${(err as Error).message}` });
      throw new GatewayError('EDIGATE_AS_SEND_FAILED', `POST ${as2.url}: ${(err as Error).message}`, { cause: err });
    }
    if (res.status < 200 || res.status > 299) {
      updateAs2Message(db, row.id, { status: 'failed', detail: `HTTP ${res.status} from ${as2.url}` });
      throw new GatewayError('EDIGATE_AS_SEND_FAILED', `HTTP ${res.status} from ${as2.url}: ${body.toString('utf8').slice(0, 200)}`, { retryable: res.status >= 500 || res.status === 408 || res.status === 429 || res.status === 503 });
    }
    if (async) {
      updateAs2Message(db, row.id, { status: 'awaiting_mdn', mdnDueAt: Date.now() + as2.asyncMdnTimeoutMs });
      return { state: 'awaiting_receipt', messageId };
    }
    const ct = res.headers.get('content-type') ?? '';
    if (body.length === 0 || !ct || !isMdn(ct, body)) {
      updateAs2Message(db, row.id, { status: 'failed', detail: 'the response carried no MDN' });
      throw new GatewayError('EDIGATE_AS_MDN_MISSING', `HTTP ${res.status} from ${as2.url} without an MDN`);
    }
    const raw = `${[...res.headers.entries()].filter(([k]) => /^(content-type|as2-from|as2-to|message-id|date|mime-version|as2-version)$/i.test(k)).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body.toString('latin1')}`;
    const verdict = await this.judge(partner, messageId, wrapped.mic, ct, body);
    updateAs2Message(db, row.id, { status: verdict.ok ? 'delivered' : 'failed', disposition: verdict.disposition, detail: verdict.ok ? null : verdict.detail, mdn: raw });
    if (!verdict.ok) throw new GatewayError(verdict.code!, verdict.detail);
    return { state: 'sent', messageId, evidence: raw };
  }

  /** Checks an MDN against what we sent (signature, Original-Message-ID, disposition, MIC). */
  private async judge(partner: Partner, messageId: string, mic: Mic, contentType: string, body: Buffer): Promise<Verdict> {
    let mdn;
    try {
      mdn = await parseMdn(contentType, body, this.deps.certs.getAll(partner.as2?.certificates.signing ?? []));
    } catch (err) {
      return { ok: false, code: 'EDIGATE_AS_MDN_INVALID', detail: `the MDN cannot be read: ${(err as Error).message}`, disposition: '' };
    }
    const d = mdn.disposition;
    if (partner.as2?.mdn.signed && !mdn.signed) return { ok: false, code: 'EDIGATE_AS_MDN_INVALID', detail: 'a signed MDN was asked for; the MDN is not signed', disposition: d };
    if (mdn.signed && mdn.signature?.outcome !== 'verified') return { ok: false, code: 'EDIGATE_AS_MDN_INVALID', detail: `the MDN signature does not verify: ${mdn.signature?.detail ?? ''}`, disposition: d };
    if (mdn.originalMessageId !== messageId) return { ok: false, code: 'EDIGATE_AS_MDN_INVALID', detail: `the MDN is for ${mdn.originalMessageId ?? 'no message'}, not ${messageId}`, disposition: d };
    if (mdn.outcome === 'error' || mdn.outcome === 'failed') return { ok: false, code: 'EDIGATE_AS_MDN_NEGATIVE', detail: `the partner answered "${d}"${mdn.text ? `: ${mdn.text.slice(0, 300)}` : ''}`, disposition: d };
    if (mdn.outcome === 'unknown') return { ok: false, code: 'EDIGATE_AS_MDN_INVALID', detail: `the MDN disposition "${d}" cannot be read`, disposition: d };
    if (!sameMic(mdn.mic, mic)) {
      return { ok: false, code: 'EDIGATE_AS_MDN_INVALID', detail: mdn.mic ? `Received-Content-MIC ${mdn.mic.value}, ${mdn.mic.alg} differs from ours ${mic.value}, ${mic.alg}` : 'the MDN has no Received-Content-MIC', disposition: d };
    }
    return { ok: true, detail: 'delivered', disposition: d };
  }

  /**
   * An asynchronous MDN arrived (POSTed to our partner port): matched to the message by Original-Message-ID,
   * judged like a sync one; the transmission becomes sent (MDN kept as evidence) or dead.
   * An MDN that matches no message of ours is logged and ignored.
   */
  async onAsyncMdn(contentType: string, body: Buffer, headers: Record<string, string>): Promise<void> {
    const { db, logger } = this.deps;
    let originalMessageId: string | undefined;
    try {
      originalMessageId = (await parseMdn(contentType, body, [])).originalMessageId;
    } catch (err) {
      logger.warn({ err: (err as Error).message, from: headers['as2-from'] }, 'unreadable async MDN ignored');
      return;
    }
    const row = originalMessageId ? outboundByMessageId(db, originalMessageId) : undefined;
    if (!row || row.micAlg === null || row.mic === null) {
      logger.warn({ originalMessageId, from: headers['as2-from'] }, 'async MDN for a message we did not send; ignored');
      return;
    }
    const partner = row.partnerId ? this.deps.partners.get(row.partnerId) : undefined;
    if (!partner) {
      logger.warn({ originalMessageId, partner: row.partnerId }, 'async MDN for a partner no longer configured; ignored');
      return;
    }
    const raw = `${Object.entries(headers).filter(([k]) => /^(content-type|as2-from|as2-to|message-id|date|mime-version|as2-version)$/.test(k)).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body.toString('latin1')}`;
    const verdict = await this.judge(partner, row.messageId, { value: row.mic, alg: row.micAlg }, contentType, body);
    updateAs2Message(db, row.id, { status: verdict.ok ? 'delivered' : 'failed', disposition: verdict.disposition, detail: verdict.ok ? null : verdict.detail, mdn: raw });
    const log = logger.child({ as2: row.id, messageId: row.messageId, partner: partner.id, transmission: row.transmissionId });
    if (row.transmissionId === null) return;
    if (verdict.ok) {
      completeTransmission(db, row.transmissionId, { state: 'sent', evidence: raw });
      log.info('async MDN received: delivered');
    } else {
      failTransmission(db, row.transmissionId, `${verdict.code}: ${verdict.detail}`, null);
      log.error({ detail: verdict.detail }, 'async MDN does not prove delivery; transmission dead');
    }
  }

  /**
   * Outbound messages whose async MDN is overdue (partner `as2.asyncMdnTimeoutMs`): marked `overdue`, and the
   * transmission is resent with the partner's backoff (same Message-ID), or dead once its attempts are used up.
   * @returns the messages turned overdue.
   */
  checkOverdue(now = Date.now()): As2MessageRow[] {
    const { db, logger } = this.deps;
    const rows = overdueOutbound(db, now);
    for (const row of rows) {
      const detail = `no async MDN by ${new Date(row.mdnDueAt ?? now).toISOString()}`;
      updateAs2Message(db, row.id, { status: 'overdue', detail });
      const t = row.transmissionId !== null ? getTransmission(db, row.transmissionId) : undefined;
      if (!t || t.state !== 'awaiting_receipt') continue;
      const partner = row.partnerId ? this.deps.partners.get(row.partnerId) : undefined;
      const policy = { ...DEFAULT_RETRY_POLICY, ...(partner?.outbound?.retry ?? {}) };
      const retryAt = t.attempts < policy.maxAttempts ? now + retryDelayMs(policy, t.attempts) : null;
      failTransmission(db, t.id, `EDIGATE_AS_MDN_OVERDUE: ${detail}`, retryAt);
      logger.warn({ as2: row.id, messageId: row.messageId, partner: row.partnerId, transmission: t.id, retryAt: retryAt && new Date(retryAt).toISOString() },
        retryAt === null ? 'async MDN overdue; transmission dead' : 'async MDN overdue; resending');
    }
    return rows;
  }
}

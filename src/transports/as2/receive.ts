/**
 * AS2 receiving (RFC 4130): `POST /as2` on the partner port, a server of its own apart from the ops API.
 *
 * For every request: the raw request (header fields and body) is archived and an `as2_messages` row written
 * first; then the message is unwrapped (decrypt, verify, decompress, in the sender's order), the partner's policy
 * applied, duplicates (same AS2-From and Message-ID as a message already taken) answered without processing
 * again, and the payload handed to intake (`channel: as2`). The MDN (RFC 4130 §7.4) goes back in the HTTP
 * response (sync) or is POSTed to Receipt-Delivery-Option (async, retried by AsyncMdnDelivery). A request that
 * is itself an MDN (async receipt for a message we sent) goes to the sender.
 */
import { createHash, randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../../store/db.js';
import { archiveBuffer } from '../../store/archive.js';
import { getAs2Message, insertInboundOnce, latestFileIdBySha, updateAs2Message } from '../../store/as2.js';
import type { Pipeline } from '../../pipeline.js';
import type { PartnerDirectory } from '../../partners/load.js';
import type { Partner } from '../../partners/partner.js';
import { isGatewayError } from '../../errors.js';
import type { KeyPair } from './cms.js';
import type { CertificateCache } from './certificates.js';
import { decodedBody, entityFromParts, safeFileName, type MimeHeader } from './mime.js';
import { computeMic, chooseMicDigest, type Mic } from './mic.js';
import { buildMdn, dispositionText, isMdn, parseNotificationOptions, quoteAs2Id, unquoteAs2Id, type Disposition } from './mdn.js';
import { unwrap, UnwrapError, type Unwrapped } from './unwrap.js';

/** The product name in MDNs (Reporting-UA) and request headers. */
export const REPORTING_UA = 'edigate AS2';

/** What the receiver needs. */
export interface As2ReceiverDeps {
  db: Db;
  archiveDir: string;
  partners: PartnerDirectory;
  pipeline: Pipeline;
  /** Our AS2 id (AS2-To of messages for us). */
  ourId: string;
  identity: KeyPair;
  certs: CertificateCache;
  logger: Logger;
  /** An async MDN for a message we sent arrived (handled by the sender). */
  onAsyncMdn(contentType: string, body: Buffer, headers: Record<string, string>): Promise<void>;
  /** An async MDN of ours was queued (wakes AsyncMdnDelivery). */
  onAsyncMdnQueued(): void;
}

/** An HTTP answer. */
export interface As2Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** The request as received. */
export interface As2Request {
  headers: Record<string, string>;
  /** Header names and values as sent (Node's rawHeaders), for the archived copy. */
  rawHeaders: string[];
  body: Buffer;
}

/** Handles AS2 requests; independent of HTTP so it can be driven directly. */
export class As2Receiver {
  constructor(private readonly deps: As2ReceiverDeps) {}

  /**
   * Takes one AS2 request and returns the HTTP answer (with the MDN when it is synchronous). Partner errors
   * become negative MDNs and `error` rows, never exceptions; an exception here means the gateway failed.
   */
  async receive(req: As2Request): Promise<As2Answer> {
    const { db, logger } = this.deps;
    const h = req.headers;
    const contentType = h['content-type'] ?? '';
    if (req.body.length > 0 && contentType && isMdn(contentType, req.body)) {
      await this.deps.onAsyncMdn(contentType, req.body, h);
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'MDN received\n' };
    }
    const receivedAt = new Date();
    const messageId = (h['message-id'] ?? '').trim();
    const as2From = unquoteAs2Id(h['as2-from']);
    const as2To = unquoteAs2Id(h['as2-to']);
    const options = parseNotificationOptions(h['disposition-notification-options']);
    const receiptUrl = h['receipt-delivery-option']?.trim() || null;
    const mdnMode = h['disposition-notification-to'] ? (receiptUrl ? 'async' : 'sync') : 'none';

    // Nothing happens before the raw request is kept.
    const head = req.rawHeaders.reduce<string[]>((acc, v, i) => (i % 2 === 0 ? [...acc, `${v}: ${req.rawHeaders[i + 1] ?? ''}`] : acc), []).join('\r\n');
    const archived = await archiveBuffer(this.deps.archiveDir, Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), req.body]));
    const partner = as2From ? this.deps.partners.list().find((p) => p.as2?.id === as2From) : undefined;
    const { id: rowId, duplicateOf } = insertInboundOnce(db, {
      messageId: messageId || `<no-message-id-${archived.sha256.slice(0, 16)}>`, partnerId: partner?.id ?? null, as2From: as2From || '(none)', as2To: as2To || '(none)',
      mdnMode, mdnSigned: options.signed, mdnUrl: receiptUrl, rawSha256: archived.sha256, now: receivedAt.getTime(),
    });
    const log = logger.child({ as2: rowId, messageId, as2From, partner: partner?.id });

    const outcome = await this.process(req, { messageId, as2From, as2To, partner, duplicateOf, options, receivedAt, rowId }, log);
    updateAs2Message(db, rowId, {
      status: outcome.status, disposition: dispositionText(outcome.disposition), detail: outcome.detail,
      ...(outcome.unwrapped ? { signed: outcome.unwrapped.signed ? 1 : 0, encrypted: outcome.unwrapped.encrypted ? 1 : 0, compressed: outcome.unwrapped.compressed ? 1 : 0 } : {}),
      ...(outcome.mic ? { mic: outcome.mic.value, micAlg: outcome.mic.alg } : {}),
      ...(outcome.fileName ? { fileName: outcome.fileName } : {}),
      ...(outcome.fileId ? { fileId: outcome.fileId } : {}),
    });
    if (outcome.status === 'processed') log.info({ fileName: outcome.fileName, mdn: mdnMode }, 'AS2 message received');
    else log.warn({ disposition: dispositionText(outcome.disposition), detail: outcome.detail, mdn: mdnMode }, `AS2 message ${outcome.status}`);
    if (outcome.unavailable) return { status: 503, headers: { 'content-type': 'text/plain', 'retry-after': '30' }, body: 'the gateway is stopping; send again later\n' };

    if (mdnMode === 'none' || !messageId) {
      const ok = outcome.status === 'processed' || outcome.status === 'duplicate';
      return { status: ok ? 200 : 400, headers: { 'content-type': 'text/plain' }, body: `${dispositionText(outcome.disposition)}\n${outcome.detail ?? ''}\n` };
    }
    const mdn = await buildMdn({
      reportingUa: REPORTING_UA, recipient: this.deps.ourId, originalMessageId: messageId, disposition: outcome.disposition,
      text: mdnText(outcome, messageId), ...(outcome.mic ? { mic: outcome.mic } : {}),
      ...(options.signed ? { sign: { keyPair: this.deps.identity, digest: chooseMicDigest(options.micalgs, outcome.unwrapped?.signatureDigest) } } : {}),
    });
    const mdnHeaders: Record<string, string> = {
      'content-type': mdn.contentType, 'mime-version': '1.0', 'as2-version': '1.2', 'as2-from': quoteAs2Id(this.deps.ourId), 'as2-to': quoteAs2Id(as2From || 'unknown'),
      'message-id': `<${randomUUID()}@edigate>`, date: new Date().toUTCString(), 'user-agent': REPORTING_UA,
    };
    const mdnRaw = `${Object.entries(mdnHeaders).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${mdn.body.toString('latin1')}`;
    if (mdnMode === 'async') {
      updateAs2Message(db, rowId, { mdn: mdnRaw, mdnState: 'pending', mdnNextAt: Date.now() });
      this.deps.onAsyncMdnQueued();
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'message received; the MDN follows asynchronously\n' };
    }
    updateAs2Message(db, rowId, { mdn: mdnRaw, mdnState: 'sent' });
    return { status: 200, headers: mdnHeaders, body: mdn.body };
  }

  private async process(
    req: As2Request,
    m: { messageId: string; as2From: string; as2To: string; partner: Partner | undefined; duplicateOf: number | null; options: { micalgs: string[] }; receivedAt: Date; rowId: number },
    log: Logger,
  ): Promise<Outcome> {
    const err = (modifier: string, detail: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'error', disposition: { type: 'error', modifier }, detail, ...extra });
    if (!m.messageId) return err('unexpected-processing-error', 'the request has no Message-ID header');
    if (m.as2To !== this.deps.ourId) return err('unexpected-processing-error', `AS2-To "${m.as2To}" is not our AS2 id`);
    if (!m.partner?.as2) return err('unexpected-processing-error', `AS2-From "${m.as2From}" is not a configured partner`);
    if (req.body.length === 0) return err('unexpected-processing-error', 'the message body is empty');
    const as2 = m.partner.as2;
    const headers: MimeHeader[] = [];
    for (const name of ['Content-Type', 'Content-Transfer-Encoding', 'Content-Disposition']) {
      const v = req.headers[name.toLowerCase()];
      if (v) headers.push({ name, value: v });
    }
    let unwrapped: Unwrapped;
    try {
      unwrapped = await unwrap(entityFromParts(headers, req.body), this.deps.identity, this.deps.certs.getAll(as2.certificates.signing));
    } catch (e) {
      if (e instanceof UnwrapError) return err(e.modifier, e.message);
      log.error({ err: e }, 'AS2 message could not be unwrapped');
      return err('unexpected-processing-error', `the message could not be read: ${(e as Error).message}`);
    }
    const mic = computeMic(unwrapped.micBytes, chooseMicDigest(m.options.micalgs, unwrapped.signatureDigest));
    if (as2.requireSigned && !unwrapped.signed) return err('insufficient-message-security', 'this partner must sign its messages; the message is not signed', { unwrapped, mic });
    if (as2.requireEncrypted && !unwrapped.encrypted) return err('insufficient-message-security', 'this partner must encrypt its messages; the message is not encrypted', { unwrapped, mic });
    if (m.duplicateOf !== null) {
      const earlier = getAs2Message(this.deps.db, m.duplicateOf);
      return {
        status: 'duplicate', disposition: { type: 'warning', modifier: 'duplicate-document' }, unwrapped, mic,
        detail: `Message-ID ${m.messageId} was received before (AS2 message ${m.duplicateOf}${earlier?.fileId ? `, file ${earlier.fileId}` : ''}); not processed again`,
      };
    }
    let payload: Buffer;
    try {
      payload = decodedBody(unwrapped.payload);
    } catch (e) {
      return err('unexpected-processing-error', (e as Error).message, { unwrapped, mic });
    }
    if (payload.length === 0) return err('unexpected-processing-error', 'the payload is empty', { unwrapped, mic });
    const fileName = safeFileName(unwrapped.payload) ?? `as2-${m.messageId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || m.rowId}.edi`;
    const sha256 = createHash('sha256').update(payload).digest('hex');
    try {
      const fileId = await new Promise<number | null>((resolve, reject) => {
        const run = this.deps.pipeline.ingest({ bytes: payload, fileName, channel: 'as2', partnerHint: m.partner!.id, receivedAt: m.receivedAt }, () => {
          const id = latestFileIdBySha(this.deps.db, sha256);
          if (id !== null) updateAs2Message(this.deps.db, m.rowId, { fileId: id, fileName });
          resolve(id);
        });
        run.then((summary) => resolve(summary.fileId), reject);
      });
      return { status: 'processed', disposition: { type: 'processed' }, detail: null, unwrapped, mic, fileName, ...(fileId ? { fileId } : {}) };
    } catch (e) {
      if (isGatewayError(e, 'EDIGATE_STOPPING')) return { ...err('unexpected-processing-error', 'the gateway is stopping'), unavailable: true };
      log.error({ err: e }, 'AS2 payload could not be handed to intake');
      return err('unexpected-processing-error', `the payload could not be stored: ${(e as Error).message}`, { unwrapped, mic });
    }
  }
}

interface Outcome {
  status: 'processed' | 'error' | 'duplicate';
  disposition: Disposition;
  detail: string | null;
  unwrapped?: Unwrapped;
  mic?: Mic;
  fileName?: string;
  fileId?: number;
  /** Stopping: answer 503 so the sender retries. */
  unavailable?: boolean;
}

function mdnText(o: Outcome, messageId: string): string {
  if (o.status === 'processed') return `The AS2 message ${messageId} was received and handed to processing${o.fileName ? ` as ${o.fileName}` : ''}.`;
  if (o.status === 'duplicate') return `The AS2 message ${messageId} was received before; it was not processed again.`;
  return `The AS2 message ${messageId} was not processed: ${o.detail ?? 'error'}.`;
}

/**
 * Builds the partner-facing HTTP server (not listening): `POST /as2` takes any body as raw bytes
 * (up to `bodyLimit` bytes, default 100 MiB) and answers as As2Receiver decides.
 */
export function buildPartnerServer(receiver: As2Receiver, logger: Logger, bodyLimit = 100 * 1024 * 1024): FastifyInstance {
  const app = Fastify({ loggerInstance: logger.child({ component: 'partner-http' }, { level: 'warn' }) as FastifyBaseLogger, bodyLimit });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/as2', async (req, reply) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const answer = await receiver.receive({ headers, rawHeaders: req.raw.rawHeaders, body });
    return reply.status(answer.status).headers(answer.headers).send(answer.body);
  });
  app.get('/as2', async (_req, reply) => reply.type('text/plain').send('edigate AS2 endpoint: POST AS2 messages here\n'));
  return app;
}

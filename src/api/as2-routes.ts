import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { PartnerDirectory } from '../partners/load.js';
import type { GatewayConfig } from '../config-types.js';
import { getAs2Message, listAs2Messages, type As2MessageRow } from '../store/as2.js';
import { CertificateCache, describeCertificates, EXPIRY_WARNING_DAYS } from '../transports/as2/certificates.js';
import { GatewayError } from '../errors.js';

const STATUSES = ['received', 'processed', 'error', 'duplicate', 'sending', 'awaiting_mdn', 'delivered', 'failed', 'overdue'];

/** An AS2 message for the API: epoch times as ISO-8601, the MDN only in the single view. */
function view(m: As2MessageRow, withMdn: boolean) {
  const { mdn, mdnNextAt, mdnDueAt, signed, encrypted, compressed, mdnSigned, ...rest } = m;
  const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
  return {
    ...rest, signed: !!signed, encrypted: !!encrypted, compressed: !!compressed, mdnSigned: !!mdnSigned,
    mdnNextAt: iso(mdnNextAt), mdnDueAt: iso(mdnDueAt), hasMdn: mdn !== null, ...(withMdn ? { mdn } : {}),
  };
}

/**
 * AS2 routes of the ops API:
 * - `GET /api/as2/messages` (filters direction in|out, partner, status, messageId; paginated): every AS2 message
 *   received or sent, with its disposition (errors, duplicates and unknown senders included);
 * - `GET /api/as2/messages/:id`: one message with its MDN verbatim (the evidence);
 * - `GET /api/certificates`: our AS2 certificate and every partner's, with subject, issuer, key usage, expiry and a
 *   warning within 30 days of expiry. Errors: EDIGATE_NOT_FOUND (404).
 */
export function registerAs2Routes(app: FastifyInstance, deps: { store: Store; config: GatewayConfig; partners: PartnerDirectory }): void {
  const { store } = deps;
  const certs = new CertificateCache();
  app.get('/api/as2/messages', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          direction: { enum: ['in', 'out'] }, partner: { type: 'string' }, status: { enum: STATUSES }, messageId: { type: 'string' },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 },
        },
      },
    },
  }, async (req) => {
    const q = req.query as { direction?: string; partner?: string; status?: string; messageId?: string; limit: number; offset: number };
    const { items, total } = listAs2Messages(store.db, { direction: q.direction, partnerId: q.partner, status: q.status, messageId: q.messageId, limit: q.limit, offset: q.offset });
    return { items: items.map((m) => view(m, false)), total, limit: q.limit, offset: q.offset };
  });
  app.get('/api/as2/messages/:id', {
    schema: { params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1 } } } },
  }, async (req) => {
    const id = (req.params as { id: number }).id;
    const m = getAs2Message(store.db, id);
    if (!m) throw new GatewayError('EDIGATE_NOT_FOUND', `AS2 message ${id}`);
    return view(m, true);
  });
  app.get('/api/certificates', async () => {
    const items = describeCertificates(certs, deps.config, deps.partners.list());
    return { items, warningDays: EXPIRY_WARNING_DAYS, warnings: items.filter((c) => c.warning).length };
  });
}

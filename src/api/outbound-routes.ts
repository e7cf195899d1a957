import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { PartnerDirectory } from '../partners/load.js';
import type { GatewayConfig } from '../config-types.js';
import { generateOutbound } from '../outbound/generate.js';
import { acksOfOutboundDocument, getOutboundDocument, listOutboundDocuments } from '../store/outbound.js';
import { GatewayError } from '../errors.js';

/**
 * Outbound documents (src/outbound/generate.ts):
 * - `POST /api/outbound` with `{ partnerId, type, payload }` (a canonical message) and an `Idempotency-Key` header
 *   (required; 1 to 200 visible characters): 201 with the document, its control numbers and transmission; the same
 *   key and body again: 200 with the first document (nothing sent twice); the same key with another body: 409
 *   EDIGATE_IDEMPOTENCY_CONFLICT; an invalid payload: 400 EDIGATE_CANONICAL_INVALID listing every problem.
 * - `GET /api/outbound` (partner, documentType, reference; paginated) and `GET /api/outbound/:id` (with the X12 text).
 */
export function registerOutboundRoutes(app: FastifyInstance, deps: { store: Store; partners: PartnerDirectory; config: GatewayConfig; onOutbound?: () => void; now?: () => Date }): void {
  app.post('/api/outbound', {
    schema: {
      body: {
        type: 'object', required: ['partnerId', 'type', 'payload'], additionalProperties: false,
        properties: { partnerId: { type: 'string', minLength: 1 }, type: { type: 'string', minLength: 1 }, payload: { type: 'object' } },
      },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new GatewayError('EDIGATE_INVALID_REQUEST', 'an Idempotency-Key header (1 to 200 visible ASCII characters) is required: a retry with the same key is safe');
    }
    const body = req.body as { partnerId: string; type: string; payload: Record<string, unknown> };
    const r = generateOutbound({ store: deps.store, config: deps.config, partners: deps.partners, ...(deps.now ? { now: deps.now } : {}) }, { ...body, idempotencyKey: key });
    if (r.created) deps.onOutbound?.();
    const { body: _text, ...document } = r.document;
    return reply.status(r.created ? 201 : 200).send({ created: r.created, document, transmission: r.transmission });
  });
  app.get('/api/outbound', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          partner: { type: 'string' }, documentType: { type: 'string' }, reference: { type: 'string' },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 },
        },
      },
    },
  }, async (req) => {
    const q = req.query as { partner?: string; documentType?: string; reference?: string; limit: number; offset: number };
    const { items, total } = listOutboundDocuments(deps.store.db, { partnerId: q.partner, documentType: q.documentType, reference: q.reference, limit: q.limit, offset: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  });
  app.get('/api/outbound/:id', { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } } }, async (req) => {
    const id = (req.params as { id: number }).id;
    const d = getOutboundDocument(deps.store.db, id);
    if (!d) throw new GatewayError('EDIGATE_NOT_FOUND', `outbound document ${id}`);
    return { ...d, acks: acksOfOutboundDocument(deps.store.db, id) };
  });
}

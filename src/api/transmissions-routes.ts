import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import { getTransmission, listTransmissions, replayTransmission, type TransmissionRow } from '../store/transmissions.js';
import { GatewayError } from '../errors.js';

const TRANSMISSION_STATES = ['placing', 'placed', 'picked_up', 'pending', 'sending', 'awaiting_receipt', 'sent', 'dead'];

/** A transmission with its next-attempt time as ISO-8601 text; the evidence (e.g. an MDN) only in the single view. */
function view(t: TransmissionRow, withEvidence: boolean) {
  const { evidence, runAt, leaseUntil, ...rest } = t;
  return {
    ...rest,
    nextAttemptAt: t.state === 'pending' ? new Date(runAt).toISOString() : null,
    leaseUntil: leaseUntil === null ? null : new Date(leaseUntil).toISOString(),
    hasEvidence: evidence !== null,
    ...(withEvidence ? { evidence } : {}),
  };
}

/**
 * Routes of the files we send partners (src/transports/outbound.ts):
 * `GET /api/transmissions` (filters partner, channel, state, kind; paginated), `GET /api/transmissions/:id`
 * (with the evidence of delivery, e.g. the MDN), `POST /api/transmissions/:id/replay` (a dead one is queued
 * again; actor from `X-Edigate-Actor`, written to the audit log). Errors: EDIGATE_NOT_FOUND (404),
 * EDIGATE_INVALID_REQUEST (400, replay of a transmission that is not dead).
 */
export function registerTransmissionRoutes(app: FastifyInstance, deps: { store: Store; onReplay?: () => void }): void {
  const { store } = deps;
  const idParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1 } } } as const;
  app.get('/api/transmissions', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          partner: { type: 'string' }, channel: { enum: ['outbox', 'sftp', 'as2'] }, state: { enum: TRANSMISSION_STATES }, kind: { type: 'string' },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 },
        },
      },
    },
  }, async (req) => {
    const q = req.query as { partner?: string; channel?: string; state?: string; kind?: string; limit: number; offset: number };
    const { items, total } = listTransmissions(store.db, { partnerId: q.partner, channel: q.channel, state: q.state, kind: q.kind, limit: q.limit, offset: q.offset });
    return { items: items.map((t) => view(t, false)), total, limit: q.limit, offset: q.offset };
  });
  app.get('/api/transmissions/:id', { schema: { params: idParams } }, async (req) => {
    const t = getTransmission(store.db, (req.params as { id: number }).id);
    if (!t) throw new GatewayError('EDIGATE_NOT_FOUND', `transmission ${(req.params as { id: number }).id}`);
    return view(t, true);
  });
  app.post('/api/transmissions/:id/replay', { schema: { params: idParams } }, async (req) => {
    const id = (req.params as { id: number }).id;
    const t = getTransmission(store.db, id);
    if (!t) throw new GatewayError('EDIGATE_NOT_FOUND', `transmission ${id}`);
    const actor = String(req.headers['x-edigate-actor'] ?? 'ops-api');
    if (!replayTransmission(store.db, id, actor)) throw new GatewayError('EDIGATE_INVALID_REQUEST', `transmission ${id} is ${t.state}; only a dead transmission can be replayed`);
    deps.onReplay?.();
    return view(getTransmission(store.db, id)!, false);
  });
}

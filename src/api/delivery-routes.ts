/**
 * Ops API routes of the delivery queue beyond listing and single replay (src/api/server.ts):
 * replay many dead letters by filter (dry run first), dismiss a dead letter with a reason, confirm or
 * fail a delivery the destination accepted with 202 (its callback), and the configured destinations
 * (never a secret). Every action is written to the audit table with the actor from the
 * X-Edigate-Actor header and the time.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import type { GatewayConfig } from '../config-types.js';
import { dismiss, getDelivery, replayMany, settleAccepted, type DeadLetterFilter } from '../store/deliveries.js';
import { publicDestination } from '../delivery/destinations.js';

export interface DeliveryRoutesDeps {
  config: GatewayConfig;
  store: Store;
  /** Wakes the delivery queue after a replay. */
  onReplay?: () => void;
}

const idParams = {
  type: 'object', required: ['id'], additionalProperties: false,
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

/** A date or an ISO-8601 UTC time, as stored. */
const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?Z?)?$';

/** Filter fields of a bulk replay (all optional; only dead letters are ever matched). */
export const deadLetterFilterSchema = {
  partner: { type: 'string', minLength: 1 },
  destination: { type: 'string', minLength: 1 },
  type: { type: 'string', minLength: 1 },
  from: { type: 'string', pattern: ISO_TIME },
  to: { type: 'string', pattern: ISO_TIME },
  error: { type: 'string', minLength: 1 },
} as const;

/** The operator named by the X-Edigate-Actor header, else `fallback`. */
export function actorOf(req: FastifyRequest, fallback = 'ops-api'): string {
  const h = req.headers['x-edigate-actor'];
  const v = Array.isArray(h) ? h[0] : h;
  return v && v.trim() ? v.trim().slice(0, 200) : fallback;
}

/** Adds the routes to `app` (see the top of this file). */
export function registerDeliveryRoutes(app: FastifyInstance, deps: DeliveryRoutesDeps): void {
  const { store, config } = deps;
  const view = (id: number) => {
    const d = getDelivery(store.db, id)!;
    return { ...d, runAtIso: new Date(d.runAt).toISOString(), lockedUntilIso: d.lockedUntil === null ? null : new Date(d.lockedUntil).toISOString() };
  };

  app.post('/api/deliveries/replay', {
    schema: {
      body: {
        type: 'object', additionalProperties: false,
        properties: { ...deadLetterFilterSchema, dryRun: { type: 'boolean', default: true } },
      },
    },
  }, async (req) => {
    const b = (req.body ?? {}) as { partner?: string; destination?: string; type?: string; from?: string; to?: string; error?: string; dryRun?: boolean };
    const filter: DeadLetterFilter = {};
    if (b.partner !== undefined) filter.partnerId = b.partner;
    if (b.destination !== undefined) filter.destination = b.destination;
    if (b.type !== undefined) filter.messageType = b.type;
    if (b.from !== undefined) filter.from = b.from;
    if (b.to !== undefined) filter.to = b.to;
    if (b.error !== undefined) filter.error = b.error;
    const result = replayMany(store.db, filter, { dryRun: b.dryRun !== false, actor: actorOf(req), now: Date.now() });
    if (!result.dryRun && result.count > 0) {
      req.log.info({ count: result.count, actor: actorOf(req), filter }, 'dead letters replayed by an operator');
      deps.onReplay?.();
    }
    return result;
  });

  app.post('/api/deliveries/:id/dismiss', {
    schema: {
      params: idParams,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
    },
  }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    dismiss(store.db, id, { reason: (req.body as { reason: string }).reason, actor: actorOf(req), now: Date.now() });
    return view(id);
  });

  app.post('/api/deliveries/:id/confirm', {
    schema: { params: idParams, body: { type: ['object', 'null'], additionalProperties: false, properties: { note: { type: 'string', maxLength: 2000 } } } },
  }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    const note = (req.body as { note?: string } | null)?.note ?? null;
    settleAccepted(store.db, id, { outcome: 'delivered', actor: actorOf(req, 'callback'), reason: note, now: Date.now() });
    return view(id);
  });

  app.post('/api/deliveries/:id/fail', {
    schema: {
      params: idParams,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 4000 } } },
    },
  }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    settleAccepted(store.db, id, { outcome: 'dead', actor: actorOf(req, 'callback'), reason: (req.body as { reason: string }).reason, now: Date.now() });
    return view(id);
  });

  app.get('/api/destinations', async () => ({
    queue: config.redisUrl ? 'bullmq' : 'embedded',
    items: Object.values(config.destinations).map(publicDestination),
  }));
}

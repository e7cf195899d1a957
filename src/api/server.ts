import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Registry, Gauge, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/index.js';
import type { PartnerDirectory } from '../partners/load.js';
import type { GatewayConfig } from '../config-types.js';
import { readArchived } from '../store/archive.js';
import { listDeliveries, getDelivery, replay, queueDepth } from '../store/deliveries.js';
import { GatewayError, isGatewayError } from '../errors.js';
import { dashboardHtml } from './dashboard.js';

export interface OpsApiDeps {
  config: GatewayConfig;
  store: Store;
  partners: PartnerDirectory;
  logger: Logger;
  /** Wakes the delivery workers after a replay. */
  onReplay?: () => void;
}

const page = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

/**
 * Builds the ops API (fastify, not listening): health, metrics, interchanges with their lineage and
 * raw bytes, files, acknowledgements, deliveries with replay, partners, and the dashboard page.
 * Paths are the stable contract of DESIGN.md "Ops API". Errors answer `{ error: { code, message } }`.
 */
export function buildOpsApi(deps: OpsApiDeps): FastifyInstance {
  const { store, partners, config } = deps;
  // Request logs at info would drown the file and delivery events: the API logs warnings and errors only.
  const app = Fastify({ loggerInstance: deps.logger.child({ component: 'ops-api' }, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: 16 * 1024 * 1024 });

  app.setErrorHandler((err, _req, reply) => {
    if (isGatewayError(err)) {
      const status = err.code === 'EDIGATE_NOT_FOUND' ? 404 : err.code === 'EDIGATE_INVALID_REQUEST' ? 400 : 500;
      return reply.status(status).send({ error: { code: err.code, message: err.message } });
    }
    const e = err as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation) return reply.status(400).send({ error: { code: 'EDIGATE_INVALID_REQUEST', message: e.message } });
    deps.logger.error({ err }, 'ops api error');
    return reply.status(e.statusCode ?? 500).send({ error: { code: 'EDIGATE_INTERNAL', message: e.message } });
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'edigate_deliveries', help: 'Deliveries by destination and state', labelNames: ['destination', 'state'], registers: [registry],
    collect() {
      this.reset();
      for (const r of queueDepth(store.db)) this.set({ destination: r.destination, state: r.state }, r.count);
    },
  });
  new Gauge({
    name: 'edigate_interchanges', help: 'Interchanges received by partner and status', labelNames: ['partner', 'status'], registers: [registry],
    collect() {
      this.reset();
      const rows = store.db.prepare(`SELECT coalesce(partner_id, '') AS partner, status, count(*) AS n FROM interchanges GROUP BY 1, 2`).all() as Array<{ partner: string; status: string; n: number }>;
      for (const r of rows) this.set({ partner: r.partner, status: r.status }, r.n);
    },
  });

  app.get('/health', async () => ({ status: 'ok', time: new Date().toISOString() }));
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(dashboardHtml()));

  app.get('/api/interchanges', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          partner: { type: 'string' }, status: { type: 'string' }, controlNumber: { type: 'string' },
          reference: { type: 'string' }, po: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, ...page,
        },
      },
    },
  }, async (req) => {
    const q = req.query as { partner?: string; status?: string; controlNumber?: string; reference?: string; po?: string; from?: string; to?: string; limit: number; offset: number };
    const { items, total } = store.interchanges.list({
      partnerId: q.partner, status: q.status, controlNumber: q.controlNumber, reference: q.reference ?? q.po, from: q.from, to: q.to, limit: q.limit, offset: q.offset,
    });
    return { items, total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/interchanges/:id', async (req) => {
    const id = Number((req.params as { id: string }).id);
    const interchange = store.interchanges.get(id);
    if (!interchange) throw new GatewayError('EDIGATE_NOT_FOUND', `interchange ${id}`);
    const file = store.files.get(interchange.fileId);
    const groups = store.transactions.groupsOf(id);
    const sets = store.transactions.setsOf(id);
    const findings = store.findings.ofInterchange(id);
    const acks = store.acks.ofInterchange(id);
    const messages = store.messages.ofInterchange(id).map((m) => ({ ...m, body: JSON.parse(m.body) as unknown }));
    const deliveries = listDeliveries(store.db, { interchangeId: id, limit: 10_000, offset: 0 }).items;
    return {
      ...interchange,
      file,
      groups: groups.map((g) => ({ ...g, transactionSets: sets.filter((s) => s.groupId === g.id) })),
      transactionSets: sets,
      findings,
      acks,
      messages,
      deliveries,
    };
  });

  app.get('/api/interchanges/:id/raw', async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const interchange = store.interchanges.get(id);
    if (!interchange) throw new GatewayError('EDIGATE_NOT_FOUND', `interchange ${id}`);
    const file = store.files.get(interchange.fileId)!;
    const whole = (req.query as { whole?: string }).whole === 'true';
    const bytes = await readArchived(config.archiveDir, file.sha256, whole ? 0 : interchange.byteStart, whole ? undefined : interchange.byteEnd);
    return reply.type('application/edi-x12').header('content-disposition', `inline; filename="${file.fileName.replace(/["\\]/g, '_')}"`).send(bytes);
  });

  app.get('/api/files', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string' }, partner: { type: 'string' }, ...page } } },
  }, async (req) => {
    const q = req.query as { status?: string; partner?: string; limit: number; offset: number };
    const { items, total } = store.files.list({ status: q.status, partnerId: q.partner, limit: q.limit, offset: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/files/:id', async (req) => {
    const id = Number((req.params as { id: string }).id);
    const file = store.files.get(id);
    if (!file) throw new GatewayError('EDIGATE_NOT_FOUND', `file ${id}`);
    return { ...file, interchanges: store.interchanges.forFile(id), findings: store.findings.ofFile(id) };
  });

  app.get('/api/files/:id/raw', async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const file = store.files.get(id);
    if (!file) throw new GatewayError('EDIGATE_NOT_FOUND', `file ${id}`);
    return reply.type('application/octet-stream').send(await readArchived(config.archiveDir, file.sha256));
  });

  app.get('/api/acks', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          direction: { enum: ['inbound', 'outbound'] },
          status: { enum: ['pending', 'accepted', 'accepted_with_errors', 'partially_accepted', 'rejected', 'overdue'] },
          partner: { type: 'string' }, kind: { type: 'string' }, ...page,
        },
      },
    },
  }, async (req) => {
    const q = req.query as { direction?: string; status?: string; partner?: string; kind?: string; limit: number; offset: number };
    const { items, total } = store.acks.list({ direction: q.direction, status: q.status, partnerId: q.partner, kind: q.kind, limit: q.limit, offset: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/deliveries', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          status: { enum: ['pending', 'retrying', 'running', 'delivered', 'dead', 'held', 'cancelled'] },
          partner: { type: 'string' }, destination: { type: 'string' }, ...page,
        },
      },
    },
  }, async (req) => {
    const q = req.query as { status?: string; partner?: string; destination?: string; limit: number; offset: number };
    const { items, total } = listDeliveries(store.db, { status: q.status as never, partnerId: q.partner, destination: q.destination, limit: q.limit, offset: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/deliveries/:id', async (req) => {
    const id = Number((req.params as { id: string }).id);
    const d = getDelivery(store.db, id);
    if (!d) throw new GatewayError('EDIGATE_NOT_FOUND', `delivery ${id}`);
    return d;
  });

  app.post('/api/deliveries/:id/replay', async (req) => {
    const id = Number((req.params as { id: string }).id);
    const actor = String(req.headers['x-edigate-actor'] ?? 'ops-api');
    replay(store.db, id, { now: Date.now(), actor });
    deps.onReplay?.();
    return getDelivery(store.db, id);
  });

  app.get('/api/partners', async () => ({
    items: partners.list().map((p) => ({
      id: p.id, name: p.name, x12: p.x12, acknowledgements: p.acknowledgements, duplicates: p.duplicates, documents: p.documents,
    })),
  }));

  return app;
}

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
import { registerTransmissionRoutes } from './transmissions-routes.js';
import { registerOutboundRoutes } from './outbound-routes.js';
import { registerDuplicateRoutes } from './duplicates-routes.js';
import { registerReprocessRoutes } from './reprocess-routes.js';
import { timeRange } from './time-range.js';
import type { IngestSummary, ReceivedFile } from '../pipeline.js';
import { registerDeliveryRoutes } from './delivery-routes.js';
import { registerSftpRoutes } from './sftp-routes.js';
import { registerAs2Routes } from './as2-routes.js';
import { registerLedgerRoutes } from './ledger-routes.js';
import { registerScorecardRoutes } from './scorecard-routes.js';
import { transmissionsOfAck } from '../store/transmissions.js';

export interface OpsApiDeps {
  config: GatewayConfig;
  store: Store;
  partners: PartnerDirectory;
  logger: Logger;
  /** Wakes the delivery workers after a replay. */
  onReplay?: () => void;
  /** Wakes the outbound dispatcher after a transmission replay. */
  onTransmissionReplay?: () => void;
  /** Intake, for POST /api/files/:id/reprocess (absent: the route answers 404). */
  ingest?: (file: ReceivedFile) => Promise<IngestSummary>;
  /** Clock of the acknowledgement ledger's ages (the gateway's; tests pin it). */
  now?: () => Date;
}

const idParams = {
  type: 'object', required: ['id'], additionalProperties: false,
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

const INTERCHANGE_STATUSES = ['receiving', 'accepted', 'accepted_with_errors', 'partially_accepted', 'rejected', 'duplicate', 'unknown_partner'];
const FILE_STATUSES = ['received', 'accepted', 'accepted_with_errors', 'partially_accepted', 'rejected', 'duplicate', 'unknown_partner', 'unreadable', 'unsupported', 'failed'];

/** Delivery rows with their epoch-millisecond times also as ISO-8601 text, like every other time in the API. */
function deliveryView<T extends { runAt?: number | null; lockedUntil?: number | null }>(d: T): T & { runAtIso: string | null; lockedUntilIso: string | null } {
  const iso = (v: number | null | undefined) => (typeof v === 'number' ? new Date(v).toISOString() : null);
  return { ...d, runAtIso: iso(d.runAt), lockedUntilIso: iso(d.lockedUntil) };
}

/** A date or an ISO-8601 UTC time, as stored (e.g. 2026-01-02 or 2026-01-02T03:04:05.000Z). */
const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?Z?)?$';

const page = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  offset: { type: 'integer', minimum: 0, maximum: 2_147_483_647, default: 0 },
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
      const status = err.code === 'EDIGATE_NOT_FOUND' || err.code === 'EDIGATE_PARTNER_UNKNOWN' ? 404
        : err.code === 'EDIGATE_INVALID_REQUEST' || err.code === 'EDIGATE_CANONICAL_INVALID' || err.code === 'EDIGATE_OUTBOUND_UNSUPPORTED' ? 400
          : err.code === 'EDIGATE_IDEMPOTENCY_CONFLICT' ? 409 : 500;
      return reply.status(status).send({ error: { code: err.code, message: err.message } });
    }
    const e = err as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation || (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)) {
      return reply.status(e.statusCode && e.statusCode !== 500 ? e.statusCode : 400).send({ error: { code: 'EDIGATE_INVALID_REQUEST', message: e.message } });
    }
    deps.logger.error({ err }, 'ops api error');
    return reply.status(e.statusCode ?? 500).send({ error: { code: 'EDIGATE_INTERNAL', message: e.message } });
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'edigate_deliveries', help: 'Deliveries by destination and state', labelNames: ['destination', 'state'], registers: [registry],
    collect() {
      this.reset();
      for (const r of queueDepth(store.db, { includeFinished: true })) this.set({ destination: r.destination, state: r.state }, r.count);
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

  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: { code: 'EDIGATE_NOT_FOUND', message: `Not found: ${req.method} ${req.url.split('?')[0]}` } }));

  app.get('/health', async () => ({ status: 'ok', time: new Date().toISOString() }));
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(dashboardHtml()));

  app.get('/api/interchanges', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          partner: { type: 'string' }, status: { enum: INTERCHANGE_STATUSES }, controlNumber: { type: 'string' },
          reference: { type: 'string' }, po: { type: 'string' }, q: { type: 'string' },
          from: { type: 'string', pattern: ISO_TIME }, to: { type: 'string', pattern: ISO_TIME }, ...page,
        },
      },
    },
  }, async (req) => {
    const q = req.query as { partner?: string; status?: string; controlNumber?: string; reference?: string; po?: string; q?: string; from?: string; to?: string; limit: number; offset: number };
    const { items, total } = store.interchanges.list({
      partnerId: q.partner, status: q.status, controlNumber: q.controlNumber, reference: q.reference ?? q.po, q: q.q, ...timeRange(q.from, q.to), limit: q.limit, offset: q.offset,
    });
    return { items, total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/interchanges/:id', { schema: { params: idParams } }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    const interchange = store.interchanges.get(id);
    if (!interchange) throw new GatewayError('EDIGATE_NOT_FOUND', `interchange ${id}`);
    const file = store.files.get(interchange.fileId);
    const groups = store.transactions.groupsOf(id);
    const sets = store.transactions.setsOf(id);
    const findings = store.findings.ofInterchange(id);
    // Each acknowledgement with how it left: placed in the outbox (and when it was picked up) or sent over a channel.
    const acks = store.acks.ofInterchange(id).map((a) => ({ ...a, transmissions: transmissionsOfAck(store.db, a.id).map(({ evidence: _e, ...t }) => t) }));
    const messages = store.messages.ofInterchange(id).map((m) => ({ ...m, body: JSON.parse(m.body) as unknown }));
    const deliveries = listDeliveries(store.db, { interchangeId: id, limit: 10_000, offset: 0 }).items.map(deliveryView);
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

  app.get('/api/interchanges/:id/raw', { schema: { params: idParams } }, async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const interchange = store.interchanges.get(id);
    if (!interchange) throw new GatewayError('EDIGATE_NOT_FOUND', `interchange ${id}`);
    const file = store.files.get(interchange.fileId)!;
    const whole = (req.query as { whole?: string }).whole === 'true';
    const bytes = await readArchived(config.archiveDir, file.sha256, whole ? 0 : interchange.byteStart, whole ? undefined : interchange.byteEnd);
    return reply.type('application/edi-x12').header('content-disposition', `inline; filename="${file.fileName.replace(/["\\]/g, '_')}"`).send(bytes);
  });

  app.get('/api/files', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { status: { enum: FILE_STATUSES }, partner: { type: 'string' }, from: { type: 'string', pattern: ISO_TIME }, to: { type: 'string', pattern: ISO_TIME }, ...page } } },
  }, async (req) => {
    const q = req.query as { status?: string; partner?: string; from?: string; to?: string; limit: number; offset: number };
    const { items, total } = store.files.list({ status: q.status, partnerId: q.partner, ...timeRange(q.from, q.to), limit: q.limit, offset: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/files/:id', { schema: { params: idParams } }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    const file = store.files.get(id);
    if (!file) throw new GatewayError('EDIGATE_NOT_FOUND', `file ${id}`);
    return { ...file, interchanges: store.interchanges.forFile(id), findings: store.findings.ofFile(id) };
  });

  app.get('/api/files/:id/raw', { schema: { params: idParams } }, async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const file = store.files.get(id);
    if (!file) throw new GatewayError('EDIGATE_NOT_FOUND', `file ${id}`);
    return reply.type('application/octet-stream').send(await readArchived(config.archiveDir, file.sha256));
  });

  // GET /api/acks (the acknowledgement ledger), /api/acks/documents, /api/acks/:id: src/api/ledger-routes.ts.
  registerLedgerRoutes(app, { store, partners, config, ...(deps.now ? { now: deps.now } : {}) });

  app.get('/api/deliveries', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          status: { enum: ['pending', 'retrying', 'running', 'accepted', 'delivered', 'dead', 'dismissed', 'held', 'cancelled'] },
          partner: { type: 'string' }, destination: { type: 'string' }, ...page,
          type: { type: 'string' }, from: { type: 'string', pattern: ISO_TIME }, to: { type: 'string', pattern: ISO_TIME }, error: { type: 'string' },
        },
      },
    },
  }, async (req) => {
    const q = req.query as { status?: string; partner?: string; destination?: string; type?: string; from?: string; to?: string; error?: string; limit: number; offset: number };
    const { items, total } = listDeliveries(store.db, {
      status: q.status as never, partnerId: q.partner, destination: q.destination, limit: q.limit, offset: q.offset,
      ...(q.type !== undefined ? { messageType: q.type } : {}), ...timeRange(q.from, q.to), ...(q.error !== undefined ? { error: q.error } : {}),
    });
    return { items: items.map(deliveryView), total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/deliveries/:id', { schema: { params: idParams } }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    const d = getDelivery(store.db, id);
    if (!d) throw new GatewayError('EDIGATE_NOT_FOUND', `delivery ${id}`);
    return deliveryView(d);
  });

  app.post('/api/deliveries/:id/replay', { schema: { params: idParams } }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    const actor = String(req.headers['x-edigate-actor'] ?? 'ops-api');
    const before = getDelivery(store.db, id);
    replay(store.db, id, { now: Date.now(), actor });
    deps.logger.info({ delivery: id, actor, previous: before?.status, messageId: before?.messageId }, 'delivery replayed by an operator');
    deps.onReplay?.();
    return deliveryView(getDelivery(store.db, id)!);
  });

  registerDeliveryRoutes(app, { config, store, ...(deps.onReplay ? { onReplay: deps.onReplay } : {}) });
  registerTransmissionRoutes(app, { store, ...(deps.onTransmissionReplay ? { onReplay: deps.onTransmissionReplay } : {}) });
  registerDuplicateRoutes(app, { store });
  if (deps.ingest) registerReprocessRoutes(app, { store, archiveDir: config.archiveDir, ingest: deps.ingest, partnerExists: (id) => !!partners.get(id) });
  registerOutboundRoutes(app, { store, partners, config, ...(deps.onTransmissionReplay ? { onOutbound: deps.onTransmissionReplay } : {}) });
  registerAs2Routes(app, { store, config, partners });
  registerSftpRoutes(app, { store, partners });
  registerScorecardRoutes(app, { store, partners });

  app.get('/api/partners', async () => ({
    items: partners.list().map((p) => ({
      id: p.id, name: p.name, x12: p.x12, acknowledgements: p.acknowledgements, duplicates: p.duplicates, documents: p.documents,
    })),
  }));

  return app;
}

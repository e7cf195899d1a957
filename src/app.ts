import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config-types.js';
import { openStore, type Store } from './store/index.js';
import { loadPartners, reloadablePartnerDirectory, type PartnerDirectory } from './partners/load.js';
import { PartnerWatcher } from './partners/watch.js';
import { loadMaps, type MapRegistry } from './mapping/maps.js';
import { MapPool } from './mapping/map-pool.js';
import { Pipeline } from './pipeline.js';
import { FolderWatcher } from './transports/folder-watcher.js';
import { DeliveryWorkers } from './delivery/workers.js';
import { recoverAllRunning } from './store/deliveries.js';
import { buildOpsApi } from './api/server.js';
import { createLogger } from './logger.js';

export interface Gateway {
  config: GatewayConfig;
  store: Store;
  partners: PartnerDirectory;
  maps: MapRegistry;
  pipeline: Pipeline;
  workers: DeliveryWorkers;
  api: FastifyInstance;
  logger: Logger;
  /** Starts the delivery workers, the inbox watcher and the ops API listener. */
  start(): Promise<void>;
  /** Stops taking files, drains in-flight work, closes the store. */
  stop(): Promise<void>;
}

export interface GatewayOptions {
  logger?: Logger;
  /** Do not watch inbox/ (CLI ingest, tests that feed the pipeline directly). */
  watch?: boolean;
  /** Do not listen on the ops port (tests use api.inject). */
  listen?: boolean;
  /** Do not run delivery workers. */
  deliver?: boolean;
  /** Clock for intake and acknowledgements (tests pin it to assert exact 997 dates). */
  now?: () => Date;
}

/**
 * Wires the stages for one home folder: store, partners, maps, pipeline, delivery workers, folder
 * watcher and ops API. Nothing listens or watches until start().
 * @throws GatewayError EDIGATE_MAP_INVALID / EDIGATE_PARTNER_INVALID (every problem listed) / EDIGATE_STORE_FAILED
 */
export async function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const maps = await loadMaps(config.mapsDirs);
  const partnerCtx = { mapNames: new Set(maps.list().map((m) => m.name)), destinationNames: new Set(Object.keys(config.destinations)) };
  const partners = reloadablePartnerDirectory(loadPartners(config.partnersDir, partnerCtx).list());
  const partnerWatcher = new PartnerWatcher({ partnersDir: config.partnersDir, inboxDir: config.inboxDir, directory: partners, ctx: partnerCtx, logger });
  for (const d of [config.dataDir, config.archiveDir, config.inboxDir, config.outboxDir]) mkdirSync(d, { recursive: true });
  const store = openStore(config.dbPath);
  const workers = new DeliveryWorkers({ db: store.db, destinations: config.destinations, logger, pollMs: config.workers.pollMs, leaseMs: config.workers.leaseMs });
  const mapPool = new MapPool({ mapsDirs: config.mapsDirs, size: config.mapping.workers, registry: maps, logger });
  const pipeline = new Pipeline({ config, store, partners, maps, mapPool, logger, onReleased: () => workers.kick(), ...(options.now ? { now: options.now } : {}) });
  const api = buildOpsApi({ config, store, partners, logger, onReplay: () => workers.kick() });
  const watcher = new FolderWatcher({
    inboxDir: config.inboxDir, settleMs: config.intake.settleMs, logger,
    partnerIds: partners.list().map((p) => p.id),
    ingest: (file, onRecorded) => pipeline.ingest(file, onRecorded),
  });
  let started = false;
  return {
    config, store, partners, maps, pipeline, workers, api, logger,
    async start() {
      await mapPool.start();
      recoverAllRunning(store.db, Date.now());
      // Files interrupted by a stop or a crash are processed again, behind the API and the watcher.
      const resumed = pipeline.resumeUnfinished().catch((err) => logger.error({ err }, 'resuming interrupted files failed'));
      if (options.watch === false && options.listen === false) await resumed;
      if (options.deliver !== false) workers.start();
      if (options.watch !== false) {
        await watcher.start();
        await partnerWatcher.start();
      }
      if (options.listen !== false) {
        await api.listen({ host: config.ops.host, port: config.ops.port });
        logger.info({ url: `http://${config.ops.host}:${(api.server.address() as { port: number }).port}/` }, 'ops API listening');
      }
      started = true;
      logger.info({ home: config.home, partners: partners.list().length, maps: maps.list().length, destinations: Object.keys(config.destinations) }, 'gateway started');
    },
    async stop() {
      const stopping = pipeline.stop();
      if (options.watch !== false && started) {
        await partnerWatcher.stop();
        await watcher.stop();
      }
      await stopping;
      await api.close();
      if (started && options.deliver !== false) await workers.stop();
      await mapPool.close();
      store.close();
      logger.info('gateway stopped');
    },
  };
}

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
import { createDeliveryQueue } from './queue/create.js';
import type { DeliveryQueue } from './queue/queue.js';
import { recoverAllRunning } from './store/deliveries.js';
import { buildOpsApi } from './api/server.js';
import { OutboundDispatcher, placeOutbox } from './transports/outbound.js';
import { createLogger } from './logger.js';
import { SftpServer } from './transports/sftp/server.js';
import { RemotePollers } from './transports/sftp-remote/poller.js';
import { SftpRemoteSender } from './transports/sftp-remote/sender.js';
import { createAs2Service, type As2Service, type As2ServiceDeps } from './transports/as2/service.js';
import { AckLedger } from './acks/ledger.js';

export interface Gateway {
  config: GatewayConfig;
  store: Store;
  partners: PartnerDirectory;
  maps: MapRegistry;
  pipeline: Pipeline;
  /** The delivery queue: embedded SQLite workers, or BullMQ on Redis when config.redisUrl is set. */
  workers: DeliveryQueue;
  /** Sends acknowledgements and outbound documents through partners' sending channels (SFTP push, AS2). */
  outbound: OutboundDispatcher;
  api: FastifyInstance;
  /** Hosted SFTP server (listening after start() when options.sftp is set). */
  sftp: SftpServer;
  /** Pollers of partners' own SFTP servers (running after start() when options.sftp is set). */
  sftpPollers: RemotePollers;
  /** AS2 (partner port POST /as2, sender, MDNs) when edigate.yaml has an `as2` identity; else null. */
  as2: As2Service | null;
  /** Acknowledgement ledger check: overdue entries and their alerts (src/acks/ledger.ts); `check()` runs one now. */
  ledger: AckLedger;
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
  /** Run the hosted SFTP server on config.sftpPort and poll partners' SFTP servers (`edigate start` does; off by default). */
  sftp?: boolean;
  /** AS2 timers (tests shorten them): overdue check interval, async MDN backoff. */
  as2?: Pick<As2ServiceDeps, 'overdueCheckMs' | 'asyncMdn'>;
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
  const workers = await createDeliveryQueue(config, store.db, logger);
  const mapPool = new MapPool({ mapsDirs: config.mapsDirs, size: config.mapping.workers, registry: maps, logger });
  const outbound = new OutboundDispatcher({ db: store.db, archiveDir: config.archiveDir, partners, logger });
  const pipeline = new Pipeline({ config, store, partners, maps, mapPool, logger, onReleased: () => workers.kick(), onOutbound: () => outbound.kick(), ...(options.now ? { now: options.now } : {}) });
  const api = buildOpsApi({ config, store, partners, logger, onReplay: () => workers.kick(), onTransmissionReplay: () => outbound.kick(), ingest: (file) => pipeline.ingest(file), ...(options.now ? { now: options.now } : {}) });
  const watcher = new FolderWatcher({
    inboxDir: config.inboxDir, settleMs: config.intake.settleMs, logger,
    partnerIds: partners.list().map((p) => p.id),
    ingest: (file, onRecorded) => pipeline.ingest(file, onRecorded),
  });
  const sftpIngest = (file: Parameters<Pipeline['ingest']>[0], onRecorded: NonNullable<Parameters<Pipeline['ingest']>[1]>) => pipeline.ingest(file, onRecorded);
  const sftp = new SftpServer({ dataDir: config.dataDir, outboxDir: config.outboxDir, partners, db: store.db, ingest: sftpIngest, logger, port: config.sftpPort });
  const sftpCredentials = { home: config.home, env: process.env };
  const sftpPollers = new RemotePollers({ partners, db: store.db, dataDir: config.dataDir, credentials: sftpCredentials, ingest: sftpIngest, logger });
  outbound.register(new SftpRemoteSender({ credentials: sftpCredentials, logger }));
  const as2 = config.as2 ? createAs2Service({ config, store, partners, pipeline, outbound, logger, ...(options.as2 ?? {}) }) : null;
  const ledger = new AckLedger({ db: store.db, partners, config: config.ledger, logger, ...(options.now ? { now: options.now } : {}) });
  let started = false;
  return {
    config, store, partners, maps, pipeline, workers, outbound, api, sftp, sftpPollers, as2, ledger, logger,
    async start() {
      await mapPool.start();
      // Embedded: this process is the only worker, so anything running was cut off by a crash. With BullMQ
      // other processes may be delivering; their rows come back through the lease instead.
      if (!config.redisUrl) recoverAllRunning(store.db, Date.now());
      // Outbox files recorded before a crash but not yet written (src/transports/outbound.ts placeOutbox).
      const placed = placeOutbox(store.db, config);
      if (placed) logger.warn({ files: placed }, 'outbox files recorded before the last stop written now');
      // Files interrupted by a stop or a crash are processed again, behind the API and the watcher.
      const resumed = pipeline.resumeUnfinished().catch((err) => logger.error({ err }, 'resuming interrupted files failed'));
      if (options.watch === false && options.listen === false) await resumed;
      if (options.deliver !== false) {
        await workers.start();
        outbound.start();
      }
      if (options.watch !== false) {
        await watcher.start();
        await partnerWatcher.start();
      }
      if (options.sftp) {
        await sftp.start();
        sftpPollers.start();
      }
      if (as2) await as2.start({ listen: options.listen !== false, deliver: options.deliver !== false });
      ledger.start();
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
      if (options.sftp && started) {
        await sftpPollers.stop();
        await sftp.stop();
      }
      await stopping;
      if (as2) await as2.stop();
      await ledger.stop();
      await api.close();
      if (started && options.deliver !== false) {
        await workers.stop();
        await outbound.stop();
      }
      await mapPool.close();
      store.close();
      logger.info('gateway stopped');
    },
  };
}

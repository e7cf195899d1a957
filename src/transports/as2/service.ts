/**
 * AS2 wired for one gateway: our identity, the partner-facing HTTP server (POST /as2 on config.partnerPort),
 * the sender registered on the outbound dispatcher, async MDN delivery, the overdue check of async MDNs we
 * await, and the certificate expiry warnings (logged at start and daily).
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../../config-types.js';
import type { Store } from '../../store/index.js';
import type { PartnerDirectory } from '../../partners/load.js';
import type { Pipeline } from '../../pipeline.js';
import type { OutboundDispatcher } from '../outbound.js';
import type { KeyPair } from './cms.js';
import { CertificateCache, loadIdentity, logCertificateWarnings } from './certificates.js';
import { As2Receiver, buildPartnerServer } from './receive.js';
import { As2Sender } from './send.js';
import { AsyncMdnDelivery } from './async-mdn.js';
import { settleInterruptedInbound } from '../../store/as2.js';

export interface As2Service {
  identity: KeyPair;
  certs: CertificateCache;
  receiver: As2Receiver;
  sender: As2Sender;
  server: FastifyInstance;
  /** Base URL of POST /as2 once listening (http://host:port/as2). */
  url(): string;
  /** Listens on the partner port (when `listen`), registers the sender, starts the timers. */
  start(opts: { listen: boolean; deliver: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export interface As2ServiceDeps {
  config: GatewayConfig;
  store: Store;
  partners: PartnerDirectory;
  pipeline: Pipeline;
  outbound: OutboundDispatcher;
  logger: Logger;
  /** Interval of the overdue check of awaited async MDNs, ms. Default 5000. */
  overdueCheckMs?: number;
  /** Backoff of our async MDN delivery (tests shorten it). */
  asyncMdn?: { initialBackoffMs?: number; maxAttempts?: number; pollMs?: number };
}

/**
 * Creates the AS2 service for a gateway whose config has an `as2` identity.
 * @throws GatewayError EDIGATE_AS_IDENTITY_INVALID when our key or certificate cannot be used.
 */
export function createAs2Service(deps: As2ServiceDeps): As2Service {
  const { config, store, partners, logger } = deps;
  const as2 = config.as2!;
  const identity = loadIdentity(as2);
  const certs = new CertificateCache();
  const log = logger.child({ component: 'as2' });
  let listeningUrl: string | null = null;
  const url = () => listeningUrl ?? `http://127.0.0.1:${config.partnerPort}/as2`;
  const asyncMdnUrl = () => as2.asyncMdnUrl ?? url();
  const sender = new As2Sender({ db: store.db, partners, ourId: as2.id, identity, certs, logger: log, asyncMdnUrl });
  const asyncMdn = new AsyncMdnDelivery({ db: store.db, logger: log, ...(deps.asyncMdn ?? {}) });
  const receiver = new As2Receiver({
    db: store.db, archiveDir: config.archiveDir, partners, pipeline: deps.pipeline, ourId: as2.id, identity, certs, logger: log,
    onAsyncMdn: (ct, body, headers) => sender.onAsyncMdn(ct, body, headers),
    onAsyncMdnQueued: () => asyncMdn.kick(),
  });
  const server = buildPartnerServer(receiver, log);
  const timers: NodeJS.Timeout[] = [];
  let started = false;
  return {
    identity, certs, receiver, sender, server, url,
    async start({ listen, deliver }) {
      const settled = settleInterruptedInbound(store.db);
      if (settled) log.warn({ messages: settled }, 'AS2 messages interrupted by the last stop settled');
      logCertificateWarnings(certs, config, partners.list(), log);
      timers.push(setInterval(() => logCertificateWarnings(certs, config, partners.list(), log), 86_400_000).unref());
      if (deliver) {
        deps.outbound.register(sender);
        asyncMdn.start();
        timers.push(setInterval(() => {
          try { sender.checkOverdue(); } catch (err) { log.error({ err }, 'AS2 overdue check failed'); }
        }, deps.overdueCheckMs ?? 5000));
      }
      if (listen) {
        // Partner-facing: all interfaces, apart from the ops API.
        await server.listen({ host: '0.0.0.0', port: config.partnerPort });
        const port = (server.server.address() as { port: number }).port;
        listeningUrl = `http://127.0.0.1:${port}/as2`;
        log.info({ port, as2Id: as2.id }, 'AS2 endpoint listening (POST /as2)');
      }
      started = true;
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      timers.length = 0;
      await server.close();
      if (started) await asyncMdn.stop();
    },
  };
}

import { loadConfig } from './config.js';
import { createGateway } from './app.js';
import { createLogger } from './logger.js';
import { openStore } from './store/index.js';
import { createDeliveryQueue } from './queue/create.js';
import { GatewayError } from './errors.js';

/**
 * Process start for `edigate start`: load and validate the configuration, open the store, start every
 * stage, and stop cleanly on SIGINT/SIGTERM (stop taking files, drain in-flight deliveries, close the store).
 * The only place with process-wide side effects (signal handlers, exit codes).
 */
export async function runGateway(home: string | undefined): Promise<void> {
  const config = loadConfig({ home });
  const logger = createLogger(config.logLevel);
  const gateway = await createGateway(config, { logger, sftp: true });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await gateway.stop();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await gateway.start();
}

/**
 * Process start for `edigate workers`: only the delivery workers of the BullMQ queue (no intake, no
 * ops API), against the Redis of EDIGATE_REDIS_URL and the SQLite store of the home folder (which
 * must be on this machine: the store is shared through the file). Stops on SIGINT/SIGTERM: finishes
 * or hands back the deliveries in flight, closes the store, exits 0.
 * @throws GatewayError EDIGATE_CONFIG_INVALID when no Redis URL is configured
 */
export async function runWorkers(home: string | undefined): Promise<void> {
  const config = loadConfig({ home });
  if (!config.redisUrl) throw new GatewayError('EDIGATE_CONFIG_INVALID', 'edigate workers needs EDIGATE_REDIS_URL (or redisUrl in edigate.yaml): the embedded queue runs inside `edigate start`');
  const logger = createLogger(config.logLevel);
  const store = openStore(config.dbPath);
  const queue = await createDeliveryQueue(config, store.db, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping delivery workers');
    try {
      await queue.stop();
      store.close();
      logger.info('delivery workers stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await queue.start();
  logger.info({ destinations: Object.keys(config.destinations), pid: process.pid }, 'delivery workers started (BullMQ)');
}

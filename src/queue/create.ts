/** Chooses the delivery queue backend: BullMQ when a Redis URL is configured, else the embedded SQLite queue. */
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config-types.js';
import type { Db } from '../store/db.js';
import { DeliveryWorkers } from '../delivery/workers.js';
import type { DeliveryQueue } from './queue.js';

/**
 * The DeliveryQueue for `config`: BullMqDeliveryQueue on config.redisUrl (EDIGATE_REDIS_URL), key
 * prefix EDIGATE_REDIS_PREFIX or 'edigate'; otherwise the embedded DeliveryWorkers.
 * Nothing connects or claims until start(). BullMQ is loaded only when configured (it adds a tenth of a
 * second to every start otherwise).
 */
export async function createDeliveryQueue(config: GatewayConfig, db: Db, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<DeliveryQueue> {
  if (config.redisUrl) {
    const { BullMqDeliveryQueue } = await import('./bullmq.js');
    return new BullMqDeliveryQueue({
      db, destinations: config.destinations, logger, redisUrl: config.redisUrl, prefix: env.EDIGATE_REDIS_PREFIX || 'edigate',
      leaseMs: config.workers.leaseMs, pollMs: config.workers.pollMs,
    });
  }
  return new DeliveryWorkers({ db, destinations: config.destinations, logger, pollMs: config.workers.pollMs, leaseMs: config.workers.leaseMs });
}

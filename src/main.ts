import { loadConfig } from './config.js';
import { createGateway } from './app.js';
import { createLogger } from './logger.js';

/**
 * Process start for `edigate start`: load and validate the configuration, open the store, start every
 * stage, and stop cleanly on SIGINT/SIGTERM (stop taking files, drain in-flight deliveries, close the store).
 * The only place with process-wide side effects (signal handlers, exit codes).
 */
export async function runGateway(home: string | undefined): Promise<void> {
  const config = loadConfig({ home });
  const logger = createLogger(config.logLevel);
  const gateway = await createGateway(config, { logger });
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

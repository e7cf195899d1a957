import { pino, type Logger } from 'pino';

/** The gateway's logger (pino, JSON lines). `destination` 2 writes to stderr (CLI commands keep stdout for their JSON). */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino({ level, base: { service: 'edigate' }, redact: { paths: ['*.password', '*.token', '*.authorization', 'headers.authorization'], censor: '[redacted]' } }, pino.destination(destination));
}

import { pino, type Logger } from 'pino';

/** Log fields never written (pino redaction): credentials, and destinations' auth, headers and TLS settings wherever logged. */
export const REDACT_PATHS: readonly string[] = [
  '*.password', '*.token', '*.authorization', 'headers.authorization', '*.clientSecret', '*.passphrase', '*.headers.authorization',
  'auth', '*.auth', 'destinations.*.auth', 'destinations.*.headers', 'destinations.*.tls',
  'config.destinations.*.auth', 'config.destinations.*.headers', 'config.destinations.*.tls',
];

/** The gateway's logger (pino, JSON lines). `destination` 2 writes to stderr (CLI commands keep stdout for their JSON). */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino({ level, base: { service: 'edigate' }, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } }, pino.destination(destination));
}

import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';
import { GatewayError } from './errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './queue/retry-policy.js';
import type { DestinationConfig, GatewayConfig } from './config-types.js';
import { buildDestinations, destinationSchema, type FileDestination } from './delivery/destinations.js';
import { buildLedgerConfig, ledgerConfigSchema, type LedgerFileBlock } from './acks/ledger-config.js';

export type { GatewayConfig, DestinationConfig } from './config-types.js';

/** Folder of the installed product (holds the standard maps/ and the example partners/). */
export const PRODUCT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ops: {
      type: 'object',
      additionalProperties: false,
      properties: { host: { type: 'string', minLength: 1 }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
    },
    partnerPort: { type: 'integer', minimum: 0, maximum: 65535 },
    sftpPort: { type: 'integer', minimum: 0, maximum: 65535 },
    as2: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x20-\\x7e]+$' },
        keyFile: { type: 'string', minLength: 1 },
        certFile: { type: 'string', minLength: 1 },
        asyncMdnUrl: { type: 'string', pattern: '^https?://' },
      },
    },
    redisUrl: { type: ['string', 'null'] },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    destinations: { type: 'object', additionalProperties: destinationSchema },
    intake: {
      type: 'object',
      additionalProperties: false,
      properties: {
        settleMs: { type: 'integer', minimum: 0 },
        maxSegmentLength: { type: 'integer', minimum: 256 },
      },
    },
    mapping: {
      type: 'object',
      additionalProperties: false,
      properties: { workers: { type: 'integer', minimum: 0, maximum: 64 } },
    },
    workers: {
      type: 'object',
      additionalProperties: false,
      properties: { pollMs: { type: 'integer', minimum: 1 }, leaseMs: { type: 'integer', minimum: 100 } },
    },
    ledger: ledgerConfigSchema,
  },
} as const;

interface FileConfig {
  ops?: { host?: string; port?: number };
  partnerPort?: number;
  sftpPort?: number;
  as2?: { id: string; keyFile?: string; certFile?: string; asyncMdnUrl?: string };
  redisUrl?: string | null;
  logLevel?: string;
  destinations?: Record<string, FileDestination>;
  intake?: { settleMs?: number; maxSegmentLength?: number };
  workers?: { pollMs?: number; leaseMs?: number };
  mapping?: { workers?: number };
  ledger?: LedgerFileBlock;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateFile = ajv.compile(fileSchema);

/** Options of loadConfig: the home folder and the environment (process.env by default). */
export interface LoadConfigOptions {
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Settings applied over edigate.yaml and the environment (tests use this). */
  overrides?: FileConfig;
}

/**
 * Loads the gateway configuration: defaults, then `<home>/edigate.yaml` (optional), then the
 * environment (EDIGATE_HOME, EDIGATE_OPS_HOST, EDIGATE_OPS_PORT, EDIGATE_PARTNER_PORT,
 * EDIGATE_SFTP_PORT, EDIGATE_REDIS_URL, EDIGATE_ERP_URL, EDIGATE_WMS_URL, EDIGATE_MAP_WORKERS, EDIGATE_LOG_LEVEL),
 * then `overrides`. Every problem is collected and reported together.
 * Defaults serve a fresh machine: SQLite in data/, ERP and WMS as folders under data/spool/.
 * @returns a frozen GatewayConfig with absolute paths.
 * @throws GatewayError EDIGATE_CONFIG_INVALID with details.problems: string[]
 */
export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const home = resolve(options.home ?? env.EDIGATE_HOME ?? process.cwd());
  const problems: string[] = [];
  const yamlPath = join(home, 'edigate.yaml');
  let file: FileConfig = {};
  if (existsSync(yamlPath)) {
    try {
      const parsed: unknown = parseYaml(readFileSync(yamlPath, 'utf8'));
      if (parsed !== null && parsed !== undefined) {
        if (!validateFile(parsed)) {
          for (const e of validateFile.errors ?? []) problems.push(`edigate.yaml: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
        }
        file = parsed as FileConfig;
      }
    } catch (err) {
      problems.push(`edigate.yaml: cannot be parsed: ${(err as Error).message}`);
    }
  }
  if (options.overrides) {
    if (!validateFile(options.overrides)) {
      for (const e of validateFile.errors ?? []) problems.push(`overrides: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    }
  }
  const o = options.overrides ?? {};

  const port = (name: string, value: string | undefined, fallback: number): number => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      problems.push(`${name}: "${value}" is not a TCP port (0..65535)`);
      return fallback;
    }
    return n;
  };

  const count = (name: string, value: string | undefined, fallback: number): number => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 64) {
      problems.push(`${name}: "${value}" is not a whole number from 0 to 64`);
      return fallback;
    }
    return n;
  };

  const dataDir = join(home, 'data');
  // Destinations (src/delivery/destinations.ts): secrets from the environment, TLS files read, every problem collected.
  const destinations: Record<string, DestinationConfig> = buildDestinations({ ...(file.destinations ?? {}), ...(o.destinations ?? {}) }, env, home, dataDir, problems);

  const homeMaps = join(home, 'maps');
  const productMaps = join(PRODUCT_ROOT, 'maps');
  const mapsDirs = homeMaps === productMaps ? [homeMaps] : [homeMaps, productMaps];

  const config: GatewayConfig = {
    home,
    dataDir,
    dbPath: join(dataDir, 'edigate.db'),
    archiveDir: join(dataDir, 'archive'),
    inboxDir: join(home, 'inbox'),
    outboxDir: join(home, 'outbox'),
    partnersDir: join(home, 'partners'),
    mapsDirs,
    ops: {
      host: env.EDIGATE_OPS_HOST || o.ops?.host || file.ops?.host || '127.0.0.1',
      port: o.ops?.port ?? port('EDIGATE_OPS_PORT', env.EDIGATE_OPS_PORT, file.ops?.port ?? 8080),
    },
    partnerPort: o.partnerPort ?? port('EDIGATE_PARTNER_PORT', env.EDIGATE_PARTNER_PORT, file.partnerPort ?? 4080),
    sftpPort: o.sftpPort ?? port('EDIGATE_SFTP_PORT', env.EDIGATE_SFTP_PORT, file.sftpPort ?? 2222),
    as2: (o.as2 ?? file.as2) ? {
      id: (o.as2 ?? file.as2)!.id,
      keyFile: resolve(home, (o.as2 ?? file.as2)!.keyFile ?? join('data', 'as2', 'key.pem')),
      certFile: resolve(home, (o.as2 ?? file.as2)!.certFile ?? join('data', 'as2', 'cert.pem')),
      asyncMdnUrl: (o.as2 ?? file.as2)!.asyncMdnUrl ?? null,
    } : null,
    redisUrl: env.EDIGATE_REDIS_URL || (o.redisUrl ?? file.redisUrl ?? null),
    destinations,
    intake: {
      settleMs: o.intake?.settleMs ?? file.intake?.settleMs ?? 500,
      maxSegmentLength: o.intake?.maxSegmentLength ?? file.intake?.maxSegmentLength ?? 1024 * 1024,
    },
    mapping: {
      workers: o.mapping?.workers ?? count('EDIGATE_MAP_WORKERS', env.EDIGATE_MAP_WORKERS, file.mapping?.workers ?? availableParallelism()),
    },
    workers: {
      pollMs: o.workers?.pollMs ?? file.workers?.pollMs ?? 200,
      leaseMs: o.workers?.leaseMs ?? file.workers?.leaseMs ?? 60_000,
    },
    logLevel: env.EDIGATE_LOG_LEVEL || o.logLevel || file.logLevel || 'info',
    ledger: buildLedgerConfig(o.ledger ?? file.ledger, problems),
  };
  if (problems.length > 0) {
    throw new GatewayError('EDIGATE_CONFIG_INVALID', problems.join('; '), { details: { problems } });
  }
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

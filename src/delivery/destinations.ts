/**
 * Destinations as written in edigate.yaml: their JSON Schema, and the function that turns them into
 * DestinationConfig, resolving secrets from the environment and reading TLS files, with every problem
 * collected (src/config.ts reports them all at once).
 *
 * ```yaml
 * destinations:
 *   erp:
 *     kind: http
 *     baseUrl: https://erp.example.com/api     # or url: (one URL for every type)
 *     paths: { order: /orders, shipment: /shipments }
 *     auth: { type: oauth2, tokenUrl: https://login.example.com/token, clientId: edigate, clientSecret: ${ERP_SECRET} }
 *     headers: { X-Tenant: acme, X-Api-Key: { env: ERP_API_KEY } }
 *     tls: { ca: certs/erp-ca.pem, cert: certs/client.pem, key: certs/client.key }
 *     timeoutMs: 10000
 *     retry: { maxAttempts: 8, initialBackoffMs: 1000, maxBackoffMs: 300000, multiplier: 2, jitter: 0.2 }
 *     concurrency: 4
 *     rateLimit: 20                               # requests per second
 *     circuitBreaker: { failureThreshold: 10, cooldownMs: 30000 }
 *     lanes: { high: [order, shipment], low: [inventorySnapshot] }
 * ```
 * A secret is written in place (`password: s3cret`), as `${NAME}` inside any string (replaced by the
 * environment variable NAME), or as `{ env: NAME }`. A variable that is not set is a problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DestinationAuth, DestinationConfig, DestinationLimits, DestinationTls } from '../config-types.js';
import { DEFAULT_RETRY_POLICY, RETRY_POLICY_SCHEMA, type RetryPolicy } from '../queue/retry-policy.js';
import { DEFAULT_HIGH_TYPES, DEFAULT_LOW_TYPES } from '../queue/lanes.js';

const secret = { anyOf: [{ type: 'string' }, { type: 'object', required: ['env'], additionalProperties: false, properties: { env: { type: 'string', minLength: 1 } } }] } as const;

/** JSON Schema of one entry of `destinations` in edigate.yaml (ajv, all errors). */
export const destinationSchema = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['http', 'directory'] },
    url: { type: 'string', minLength: 1 },
    baseUrl: { type: 'string', minLength: 1 },
    paths: { type: 'object', additionalProperties: { type: 'string', pattern: '^/' } },
    directory: { type: 'string', minLength: 1 },
    timeoutMs: { type: 'integer', minimum: 1 },
    headers: { type: 'object', additionalProperties: secret },
    auth: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: ['bearer', 'basic', 'oauth2'] },
        token: secret,
        username: secret,
        password: secret,
        tokenUrl: { type: 'string', minLength: 1 },
        clientId: secret,
        clientSecret: secret,
        scope: { type: 'string' },
        audience: { type: 'string' },
        clientAuth: { enum: ['basic', 'post'] },
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ca: { type: 'string', minLength: 1 },
        cert: { type: 'string', minLength: 1 },
        key: { type: 'string', minLength: 1 },
        passphrase: secret,
        rejectUnauthorized: { type: 'boolean' },
        servername: { type: 'string', minLength: 1 },
      },
    },
    concurrency: { type: 'integer', minimum: 1, maximum: 256 },
    rateLimit: { type: ['number', 'null'], exclusiveMinimum: 0 },
    circuitBreaker: {
      type: 'object',
      additionalProperties: false,
      properties: { failureThreshold: { type: 'integer', minimum: 0 }, cooldownMs: { type: 'integer', minimum: 1 } },
    },
    lanes: {
      type: 'object',
      additionalProperties: false,
      properties: { high: { type: 'array', items: { type: 'string' } }, low: { type: 'array', items: { type: 'string' } } },
    },
    statusPollMs: { type: 'integer', minimum: 10 },
    retry: RETRY_POLICY_SCHEMA,
  },
} as const;

type Secret = string | { env: string };

/** One destination as written in edigate.yaml (after schema validation). */
export interface FileDestination {
  kind: 'http' | 'directory';
  url?: string;
  baseUrl?: string;
  paths?: Record<string, string>;
  directory?: string;
  timeoutMs?: number;
  headers?: Record<string, Secret>;
  auth?: {
    type: 'bearer' | 'basic' | 'oauth2'; token?: Secret; username?: Secret; password?: Secret; tokenUrl?: string;
    clientId?: Secret; clientSecret?: Secret; scope?: string; audience?: string; clientAuth?: 'basic' | 'post';
  };
  tls?: { ca?: string; cert?: string; key?: string; passphrase?: Secret; rejectUnauthorized?: boolean; servername?: string };
  concurrency?: number;
  rateLimit?: number | null;
  circuitBreaker?: { failureThreshold?: number; cooldownMs?: number };
  lanes?: { high?: string[]; low?: string[] };
  statusPollMs?: number;
  retry?: Partial<RetryPolicy>;
}

/** Defaults of the circuit breaker: open after 10 consecutive failures, probe again after 30 s. */
export const DEFAULT_CIRCUIT_BREAKER = Object.freeze({ failureThreshold: 10, cooldownMs: 30_000 });

/**
 * Resolves `${NAME}` references in `value` from `env`; a reference to a variable that is not set adds
 * a problem naming `where` and the variable (never the value) and leaves it empty.
 */
export function interpolateEnv(value: string, env: NodeJS.ProcessEnv, where: string, problems: string[]): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined) {
      problems.push(`${where}: environment variable ${name} is not set`);
      return '';
    }
    return v;
  });
}

/** A secret as written (`"text"`, `"${NAME}"` or `{ env: NAME }`) resolved from `env`; problems as for interpolateEnv. */
export function resolveSecret(value: Secret | undefined, env: NodeJS.ProcessEnv, where: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return interpolateEnv(value, env, where, problems);
  const v = env[value.env];
  if (v === undefined) {
    problems.push(`${where}: environment variable ${value.env} is not set`);
    return '';
  }
  return v;
}

/**
 * Problems of a retry policy beyond its schema, each prefixed with `where`: maxBackoffMs below
 * initialBackoffMs. (Ranges of each field are in the schema.)
 */
export function retryPolicyProblems(retry: RetryPolicy, where: string): string[] {
  const out: string[] = [];
  if (retry.maxBackoffMs < retry.initialBackoffMs) out.push(`${where}: maxBackoffMs (${retry.maxBackoffMs}) is below initialBackoffMs (${retry.initialBackoffMs})`);
  return out;
}

function limitsOf(d: FileDestination | undefined): DestinationLimits {
  return {
    rateLimit: d?.rateLimit ?? null,
    circuitBreaker: {
      failureThreshold: d?.circuitBreaker?.failureThreshold ?? DEFAULT_CIRCUIT_BREAKER.failureThreshold,
      cooldownMs: d?.circuitBreaker?.cooldownMs ?? DEFAULT_CIRCUIT_BREAKER.cooldownMs,
    },
    lanes: {
      high: d?.lanes?.high ?? [...DEFAULT_HIGH_TYPES],
      low: d?.lanes?.low ?? [...DEFAULT_LOW_TYPES],
    },
  };
}

function readPem(file: string, home: string, where: string, problems: string[]): { path: string; text: string | undefined } {
  const path = isAbsolute(file) ? file : resolve(home, file);
  if (!existsSync(path)) {
    problems.push(`${where}: file ${path} does not exist`);
    return { path, text: undefined };
  }
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    problems.push(`${where}: cannot read ${path}: ${(err as Error).message}`);
    return { path, text: undefined };
  }
}

function authOf(a: FileDestination['auth'], env: NodeJS.ProcessEnv, where: string, problems: string[]): DestinationAuth | null {
  if (!a) return null;
  const need = (field: string, v: string | undefined): string => {
    if (v === undefined || v === '') {
      if (v === undefined) problems.push(`${where}.${field}: required for auth type ${a.type}`);
      return '';
    }
    return v;
  };
  switch (a.type) {
    case 'bearer':
      return { type: 'bearer', token: need('token', resolveSecret(a.token, env, `${where}.token`, problems)) };
    case 'basic':
      return {
        type: 'basic',
        username: need('username', resolveSecret(a.username, env, `${where}.username`, problems)),
        password: need('password', resolveSecret(a.password, env, `${where}.password`, problems)),
      };
    case 'oauth2': {
      const tokenUrl = need('tokenUrl', a.tokenUrl === undefined ? undefined : interpolateEnv(a.tokenUrl, env, `${where}.tokenUrl`, problems));
      if (tokenUrl && !/^https?:\/\//.test(tokenUrl)) problems.push(`${where}.tokenUrl: "${tokenUrl}" is not an http(s) URL`);
      const out: DestinationAuth = {
        type: 'oauth2',
        tokenUrl,
        clientId: need('clientId', resolveSecret(a.clientId, env, `${where}.clientId`, problems)),
        clientSecret: need('clientSecret', resolveSecret(a.clientSecret, env, `${where}.clientSecret`, problems)),
        clientAuth: a.clientAuth ?? 'basic',
      };
      if (a.scope !== undefined) out.scope = a.scope;
      if (a.audience !== undefined) out.audience = a.audience;
      return out;
    }
    default:
      return null;
  }
}

function tlsOf(t: FileDestination['tls'], env: NodeJS.ProcessEnv, home: string, where: string, problems: string[]): DestinationTls | null {
  if (!t) return null;
  const out: DestinationTls = { rejectUnauthorized: t.rejectUnauthorized ?? true, files: {} };
  for (const k of ['ca', 'cert', 'key'] as const) {
    const f = t[k];
    if (f === undefined) continue;
    const pem = readPem(f, home, `${where}.${k}`, problems);
    out.files[k] = pem.path;
    if (pem.text !== undefined) out[k] = pem.text;
  }
  if ((t.cert === undefined) !== (t.key === undefined)) problems.push(`${where}: cert and key go together (a client certificate needs its key)`);
  const passphrase = resolveSecret(t.passphrase, env, `${where}.passphrase`, problems);
  if (passphrase !== undefined) out.passphrase = passphrase;
  if (t.servername !== undefined) out.servername = t.servername;
  return out;
}

/**
 * Builds the destinations from edigate.yaml's `destinations` (already schema-checked) plus the
 * defaults `erp` and `wms` (folders under data/spool/) and the EDIGATE_ERP_URL / EDIGATE_WMS_URL
 * overrides. Adds every problem found to `problems` (prefixed `destinations.<name>`), never throws.
 */
export function buildDestinations(
  fileDestinations: Record<string, FileDestination>,
  env: NodeJS.ProcessEnv,
  home: string,
  dataDir: string,
  problems: string[],
): Record<string, DestinationConfig> {
  const destinations: Record<string, DestinationConfig> = {};
  const defaults: Record<string, string> = { erp: resolve(dataDir, 'spool', 'erp'), wms: resolve(dataDir, 'spool', 'wms') };
  for (const name of new Set([...Object.keys(defaults), ...Object.keys(fileDestinations)])) {
    const d = fileDestinations[name];
    const where = `destinations.${name}`;
    const envUrl = name === 'erp' ? env.EDIGATE_ERP_URL : name === 'wms' ? env.EDIGATE_WMS_URL : undefined;
    const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...(d?.retry ?? {}) };
    problems.push(...retryPolicyProblems(retry, `${where}.retry`));
    const concurrency = d?.concurrency ?? 4;
    const limits = limitsOf(d);
    if (envUrl || d?.kind === 'http') {
      if (d?.url !== undefined && d.baseUrl !== undefined) problems.push(`${where}: give either url or baseUrl, not both`);
      const rawUrl = envUrl || d?.baseUrl || d?.url;
      let url = '';
      if (rawUrl === undefined) problems.push(`${where}: kind http needs a url`);
      else {
        url = envUrl ? rawUrl : interpolateEnv(rawUrl, env, `${where}.url`, problems);
        const label = envUrl ? `EDIGATE_${name.toUpperCase()}_URL` : `${where}.${d?.baseUrl !== undefined ? 'baseUrl' : 'url'}`;
        if (!/^https?:\/\//.test(url)) problems.push(`${label}: "${url}" is not an http(s) URL`);
      }
      if (d?.paths && Object.keys(d.paths).length > 0 && d.baseUrl === undefined && !envUrl) problems.push(`${where}: paths need a baseUrl (url is one URL for every type)`);
      const headers: Record<string, string> = {};
      for (const [h, v] of Object.entries(d?.headers ?? {})) headers[h] = resolveSecret(v, env, `${where}.headers.${h}`, problems) ?? '';
      const auth = authOf(d?.auth, env, `${where}.auth`, problems);
      const tls = tlsOf(d?.tls, env, home, `${where}.tls`, problems);
      destinations[name] = {
        name, kind: 'http', url, timeoutMs: d?.timeoutMs ?? 30_000, headers, retry, concurrency,
        paths: d?.paths ?? {}, auth, tls, statusPollMs: d?.statusPollMs ?? 10_000, limits,
      };
    } else {
      const dir = d?.directory ?? defaults[name];
      if (!dir) {
        problems.push(`${where}: kind directory needs a directory`);
        continue;
      }
      destinations[name] = { name, kind: 'directory', directory: isAbsolute(dir) ? dir : resolve(home, dir), retry, concurrency, limits };
    }
  }
  return destinations;
}

/** Limits of a destination, with defaults for one built without them (tests, older callers). */
export function limitsOfConfig(dest: DestinationConfig): DestinationLimits {
  return dest.limits ?? limitsOf(undefined);
}

/**
 * A destination as the ops API shows it: kind, URL without credentials, paths, auth type and
 * non-secret fields, header names only, TLS file names, limits and retry. Never a secret.
 */
export function publicDestination(dest: DestinationConfig): Record<string, unknown> {
  const base = { name: dest.name, kind: dest.kind, concurrency: dest.concurrency, retry: dest.retry, limits: limitsOfConfig(dest) };
  if (dest.kind === 'directory') return { ...base, directory: dest.directory };
  let url = dest.url;
  try {
    const u = new URL(dest.url);
    u.username = '';
    u.password = '';
    url = u.toString();
  } catch {
    // shown as configured
  }
  const auth = dest.auth
    ? dest.auth.type === 'oauth2'
      ? { type: 'oauth2', tokenUrl: dest.auth.tokenUrl, scope: dest.auth.scope ?? null, clientAuth: dest.auth.clientAuth }
      : { type: dest.auth.type }
    : null;
  return {
    ...base, url, paths: dest.paths ?? {}, timeoutMs: dest.timeoutMs, headerNames: Object.keys(dest.headers),
    auth, tls: dest.tls ? { files: dest.tls.files, rejectUnauthorized: dest.tls.rejectUnauthorized } : null,
    statusPollMs: dest.statusPollMs ?? 10_000,
  };
}

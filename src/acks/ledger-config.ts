/**
 * The `ledger` block of edigate.yaml: how often the acknowledgement ledger looks for overdue documents, the
 * default SLAs (partner files override them per document type, src/partners/sla-settings.ts), and the webhook
 * that receives one alert per overdue acknowledgement.
 *
 * ```yaml
 * ledger:
 *   checkIntervalMs: 60000
 *   defaults: { "997": 24h, TA1: 24h, pickup: 24h, MDN: 1h }
 *   webhook:
 *     url: https://ops.example/hooks/edigate
 *     headers: { Authorization: "Bearer ..." }
 *     timeoutMs: 10000
 *     retry: { maxAttempts: 8, initialBackoffMs: 1000, maxBackoffMs: 300000 }
 * ```
 */
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../queue/retry-policy.js';
import { DEFAULT_SLAS, parseDuration, levelOfKind } from '../partners/sla-settings.js';

/** The validated `ledger` settings (GatewayConfig.ledger). */
export interface LedgerConfig {
  /** Time between overdue checks, in ms. Default 60000. */
  checkIntervalMs: number;
  /** SLA per acknowledgement kind when a partner file names none, in ms (null: no deadline). */
  defaults: Record<string, number | null>;
  /** Where overdue alerts are POSTed as JSON; null: alerts go to the log only. */
  webhook: { url: string; headers: Record<string, string>; timeoutMs: number; retry: RetryPolicy } | null;
}

/** What edigate.yaml may hold under `ledger`. */
export interface LedgerFileBlock {
  checkIntervalMs?: number;
  defaults?: Record<string, string>;
  webhook?: { url: string; headers?: Record<string, string>; timeoutMs?: number; retry?: Partial<RetryPolicy> };
}

/** JSON Schema of the `ledger` block (checked by src/config.ts with the rest of edigate.yaml). */
export const ledgerConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    checkIntervalMs: { type: 'integer', minimum: 10, maximum: 86_400_000 },
    defaults: { type: 'object', propertyNames: { pattern: '^(pickup|upload|MDN|TA1|997|999|CONTRL)$' }, additionalProperties: { type: 'string' } },
    webhook: {
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
        retry: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxAttempts: { type: 'integer', minimum: 1, maximum: 1000 },
            initialBackoffMs: { type: 'integer', minimum: 0 },
            maxBackoffMs: { type: 'integer', minimum: 0 },
            multiplier: { type: 'number', minimum: 1, maximum: 10 },
            jitter: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
      },
    },
  },
} as const;

/**
 * Builds LedgerConfig from the `ledger` block (already checked against ledgerConfigSchema), pushing every
 * problem onto `problems` (an unreadable default duration). Absent block: checks every minute, DEFAULT_SLAS,
 * no webhook.
 */
export function buildLedgerConfig(block: LedgerFileBlock | undefined, problems: string[]): LedgerConfig {
  const defaults: Record<string, number | null> = { ...DEFAULT_SLAS };
  for (const [kind, text] of Object.entries(block?.defaults ?? {})) {
    const ms = parseDuration(text);
    if (ms === undefined || levelOfKind(kind) === 'business') problems.push(`edigate.yaml: /ledger/defaults/${kind} "${text}" is not a duration (e.g. 30m, 24h, PT2H, off)`);
    else defaults[kind] = ms;
  }
  const w = block?.webhook;
  return {
    checkIntervalMs: block?.checkIntervalMs ?? 60_000,
    defaults,
    webhook: w ? { url: w.url, headers: { ...(w.headers ?? {}) }, timeoutMs: w.timeoutMs ?? 10_000, retry: { ...DEFAULT_RETRY_POLICY, ...(w.retry ?? {}) } } : null,
  };
}

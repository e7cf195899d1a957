import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/app.js';

/** A throwaway home folder with the given partner files. */
export function makeHome(partners: Array<{ id: string; ids: Array<[string, string]>; ta1?: string; functional?: boolean; duplicates?: string; documents?: Record<string, { map: string; destinations?: string[] }> }>): string {
  const home = mkdtempSync(join(tmpdir(), 'edigate-test-'));
  mkdirSync(join(home, 'partners'), { recursive: true });
  for (const p of partners) {
    writeFileSync(join(home, 'partners', `${p.id}.yaml`), stringify({
      id: p.id,
      name: p.id,
      x12: { interchangeIds: p.ids.map(([qualifier, id]) => ({ qualifier, id })) },
      acknowledgements: { functional: p.functional ?? true, ta1: p.ta1 ?? 'on-error' },
      duplicates: { interchange: p.duplicates ?? 'reject' },
      documents: p.documents ?? { '850': { map: 'x12-850-order', destinations: ['erp'] } },
    }));
  }
  return home;
}

/** Polls `check` every 20 ms until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts a gateway in-process on `home` with the ERP destination at `erpUrl` (HTTP, short backoffs),
 * the ops API on port 0 and a silent logger; returns it with the API's base URL.
 */
export async function startTestGateway(home: string, erpUrl: string, opts: {
  now?: Date; intake?: { settleMs?: number; maxSegmentLength?: number }; watch?: boolean; deliver?: boolean;
  retry?: { maxAttempts?: number; initialBackoffMs?: number; maxBackoffMs?: number; jitter?: number };
} = {}): Promise<{ gw: Gateway; api: string }> {
  const config = loadConfig({
    home, env: {},
    overrides: {
      ops: { port: 0 },
      destinations: { erp: { kind: 'http', url: `${erpUrl}/orders`, retry: opts.retry ?? { initialBackoffMs: 20, maxBackoffMs: 100 } } },
      intake: { settleMs: 30, ...opts.intake },
      workers: { pollMs: 20 },
    },
  });
  const now = opts.now;
  const gw = await createGateway(config, {
    logger: pino({ level: 'silent' }), ...(now ? { now: () => now } : {}),
    ...(opts.watch === false ? { watch: false } : {}), ...(opts.deliver === false ? { deliver: false } : {}),
  });
  await gw.start();
  return { gw, api: `http://127.0.0.1:${(gw.api.server.address() as { port: number }).port}` };
}

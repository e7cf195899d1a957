import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

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

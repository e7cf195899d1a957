import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, GatewayError } from '../src/errors.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('error catalogue', () => {
  it('every code used in src/ is in the catalogue, and every catalogued code has a message', () => {
    const used = new Set<string>();
    for (const f of sources('src')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/GatewayError\('([A-Z_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(5);
    for (const code of used) expect(Object.keys(ERROR_CODES)).toContain(code);
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^EDIGATE_[A-Z_]+$/);
      expect(spec.message.length).toBeGreaterThan(3);
    }
  });

  it('carries code, retryability and details', () => {
    const e = new GatewayError('EDIGATE_DELIVERY_NETWORK', 'ECONNREFUSED', { details: { url: 'http://x' } });
    expect(e.code).toBe('EDIGATE_DELIVERY_NETWORK');
    expect(e.retryable).toBe(true);
    expect(e.message).toBe('Destination could not be reached: ECONNREFUSED');
    expect(e.details).toEqual({ url: 'http://x' });
  });
});

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES } from '../../src/validation/codes.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('finding codes used in src/', () => {
  it('are all in the catalogue (src/validation/codes.ts)', () => {
    const used = new Set<string>();
    for (const f of sources('src')) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/makeFinding\(\s*'([A-Z0-9_]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bcode: '((?:X12|FILE|MAP|CANONICAL)_[A-Z0-9_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((c) => !(c in FINDING_CODES));
    expect(missing).toEqual([]);
  });
});

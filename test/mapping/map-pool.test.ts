import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { MapPool } from '../../src/mapping/map-pool.js';
import { loadMaps } from '../../src/mapping/maps.js';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { buildX12MapInput } from '../../src/mapping/x12-input.js';

const MAPS = join(import.meta.dirname, '..', '..', 'maps');
const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'maps', 'corpus');

describe('map pool', () => {
  it('worker threads give exactly the results of the main thread, in job order', async () => {
    const registry = await loadMaps([MAPS]);
    const jobs = readdirSync(CORPUS).filter((f) => !f.endsWith('.md')).flatMap((f) =>
      parseX12Buffer(readFileSync(join(CORPUS, f))).sets.filter((s) => s.setId === '850').map((s) => ({
        map: 'x12-850-order',
        input: buildX12MapInput({ setId: s.setId, controlNumber: s.controlNumber, version: s.group.version, segments: s.segments, delimiters: s.interchange.delimiters }),
      })));
    expect(jobs.length).toBeGreaterThan(40);
    jobs.push({ map: 'no-such-map', input: {} });
    const logger = pino({ level: 'silent' });
    const inline = new MapPool({ mapsDirs: [MAPS], size: 0, registry, logger });
    const pooled = new MapPool({ mapsDirs: [MAPS], size: 2, registry, logger });
    await pooled.start();
    try {
      const a = await inline.mapMany(jobs);
      const b = await pooled.mapMany(jobs);
      expect(b).toEqual(a);
      expect(a.filter((r) => r.payload && r.errors?.length === 0)).toHaveLength(jobs.length - 1);
      expect(a.at(-1)).toEqual({ error: 'map "no-such-map" is not loaded' });
    } finally {
      await pooled.close();
    }
  });
});

/**
 * Map throughput on one core: `npx tsx test/mapping/map-throughput.ts [file.edi]` (default: the
 * ten-line 850 of test/fixtures/maps). The map is compiled once; the time of one transaction set is
 * split into building the map input, evaluating the JSONata expression, and normalising + validating
 * the payload. Not part of the test run (no .test.ts suffix).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { validateCanonical } from '../../src/canonical/index.js';
import { applyMap, loadMaps } from '../../src/mapping/maps.js';
import { buildX12MapInput } from '../../src/mapping/x12-input.js';
import { FIXTURES, PRODUCT_MAPS } from './helpers.js';

const file = process.argv[2] ?? join(FIXTURES, 'bench-850-ten-lines.edi');
const map = (await loadMaps([PRODUCT_MAPS])).require('x12-850-order');
const set = parseX12Buffer(readFileSync(file)).sets.find((s) => s.setId === '850');
if (!set) throw new Error(`${file} holds no 850`);
const source = { setId: set.setId, controlNumber: set.controlNumber, version: set.group.version, segments: set.segments, delimiters: set.interchange.delimiters };
const input = buildX12MapInput(source);
const raw: unknown = await map.expression.evaluate(input);

async function time(label: string, n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(n, 300); i++) await fn();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const us = Number(process.hrtime.bigint() - t) / 1e3 / n;
  process.stdout.write(`${label.padEnd(30)} ${us.toFixed(1).padStart(8)} us  ${(1e6 / us).toFixed(0).padStart(7)} /s\n`);
  return us;
}

process.stdout.write(`${file}: ${set.segments.filter((s) => s.tag === 'PO1').length} lines, ${set.segments.length} segments\n`);
await time('build map input', 20_000, () => buildX12MapInput(source));
await time('evaluate (JSONata)', 2_000, () => map.expression.evaluate(input));
await time('normalise + validate', 20_000, () => validateCanonical('order', JSON.parse(JSON.stringify(raw))));
await time('whole: input, map, validate', 2_000, async () => validateCanonical('order', await applyMap(map, buildX12MapInput(source))));

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError, isGatewayError } from '../../src/errors.js';
import { applyMap, loadMaps, mapAndValidate } from '../../src/mapping/maps.js';
import { canonicalTypeNames } from '../../src/canonical/index.js';
import { PRODUCT_MAPS } from './helpers.js';

let root: string;

function yamlOf(name: string, extra = ''): string {
  return `name: ${name}\ndescription: test map ${name}\nstandard: X12\ndocumentType: "850"\nmessageType: order\n${extra}`;
}

const SIMPLE = '{ "purchaseOrderNumber": BEG.BEG03, "orderDate": $isoDate(BEG.BEG05), "lines": [{ "position": 1 }] }';

/** Writes a map folder; `files` overrides or removes (null) the defaults. */
function writeMap(dir: string, name: string, files: Record<string, string | null> = {}): string {
  const mapDir = join(dir, name);
  mkdirSync(mapDir, { recursive: true });
  const all: Record<string, string | null> = {
    'map.yaml': yamlOf(name),
    'map.jsonata': SIMPLE,
    'example.edi': 'ISA*...',
    'expected.json': '{}',
    ...files,
  };
  for (const [f, content] of Object.entries(all)) if (content !== null) writeFileSync(join(mapDir, f), content);
  return mapDir;
}

async function problemsOf(dirs: string[]): Promise<string[]> {
  try {
    await loadMaps(dirs);
  } catch (err) {
    expect(isGatewayError(err, 'EDIGATE_MAP_INVALID')).toBe(true);
    return (err as GatewayError).details?.problems as string[];
  }
  throw new Error('loadMaps did not fail');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'edigate-maps-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadMaps', () => {
  it('loads the product maps, compiled, with their canonical schema version', async () => {
    const registry = await loadMaps([join(root, 'no-such-home-maps'), PRODUCT_MAPS]);
    expect(registry.names()).toContain('x12-850-order');
    const map = registry.require('x12-850-order');
    expect(map).toMatchObject({ standard: 'X12', documentType: '850', messageType: 'order', schemaVersion: 1 });
    expect(map.examplePath).toBe(join(PRODUCT_MAPS, 'x12-850-order', 'example.edi'));
    expect(map.expectedPath).toBe(join(PRODUCT_MAPS, 'x12-850-order', 'expected.json'));
    expect(map.lookups).toHaveProperty('dateNames');
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.has('x12-850-order')).toBe(true);
  });

  it('lets an earlier folder override a later folder by map name', async () => {
    const home = join(root, 'override', 'home');
    const product = join(root, 'override', 'product');
    writeMap(home, 'shared', { 'map.jsonata': '{ "purchaseOrderNumber": "from-home", "orderDate": "2024-01-01", "lines": [{"position": 1}] }' });
    writeMap(product, 'shared', { 'map.jsonata': '{ "purchaseOrderNumber": "from-product" }' });
    writeMap(product, 'only-product');
    const registry = await loadMaps([home, product]);
    expect(registry.names()).toEqual(['only-product', 'shared']);
    expect(registry.require('shared').dir).toBe(join(home, 'shared'));
    expect(await applyMap(registry.require('shared'), {})).toMatchObject({ purchaseOrderNumber: 'from-home' });
    expect(registry.overridden()).toEqual([{ name: 'shared', dir: join(product, 'shared'), by: join(home, 'shared') }]);
  });

  it('does not read an overridden map (a broken product map hidden by the home map is no problem)', async () => {
    const home = join(root, 'hidden', 'home');
    const product = join(root, 'hidden', 'product');
    writeMap(home, 'm');
    writeMap(product, 'm', { 'map.jsonata': '{ "a": ' });
    await expect(loadMaps([home, product])).resolves.toBeDefined();
  });

  it('reports every problem of every map at once (two broken maps, two problems)', async () => {
    const dir = join(root, 'two-broken');
    writeMap(dir, 'good');
    writeMap(dir, 'bad-type', { 'map.yaml': yamlOf('bad-type').replace('messageType: order', 'messageType: ordr') });
    writeMap(dir, 'no-expected', { 'expected.json': null });
    const problems = await problemsOf([dir]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(`${join(dir, 'bad-type', 'map.yaml')}: field "messageType" "ordr" is not a canonical message type (known: ${canonicalTypeNames().join(', ')})`);
    expect(problems[1]).toBe(`${join(dir, 'no-expected', 'expected.json')}: missing (the expected canonical output of the example)`);
  });

  it('reports a JSONata syntax error with the file name, line and column', async () => {
    const dir = join(root, 'syntax');
    writeMap(dir, 'broken', { 'map.jsonata': '(\n  $a := 1;\n  { "x": $a +  }\n)' });
    const problems = await problemsOf([dir]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${join(dir, 'broken', 'map.jsonata').replace(/[.]/g, '\\.')}:3:\\d+: JSONata syntax error S0\\d+: `));
  });

  it('checks map.yaml field by field', async () => {
    const dir = join(root, 'manifest');
    writeMap(dir, 'm1', { 'map.yaml': 'name: other\ndescription: x\nstandard: X13\ndocumentType: "850"\nmessageType: order\ncolour: red\n' });
    writeMap(dir, 'm2', { 'map.yaml': 'name: m2\nstandard: X12\n' });
    writeMap(dir, 'm3', { 'map.yaml': '- just\n- a list\n' });
    writeMap(dir, 'm4', { 'map.yaml': yamlOf('m4', 'lookups:\n  string: { a: b }\n  bad-name: { a: b }\n  ok: { "001": x }\n') });
    writeMap(dir, 'm5', { 'map.yaml': 'name: [unclosed\n' });
    writeMap(dir, 'm6', { 'example.edi': null, 'map.jsonata': null, 'expected.json': '{ nope' });
    const problems = await problemsOf([dir]);
    const at = (m: string) => join(dir, m, 'map.yaml');
    expect(problems).toEqual([
      `${at('m1')}: unknown field "colour" (known: name, description, standard, documentType, messageType, example, expected, lookups, csv)`,
      `${at('m1')}: field "name" is "other" but the folder is "m1" (they must be equal)`,
      `${at('m1')}: field "standard" must be one of X12, EDIFACT, CSV: "X13"`,
      `${at('m2')}: field "description" is required`,
      `${at('m2')}: field "documentType" is required`,
      `${at('m2')}: field "messageType" is required`,
      `${at('m3')}: must be a mapping of fields (name, description, standard, documentType, messageType)`,
      `${at('m4')}: field "lookups.string": $string is a function name; choose another table name`,
      `${at('m4')}: field "lookups.bad-name": a table name must be letters, digits and "_" (it is used as $bad-name)`,
      expect.stringMatching(new RegExp(`^${at('m5').replace(/[.]/g, '\\.')}: cannot be parsed: `)),
      `${join(dir, 'm6')}: no example input (a file named example.<ext>, or field "example" in map.yaml)`,
      expect.stringMatching(new RegExp(`^${join(dir, 'm6', 'expected.json').replace(/[.]/g, '\\.')}: is not valid JSON: `)),
      `${join(dir, 'm6', 'map.jsonata')}: missing (the JSONata expression of the map)`,
    ]);
  });

  it('reads every map.yaml scalar as text: lookup codes keep their leading zeros', async () => {
    const dir = join(root, 'lookups');
    writeMap(dir, 'codes', {
      'map.yaml': yamlOf('codes', 'lookups:\n  names:\n    001: cancelAfter\n    002: requestedDeliveryDate\n'),
      'map.jsonata': '{ "a": $lookup($names, "001"), "b": $names."002" }',
    });
    const map = (await loadMaps([dir])).require('codes');
    expect(await applyMap(map, {})).toEqual({ a: 'cancelAfter', b: 'requestedDeliveryDate' });
  });

  it('require() throws EDIGATE_MAP_NOT_FOUND for an unknown name', async () => {
    const registry = await loadMaps([PRODUCT_MAPS]);
    expect(() => registry.require('missing-map')).toThrow(expect.objectContaining({ code: 'EDIGATE_MAP_NOT_FOUND' }));
  });
});

describe('applyMap and mapAndValidate', () => {
  it('passes bindings and returns plain JSON objects', async () => {
    const dir = join(root, 'apply');
    writeMap(dir, 'b', { 'map.jsonata': '{ "purchaseOrderNumber": $prefix & BEG.BEG03, "orderDate": $isoDate(BEG.BEG05), "lines": [{ "position": 1 }] }' });
    const map = (await loadMaps([dir])).require('b');
    const payload = await applyMap(map, { BEG: [{ BEG03: '42', BEG05: '20240105' }] }, { prefix: 'PO-' });
    expect(payload).toEqual({ purchaseOrderNumber: 'PO-42', orderDate: '2024-01-05', lines: [{ position: 1 }] });
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(await mapAndValidate(map, { BEG: [{ BEG03: '42', BEG05: '20240105' }] }, { prefix: '' })).toEqual({
      payload: { purchaseOrderNumber: '42', orderDate: '2024-01-05', lines: [{ position: 1 }] },
      errors: [],
    });
    expect((await mapAndValidate(map, { BEG: [{ BEG05: '20241305' }] }, { prefix: '' })).errors).toEqual([
      '/purchaseOrderNumber must NOT have fewer than 1 characters',
      '/orderDate must match format "date"',
    ]);
  });

  it('throws EDIGATE_MAP_FAILED with the JSONata message and its line:column', async () => {
    const dir = join(root, 'fail');
    writeMap(dir, 'f', { 'map.jsonata': '(\n  $x := BEG.BEG03;\n  { "n": $number($x) }\n)' });
    writeMap(dir, 'not-object', { 'map.jsonata': 'BEG.BEG03' });
    const registry = await loadMaps([dir]);
    const err = await applyMap(registry.require('f'), { BEG: [{ BEG03: 'ABC' }] }).catch((e: unknown) => e);
    expect(isGatewayError(err, 'EDIGATE_MAP_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/^Map evaluation failed: map "f": Unable to cast value to a number: "ABC" \(D3030\) at map\.jsonata:3:\d+$/);
    expect((err as GatewayError).details).toMatchObject({ map: 'f', code: 'D3030' });
    const err2 = await applyMap(registry.require('not-object'), { BEG: [{ BEG03: 'X' }] }).catch((e: unknown) => e);
    expect((err2 as Error).message).toBe('Map evaluation failed: map "not-object" produced a string instead of an object');
  });

  it('stops a runaway map with the JSONata guardrails', async () => {
    const dir = join(root, 'runaway');
    writeMap(dir, 'loop', { 'map.jsonata': '( $f := function($n) { $n > 1e9 ? $n : $f($n + 1) + 0 }; { "x": $f(0) } )' });
    const registry = await loadMaps([dir], { timeoutMs: 200, maxDepth: 500 });
    const err = await applyMap(registry.require('loop'), {}).catch((e: unknown) => e);
    expect(isGatewayError(err, 'EDIGATE_MAP_FAILED')).toBe(true);
    expect((err as GatewayError).details).toMatchObject({ code: expect.stringMatching(/^D101[12]$/) });
  });
});

/**
 * `edigate maps test`: every map's example is mapped, validated against the canonical schema and
 * compared with the expected output kept beside it. Format-neutral: the caller supplies the parser
 * that turns an example file into map inputs (src/mapping/example-inputs.ts has the standard one).
 */
import { promises as fsp } from 'node:fs';
import { isGatewayError } from '../errors.js';
import { mapAndValidate, type LoadedMap, type MapRegistry } from './maps.js';

/** Outcome of one map's example. */
export interface MapExampleResult {
  name: string;
  ok: boolean;
  /** Every problem found; [] when ok. Differences name their JSON pointer. */
  problems: string[];
}

/** At most this many differences are listed per document (the rest are counted). */
const MAX_DIFFERENCES = 50;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Differences between two JSON values, as "<pointer>: expected X, got Y", "<pointer>: missing (expected X)"
 * and "<pointer>: unexpected Y". Arrays are compared by position, objects by key (order ignored).
 */
export function diffJson(expected: unknown, actual: unknown, path = '', out: string[] = []): string[] {
  const at = path || '/';
  if (Object.is(expected, actual)) return out;
  const ke = kind(expected);
  const ka = kind(actual);
  if (ke !== ka) {
    out.push(`${at}: expected ${show(expected)}, got ${show(actual)}`);
    return out;
  }
  if (ke === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    const n = Math.max(e.length, a.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}/${i}`;
      if (i >= a.length) out.push(`${p}: missing (expected ${show(e[i])})`);
      else if (i >= e.length) out.push(`${p}: unexpected ${show(a[i])}`);
      else diffJson(e[i], a[i], p, out);
    }
    return out;
  }
  if (ke === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      const p = `${path}/${escapePointer(k)}`;
      if (!Object.prototype.hasOwnProperty.call(a, k) || a[k] === undefined) out.push(`${p}: missing (expected ${show(e[k])})`);
      else diffJson(e[k], a[k], p, out);
    }
    for (const k of Object.keys(a)) {
      if (a[k] !== undefined && !Object.prototype.hasOwnProperty.call(e, k)) out.push(`${path}/${escapePointer(k)}: unexpected ${show(a[k])}`);
    }
    return out;
  }
  out.push(`${at}: expected ${show(expected)}, got ${show(actual)}`);
  return out;
}

async function runOne(map: LoadedMap, parseExample: (map: LoadedMap) => Promise<Array<Record<string, unknown>>>): Promise<string[]> {
  const problems: string[] = [];
  let inputs: Array<Record<string, unknown>>;
  try {
    inputs = await parseExample(map);
  } catch (err) {
    return [`example ${map.examplePath} cannot be read: ${(err as Error).message}`];
  }
  let expected: unknown;
  try {
    expected = JSON.parse(await fsp.readFile(map.expectedPath, 'utf8'));
  } catch (err) {
    return [`expected output ${map.expectedPath} cannot be read: ${(err as Error).message}`];
  }
  const expectedList = Array.isArray(expected) ? expected : [expected];
  if (inputs.length === 0) return [`example ${map.examplePath} holds no ${map.documentType} document`];
  if (inputs.length !== expectedList.length) {
    problems.push(`example holds ${inputs.length} ${map.documentType} document(s) but ${map.expectedPath} holds ${expectedList.length} (use an array, one per document, in file order)`);
  }
  const n = Math.min(inputs.length, expectedList.length);
  for (let i = 0; i < n; i++) {
    const label = n > 1 || inputs.length > 1 ? `document ${i + 1}: ` : '';
    try {
      const { payload, errors } = await mapAndValidate(map, inputs[i]);
      for (const e of errors) problems.push(`${label}schema: ${e}`);
      const diffs = diffJson(expectedList[i], payload);
      for (const d of diffs.slice(0, MAX_DIFFERENCES)) problems.push(`${label}${d}`);
      if (diffs.length > MAX_DIFFERENCES) problems.push(`${label}... and ${diffs.length - MAX_DIFFERENCES} more difference(s)`);
    } catch (err) {
      problems.push(`${label}${isGatewayError(err) ? err.message : `map failed: ${(err as Error).message}`}`);
    }
  }
  return problems;
}

/**
 * Runs the example of every map of `registry` (sorted by name): `parseExample(map)` turns the map's
 * example file into map inputs (one per document, e.g. per X12 transaction set of map.documentType);
 * each is mapped, validated against the map's canonical schema and compared with expected.json
 * (an object for one document, an array for several).
 * @returns one result per map; never throws for a broken map or example (problems say what is wrong:
 *   unreadable example, document count, map failure, schema problems, differing JSON pointers).
 */
export async function runMapExamples(
  registry: MapRegistry,
  parseExample: (map: LoadedMap) => Promise<Array<Record<string, unknown>>>,
): Promise<MapExampleResult[]> {
  const results: MapExampleResult[] = [];
  for (const map of registry.list()) {
    const problems = await runOne(map, parseExample);
    results.push({ name: map.name, ok: problems.length === 0, problems });
  }
  return results;
}

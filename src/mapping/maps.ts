/**
 * Maps: JSONata expressions that turn one parsed document (e.g. the X12 map input of one transaction
 * set) into the payload of a canonical message, each kept with an example input and its expected
 * output so a partner manager can test a map without code (`edigate maps test`).
 *
 * A map is a folder `maps/<name>/`:
 *   map.yaml       name (= folder name), description, standard (X12 | EDIFACT | CSV), documentType ("850"),
 *                  messageType (a canonical type, e.g. order), optional example / expected file names
 *                  (default: the one file named example.*, and expected.json), optional lookups
 *                  (code lists bound as $<name>)
 *   map.jsonata    the expression; it may call the standard functions of src/mapping/functions.ts
 *   example.*      a real input document
 *   expected.json  the canonical payload the example must produce (an array: one per transaction set)
 * Every scalar in map.yaml is read as text (YAML failsafe schema), so codes such as 00 or 001 keep
 * their leading zeros.
 */
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { parse as parseYaml } from 'yaml';
import { GatewayError } from '../errors.js';
import { CANONICAL_TYPES, canonicalTypeNames, isCanonicalType, validateCanonical } from '../canonical/index.js';
import { MAP_FUNCTIONS } from './functions.js';
import { readCsvSettings, type CsvSettings } from '../formats/csv/settings.js';

/** Standards a map can read. */
export type MapStandard = 'X12' | 'EDIFACT' | 'CSV';
const STANDARDS: readonly MapStandard[] = ['X12', 'EDIFACT', 'CSV'];
const MANIFEST_FIELDS = ['name', 'description', 'standard', 'documentType', 'messageType', 'example', 'expected', 'lookups', 'csv'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A loaded, compiled map. */
export interface LoadedMap {
  name: string;
  description: string;
  standard: MapStandard;
  /** Document type the map reads, e.g. "850" (X12 ST01) or "ORDERS". */
  documentType: string;
  /** Canonical message type it produces, e.g. "order". */
  messageType: string;
  /** Schema version of the canonical type, written into each CanonicalMessage. */
  schemaVersion: number;
  /** The map's folder. */
  dir: string;
  /** Path of map.jsonata. */
  expressionPath: string;
  /** Path of the example input. */
  examplePath: string;
  /** Path of the expected canonical output. */
  expectedPath: string;
  /** Lookup tables bound as $<name> in the expression. */
  lookups: Readonly<Record<string, unknown>>;
  /** The compiled expression (compiled once, when the map is loaded). */
  readonly expression: jsonata.Expression;
  /** CSV maps: how the partner's file is read and grouped (map.yaml `csv`, src/formats/csv/settings.ts). */
  csv?: CsvSettings;
}

/** The maps found by loadMaps, by name. */
export interface MapRegistry {
  /** The map called `name`, or undefined. */
  get(name: string): LoadedMap | undefined;
  /**
   * The map called `name`.
   * @throws GatewayError EDIGATE_MAP_NOT_FOUND when there is none.
   */
  require(name: string): LoadedMap;
  has(name: string): boolean;
  /** Every map, sorted by name. */
  list(): LoadedMap[];
  /** Names of the maps. */
  names(): string[];
  /** Maps of a later folder hidden by a map of the same name in an earlier folder. */
  overridden(): Array<{ name: string; dir: string; by: string }>;
}

/** Options of loadMaps. */
export interface LoadMapsOptions {
  /** Longest time one evaluation may run, in milliseconds (JSONata guardrail); default 10000, 0 for none. */
  timeoutMs?: number;
  /** Deepest evaluation nesting allowed (JSONata guardrail against runaway recursion); default 2000. */
  maxDepth?: number;
}

/** Line and column (1-based) of character offset `pos` in `text`. */
function lineCol(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  const end = Math.min(Math.max(pos - 1, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

interface JsonataErrorLike {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names the expression cannot use for lookups: JSONata's own functions and the standard functions. */
async function reservedName(name: string): Promise<boolean> {
  if (Object.prototype.hasOwnProperty.call(MAP_FUNCTIONS, name)) return true;
  try {
    return (await jsonata('$' + name).evaluate({})) !== undefined;
  } catch {
    return false;
  }
}

/** Reads and checks one map folder; pushes problems, returns the map when it has none. */
async function loadOne(dir: string, folder: string, problems: string[], options: Required<LoadMapsOptions>): Promise<LoadedMap | undefined> {
  const mapDir = join(dir, folder);
  const manifestPath = join(mapDir, 'map.yaml');
  const expressionPath = join(mapDir, 'map.jsonata');
  const before = problems.length;
  const problem = (file: string, what: string): void => {
    problems.push(`${file}: ${what}`);
  };

  // map.yaml
  let manifest: Record<string, unknown> = {};
  if (!existsSync(manifestPath)) {
    problem(manifestPath, 'missing (every map folder needs map.yaml)');
  } else {
    try {
      const raw: unknown = parseYaml(await fsp.readFile(manifestPath, 'utf8'), { schema: 'failsafe' });
      if (!isPlainObject(raw)) problem(manifestPath, 'must be a mapping of fields (name, description, standard, documentType, messageType)');
      else manifest = raw;
    } catch (err) {
      problem(manifestPath, `cannot be parsed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const text = (field: string, required: boolean): string | undefined => {
    const v = manifest[field];
    if (v === undefined || v === null || v === '') {
      if (required) problem(manifestPath, `field "${field}" is required`);
      return undefined;
    }
    if (typeof v !== 'string') {
      problem(manifestPath, `field "${field}" must be text`);
      return undefined;
    }
    return v;
  };
  let name: string | undefined;
  let description: string | undefined;
  let standard: MapStandard | undefined;
  let documentType: string | undefined;
  let messageType: string | undefined;
  let lookups: Record<string, unknown> = {};
  let examplePath = '';
  let expectedPath = join(mapDir, 'expected.json');
  if (existsSync(manifestPath) && problems.length === before) {
    for (const k of Object.keys(manifest)) {
      if (!MANIFEST_FIELDS.includes(k)) problem(manifestPath, `unknown field "${k}" (known: ${MANIFEST_FIELDS.join(', ')})`);
    }
    name = text('name', true);
    if (name !== undefined && !NAME.test(name)) problem(manifestPath, `field "name" must be letters, digits, ".", "_" or "-": "${name}"`);
    else if (name !== undefined && name !== folder) problem(manifestPath, `field "name" is "${name}" but the folder is "${folder}" (they must be equal)`);
    description = text('description', true);
    const std = text('standard', true);
    if (std !== undefined) {
      if ((STANDARDS as readonly string[]).includes(std)) standard = std as MapStandard;
      else problem(manifestPath, `field "standard" must be one of ${STANDARDS.join(', ')}: "${std}"`);
    }
    documentType = text('documentType', true);
    messageType = text('messageType', true);
    if (messageType !== undefined && !isCanonicalType(messageType)) {
      problem(manifestPath, `field "messageType" "${messageType}" is not a canonical message type (known: ${canonicalTypeNames().join(', ')})`);
    }
    const example = text('example', false);
    const expected = text('expected', false);
    if (expected !== undefined) expectedPath = join(mapDir, expected);
    if (example !== undefined) {
      examplePath = join(mapDir, example);
      if (!existsSync(examplePath)) problem(manifestPath, `field "example": file ${examplePath} does not exist`);
    }
    const lk = manifest.lookups;
    if (lk !== undefined) {
      if (!isPlainObject(lk)) problem(manifestPath, 'field "lookups" must be a mapping of table names to tables');
      else {
        for (const [k, v] of Object.entries(lk)) {
          if (!VARIABLE.test(k)) problem(manifestPath, `field "lookups.${k}": a table name must be letters, digits and "_" (it is used as $${k})`);
          else if (await reservedName(k)) problem(manifestPath, `field "lookups.${k}": $${k} is a function name; choose another table name`);
          else if (typeof v !== 'object' || v === null) problem(manifestPath, `field "lookups.${k}" must be a mapping or a list`);
        }
        lookups = lk;
      }
    }
  }

  // example and expected output
  if (!examplePath) {
    const candidates = existsSync(mapDir) ? (await fsp.readdir(mapDir)).filter((f) => /^example\./.test(f)) : [];
    if (candidates.length === 1) examplePath = join(mapDir, candidates[0]!);
    else if (candidates.length === 0) problem(mapDir, 'no example input (a file named example.<ext>, or field "example" in map.yaml)');
    else problem(mapDir, `several example files (${candidates.join(', ')}): name one with field "example" in map.yaml`);
  }
  if (!existsSync(expectedPath)) problem(expectedPath, 'missing (the expected canonical output of the example)');
  else {
    try {
      JSON.parse(await fsp.readFile(expectedPath, 'utf8'));
    } catch (err) {
      problem(expectedPath, `is not valid JSON: ${(err as Error).message}`);
    }
  }

  // map.jsonata, compiled once
  let expression: jsonata.Expression | undefined;
  if (!existsSync(expressionPath)) problem(expressionPath, 'missing (the JSONata expression of the map)');
  else {
    const source = await fsp.readFile(expressionPath, 'utf8');
    try {
      expression = jsonata(source, {
        ...(options.timeoutMs > 0 ? { timeout: options.timeoutMs } : {}),
        ...(options.maxDepth > 0 ? { stack: options.maxDepth } : {}),
      });
    } catch (err) {
      const e = err as JsonataErrorLike;
      const at = typeof e.position === 'number' ? `:${lineCol(source, e.position)}` : '';
      problems.push(`${expressionPath}${at}: JSONata syntax error ${e.code ?? ''}: ${e.message ?? String(err)}`.replace(/ {2}/g, ' '));
    }
  }

  let csv: CsvSettings | undefined;
  if (standard === 'CSV') {
    const r = readCsvSettings(manifest.csv);
    for (const p of r.problems) problem(manifestPath, p);
    csv = r.settings;
  } else if (manifest.csv !== undefined) problem(manifestPath, 'field "csv" is only for maps with standard CSV');
  if (problems.length > before || !expression || !name || !description || !standard || !documentType || !messageType) return undefined;
  for (const [fname, impl] of Object.entries(MAP_FUNCTIONS)) expression.registerFunction(fname, impl);
  for (const [k, v] of Object.entries(lookups)) expression.assign(k, v);
  return {
    name,
    description,
    standard,
    documentType,
    messageType,
    schemaVersion: CANONICAL_TYPES[messageType]!.schemaVersion,
    dir: mapDir,
    expressionPath,
    examplePath,
    expectedPath,
    lookups,
    expression,
    ...(csv ? { csv } : {}),
  };
}

/**
 * Loads every map folder (a sub-folder holding map.yaml) of `dirs`, searched in order: a map of an
 * earlier folder overrides a later folder's map of the same name (the home's own maps/ first, the
 * product's maps/ last); overridden maps are not read. Folders that do not exist are skipped, as are
 * entries starting with "." or "_". Each expression is compiled once, here, with the standard map
 * functions registered and the map's lookups bound.
 * @throws GatewayError EDIGATE_MAP_INVALID when any map has a problem: `details.problems` lists every
 *   problem of every map (each naming its file and field, JSONata syntax errors with line:column).
 */
export async function loadMaps(dirs: readonly string[], options: LoadMapsOptions = {}): Promise<MapRegistry> {
  const opts: Required<LoadMapsOptions> = { timeoutMs: options.timeoutMs ?? 10_000, maxDepth: options.maxDepth ?? 2000 };
  const problems: string[] = [];
  const maps = new Map<string, LoadedMap>();
  const from = new Map<string, string>();
  const hidden: Array<{ name: string; dir: string; by: string }> = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    const entries = (await fsp.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
      .map((e) => e.name)
      .sort();
    for (const folder of entries) {
      const earlier = from.get(folder);
      if (earlier !== undefined) {
        hidden.push({ name: folder, dir: join(dir, folder), by: join(earlier, folder) });
        continue;
      }
      from.set(folder, dir);
      const map = await loadOne(dir, folder, problems, opts);
      if (map) maps.set(map.name, map);
    }
  }
  if (problems.length) {
    throw new GatewayError('EDIGATE_MAP_INVALID', `${problems.length} problem(s): ${problems.join('; ')}`, { details: { problems } });
  }
  const sorted = [...maps.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    get: (name) => maps.get(name),
    require(name) {
      const m = maps.get(name);
      if (!m) throw new GatewayError('EDIGATE_MAP_NOT_FOUND', `"${name}" (loaded: ${[...maps.keys()].sort().join(', ') || 'none'})`);
      return m;
    },
    has: (name) => maps.has(name),
    list: () => [...sorted],
    names: () => sorted.map((m) => m.name),
    overridden: () => [...hidden],
  };
}

/**
 * Evaluates `map` on one input (e.g. buildX12MapInput of one transaction set). `bindings` are extra
 * JSONata variables for this evaluation (e.g. { partnerId: "acme" } read as $partnerId).
 * @returns the canonical payload (a JSON object; not validated, see mapAndValidate).
 * @throws GatewayError EDIGATE_MAP_FAILED with the JSONata message, code and position (line:column of
 *   map.jsonata) when the expression fails or does not produce an object.
 */
export async function applyMap(map: LoadedMap, input: unknown, bindings?: Record<string, unknown>): Promise<Record<string, unknown>> {
  let result: unknown;
  try {
    result = await map.expression.evaluate(input, bindings);
  } catch (err) {
    const e = err as JsonataErrorLike;
    let at = '';
    if (typeof e.position === 'number') {
      try {
        at = ` at map.jsonata:${lineCol(await fsp.readFile(map.expressionPath, 'utf8'), e.position)}`;
      } catch {
        at = ` at position ${e.position}`;
      }
    }
    throw new GatewayError('EDIGATE_MAP_FAILED', `map "${map.name}": ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}${at}`, {
      cause: err,
      details: { map: map.name, code: e.code, position: e.position, token: e.token },
    });
  }
  // plain JSON data: JSONata builds prototype-less objects and flags its arrays
  if (isPlainObject(result)) result = JSON.parse(JSON.stringify(result)) as unknown;
  if (!isPlainObject(result)) {
    throw new GatewayError('EDIGATE_MAP_FAILED', `map "${map.name}" produced ${result === undefined ? 'nothing' : Array.isArray(result) ? 'an array' : `a ${typeof result}`} instead of an object`, {
      details: { map: map.name },
    });
  }
  return result;
}

/**
 * applyMap, then validation of the result against the JSON Schema of the map's canonical type.
 * @returns the payload and the schema problems ("<JSON pointer> <message>"; [] when valid).
 * @throws GatewayError EDIGATE_MAP_FAILED as applyMap does.
 */
export async function mapAndValidate(map: LoadedMap, input: unknown, bindings?: Record<string, unknown>): Promise<{ payload: Record<string, unknown>; errors: string[] }> {
  const payload = await applyMap(map, input, bindings);
  return { payload, errors: validateCanonical(map.messageType, payload) };
}

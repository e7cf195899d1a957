/**
 * One benchmark stage, run in a child process of bench/run.ts so that its peak RSS is its own:
 *
 *   node --import tsx bench/stages.ts <stage> '<json params>'
 *
 * The result goes back to the parent over the IPC channel (or to stdout when there is none), with
 * `process.resourceUsage().maxRSS` read at the very end. Stages:
 *   baseline   the modules of the gateway loaded, nothing done (RSS floor of a stage)
 *   tokenizer  X12Tokenizer over the file in 64 KiB chunks, counting segments
 *   reader     X12Reader (tokenizer + envelope and element validation), counting sets
 *   x12parser  the x12-parser package (Transform stream, object mode) over the same file, counting segments
 *   mapping    JSONata maps per second on the sets of a slice of the file: input building, evaluate,
 *              JSON clone and schema validation timed separately, then mapAndValidate end to end; then
 *              the expression without its guardrails, and the same payloads from bench/map-ceiling.ts
 *   path       createGateway on a temp home, then pipeline.ingest() of the file: archive, parse, validate,
 *              997, map, enqueue, with the memory sampled during the ingest; with `deliverUrl`, deliveries
 *              to that HTTP receiver until all are delivered
 *
 * BENCH_SRC=<folder> runs the path stage on a copy of src/ (a change measured before it is made).
 */
import { CHUNK, forEachChunk } from './chunks.js';
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { stringify as stringifyYaml } from 'yaml';

import { edifactParser, edifactPath, edifactTokenizer } from './edifact.js';
import { as2Receive } from './as2.js';
import { scorecardsBench } from './scorecards.js';

const ROOT = join(import.meta.dirname, '..');

/**
 * A module of the gateway for the path stage: from src/, or from the copy of the sources named by
 * BENCH_SRC (a modified tree, to measure a change before making it; its parent folder must hold maps/).
 */
async function fromSrc<T>(module: string): Promise<T> {
  const dir = process.env.BENCH_SRC ? resolvePath(process.env.BENCH_SRC) : join(ROOT, 'src');
  return (await import(pathToFileURL(join(dir, module)).href)) as T;
}

export interface StageParams {
  file: string;
  /** Expected counts from the generator. */
  sets?: number;
  groups?: number;
  /** mapping: bytes of the file whose whole interchanges are mapped. */
  sliceBytes?: number;
  /** path: URL of the HTTP receiver; deliveries are then run and awaited. */
  deliverUrl?: string;
  /** path: concurrency of the erp destination (default: the product default). */
  concurrency?: number;
  /** path: keep the temp home (for inspection). */
  keepHome?: boolean;
  /**
   * path (diagnostic): the home gets its own x12-850-order map that only copies BEG03 and one line, so the
   * run shows what the path costs apart from the standard map's JSONata.
   */
  trivialMap?: boolean;
  /** path: mapping.workers of the gateway (worker threads running the maps), when the product has the setting. */
  mapWorkers?: number;
  /** path (experiments): SQLite pragmas set on the gateway's connection after start, e.g. "cache_size = -65536". */
  pragmas?: string[];
}

export type StageResult = Record<string, unknown> & { stage: string; maxRssMB: number; ok: boolean; problems: string[] };

const mb = (bytes: number) => bytes / 1e6;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
/** Monotonic clock in µs, the clock of V8 CPU profile timestamps. */
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function baseline(): Promise<Record<string, unknown>> {
  await import('../src/app.js');
  await import('../src/config.js');
  await import('x12-parser');
  return {};
}

async function tokenizer(p: StageParams): Promise<Record<string, unknown>> {
  const { X12Tokenizer } = await import('../src/formats/x12/tokenizer.js');
  let segments = 0;
  let isas = 0;
  let problems = 0;
  const tok = new X12Tokenizer({
    onIsa: () => { isas++; segments++; },
    onSegment: () => { segments++; },
    onProblem: () => { problems++; },
  });
  const t0 = performance.now();
  const bytes = forEachChunk(p.file, (c) => tok.push(c));
  tok.end();
  const s = (performance.now() - t0) / 1000;
  return { bytes, seconds: s, mbPerSec: mb(bytes) / s, segments, segmentsPerSec: segments / s, interchanges: isas, tokenizerProblems: problems, setsPerSec: p.sets ? p.sets / s : undefined };
}

async function reader(p: StageParams): Promise<Record<string, unknown>> {
  const { X12Reader } = await import('../src/formats/x12/reader.js');
  let sets = 0;
  let rejectedSets = 0;
  let groups = 0;
  let findings = 0;
  const r = new X12Reader({
    onTransactionSet: (s) => { sets++; if (s.ackCode === 'R') rejectedSets++; findings += s.findings.length; },
    onGroupEnd: () => { groups++; },
    onFileFinding: () => { findings++; },
  });
  const t0 = performance.now();
  const bytes = forEachChunk(p.file, (c) => r.push(c));
  r.end();
  const s = (performance.now() - t0) / 1000;
  return { bytes, seconds: s, mbPerSec: mb(bytes) / s, sets, setsPerSec: sets / s, groups, rejectedSets, findings };
}

async function x12parser(p: StageParams): Promise<Record<string, unknown>> {
  const { X12parser } = await import('x12-parser');
  const parser = new X12parser('latin1');
  let segments = 0;
  parser.on('data', () => { segments++; });
  const t0 = performance.now();
  await pipeline(createReadStream(p.file, { highWaterMark: CHUNK }), parser);
  const s = (performance.now() - t0) / 1000;
  const bytes = statSync(p.file).size;
  return { bytes, seconds: s, mbPerSec: mb(bytes) / s, segments, segmentsPerSec: segments / s, setsPerSec: p.sets ? p.sets / s : undefined };
}

/** The first whole interchanges of the file within about `bytes` (cut after the last IEA; at least one interchange). */
function sliceOfFile(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    for (let want = Math.min(bytes, size); ; want = Math.min(want * 2, size)) {
      const buf = Buffer.alloc(want);
      const n = readSync(fd, buf, 0, want, 0);
      const text = buf.subarray(0, n);
      const iea = text.lastIndexOf('IEA*');
      const end = iea < 0 ? -1 : text.indexOf('~', iea);
      if (end >= 0) return text.subarray(0, end + 1);
      if (want >= size) throw new Error(`no whole interchange in ${file}`);
    }
  } finally {
    closeSync(fd);
  }
}

async function mapping(p: StageParams): Promise<Record<string, unknown>> {
  const { parseX12Buffer } = await import('../src/formats/x12/parse.js');
  const { buildX12MapInput } = await import('../src/mapping/x12-input.js');
  const { loadMaps, mapAndValidate } = await import('../src/mapping/maps.js');
  const { validateCanonical } = await import('../src/canonical/index.js');

  const registry = await loadMaps([join(ROOT, 'maps')]);
  const map = registry.require('x12-850-order');
  const slice = sliceOfFile(p.file, p.sliceBytes ?? 8e6);
  const sets = parseX12Buffer(slice).sets.filter((s) => s.setId === '850' && s.ackCode !== 'R');
  const sourceOf = (s: (typeof sets)[number]) => ({
    setId: s.setId, controlNumber: s.controlNumber, version: s.group.version, segments: s.segments, delimiters: s.interchange.delimiters,
  });

  // Warm-up (JIT, ajv compile, JSONata caches): not counted.
  for (const s of sets.slice(0, 300)) await mapAndValidate(map, buildX12MapInput(sourceOf(s)));

  // Pass 1: each step timed on its own.
  let build = 0;
  let evaluate = 0;
  let clone = 0;
  let validate = 0;
  let invalid = 0;
  let payloadBytes = 0;
  const jsonataPayloads: unknown[] = [];
  for (const s of sets) {
    const t0 = performance.now();
    const input = buildX12MapInput(sourceOf(s));
    const t1 = performance.now();
    const raw: unknown = await map.expression.evaluate(input);
    const t2 = performance.now();
    const json = JSON.stringify(raw);
    const payload = JSON.parse(json) as Record<string, unknown>; // what applyMap does to JSONata's result
    const t3 = performance.now();
    const errors = validateCanonical(map.messageType, payload);
    const t4 = performance.now();
    build += t1 - t0;
    evaluate += t2 - t1;
    clone += t3 - t2;
    validate += t4 - t3;
    payloadBytes += json.length;
    jsonataPayloads.push(payload);
    if (errors.length) invalid++;
  }
  const n = sets.length;
  const stepped = (build + evaluate + clone + validate) / 1000;

  // Pass 2: the pipeline's calls, end to end.
  let errorsEndToEnd = 0;
  const t0 = performance.now();
  for (const s of sets) {
    const { errors } = await mapAndValidate(map, buildX12MapInput(sourceOf(s)));
    if (errors.length) errorsEndToEnd++;
  }
  const endToEnd = (performance.now() - t0) / 1000;

  // Pass 3 (diagnostic): the same expression loaded without JSONata's guardrails (timeout, depth), which
  // run a callback at every evaluation step.
  const bare = (await loadMaps([join(ROOT, 'maps')], { timeoutMs: 0, maxDepth: 0 })).require('x12-850-order');
  for (const s of sets.slice(0, 300)) await bare.expression.evaluate(buildX12MapInput(sourceOf(s)));
  const inputs = sets.map((s) => buildX12MapInput(sourceOf(s)));
  let evaluateBare = 0;
  for (const input of inputs) {
    const e0 = performance.now();
    await bare.expression.evaluate(input);
    evaluateBare += performance.now() - e0;
  }
  // Pass 4 (diagnostic): the same payloads from plain TypeScript (bench/map-ceiling.ts), straight from the
  // segments: the cost of a map that is code, checked equal to the JSONata map's output on every set.
  const { map850 } = await import('./map-ceiling.js');
  let differ = 0;
  sets.forEach((s, i) => { if (!isDeepStrictEqual(map850(s.segments), jsonataPayloads[i])) differ++; });
  for (const s of sets.slice(0, 300)) map850(s.segments);
  let native = 0;
  let nativeValidate = 0;
  for (const s of sets) {
    const n0 = performance.now();
    const payload = map850(s.segments);
    const n1 = performance.now();
    validateCanonical(map.messageType, payload);
    nativeValidate += performance.now() - n1;
    native += n1 - n0;
  }
  const problems: string[] = [];
  if (differ) problems.push(`the TypeScript map differs from the JSONata map on ${differ} of ${n} sets`);
  if (invalid || errorsEndToEnd) problems.push(`${invalid + errorsEndToEnd} payloads failed schema validation`);
  return {
    sets: n,
    sliceBytes: slice.length,
    seconds: endToEnd,
    mapsPerSec: n / endToEnd,
    mbPerSecEquivalent: mb(slice.length) / endToEnd,
    perSetMicros: {
      inputBuilding: (build / n) * 1000,
      jsonataEvaluate: (evaluate / n) * 1000,
      jsonClone: (clone / n) * 1000,
      schemaValidation: (validate / n) * 1000,
      total: (stepped / n) * 1e6,
    },
    share: {
      inputBuilding: build / 1000 / stepped,
      jsonataEvaluate: evaluate / 1000 / stepped,
      jsonClone: clone / 1000 / stepped,
      schemaValidation: validate / 1000 / stepped,
    },
    steppedMapsPerSec: n / stepped,
    jsonataEvaluateWithoutGuardrailsMicros: (evaluateBare / n) * 1000,
    typescriptMapMicros: (native / n) * 1000,
    typescriptMapPlusValidationMicros: ((native + nativeValidate) / n) * 1000,
    typescriptMapSameOutput: n - differ,
    avgPayloadBytes: payloadBytes / n,
    problems,
  };
}

async function wholePath(p: StageParams): Promise<Record<string, unknown>> {
  const { pino } = await import('pino');
  const { loadConfig } = await fromSrc<typeof import('../src/config.js')>('config.js');
  const { createGateway } = await fromSrc<typeof import('../src/app.js')>('app.js');
  const { archiveFile } = await fromSrc<typeof import('../src/store/archive.js')>('store/archive.js');

  const home = mkdtempSync(join(tmpdir(), 'edigate-bench-'));
  // The parent removes the home if this process dies before its own cleanup (e.g. out of memory).
  process.send?.({ home });
  mkdirSync(join(home, 'partners'), { recursive: true });
  writeFileSync(join(home, 'partners', 'bench.yaml'), stringifyYaml({
    id: 'bench',
    name: 'bench',
    x12: { interchangeIds: [{ qualifier: 'ZZ', id: 'BENCHSENDER' }] },
    acknowledgements: { functional: true, ta1: 'on-error' },
    duplicates: { interchange: 'reject' },
    documents: { '850': { map: 'x12-850-order', destinations: ['erp'] } },
  }));
  if (p.trivialMap) writeTrivialMap(join(home, 'maps', 'x12-850-order'));
  const deliver = !!p.deliverUrl;
  const overrides: Record<string, unknown> = {
    logLevel: 'silent',
    ops: { port: 0 },
    ...(deliver ? { destinations: { erp: { kind: 'http', url: p.deliverUrl!, ...(p.concurrency ? { concurrency: p.concurrency } : {}) } } } : {}),
    ...(p.mapWorkers !== undefined ? { mapping: { workers: p.mapWorkers } } : {}),
  };
  const config = loadConfig({ home, env: {}, overrides: overrides as NonNullable<Parameters<typeof loadConfig>[0]>['overrides'] });
  const mapWorkers = (config as unknown as { mapping?: { workers?: number } }).mapping?.workers;
  let gateway: Awaited<ReturnType<typeof createGateway>>;
  try {
    gateway = await createGateway(config, { watch: false, listen: false, deliver, logger: pino({ level: 'silent' }) });
    await gateway.start();
  } catch (err) {
    if (!p.keepHome) rmSync(home, { recursive: true, force: true });
    throw err;
  }
  const db = gateway.store.db;
  for (const pragma of p.pragmas ?? []) db.pragma(pragma);
  const problems: string[] = [];
  const bytes = statSync(p.file).size;
  const out: Record<string, unknown> = { bytes, home, deliver, concurrency: config.destinations.erp?.concurrency, mapWorkers: mapWorkers ?? 'n/a' };
  try {
    const memory = sampleMemory();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const w0 = nowMicros();
    const t0 = performance.now();
    const summary = await gateway.pipeline.ingest({ path: p.file, fileName: basename(p.file), channel: 'bench' });
    const tQueued = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    // CPU time is steadier than wall time on a shared host: all threads (user + system), and the main thread alone.
    out.cpuSecondsAllThreads = (cpu.user + cpu.system) / 1e6;
    out.mainThreadBusySeconds = elu.active / 1000;
    out.memoryDuringIngest = memory.stop();
    const s = (tQueued - t0) / 1000;
    const acks997 = summary.acks.filter((a) => a.kind === '997').length;
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    Object.assign(out, {
      seconds: s,
      mbPerSec: mb(bytes) / s,
      sets: summary.transactionSets,
      setsPerSec: summary.transactionSets / s,
      fileStatus: summary.status,
      interchanges: summary.interchanges.length,
      acks997,
      messagesEnqueued: summary.messagesEnqueued,
      messageRows: count('SELECT count(*) AS n FROM messages'),
      deliveryRows: count('SELECT count(*) AS n FROM deliveries'),
      findings: summary.findings.length,
      dbBytesAfterIngest: statSync(config.dbPath).size + (safeSize(`${config.dbPath}-wal`) ?? 0),
    });
    if (p.groups !== undefined && acks997 !== p.groups) problems.push(`${acks997} 997s for ${p.groups} groups`);
    if (p.sets !== undefined && summary.messagesEnqueued !== p.sets) problems.push(`${summary.messagesEnqueued} messages for ${p.sets} sets`);
    if (p.sets !== undefined && summary.transactionSets !== p.sets) problems.push(`${summary.transactionSets} sets read, ${p.sets} generated`);
    if (summary.status !== 'accepted') problems.push(`file status ${summary.status}`);

    if (deliver) {
      // Deliveries are released in the file's last transaction, just before ingest() resolves.
      const expected = summary.messagesEnqueued;
      const delivered = db.prepare(`SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'`);
      let n = 0;
      let last = -1;
      let lastChange = performance.now();
      while (n < expected) {
        await sleep(25);
        n = (delivered.get() as { n: number }).n;
        if (n !== last) { last = n; lastChange = performance.now(); }
        else if (performance.now() - lastChange > 60_000) {
          problems.push(`deliveries stalled at ${n} of ${expected}`);
          break;
        }
      }
      const tDone = performance.now();
      out.profileWindowUs = [w0, nowMicros()];
      const ds = (tDone - tQueued) / 1000;
      const states = db.prepare(`SELECT state, count(*) AS n FROM deliveries GROUP BY state`).all() as Array<{ state: string; n: number }>;
      Object.assign(out, {
        delivered: n,
        deliverySeconds: ds,
        messagesPerSec: n / ds,
        dropToDeliveredSeconds: (tDone - t0) / 1000,
        deliveryStates: Object.fromEntries(states.map((r) => [r.state, r.n])),
      });
    } else {
      out.profileWindowUs = [w0, nowMicros()];
      // For the breakdown: the archive step alone (copy + SHA-256 + fsync) on the same file.
      const a0 = performance.now();
      await archiveFile(join(home, 'archive-probe'), p.file);
      out.archiveOnlySeconds = (performance.now() - a0) / 1000;
    }
  } finally {
    await gateway.stop();
    if (!p.keepHome) rmSync(home, { recursive: true, force: true });
  }
  out.problems = problems;
  return out;
}

/** A map of the same name as the standard 850 map, producing the smallest valid order. */
function writeTrivialMap(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'map.yaml'), stringifyYaml({
    name: 'x12-850-order', description: 'Smallest valid order (benchmark diagnostic)', standard: 'X12', documentType: '850', messageType: 'order',
  }));
  writeFileSync(join(dir, 'map.jsonata'), '{ "purchaseOrderNumber": BEG[0].BEG03, "orderDate": "2026-01-01", "lines": [{ "position": 1 }] }\n');
  writeFileSync(join(dir, 'example.edi'), 'ISA\n');
  writeFileSync(join(dir, 'expected.json'), '[]\n');
}

/**
 * Samples process.memoryUsage() every 500 ms: RSS (all threads) against the main thread's V8 heap and
 * the memory outside it, to tell a growing heap from native memory and worker threads.
 */
function sampleMemory(): { stop(): Record<string, unknown> } {
  const t0 = performance.now();
  const points: Array<{ s: number; rss: number; heapUsed: number; heapTotal: number; external: number }> = [];
  // With --expose-gc, a full GC before each sample makes heapUsed the retained size (diagnostics only: slow).
  const gc = (globalThis as { gc?: () => void }).gc;
  const take = () => {
    gc?.();
    const m = process.memoryUsage();
    points.push({ s: round((performance.now() - t0) / 1000), rss: round(m.rss / 2 ** 20), heapUsed: round(m.heapUsed / 2 ** 20), heapTotal: round(m.heapTotal / 2 ** 20), external: round(m.external / 2 ** 20) });
  };
  take();
  const timer = setInterval(take, 500);
  return {
    stop() {
      clearInterval(timer);
      take();
      const peak = (k: 'rss' | 'heapUsed' | 'heapTotal' | 'external') => Math.max(...points.map((p) => p[k]));
      // Ten evenly spaced points for the report.
      const step = Math.max(1, Math.floor(points.length / 10));
      return {
        peakRssMB: peak('rss'), peakMainHeapUsedMB: peak('heapUsed'), peakMainHeapTotalMB: peak('heapTotal'), peakExternalMB: peak('external'),
        timeline: points.filter((_, i) => i % step === 0 || i === points.length - 1),
      };
    },
  };
}

function safeSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

const STAGES: Record<string, (p: StageParams) => Promise<Record<string, unknown>>> = {
  baseline, tokenizer, reader, x12parser, mapping, path: wholePath,
  // UN/EDIFACT (bench/edifact.ts)
  'edifact-tokenizer': edifactTokenizer, 'edifact-parser': edifactParser, 'edifact-path': edifactPath,
  // AS2 receive (bench/as2.ts)
  'as2-receive': as2Receive,
  // Partner scorecard over a year of history (bench/scorecards.ts)
  scorecards: scorecardsBench,
};

async function main(): Promise<void> {
  const [stage, json] = process.argv.slice(2);
  const fn = stage ? STAGES[stage] : undefined;
  if (!stage || !fn) throw new Error(`usage: stages.ts <${Object.keys(STAGES).join('|')}> '<json params>'`);
  const params = JSON.parse(json ?? '{}') as StageParams;
  let result: StageResult;
  try {
    const r = await fn(params);
    const problems = Array.isArray(r.problems) ? (r.problems as string[]) : [];
    result = { ...r, stage, problems, ok: problems.length === 0, maxRssMB: round(process.resourceUsage().maxRSS / 1024) };
  } catch (err) {
    result = { stage, ok: false, problems: [(err as Error).stack ?? String(err)], maxRssMB: round(process.resourceUsage().maxRSS / 1024) };
  }
  if (process.send) await new Promise<void>((resolve) => process.send!(result, () => resolve()));
  else console.log(JSON.stringify(result, null, 2));
}

await main();
// Handles left by libraries (connection pools, timers) must not keep a finished stage alive.
process.exit(0);

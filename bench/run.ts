/**
 * Throughput and memory of the inbound path, stage by stage: `npm run bench`.
 *
 * Generates (once, then reuses) a file of ten-line X12 850s in bench/out/, runs each stage in its own
 * child process (bench/stages.ts; `node --import tsx`) so that each peak RSS is the stage's own, prints a
 * table with the targets beside the figures and writes everything to bench/out/results.json.
 *
 *   1 tokenizer alone            X12Tokenizer, 64 KiB chunks                       target >= 80 MB/s
 *   2 reader                     tokenizer + envelope and element validation
 *   3 x12-parser                 the x12-parser package on the same file (comparison)
 *   4 mapping alone              JSONata maps/s: input building, evaluate, JSON clone, ajv apart; the same
 *                                payloads from plain TypeScript (bench/map-ceiling.ts) for comparison
 *   5 whole path to queued       archive + parse + validate + 997 + map + enqueue   target >= 15 MB/s
 *   5b same, trivial map         diagnostic: the path without the standard map's JSONata cost
 *   6 delivered over HTTP        to a receiver in this process answering 201       target >= 2,000 msg/s
 *   7 large file to queued       peak RSS on a large file                          target < 300 MB
 *   7b same size, one 850 per interchange (trivial map): what the path keeps per interchange
 *   8 backends                   delivery on the embedded and BullMQ queues: throughput, p50/p99 drop-to-delivered
 *                                at 50 files/s, two BullMQ worker processes (bench/delivery-backends.ts, needs Redis)
 *   8 SFTP upload               a 50 MB put with the OpenSSH client into our server and into OpenSSH's sftp-server (bench/sftp.ts)
 *
 * Environment:
 *   BENCH_MB=50               size of the file of stages 1-6
 *   BENCH_LARGE_MB=200        size of the files of stages 7 and 7b; BENCH_SKIP_LARGE=1 skips them
 *   BENCH_MAP_MB=4            bytes of the file (whole interchanges) mapped by stage 4
 *   BENCH_ONLY=path,delivered run only these stages (as2-receive, tokenizer, reader, x12parser, mapping, path,
 *                             path-trivial-map, delivered, large, large-one-per-interchange, baseline, sftp)
 *   BENCH_HTTP_CONCURRENCY=n  concurrency of the erp destination in stage 6 (default: the product's)
 *   BENCH_MAP_WORKERS=n       mapping.workers of the gateway in stages 5-7 (default: the product's)
 *   BENCH_PROFILE=1           also run stage 5 (and 5b) under `node --cpu-prof` and print where the time goes
 *   BENCH_COMPILED=1          run the stages on a tsc build (bench/out/build, bench/tsconfig.build.json) with plain
 *                             node instead of `--import tsx`: the memory of an installed gateway, without the
 *                             TypeScript loader in the main thread and in every map worker
 *
 * Figures vary with the host and its load: compare runs on the same machine only. bench/delivery.ts
 * (queue and HTTP delivery at several concurrencies) and bench/x12-tokenizer.ts (tokenizer and reader
 * in memory, with and without line breaks) are the focused micro-benchmarks.
 */
import { fork, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { generate850File } from './generate.js';
import type { StageParams, StageResult } from './stages.js';
import { generateOrdersFile } from './edifact.js';
/** Size of the EDIFACT ORDERS file of stages E1-E3 (BENCH_EDIFACT_MB, default 20). */
const EDIFACT_MB = Number(process.env.BENCH_EDIFACT_MB ?? 20);
import { mergeSteps, printProfileSummary, summariseProfileFile, type ProfileSummary } from './profile.js';
import { benchSftpUpload } from './sftp.js';

const BENCH = import.meta.dirname;
const ROOT = join(BENCH, '..');
const OUT = join(BENCH, 'out');

const env = process.env;
const MB = Number(env.BENCH_MB ?? 50);
const LARGE_MB = Number(env.BENCH_LARGE_MB ?? 200);
const SKIP_LARGE = env.BENCH_SKIP_LARGE === '1';
const MAP_MB = Number(env.BENCH_MAP_MB ?? 4);
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
const HTTP_CONCURRENCY = env.BENCH_HTTP_CONCURRENCY ? Number(env.BENCH_HTTP_CONCURRENCY) : undefined;
const MAP_WORKERS = env.BENCH_MAP_WORKERS !== undefined && env.BENCH_MAP_WORKERS !== '' ? Number(env.BENCH_MAP_WORKERS) : undefined;
const PROFILE = env.BENCH_PROFILE === '1';
const COMPILED = env.BENCH_COMPILED === '1';
const BUILD = join(OUT, 'build');
const SETS_PER_GROUP = 1000;

const TARGET = { tokenizerMBs: 80, pathMBs: 15, pathSetsPerSec: 15_000, deliveredPerSec: 2_000, rssMB: 300 };

interface GeneratedFile {
  path: string;
  bytes: number;
  sets: number;
  interchanges: number;
  groups: number;
  setsPerGroup: number;
  generator: string;
}

/** The generated file of `mb` MB, reused while bench/generate.ts is unchanged. */
async function ensureFile(mb: number, setsPerGroup = SETS_PER_GROUP): Promise<GeneratedFile> {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `x12-850-${mb}MB${setsPerGroup === SETS_PER_GROUP ? '' : `-${setsPerGroup}-per-interchange`}.x12`);
  const metaPath = `${path}.json`;
  const generator = createHash('sha256').update(readFileSync(join(BENCH, 'generate.ts'))).digest('hex').slice(0, 16);
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as GeneratedFile;
    if (meta.generator === generator && meta.setsPerGroup === setsPerGroup && statSync(path).size === meta.bytes) return meta;
  }
  const t0 = performance.now();
  const r = await generate850File(path, mb * 1e6, setsPerGroup);
  const meta: GeneratedFile = { path, ...r, groups: r.interchanges, setsPerGroup, generator };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  console.log(`generated ${path}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.sets} sets, ${r.interchanges} interchanges in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return meta;
}

/** Runs one stage in a child process; `execArgv` adds node options (e.g. --cpu-prof). */
function runStage(stage: string, params: StageParams, execArgv: string[] = []): Promise<StageResult> {
  return new Promise((resolve) => {
    let result: StageResult | undefined;
    const child = fork(COMPILED ? join(BUILD, 'bench', 'stages.js') : join(BENCH, 'stages.ts'), [stage, JSON.stringify(params)], {
      cwd: ROOT,
      execPath: process.execPath,
      // The gateway's own heap cap (npm start, the edigate command): peak RSS is measured as shipped.
      execArgv: COMPILED ? ['--max-old-space-size=256', ...execArgv] : ['--max-old-space-size=256', ...execArgv, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    // stderr is passed on, and its end kept to say why a stage died (e.g. V8's "heap out of memory").
    let stderrTail = '';
    child.stderr?.on('data', (d: Buffer) => {
      process.stderr.write(d);
      stderrTail = (stderrTail + d.toString('utf8')).slice(-4096);
    });
    let home: string | undefined;
    child.on('message', (m: Partial<StageResult> & { home?: string }) => {
      if (typeof m.stage === 'string') result = m as StageResult;
      else if (typeof m.home === 'string') home = m.home;
    });
    child.on('exit', (code, signal) => {
      if (!result && home) rmSync(home, { recursive: true, force: true });
      const why = stderrTail.split('\n').find((l) => /FATAL ERROR|Error:/.test(l))?.trim();
      resolve(result ?? { stage, ok: false, problems: [`child exited with ${signal ?? code} before reporting${why ? `: ${why}` : ''}`], maxRssMB: NaN });
    });
  });
}

/** Compiles src/ and the stage runner into bench/out/build (for BENCH_COMPILED=1). */
function build(): void {
  rmSync(BUILD, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(BENCH, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    // tsc exits non-zero on type errors but still emits; the stages say whether the build runs.
  }
  // The build's product root is bench/out/build: the standard maps must be found there.
  symlinkSync(join(ROOT, 'maps'), join(BUILD, 'maps'), 'dir');
}

/** The ERP stand-in for stage 6: a node:http server in this process answering 201 to every POST. */
async function startReceiver(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/orders`,
    count: () => n,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Hash of the sources measured (src/ and maps/), to tell runs of different code apart. */
function sourceHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p.slice(ROOT.length)).update(readFileSync(p));
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'maps'));
  return h.digest('hex').slice(0, 16);
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const wanted = (stage: string) => !ONLY || ONLY.has(stage);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const fmt = (v: unknown, digits = 1): string => {
  const n = num(v);
  if (n === undefined) return '-';
  return n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
};

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const sourceAtStart = sourceHash();
  console.log(`edigate bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (COMPILED) build();
  const file = await ensureFile(MB);
  console.log(`file: ${file.path} (${(file.bytes / 1e6).toFixed(1)} MB, ${file.sets} sets, ${file.groups} groups)\n`);
  const common: StageParams = { file: file.path, sets: file.sets, groups: file.groups };
  const pathExtras: Partial<StageParams> = MAP_WORKERS !== undefined ? { mapWorkers: MAP_WORKERS } : {};
  const results: Record<string, StageResult> = {};
  const run = async (key: string, stage: string, params: StageParams, label: string) => {
    if (!wanted(key)) return;
    process.stdout.write(`${label} ... `);
    const t0 = performance.now();
    const load = loadavg()[0]!;
    const r = await runStage(stage, params);
    r.loadavg1mAtStart = Math.round(load * 100) / 100;
    r.wallSeconds = (performance.now() - t0) / 1000;
    results[key] = r;
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s (load ${load.toFixed(2)} at start)${r.ok ? '' : `  PROBLEMS: ${r.problems.join(' | ')}`}`);
  };

  await run('baseline', 'baseline', common, '0 baseline (gateway modules loaded)');
  await run('tokenizer', 'tokenizer', common, '1 tokenizer alone');
  await run('reader', 'reader', common, '2 reader (tokenizer + validation)');
  await run('x12parser', 'x12parser', common, '3 x12-parser (comparison)');
  await run('mapping', 'mapping', { ...common, sliceBytes: MAP_MB * 1e6 }, '4 mapping alone');
  await run('path', 'path', { ...common, ...pathExtras }, '5 whole path to queued');
  await run('path-trivial-map', 'path', { ...common, ...pathExtras, trivialMap: true }, '5b whole path, trivial map (diagnostic)');
  if (wanted('delivered')) {
    const receiver = await startReceiver();
    try {
      await run('delivered', 'path', { ...common, ...pathExtras, deliverUrl: receiver.url, ...(HTTP_CONCURRENCY ? { concurrency: HTTP_CONCURRENCY } : {}) }, '6 delivered to a local HTTP receiver');
      if (results.delivered) results.delivered.receiverCount = receiver.count();
    } finally {
      await receiver.close();
    }
  }
  // UN/EDIFACT: our tokenizer, the edifact package's Parser alone, and the whole path (bench/edifact.ts)
  if (wanted('edifact-tokenizer') || wanted('edifact-parser') || wanted('edifact-path')) {
    mkdirSync(OUT, { recursive: true });
    const edi = join(OUT, `edifact-orders-${EDIFACT_MB}MB.edi`);
    const gen = await generateOrdersFile(edi, EDIFACT_MB * 1e6);
    console.log(`EDIFACT file: ${edi} (${(gen.bytes / 1e6).toFixed(1)} MB, ${gen.sets} ORDERS, ${gen.interchanges} interchanges)`);
    const ep: StageParams = { file: edi, sets: gen.sets };
    await run('edifact-tokenizer', 'edifact-tokenizer', ep, 'E1 EDIFACT tokenizer (Parser + wrapper)');
    await run('edifact-parser', 'edifact-parser', ep, 'E2 edifact package Parser alone (comparison)');
    await run('edifact-path', 'edifact-path', ep, 'E3 EDIFACT whole path to queued');
  }
  // AS2 receive: signed + encrypted 10 KB messages with a sync signed MDN (bench/as2.ts)
  await run('as2-receive', 'as2-receive', common, 'A1 AS2 receive, signed+encrypted 10 KB, sync signed MDN');
  // Partner scorecard over a year of one partner's history (bench/scorecards.ts)
  await run('scorecards', 'scorecards', common, 'S1 partner scorecard, a year of history');
  let large: GeneratedFile | undefined;
  if (!SKIP_LARGE && wanted('large')) {
    large = await ensureFile(LARGE_MB);
    await run('large', 'path', { file: large.path, sets: large.sets, groups: large.groups, ...pathExtras }, `7 large file (${LARGE_MB} MB) to queued`);
  }
  // Partners often send one order per interchange: what the path keeps per interchange shows there.
  // The trivial map keeps it short; memory is the figure of this stage.
  let largeSmall: GeneratedFile | undefined;
  if (!SKIP_LARGE && wanted('large-one-per-interchange')) {
    largeSmall = await ensureFile(LARGE_MB, 1);
    await run('large-one-per-interchange', 'path', { file: largeSmall.path, sets: largeSmall.sets, groups: largeSmall.groups, ...pathExtras, trivialMap: true },
      `7b large file (${LARGE_MB} MB), one 850 per interchange, trivial map`);
  }

  if (wanted('sftp')) {
    // In this process (the OpenSSH client and sshd are child processes); the gateway's server runs here.
    process.stdout.write('8 SFTP upload, ours and OpenSSH sftp-server ... ');
    const t0 = performance.now();
    try {
      const r = await benchSftpUpload(50, 3);
      // Peak RSS of this process (bench driver + the gateway serving SFTP), in MB.
      results.sftp = { stage: 'sftp', ok: true, problems: [], maxRssMB: process.resourceUsage().maxRSS / 1024, mbPerSec: r.edigate.transferMBs, ...r };
      console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      results.sftp = { stage: 'sftp', ok: false, problems: [(err as Error).message], maxRssMB: NaN };
      console.log(`PROBLEMS: ${(err as Error).message}`);
    }
  }

  const profiles: Record<string, { main: ProfileSummary; threads: Array<{ thread: string; summary: ProfileSummary }>; dir: string }> = {};
  if (PROFILE) {
    for (const [key, extra] of [['path', {}], ['path-trivial-map', { trivialMap: true }]] as const) {
      if (!wanted(key)) continue;
      const dir = join(OUT, 'profiles', key);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      process.stdout.write(`profiling ${key} ... `);
      const r = await runStage('path', { ...common, ...pathExtras, ...extra }, ['--cpu-prof', '--cpu-prof-dir', dir]);
      console.log(r.ok ? `${fmt(r.mbPerSec)} MB/s under the profiler` : `PROBLEMS: ${r.problems.join(' | ')}`);
      const window = Array.isArray(r.profileWindowUs) ? (r.profileWindowUs as [number, number]) : undefined;
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
      const threadOf = (f: string) => f.split('.')[4] ?? '?';
      const mainFile = files.find((f) => threadOf(f) === '0');
      if (!mainFile) continue;
      const entry = { main: summariseProfileFile(join(dir, mainFile), 30, window), threads: [] as Array<{ thread: string; summary: ProfileSummary }>, dir };
      for (const f of files) {
        if (f === mainFile) continue;
        const summary = summariseProfileFile(join(dir, f), 15, window);
        // Loader hook threads are idle during the ingest; keep the threads that worked.
        if (summary.busyMs > 0.05 * entry.main.totalMs) entry.threads.push({ thread: threadOf(f), summary });
      }
      profiles[key] = entry;
    }
  }

  // ------------------------------------------------------------------ report
  const rows: Array<{ stage: string; mbs: string; sets: string; other: string; rss: string; target: string; verdict: string }> = [];
  const rssOk = (r: StageResult) => num(r.maxRssMB) !== undefined && r.maxRssMB < TARGET.rssMB;
  const verdict = (ok: boolean | undefined, r: StageResult) => (!r.ok ? 'FAILED' : ok === undefined ? '' : ok ? 'met' : 'MISSED');
  const add = (key: string, stage: string, other: (r: StageResult) => string, target: string, check?: (r: StageResult) => boolean) => {
    const r = results[key];
    if (!r) return;
    rows.push({
      stage,
      mbs: fmt(r.mbPerSec ?? r.mbPerSecEquivalent),
      sets: fmt(r.setsPerSec ?? r.mapsPerSec, 0),
      other: other(r),
      rss: `${fmt(r.maxRssMB, 0)}`,
      target,
      verdict: [check ? verdict(check(r), r) : verdict(undefined, r), rssOk(r) ? '' : 'RSS MISSED'].filter(Boolean).join(', '),
    });
  };
  add('baseline', '0 baseline (modules only)', () => '', `RSS < ${TARGET.rssMB} MB`, rssOk);
  add('tokenizer', '1 tokenizer alone', (r) => `${fmt(r.segmentsPerSec, 0)} segments/s`, `>= ${TARGET.tokenizerMBs} MB/s`, (r) => (num(r.mbPerSec) ?? 0) >= TARGET.tokenizerMBs);
  add('reader', '2 reader (+ validation)', (r) => `${fmt(r.sets, 0)} sets`, '-');
  add('x12parser', '3 x12-parser (comparison)', (r) => `${fmt(r.segmentsPerSec, 0)} segments/s`, '-');
  add('mapping', '4 mapping alone (maps/s)', (r) => `${fmt(r.sets, 0)} maps`, `(path needs >= ${TARGET.pathSetsPerSec.toLocaleString('en-US')}/s)`, (r) => (num(r.mapsPerSec) ?? 0) >= TARGET.pathSetsPerSec);
  add('path', '5 whole path to queued', (r) => `${fmt(r.acks997, 0)} 997s, ${fmt(r.messagesEnqueued, 0)} msgs`, `>= ${TARGET.pathMBs} MB/s, ~${TARGET.pathSetsPerSec.toLocaleString('en-US')} sets/s`, (r) => (num(r.mbPerSec) ?? 0) >= TARGET.pathMBs);
  add('path-trivial-map', '5b path, trivial map (diag.)', (r) => `${fmt(r.acks997, 0)} 997s, ${fmt(r.messagesEnqueued, 0)} msgs`, '(diagnostic)');
  add('delivered', '6 delivered over HTTP', (r) => `${fmt(r.messagesPerSec, 0)} msg/s; drop->delivered ${fmt(r.dropToDeliveredSeconds)} s`, `>= ${TARGET.deliveredPerSec.toLocaleString('en-US')} msg/s`, (r) => (num(r.messagesPerSec) ?? 0) >= TARGET.deliveredPerSec);
  add('large', `7 large file (${LARGE_MB} MB)`, (r) => `${fmt(r.sets, 0)} sets, ${fmt(r.seconds)} s`, `peak RSS < ${TARGET.rssMB} MB`, rssOk);
  add('large-one-per-interchange', `7b same, 1 set/interchange`, (r) => `${fmt(r.sets, 0)} sets, trivial map`, `peak RSS < ${TARGET.rssMB} MB`, rssOk);
  add('edifact-tokenizer', 'E1 EDIFACT tokenizer alone', (r) => `${fmt(r.segmentsPerSec, 0)} segments/s`, '(vs E2)');
  add('edifact-parser', 'E2 edifact Parser alone (comparison)', (r) => `${fmt(r.segmentsPerSec, 0)} segments/s`, '-');
  add('edifact-path', 'E3 EDIFACT whole path to queued', (r) => `${fmt(r.contrls, 0)} CONTRLs, ${fmt(r.messagesEnqueued, 0)} msgs`, '-');
  add('as2-receive', 'A1 AS2 receive 10 KB signed+encrypted', (r) => `${fmt(r.messagesPerSec)} msg/s with PKCS#1 v1.5 (openssl cms -decrypt); ${fmt((r.oaep as { messagesPerSec?: number } | undefined)?.messagesPerSec)} msg/s with OAEP (pkijs)`, '-');
  add('scorecards', 'S1 partner scorecard, 1 year', (r) => `${fmt(r.filesPerPartner, 0)} files, ${fmt(r.setsPerPartner, 0)} sets; cold ${fmt(r.coldSeconds, 3)} s, median ${fmt(r.medianSeconds, 3)} s`, '< 1 s', (r) => (num(r.coldSeconds) ?? 9) < 1);
  const sftpFig = (r: StageResult, k: 'edigate' | 'openssh') => r[k] as { wallMBs: number; transferMBs: number; loginSeconds: number } | undefined;
  add('sftp', '8 SFTP upload 50 MB (ours, ssh2)', (r) => `${fmt(sftpFig(r, 'edigate')?.wallMBs)} MB/s wall incl. ${fmt(sftpFig(r, 'edigate')?.loginSeconds, 2)} s login; OpenSSH sftp-server ${fmt(sftpFig(r, 'openssh')?.transferMBs)} MB/s (${fmt(sftpFig(r, 'openssh')?.wallMBs)} wall)`, '(comparison)');

  const head = { stage: 'stage', mbs: 'MB/s', sets: 'sets/s', other: 'other', rss: 'peak RSS MB', target: 'target', verdict: 'result' };
  const cols = ['stage', 'mbs', 'sets', 'other', 'rss', 'target', 'verdict'] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(head[c].length, ...rows.map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
  const right = new Set(['mbs', 'sets', 'rss']);
  const line = (r: typeof head) => cols.map((c) => (right.has(c) ? r[c].padStart(width[c]) : r[c].padEnd(width[c]))).join(' | ');
  console.log(`\nResults, ${COMPILED ? 'compiled JS (no tsx)' : 'stages run with --import tsx'} (${(file.bytes / 1e6).toFixed(1)} MB file, ${file.sets.toLocaleString('en-US')} ten-line 850s${large ? `; stage 7: ${(large.bytes / 1e6).toFixed(1)} MB, ${large.sets.toLocaleString('en-US')} sets` : ''})`);
  console.log(line(head));
  console.log(cols.map((c) => '-'.repeat(width[c])).join('-|-'));
  for (const r of rows) console.log(line(r));

  const m = results.mapping;
  if (m?.perSetMicros) {
    const p = m.perSetMicros as Record<string, number>;
    console.log(`\nmapping, per set: input building ${fmt(p.inputBuilding)} µs, JSONata evaluate ${fmt(p.jsonataEvaluate)} µs ` +
      `(${fmt(m.jsonataEvaluateWithoutGuardrailsMicros)} µs without the timeout/depth guardrails), JSON clone ${fmt(p.jsonClone)} µs, ` +
      `schema validation ${fmt(p.schemaValidation)} µs; mapAndValidate end to end ${fmt(m.mapsPerSec, 0)} maps/s`);
    if (m.typescriptMapMicros !== undefined) {
      console.log(`same payloads from plain TypeScript (bench/map-ceiling.ts, straight from the segments): ${fmt(m.typescriptMapMicros)} µs per set, ` +
        `${fmt(m.typescriptMapPlusValidationMicros)} µs with schema validation; equal to the JSONata output on ${fmt(m.typescriptMapSameOutput, 0)} of ${fmt(m.sets, 0)} sets`);
    }
  }
  for (const key of ['path', 'path-trivial-map', 'delivered', 'large', 'large-one-per-interchange']) {
    const r = results[key];
    if (!r || r.seconds === undefined) continue;
    const f = key === 'large' ? large : key === 'large-one-per-interchange' ? largeSmall : file;
    const checks = `${fmt(r.acks997, 0)} 997s for ${fmt(f?.groups, 0)} groups, ${fmt(r.messagesEnqueued, 0)} messages for ${fmt(f?.sets, 0)} sets`;
    const extra = key === 'delivered'
      ? `; delivered ${fmt(r.delivered, 0)} in ${fmt(r.deliverySeconds)} s after release (receiver saw ${fmt(r.receiverCount, 0)}), concurrency ${fmt(r.concurrency, 0)}`
      : r.archiveOnlySeconds !== undefined ? `; archive step alone ${fmt(r.archiveOnlySeconds, 2)} s` : '';
    const cpu = r.cpuSecondsAllThreads !== undefined ? ` (CPU ${fmt(r.cpuSecondsAllThreads)} s all threads, main thread busy ${fmt(r.mainThreadBusySeconds)} s)` : '';
    console.log(`${key}: ingest ${fmt(r.seconds)} s${cpu}, ${checks}, database ${fmt((num(r.dbBytesAfterIngest) ?? NaN) / 1e6)} MB${extra}`);
  }
  for (const [key, p] of Object.entries(profiles)) {
    printProfileSummary(p.main, `profile of ${key}, main thread (${p.dir})`);
    for (const t of p.threads) printProfileSummary(t.summary, `profile of ${key}, thread ${t.thread}`);
    if (p.threads.length) {
      const all = mergeSteps([p.main, ...p.threads.map((t) => t.summary)]);
      console.log(`\nprofile of ${key}, all ${p.threads.length + 1} threads together: ${(all.busyMs / 1000).toFixed(1)} s of CPU (wall ${(p.main.totalMs / 1000).toFixed(1)} s)`);
      for (const r of all.byStep) console.log(`  ${r.step.padEnd(52)}  ${`${r.ms} ms`.padStart(10)}  ${`${r.pctOfBusy.toFixed(1)} %`.padStart(7)}`);
    }
  }

  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    host: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryMB: Math.round(totalmem() / 2 ** 20), loadavgAtEnd: loadavg() },
    source: {
      hashAtStart: sourceAtStart,
      hashAtEnd: sourceHash(),
      commit: git(['rev-parse', '--short', 'HEAD']),
      changedFiles: git(['status', '--porcelain', '--', 'src', 'maps']).split('\n').filter(Boolean),
    },
    settings: { runner: COMPILED ? 'compiled (node bench/out/build/bench/stages.js)' : 'node --import tsx bench/stages.ts', mb: MB, largeMb: SKIP_LARGE ? null : LARGE_MB, mapMb: MAP_MB, httpConcurrency: HTTP_CONCURRENCY ?? 'default', mapWorkers: MAP_WORKERS ?? 'default', only: ONLY ? [...ONLY] : 'all' },
    targets: TARGET,
    files: { main: file, large: large ?? null, largeOnePerInterchange: largeSmall ?? null },
    stages: results,
    table: rows,
    profiles,
  };
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(report, null, 2));
  if (report.source.hashAtEnd !== sourceAtStart) console.log('\nNOTE: src/ or maps/ changed during the run; the stages may have measured different code.');
  console.log(`\nsources ${report.source.hashAtStart} (commit ${report.source.commit}, ${report.source.changedFiles.length} files changed in src/ and maps/)`);
  console.log(`written: ${join(OUT, 'results.json')}`);
  if (wanted('backends')) {
    // Delivery on both queue backends (throughput, latency at 50 files/s, two BullMQ workers): bench/delivery-backends.ts.
    console.log('\nstage backends: bench/delivery-backends.ts (needs Redis on 127.0.0.1:6379)');
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(BENCH, 'delivery-backends.ts')], { stdio: 'inherit', cwd: ROOT });
    } catch (err) {
      console.log(`stage backends failed: ${(err as Error).message}`);
    }
  }
}

await main();

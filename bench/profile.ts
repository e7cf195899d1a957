/**
 * Summary of a V8 CPU profile (`node --cpu-prof`) of a gateway process: where the main thread's
 * time goes, in the pipeline's own terms.
 *
 *   npx tsx bench/profile.ts <file.cpuprofile> [topN] [startUs endUs]
 *
 * - by step: each sample is given to the innermost frame on its stack that belongs to a known step
 *   (archive hashing, tokenizer, X12 validation, map input building, JSONata, ajv, SQLite, 997 writing...),
 *   so time spent in a library or a builtin (JSON.stringify, a native SQLite call) counts for the step
 *   that called it; GC and idle time are their own lines;
 * - by file: self time per source file;
 * - top functions: self time per function (name, file:line of the loaded code).
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Wall time covered by the profile, ms. */
  totalMs: number;
  /** Time the thread was idle (waiting for I/O or timers), ms. */
  idleMs: number;
  /** Busy time (total - idle), ms. */
  busyMs: number;
  byStep: Array<{ step: string; ms: number; pctOfBusy: number }>;
  byFile: Array<{ file: string; ms: number; pctOfBusy: number }>;
  topFunctions: Array<{ fn: string; file: string; step: string; ms: number; pctOfBusy: number }>;
}

const IDLE = '(idle)';

/** Short name of a script URL: the path inside the project, node_modules/<pkg>, or the node: module. */
export function shortFile(url: string): string {
  if (!url) return '(native/builtin)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0] ?? '';
    return `node_modules/${pkg}`;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).split('?')[0]!;
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return url.slice(bench + 1).split('?')[0]!;
  return url;
}

/** The step a frame belongs to, or undefined when the frame says nothing (look at its caller). */
function stepOf(f: CallFrame): string | undefined {
  const u = f.url;
  const name = f.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === IDLE) return 'idle';
  if (name === '(program)') return 'V8/native (unattributed)';
  if (!u) {
    if (/^validate\d+$/.test(name)) return 'ajv schema validation';
    if (name === 'runMicrotasks') return 'promise/microtask machinery (await chains)';
    if (name === 'postMessage' || name === 'receiveMessageOnPort') return 'map pool messaging (structured clone)';
    return undefined;
  }
  if (u.startsWith('node:internal/modules/') || u.startsWith('node:internal/bootstrap/') || u.includes('/node_modules/tsx/') || u.includes('/node_modules/esbuild/')) {
    return 'module loading (startup)';
  }
  if (u.startsWith('node:internal/worker') || u.startsWith('node:internal/per_context/messageport') || u.includes('/src/mapping/map-pool.')) {
    return 'map pool messaging (structured clone)';
  }
  if (u.includes('/src/formats/x12/tokenizer')) return 'X12 tokenizer';
  if (/\/src\/formats\/x12\/(reader|dictionary|isa|parse)\./.test(u)) return 'X12 envelope + element validation';
  if (/\/src\/mapping\/x12-(input|loops)\./.test(u)) return 'map input building';
  if (u.includes('/node_modules/jsonata/') || u.includes('/src/mapping/functions.')) return 'JSONata evaluate';
  if (u.includes('/src/mapping/maps.')) return 'applyMap (JSON clone of the result)';
  if (u.includes('/node_modules/ajv') || u.includes('/node_modules/fast-uri') || u.includes('/src/canonical/')) return 'ajv schema validation';
  if (u.includes('/src/store/archive.')) return 'archive (copy, SHA-256, fsync)';
  if (u.includes('/node_modules/better-sqlite3/') || (u.includes('/src/store/') && !u.includes('/src/store/archive.'))) return 'SQLite (store writes)';
  if (u.includes('/src/queue/')) return 'SQLite (store writes)';
  if (u.includes('/src/acks/') || u.includes('/src/formats/x12/writer.') || u.includes('/src/fs-atomic.')) return '997/TA1 building + writing';
  if (u.includes('/src/delivery/') || u.includes('/node_modules/undici/')) return 'delivery (HTTP)';
  if (u.includes('/node_modules/pino') || u.includes('/node_modules/thread-stream') || u.includes('/node_modules/sonic-boom')) return 'logging';
  if (u.includes('/src/pipeline.')) return 'pipeline glue (message JSON.stringify, ids, events)';
  return undefined;
}

/**
 * @param window only the samples taken in [start, end] (µs of the monotonic clock, as
 *   `process.hrtime.bigint() / 1000n` gives it in the profiled process); default: all.
 */
export function summariseProfile(profile: CpuProfile, topN = 25, window?: [number, number]): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Time of each sample: the delta to the next one (the last gets the mean).
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  const mean = (profile.endTime - profile.startTime) / Math.max(1, samples.length);
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i] ?? 0;
    if (window && (t < window[0] || t > window[1])) continue;
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1]! : mean;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + dt);
  }
  const stepCache = new Map<number, string>();
  const stepOfNode = (id: number): string => {
    const hit = stepCache.get(id);
    if (hit) return hit;
    let step: string | undefined;
    let crypto = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      step = stepOf(f);
      if (step) break;
      if (f.url.startsWith('node:internal/crypto') || (f.url === '' && /^(update|digest|randomUUID)$/.test(f.functionName))) crypto = true;
    }
    const leaf = byId.get(id)!.callFrame;
    let result = step ?? (leaf.url.startsWith('node:internal/streams') || leaf.url.startsWith('node:internal/fs') ? 'node streams/fs' : 'other (node internals, promises, microtasks)');
    // Hashing inside node:crypto: the archive's SHA-256 of the file, or the pipeline's idempotency keys and ids.
    if (crypto && result.startsWith('archive')) result = 'archive SHA-256';
    else if (crypto && result.startsWith('pipeline glue')) result = 'pipeline: idempotency key SHA-256 + randomUUID';
    stepCache.set(id, result);
    return result;
  };

  let total = 0;
  let idle = 0;
  const steps = new Map<string, number>();
  const files = new Map<string, number>();
  const fns = new Map<string, { fn: string; file: string; step: string; ms: number }>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    total += us;
    if (f.functionName === IDLE) {
      idle += us;
      continue;
    }
    const step = stepOfNode(id);
    steps.set(step, (steps.get(step) ?? 0) + us);
    const file = shortFile(f.url);
    files.set(file, (files.get(file) ?? 0) + us);
    const key = `${f.functionName}|${f.url}|${f.lineNumber}`;
    const e = fns.get(key) ?? { fn: f.functionName || '(anonymous)', file: f.url ? `${file}:${f.lineNumber + 1}` : file, step, ms: 0 };
    e.ms += us;
    fns.set(key, e);
  }
  const busy = total - idle;
  const pct = (us: number) => Math.round((1000 * us) / busy) / 10;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: ms(total),
    idleMs: ms(idle),
    busyMs: ms(busy),
    byStep: [...steps].sort((a, b) => b[1] - a[1]).map(([step, us]) => ({ step, ms: ms(us), pctOfBusy: pct(us) })),
    byFile: [...files].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([file, us]) => ({ file, ms: ms(us), pctOfBusy: pct(us) })),
    topFunctions: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, topN).map((e) => ({ ...e, ms: ms(e.ms), pctOfBusy: pct(e.ms) })),
  };
}

/**
 * The steps of several threads' summaries together (main thread + map workers): CPU time per step
 * across the process, as a share of all the threads' busy time.
 */
export function mergeSteps(summaries: ProfileSummary[]): { busyMs: number; byStep: Array<{ step: string; ms: number; pctOfBusy: number }> } {
  const steps = new Map<string, number>();
  let busy = 0;
  for (const s of summaries) {
    busy += s.busyMs;
    for (const r of s.byStep) steps.set(r.step, (steps.get(r.step) ?? 0) + r.ms);
  }
  return {
    busyMs: Math.round(busy),
    byStep: [...steps].sort((a, b) => b[1] - a[1]).map(([step, ms]) => ({ step, ms: Math.round(ms), pctOfBusy: Math.round((1000 * ms) / busy) / 10 })),
  };
}

export function printProfileSummary(s: ProfileSummary, title = 'CPU profile'): void {
  const line = (cols: string[], widths: number[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}: ${(s.totalMs / 1000).toFixed(1)} s sampled, busy ${(s.busyMs / 1000).toFixed(1)} s, idle ${(s.idleMs / 1000).toFixed(1)} s (waiting on I/O, fsync, timers)`);
  console.log('\nBy step (innermost known frame; % of busy time)');
  for (const r of s.byStep) console.log('  ' + line([r.step, `${r.ms.toFixed(0)} ms`, `${r.pctOfBusy.toFixed(1)} %`], [52, 10, 7]));
  console.log('\nSelf time by file');
  for (const r of s.byFile) console.log('  ' + line([r.file, `${r.ms.toFixed(0)} ms`, `${r.pctOfBusy.toFixed(1)} %`], [52, 10, 7]));
  console.log('\nTop functions by self time');
  for (const r of s.topFunctions) console.log('  ' + line([`${r.fn}  ${r.file}`, `${r.ms.toFixed(0)} ms`, `${r.pctOfBusy.toFixed(1)} %`, r.step], [80, 10, 7, 0]).trimEnd());
}

export function summariseProfileFile(path: string, topN?: number, window?: [number, number]): ProfileSummary {
  return summariseProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, topN, window);
}

if (process.argv[1] && /bench[\\/]profile\.ts$/.test(process.argv[1])) {
  const [file, top, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/profile.ts <file.cpuprofile> [topN] [startUs endUs]');
    process.exit(2);
  }
  printProfileSummary(summariseProfileFile(file, top ? Number(top) : 25, from && to ? [Number(from), Number(to)] : undefined), file);
}

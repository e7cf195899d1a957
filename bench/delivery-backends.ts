/**
 * Delivery on both queue backends: `npx tsx bench/delivery-backends.ts` (also run by `npm run bench`,
 * stage `backends`). Needs Redis on 127.0.0.1:6379 (EDIGATE_BENCH_REDIS_URL to change it).
 *
 * 1. Throughput: BENCH_DELIVERIES (default 5000) ready deliveries to a local HTTP receiver (a node:http
 *    server in a child process answering 201), concurrency 16: embedded; BullMQ with one worker process;
 *    BullMQ with two worker processes (this one and a child on the same store and Redis).
 * 2. Latency at a steady 50 files per second: the whole gateway in this process (inbox watcher with the
 *    product's settle time of 500 ms, parse, 997, map, enqueue, deliver), BENCH_LATENCY_SECONDS (default 10)
 *    seconds of one-850 files dropped into inbox/<partner>/; p50 and p99 from the drop to the receiver
 *    getting the message, for embedded, BullMQ, and BullMQ with a second `edigate workers` process.
 *
 * Prints one line per run and writes bench/out/delivery-backends.json. Figures depend on the host and
 * its load: compare runs on the same machine only.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { openDatabase, type Db } from '../src/store/db.js';
import { enqueueDelivery } from '../src/store/deliveries.js';
import { DeliveryWorkers } from '../src/delivery/workers.js';
import { BullMqDeliveryQueue } from '../src/queue/bullmq.js';
import type { DeliveryQueue } from '../src/queue/queue.js';
import type { HttpDestinationConfig } from '../src/config-types.js';
import { DEFAULT_RETRY_POLICY } from '../src/queue/retry-policy.js';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/app.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const REDIS_URL = process.env.EDIGATE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_DELIVERIES ?? 5000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const CONCURRENCY = 16;
const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The receiver in a child process; reports each message's PO number and arrival time on request. */
async function startReceiver(dir: string): Promise<{ url: string; child: ChildProcess; arrivals: () => Promise<Record<string, number>>; count: () => Promise<number> }> {
  const js = join(dir, 'receiver.mjs');
  writeFileSync(js, `import { createServer } from 'node:http';
    let n = 0; const arrivals = {};
    const s = createServer((req, res) => { const c = []; req.on('data', (d) => c.push(d)); req.on('end', () => { n++;
      try { const po = JSON.parse(Buffer.concat(c).toString()).payload?.purchaseOrderNumber; if (po) arrivals[po] ??= Date.now(); } catch {}
      res.writeHead(201, {'content-type':'application/json','content-length':'2'}); res.end('{}'); }); });
    s.keepAliveTimeout = 30000;
    s.listen(0, '127.0.0.1', () => process.send({ port: s.address().port }));
    process.on('message', (m) => { if (m === 'count') process.send({ count: n }); if (m === 'arrivals') process.send({ arrivals }); });`);
  const child = fork(js, [], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const ask = <T>(what: string, key: string) => new Promise<T>((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on);
        resolve(m[key] as T);
      }
    };
    child.on('message', on);
    child.send(what);
  });
  return { url: `http://127.0.0.1:${port}`, child, arrivals: () => ask('arrivals', 'arrivals'), count: () => ask('count', 'count') };
}

function fill(db: Db, n: number): void {
  const insert = db.prepare(`INSERT INTO messages (id, interchange_id, transaction_set_id, partner_id, type, idempotency_key, correlation_id, business_reference, body, created_at)
    VALUES (?, NULL, NULL, 'acme', 'order', ?, ?, NULL, ?, ?)`);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `m-${i}`;
      const msg = { id, type: 'order', schemaVersion: 1, partnerId: 'acme', correlationId: `c-${i}`, idempotencyKey: `k-${i}`,
        source: { standard: 'X12', version: '004010', documentType: '850', channel: 'bench', interchangeControlNumber: String(i), groupControlNumber: '1',
          transactionSetControlNumber: '0001', fileName: 'po.x12', receivedAt: new Date(now).toISOString() },
        payload: { purchaseOrderNumber: `PO-${i}`, lines: [{ sku: 'A1', qty: 2, price: 10.5 }, { sku: 'B2', qty: 1, price: 99 }] } };
      insert.run(id, msg.idempotencyKey, msg.correlationId, JSON.stringify(msg), new Date(now).toISOString());
      enqueueDelivery(db, { messageId: id, interchangeId: null, partnerId: 'acme', destination: 'erp', messageType: 'order', maxAttempts: 8, state: 'pending', now, priority: 1, orderingKey: null });
    }
  })();
}

async function clearPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

/** A second BullMQ worker process on the same store and Redis (the code of `edigate workers`, without a home folder). */
function startWorkerChild(dbPath: string, prefix: string, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'delivery-backends.ts'), 'worker', dbPath, prefix, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(child); }));
}

async function throughput(kind: 'embedded' | 'bullmq' | 'bullmq-2', dir: string, url: string, count: () => Promise<number>): Promise<Record<string, unknown>> {
  const dbPath = join(dir, `tp-${kind}.db`);
  const db = openDatabase(dbPath);
  fill(db, N);
  const dest: HttpDestinationConfig = { name: 'erp', kind: 'http', url: `${url}/orders`, timeoutMs: 30_000, headers: {}, retry: DEFAULT_RETRY_POLICY, concurrency: CONCURRENCY };
  const prefix = `edigate-bench-${randomUUID().slice(0, 8)}`;
  const before = await count();
  let second: ChildProcess | undefined;
  // Two processes share the destination's global concurrency: each runs CONCURRENCY / 2... the global cap is the destination's.
  const q: DeliveryQueue = kind === 'embedded'
    ? new DeliveryWorkers({ db, destinations: { erp: dest }, logger, pollMs: 200, leaseMs: 60_000 })
    : new BullMqDeliveryQueue({ db, destinations: { erp: dest }, logger, redisUrl: REDIS_URL, prefix, leaseMs: 60_000, pollMs: 200 });
  if (kind === 'bullmq-2') second = await startWorkerChild(dbPath, prefix, `${url}/orders`);
  const t0 = performance.now();
  await q.start();
  while ((db.prepare(`SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'`).get() as { n: number }).n < N) await sleep(20);
  const ms = performance.now() - t0;
  await q.stop();
  second?.kill('SIGTERM');
  if (second) await new Promise((r) => second!.once('exit', r));
  const received = (await count()) - before;
  db.close();
  if (kind !== 'embedded') await clearPrefix(prefix);
  return { kind, deliveries: N, seconds: ms / 1000, perSecond: Math.round((N / ms) * 1000), received, concurrency: CONCURRENCY };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function latency(kind: 'embedded' | 'bullmq' | 'bullmq-2', url: string, arrivals: () => Promise<Record<string, number>>): Promise<Record<string, unknown>> {
  const home = mkdtempSync(join(tmpdir(), 'edigate-bench-lat-'));
  mkdirSync(join(home, 'partners'), { recursive: true });
  writeFileSync(join(home, 'partners', 'acme.yaml'), stringify({ id: 'acme', name: 'acme', x12: { interchangeIds: [{ qualifier: 'ZZ', id: 'SENDERISA' }] },
    acknowledgements: { functional: true, ta1: 'on-error' }, duplicates: { interchange: 'reject' }, documents: { '850': { map: 'x12-850-order', destinations: ['erp'] } } }));
  const prefix = `edigate-bench-${randomUUID().slice(0, 8)}`;
  writeFileSync(join(home, 'edigate.yaml'), stringify({ destinations: { erp: { kind: 'http', url: `${url}/orders`, concurrency: CONCURRENCY } }, workers: { pollMs: 200 } }));
  const env = { EDIGATE_REDIS_PREFIX: prefix, ...(kind === 'embedded' ? {} : { EDIGATE_REDIS_URL: REDIS_URL }) };
  const config = loadConfig({ home, env, overrides: { ops: { port: 0 }, partnerPort: 0, sftpPort: 0 } });
  const gw = await createGateway(config, { logger });
  // createDeliveryQueue reads the prefix from the process environment.
  process.env.EDIGATE_REDIS_PREFIX = prefix;
  await gw.start();
  let second: ChildProcess | undefined;
  if (kind === 'bullmq-2') second = await startWorkerChild(config.dbPath, prefix, `${url}/orders`);
  const base = readFileSync(join(ROOT, 'test', 'fixtures', 'x12', 'x12types__004010_850.edi'), 'latin1');
  const inbox = join(home, 'inbox', 'acme');
  mkdirSync(inbox, { recursive: true });
  const dropped = new Map<string, number>();
  const total = LATENCY_SECONDS * 50;
  const tag = randomUUID().slice(0, 6);
  const t0 = Date.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + i * 20 - Date.now();
    if (wait > 0) await sleep(wait);
    const ctl = String(i + 1).padStart(9, '0');
    const po = `L${tag}-${i}`;
    const bytes = Buffer.from(base.replace('*000000001*0*T*>~', `*${ctl}*0*T*>~`).replace('IEA*1*000000001~', `IEA*1*${ctl}~`).replace('A99999-01', po), 'latin1');
    writeFileSync(join(inbox, `.${i}.part`), bytes);
    renameSync(join(inbox, `.${i}.part`), join(inbox, `${i}.edi`));
    dropped.set(po, Date.now());
  }
  let got: Record<string, number> = {};
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    got = await arrivals();
    if ([...dropped.keys()].every((po) => got[po] !== undefined)) break;
    await sleep(100);
  }
  const lat = [...dropped].filter(([po]) => got[po] !== undefined).map(([po, at]) => got[po]! - at).sort((a, b) => a - b);
  // The queue's own share: from the delivery's enqueue (in the file's transaction) to delivered, from the store.
  const queued = (gw.store.db.prepare(`SELECT created_at AS c, delivered_at AS d FROM deliveries WHERE delivered_at IS NOT NULL`).all() as Array<{ c: string; d: string }>)
    .map((r) => Date.parse(r.d) - Date.parse(r.c)).sort((a, b) => a - b);
  second?.kill('SIGTERM');
  if (second) await new Promise((r) => second!.once('exit', r));
  await gw.stop();
  rmSync(home, { recursive: true, force: true });
  if (kind !== 'embedded') await clearPrefix(prefix);
  delete process.env.EDIGATE_REDIS_PREFIX;
  return { kind, files: total, delivered: lat.length, p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), maxMs: lat.at(-1), queueP50Ms: pct(queued, 50), queueP99Ms: pct(queued, 99) };
}

async function workerMain(dbPath: string, prefix: string, url: string): Promise<void> {
  const db = openDatabase(dbPath);
  const dest: HttpDestinationConfig = { name: 'erp', kind: 'http', url, timeoutMs: 30_000, headers: {}, retry: DEFAULT_RETRY_POLICY, concurrency: CONCURRENCY };
  const q = new BullMqDeliveryQueue({ db, destinations: { erp: dest }, logger, redisUrl: REDIS_URL, prefix, leaseMs: 60_000, pollMs: 200 });
  await q.start();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void q.stop().then(() => { db.close(); process.exit(0); }));
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'edigate-bench-backends-'));
  const receiver = await startReceiver(dir);
  console.log(`delivery backends: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results: Record<string, unknown>[] = [];
  try {
    for (const kind of process.env.BENCH_SKIP_THROUGHPUT === '1' ? [] : (['embedded', 'bullmq', 'bullmq-2'] as const)) {
      const r = await throughput(kind, dir, receiver.url, receiver.count);
      results.push({ stage: 'throughput', ...r });
      console.log(`throughput ${kind.padEnd(9)} ${N} deliveries in ${(r.seconds as number).toFixed(2)} s = ${r.perSecond}/s (receiver saw ${r.received})`);
    }
    for (const kind of ['embedded', 'bullmq', 'bullmq-2'] as const) {
      const r = await latency(kind, receiver.url, receiver.arrivals);
      results.push({ stage: 'latency-50-files-per-second', ...r });
      console.log(`latency at 50 files/s ${kind.padEnd(9)} ${r.delivered}/${r.files} delivered, drop-to-delivered p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; ` +
        `enqueue-to-delivered p50 ${r.queueP50Ms} ms, p99 ${r.queueP99Ms} ms`);
    }
  } finally {
    receiver.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(join(OUT, 'delivery-backends.json'), JSON.stringify({ at: new Date().toISOString(), load: loadavg(), results }, null, 2));
}

if (process.argv[2] === 'worker') await workerMain(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else {
  await main();
  process.exit(0);
}

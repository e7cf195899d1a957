/**
 * Delivery throughput: `npx tsx bench/delivery.ts [messages] [concurrency...]`.
 * 1. claim + complete pairs per second on the embedded queue (no connector);
 * 2. HTTP deliveries per second through DeliveryWorkers to a local receiver running in a child
 *    process (a plain node:http server answering 200), one run per concurrency given.
 * Figures vary with hardware and load; compare runs on the same host only.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase, type Db } from '../src/store/db.js';
import { claim, complete, enqueueDelivery, listDeliveries } from '../src/queue/embedded.js';
import { DeliveryWorkers } from '../src/delivery/workers.js';
import { DEFAULT_RETRY_POLICY } from '../src/queue/retry-policy.js';

const total = Number(process.argv[2] ?? 20_000);
const concurrencies = process.argv.slice(3).map(Number);
if (concurrencies.length === 0) concurrencies.push(4, 16, 32);

function fill(db: Db, n: number, destination: string): void {
  const insert = db.prepare(
    `INSERT INTO messages (id, interchange_id, transaction_set_id, partner_id, type, idempotency_key, correlation_id, business_reference, body, created_at)
     VALUES (?, NULL, NULL, 'acme', 'order', ?, ?, NULL, ?, ?)`,
  );
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `m-${i}`;
      const msg = {
        id, type: 'order', schemaVersion: 1, partnerId: 'acme', correlationId: `c-${i}`, idempotencyKey: `k-${i}`,
        source: { standard: 'X12', version: '004010', documentType: '850', channel: 'sftp', interchangeControlNumber: String(i),
          groupControlNumber: '1', transactionSetControlNumber: '0001', fileName: 'po.x12', receivedAt: new Date(now).toISOString() },
        payload: { poNumber: `PO-${i}`, lines: [{ sku: 'A1', qty: 2, price: 10.5 }, { sku: 'B2', qty: 1, price: 99 }] },
      };
      insert.run(id, msg.idempotencyKey, msg.correlationId, JSON.stringify(msg), new Date(now).toISOString());
      enqueueDelivery(db, { messageId: id, interchangeId: null, partnerId: 'acme', destination, messageType: 'order', maxAttempts: 8, state: 'pending', now });
    }
  })();
}

function rate(n: number, ms: number): string {
  return `${n} in ${ms.toFixed(0)} ms = ${Math.round((n / ms) * 1000)}/s`;
}

async function queueBench(dir: string): Promise<void> {
  for (const batch of [1, 32]) {
    const db = openDatabase(join(dir, `queue-${batch}.db`));
    fill(db, total, 'erp');
    const t0 = performance.now();
    let done = 0;
    for (;;) {
      const rows = claim(db, { now: Date.now(), leaseMs: 60_000, destination: 'erp', limit: batch });
      if (rows.length === 0) break;
      for (const r of rows) complete(db, r.id, { status: 200, response: '{"ok":true}', now: Date.now() });
      done += rows.length;
    }
    console.log(`claim+complete (claim batch ${batch}): ${rate(done, performance.now() - t0)}`);
    db.close();
  }
}

async function httpBench(dir: string): Promise<void> {
  const receiverJs = join(dir, 'receiver.mjs');
  writeFileSync(
    receiverJs,
    `import { createServer } from 'node:http';
     let n = 0;
     const s = createServer((req, res) => { req.resume(); req.on('end', () => { n++; res.writeHead(200, {'content-type':'application/json','content-length':'11'}); res.end('{"ok":true}'); }); });
     s.keepAliveTimeout = 30000;
     s.listen(0, '127.0.0.1', () => process.send({ port: s.address().port }));
     process.on('message', (m) => { if (m === 'count') process.send({ count: n }); });`,
  );
  const child = fork(receiverJs, [], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  try {
    for (const concurrency of concurrencies) {
      const db = openDatabase(join(dir, `http-${concurrency}.db`));
      fill(db, total, 'erp');
      const workers = new DeliveryWorkers({
        db,
        destinations: { erp: { name: 'erp', kind: 'http', url: `http://127.0.0.1:${port}/orders`, timeoutMs: 30_000, headers: {}, retry: DEFAULT_RETRY_POLICY, concurrency } },
        logger: pino({ level: 'silent' }),
        pollMs: 200,
        leaseMs: 60_000,
      });
      let delivered = 0;
      const finished = new Promise<void>((resolve) =>
        workers.on('delivered', () => {
          if (++delivered === total) resolve();
        }),
      );
      const t0 = performance.now();
      workers.start();
      await finished;
      const ms = performance.now() - t0;
      await workers.stop();
      const check = listDeliveries(db, { status: 'delivered', limit: 1, offset: 0 }).total;
      console.log(`HTTP deliveries, concurrency ${concurrency}: ${rate(delivered, ms)} (rows delivered: ${check})`);
      db.close();
    }
  } finally {
    child.kill();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'edigate-bench-'));
try {
  console.log(`node ${process.version}, ${total} messages`);
  await queueBench(dir);
  await httpBench(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Crash safety of the real gateway process (src/cli.ts bundled, run with node): a stream of corpus 850
 * files dropped into inbox/<partner>/, a slow ERP on a real HTTP server that records idempotency keys,
 * SIGKILL at random points at least 20 times, then a last run to the end. Also: the ERP down for a long
 * stretch (compressed with short backoffs), and SIGTERM draining.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeHome, waitFor } from '../helpers/home.js';
import { configureHome, drop, removeBundles, startGatewayProcess, variant850, type GatewayProcess } from './process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An idempotent ERP: 201 the first time it sees a key, 409 after; `delayMs` per answer; `down` answers 503. */
async function startErp(opts: { delayMs: () => number; down?: () => boolean }) {
  const accepted = new Map<string, number>();
  const received: Array<{ key: string; interchange: string; po: string; status: number; at: number }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const key = String(req.headers['idempotency-key'] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { source: { interchangeControlNumber: string }; payload: { purchaseOrderNumber: string } };
        let status: number;
        if (opts.down?.()) status = 503;
        else if (accepted.has(key)) status = 409;
        else {
          accepted.set(key, (accepted.get(key) ?? 0) + 1);
          status = 201;
        }
        received.push({ key, interchange: body.source.interchangeControlNumber, po: body.payload.purchaseOrderNumber, status, at: Date.now() });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end('{}');
      }, opts.delayMs());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    received,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function homeFor(erpUrl: string, retry: Record<string, number>): string {
  const home = makeHome([{ id: 'acme', ids: [['ZZ', 'SENDERISA']] }]);
  configureHome(home, {
    destinations: { erp: { kind: 'http', url: `${erpUrl}/orders`, timeoutMs: 3000, concurrency: 4, retry, circuitBreaker: { failureThreshold: 5, cooldownMs: 300 } } },
    intake: { settleMs: 30 },
    workers: { pollMs: 20, leaseMs: 5000 },
  });
  return home;
}

const open = (home: string) => new Database(join(home, 'data', 'edigate.db'), { readonly: true, fileMustExist: true });
const count = (db: Database.Database, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

describe('the gateway process under crashes', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(() => removeBundles());
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  function track(p: GatewayProcess): GatewayProcess {
    cleanup.push(() => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    });
    return p;
  }

  it('loses nothing and duplicates nothing at the ERP across 20 SIGKILLs', { timeout: 120_000 }, async () => {
    const erp = await startErp({ delayMs: () => 20 + Math.floor(Math.random() * 80) });
    cleanup.push(() => erp.close());
    const home = homeFor(erp.url, { maxAttempts: 1000, initialBackoffMs: 20, maxBackoffMs: 200 });
    const KILLS = 20;
    let dropped = 0;
    const feed = (n: number) => {
      for (let i = 0; i < n; i++, dropped++) drop(home, 'acme', `po-${dropped}.edi`, variant850(1000 + dropped, `PO-${dropped}`));
    };
    for (let k = 0; k < KILLS; k++) {
      feed(3);
      const p = track(await startGatewayProcess(home));
      if (k % 2 === 1) await sleep(100 + Math.floor(Math.random() * 1500)); // at any point from the start on
      else {
        await Promise.race([p.started.catch(() => undefined), sleep(15_000)]);
        await sleep(50 + Math.floor(Math.random() * 600));
      }
      p.child.kill('SIGKILL');
      expect(await p.exited).toBe('SIGKILL');
    }
    const total = dropped;

    const last = track(await startGatewayProcess(home));
    await last.started;
    const db = open(home);
    try {
      await waitFor(() => {
        const inboxLeft = readdirSync(join(home, 'inbox', 'acme')).filter((f) => !f.startsWith('.')).length;
        return inboxLeft === 0 && count(db, `SELECT count(*) AS n FROM interchanges WHERE status = 'accepted'`) === total &&
          count(db, `SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'`) === total;
      }, 'every file delivered', 60_000);
    } finally {
      db.close();
    }
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const s = open(home);
    try {
      // Every accepted transaction set has one message and it was delivered; nothing is left running or half-read.
      expect(count(s, `SELECT count(*) AS n FROM messages`)).toBe(total);
      expect(count(s, `SELECT count(DISTINCT idempotency_key) AS n FROM messages`)).toBe(total);
      expect(count(s, `SELECT count(*) AS n FROM deliveries WHERE state <> 'delivered'`)).toBe(0);
      expect(count(s, `SELECT count(*) AS n FROM deliveries WHERE state = 'running'`)).toBe(0);
      expect(count(s, `SELECT count(*) AS n FROM files WHERE status = 'received'`)).toBe(0);
      expect(count(s, `SELECT count(*) AS n FROM interchanges WHERE status = 'receiving'`)).toBe(0);
      // Each 997 once: one per accepted interchange in the store, one file each in the outbox.
      expect(count(s, `SELECT count(*) AS n FROM (SELECT interchange_id FROM acks WHERE kind = '997' GROUP BY interchange_id HAVING count(*) > 1)`)).toBe(0);
      expect(count(s, `SELECT count(*) AS n FROM acks WHERE kind = '997'`)).toBe(total);
      const keys = (s.prepare(`SELECT idempotency_key AS k FROM messages`).all() as Array<{ k: string }>).map((r) => r.k).sort();
      // The ERP accepted every key exactly once; repeats it saw carried the same key for the same interchange.
      expect([...erp.accepted.keys()].sort()).toEqual(keys);
      expect([...erp.accepted.values()].every((n) => n === 1)).toBe(true);
      const keyByInterchange = new Map<string, Set<string>>();
      for (const r of erp.received) keyByInterchange.set(r.interchange, (keyByInterchange.get(r.interchange) ?? new Set()).add(r.key));
      expect([...keyByInterchange.values()].every((k) => k.size === 1)).toBe(true);
      expect(keyByInterchange.size).toBe(total);
    } finally {
      s.close();
    }
    const outbox = join(home, 'outbox', 'acme');
    const acks997 = existsSync(outbox) ? readdirSync(outbox).filter((f) => /997/.test(f)) : [];
    expect(acks997).toHaveLength(total);
  });

  it('waits out a long ERP outage and delivers everything, in order per purchase order, when it returns', { timeout: 60_000 }, async () => {
    let down = true;
    const erp = await startErp({ delayMs: () => 5, down: () => down });
    cleanup.push(() => erp.close());
    const home = homeFor(erp.url, { maxAttempts: 1000, initialBackoffMs: 20, maxBackoffMs: 300, jitter: 0.2 });
    const p = track(await startGatewayProcess(home));
    await p.started;
    // Two files per purchase order: the second (a re-sent order) must reach the ERP after the first.
    for (let i = 0; i < 10; i++) {
      drop(home, 'acme', `a-${i}.edi`, variant850(2000 + i, `PO-X${i}`));
      drop(home, 'acme', `b-${i}.edi`, variant850(3000 + i, `PO-X${i}`));
    }
    const db = open(home);
    try {
      await waitFor(() => count(db, `SELECT count(*) AS n FROM deliveries WHERE state = 'pending' AND attempts >= 2`) === 10, 'retrying through the outage', 30_000);
      // The outage, compressed: every first delivery retried (the circuit opening and probing), the second of each order never sent.
      await sleep(1000);
      expect(count(db, `SELECT count(*) AS n FROM deliveries WHERE state = 'dead'`)).toBe(0);
      expect(new Set(erp.received.map((r) => r.interchange)).size).toBe(10);
      down = false;
      await waitFor(() => count(db, `SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'`) === 20, 'all delivered after the outage', 30_000);
    } finally {
      db.close();
    }
    const ok = erp.received.filter((r) => r.status === 201);
    expect(ok).toHaveLength(20);
    for (let i = 0; i < 10; i++) {
      const first = ok.findIndex((r) => r.interchange === String(2000 + i).padStart(9, '0'));
      const second = ok.findIndex((r) => r.interchange === String(3000 + i).padStart(9, '0'));
      expect(first).toBeGreaterThanOrEqual(0);
      expect(second).toBeGreaterThan(first);
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('SIGTERM drains: stops taking files, finishes in-flight deliveries, closes the store, exits 0', { timeout: 60_000 }, async () => {
    const erp = await startErp({ delayMs: () => 400 });
    cleanup.push(() => erp.close());
    const home = homeFor(erp.url, { maxAttempts: 10, initialBackoffMs: 20, maxBackoffMs: 200 });
    const p = track(await startGatewayProcess(home));
    await p.started;
    for (let i = 0; i < 6; i++) drop(home, 'acme', `t-${i}.edi`, variant850(4000 + i, `PO-T${i}`));
    const db = open(home);
    try {
      await waitFor(() => count(db, `SELECT count(*) AS n FROM deliveries WHERE state = 'running'`) > 0, 'deliveries in flight', 20_000);
    } finally {
      db.close();
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('gateway stopped');
    // The store was closed: its WAL checkpointed and removed by the last connection.
    expect(existsSync(join(home, 'data', 'edigate.db-wal'))).toBe(false);
    const s = open(home);
    try {
      expect(count(s, `SELECT count(*) AS n FROM deliveries WHERE state = 'running'`)).toBe(0);
      const inFlightDone = count(s, `SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'`);
      expect(inFlightDone).toBeGreaterThan(0);
      expect(inFlightDone).toBe(erp.accepted.size);
    } finally {
      s.close();
    }
  });
});

/**
 * Delivery through the whole gateway against a real HTTP server on port 0: a 503 is retried, a 400 goes
 * to the dead letters and is replayed through the ops API, and a restart with work still queued (one
 * delivery left "running" by a crash) loses nothing and delivers nothing twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/app.js';
import { makeHome, waitFor } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12');
const BASE = readFileSync(join(FIX, 'x12types__004010_850.edi'), 'latin1');
const variant = (n: number, po: string) => {
  const ctl = String(n).padStart(9, '0');
  return Buffer.from(BASE.replace('*000000001*0*T*>~', `*${ctl}*0*T*>~`).replace('IEA*1*000000001~', `IEA*1*${ctl}~`).replace('A99999-01', po), 'latin1');
};

describe('delivery to the ERP through the gateway', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function gateway(home: string, erpUrl: string, deliver = true): Promise<{ gw: Gateway; api: string }> {
    const config = loadConfig({
      home, env: { EDIGATE_ERP_URL: `${erpUrl}/orders` },
      overrides: {
        ops: { port: 0 },
        destinations: { erp: { kind: 'http', retry: { maxAttempts: 4, initialBackoffMs: 30, maxBackoffMs: 200, jitter: 0 } } },
        workers: { pollMs: 20 },
      },
    });
    const gw = await createGateway(config, { logger: pino({ level: 'silent' }), watch: false, deliver });
    await gw.start();
    return { gw, api: `http://127.0.0.1:${(gw.api.server.address() as { port: number }).port}` };
  }

  it('retries after a 503 (honouring Retry-After), dead-letters a 400 and replays it from the ops API', async () => {
    let mode: 'normal' | 'fixed' = 'normal';
    const erp = await startReceiver((req) => {
      const po = (req.json as any).payload.purchaseOrderNumber;
      if (po === 'PO-503') {
        const seen = erp.requests.filter((r) => (r.json as any).payload.purchaseOrderNumber === 'PO-503').length;
        return seen === 1 ? { status: 503, headers: { 'retry-after': '0' }, body: '{"error":"maintenance"}' } : { status: 201 };
      }
      if (po === 'PO-400' && mode === 'normal') return { status: 400, body: '{"error":"unknown ship-to 1223334445"}' };
      return { status: 201 };
    });
    cleanup.push(() => erp.close());
    const home = makeHome([{ id: 'snacks', ids: [['ZZ', 'SENDERISA']] }]);
    const { gw, api } = await gateway(home, erp.url);
    cleanup.push(() => gw.stop());

    await gw.pipeline.ingest({ bytes: variant(1, 'PO-503'), fileName: 'a.edi', channel: 'test' });
    await gw.pipeline.ingest({ bytes: variant(2, 'PO-400'), fileName: 'b.edi', channel: 'test' });

    const deliveries = async (status: string) => (await (await fetch(`${api}/api/deliveries?status=${status}`)).json()) as any;
    await waitFor(async () => (await deliveries('delivered')).total === 1 && (await deliveries('dead')).total === 1, 'one delivered, one dead');
    const ok = (await deliveries('delivered')).items[0];
    expect(ok).toMatchObject({ attempts: 2, lastStatus: 201 });
    expect(erp.requests.filter((r) => (r.json as any).payload.purchaseOrderNumber === 'PO-503')).toHaveLength(2);
    const dead = (await deliveries('dead')).items[0];
    expect(dead).toMatchObject({ attempts: 1, lastStatus: 400, lastErrorCode: 'EDIGATE_DELIVERY_HTTP_STATUS' });
    expect(dead.lastResponse).toContain('unknown ship-to 1223334445');

    // The ERP is fixed; ops replays the dead letter.
    mode = 'fixed';
    const r = await fetch(`${api}/api/deliveries/${dead.id}/replay`, { method: 'POST', headers: { 'x-edigate-actor': 'ops@example.com' } });
    expect(r.status).toBe(200);
    await waitFor(async () => (await deliveries('delivered')).total === 2, 'replayed delivery');
    const audit = gw.store.db.prepare(`SELECT actor, action, target FROM audit`).all();
    expect(audit).toEqual([{ actor: 'ops@example.com', action: 'delivery.replay', target: `delivery:${dead.id}` }]);
    const keys = erp.requests.filter((q) => (q.json as any).payload.purchaseOrderNumber === 'PO-400').map((q) => q.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    // Unknown delivery: a clear 404.
    const missing = await fetch(`${api}/api/deliveries/99999/replay`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('EDIGATE_NOT_FOUND');
  });

  it('a restart with work still queued loses nothing and delivers nothing twice', async () => {
    const erp = await startReceiver();
    cleanup.push(() => erp.close());
    const home = makeHome([{ id: 'snacks', ids: [['ZZ', 'SENDERISA']] }]);

    // First run: files accepted and queued, but the process stops before the workers deliver.
    const first = await gateway(home, erp.url, false);
    for (let i = 1; i <= 5; i++) await first.gw.pipeline.ingest({ bytes: variant(i, `PO-R${i}`), fileName: `r${i}.edi`, channel: 'test' });
    // Simulate a crash mid-delivery: one delivery claimed (running, lease held) when the process died.
    first.gw.store.db.prepare(`UPDATE deliveries SET state = 'running', attempts = 1, locked_until = ? WHERE id = (SELECT min(id) FROM deliveries)`).run(Date.now() + 600_000);
    const counts = first.gw.store.db.prepare(`SELECT state, count(*) AS n FROM deliveries GROUP BY state ORDER BY state`).all();
    expect(counts).toEqual([{ state: 'pending', n: 4 }, { state: 'running', n: 1 }]);
    await first.gw.stop();
    expect(erp.requests).toHaveLength(0);

    // Second run on the same home: everything delivered, each idempotency key once.
    const second = await gateway(home, erp.url, true);
    cleanup.push(() => second.gw.stop());
    await waitFor(() => erp.requests.length === 5, 'all five delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect(erp.requests).toHaveLength(5);
    expect(new Set(erp.requests.map((r) => r.headers['idempotency-key'])).size).toBe(5);
    expect(erp.requests.map((r) => (r.json as any).payload.purchaseOrderNumber).sort()).toEqual(['PO-R1', 'PO-R2', 'PO-R3', 'PO-R4', 'PO-R5']);
    const states = second.gw.store.db.prepare(`SELECT state, count(*) AS n FROM deliveries GROUP BY state`).all();
    expect(states).toEqual([{ state: 'delivered', n: 5 }]);
  });

  it('a file interrupted mid-processing is processed again at start, with nothing released before', async () => {
    const erp = await startReceiver();
    cleanup.push(() => erp.close());
    const home = makeHome([{ id: 'snacks', ids: [['ZZ', 'SENDERISA']] }]);
    const first = await gateway(home, erp.url, false);
    const summary = await first.gw.pipeline.ingest({ bytes: variant(7, 'PO-INT'), fileName: 'int.edi', channel: 'test' });
    // Make it look as if the process died before the file's outcome was committed.
    const db = first.gw.store.db;
    db.prepare(`UPDATE files SET status = 'received', processed_at = NULL WHERE id = ?`).run(summary.fileId);
    db.prepare(`UPDATE deliveries SET state = 'held'`).run();
    db.prepare(`DELETE FROM transmissions`).run();
    db.prepare(`DELETE FROM acks`).run();
    await first.gw.stop();

    const second = await gateway(home, erp.url, true);
    cleanup.push(() => second.gw.stop());
    await waitFor(() => erp.requests.length === 1, 'delivered after resume');
    const file = second.gw.store.files.get(summary.fileId)!;
    expect(file.status).toBe('accepted');
    expect(second.gw.store.db.prepare(`SELECT count(*) AS n FROM interchanges`).get()).toEqual({ n: 1 });
    expect(second.gw.store.db.prepare(`SELECT count(*) AS n FROM acks`).get()).toEqual({ n: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(erp.requests).toHaveLength(1);
  });
});

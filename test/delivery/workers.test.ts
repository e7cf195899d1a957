import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryWorkers, type DeliveryEvent } from '../../src/delivery/workers.js';
import { HttpConnector } from '../../src/delivery/http.js';
import type { DestinationConfig } from '../../src/config-types.js';
import {
  cancelHeld,
  claim,
  complete,
  enqueueDelivery,
  getDelivery,
  listDeliveries,
  recoverAllRunning,
  releaseHeld,
  replay,
} from '../../src/queue/embedded.js';
import type { CanonicalMessage } from '../../src/canonical/envelope.js';
import {
  FAST_RETRY,
  canonical,
  closedPort,
  directoryDest,
  httpDest,
  insertMessage,
  json,
  silentLogger,
  startReceiver,
  tempDb,
  waitFor,
  type Receiver,
  type TempDb,
} from './helpers.js';

let t: TempDb;
let receiver: Receiver | undefined;
let workers: DeliveryWorkers | undefined;

beforeEach(() => {
  t = tempDb();
});
afterEach(async () => {
  await workers?.stop();
  workers = undefined;
  await receiver?.close();
  receiver = undefined;
  t.cleanup();
});

function enqueue(destination = 'erp', opts: { state?: 'held' | 'pending'; interchangeId?: number | null; maxAttempts?: number; message?: CanonicalMessage } = {}) {
  const m = opts.message ?? canonical();
  const body = insertMessage(t.db, m, null);
  const id = enqueueDelivery(t.db, {
    messageId: m.id,
    interchangeId: opts.interchangeId ?? null,
    partnerId: m.partnerId,
    destination,
    messageType: m.type,
    maxAttempts: opts.maxAttempts ?? FAST_RETRY.maxAttempts,
    state: opts.state ?? 'pending',
    now: Date.now(),
  });
  return { id, message: m, body };
}

function startWorkers(destinations: Record<string, DestinationConfig>, extra: Partial<ConstructorParameters<typeof DeliveryWorkers>[0]> = {}) {
  workers = new DeliveryWorkers({ db: t.db, destinations, logger: silentLogger, pollMs: 50, leaseMs: 10_000, ...extra });
  const events: Array<{ kind: string; e: DeliveryEvent }> = [];
  for (const kind of ['delivered', 'retry', 'dead'] as const) workers.on(kind, (e) => events.push({ kind, e }));
  workers.start();
  return { workers, events };
}

const stateOf = (id: number) => getDelivery(t.db, id)?.state;

describe('DeliveryWorkers over HTTP', () => {
  it('delivers with the exact headers and JSON body', async () => {
    receiver = await startReceiver();
    const { id, message, body } = enqueue();
    const { events } = startWorkers({ erp: httpDest(receiver.url, { headers: { 'X-Api-Key': 'k1' } }) });
    await waitFor(() => stateOf(id) === 'delivered', 10_000, 'delivered');
    const req = receiver.requests[0]!;
    expect(req.body).toBe(body);
    expect(req.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': message.idempotencyKey,
      'x-correlation-id': message.correlationId,
      'x-edigate-message-type': 'order',
      'x-api-key': 'k1',
    });
    expect(getDelivery(t.db, id)).toMatchObject({ attempts: 1, lastStatus: 200, lastResponse: '{"ok":true}' });
    expect(events).toEqual([{ kind: 'delivered', e: expect.objectContaining({ id, messageId: message.id, destination: 'erp', attempts: 1, status: 200 }) }]);
  });

  it('counts 409 as delivered', async () => {
    receiver = await startReceiver((_r, res) => json(res, 409, { error: 'already have it' }));
    const { id } = enqueue();
    startWorkers({ erp: httpDest(receiver.url) });
    await waitFor(() => stateOf(id) === 'delivered');
    expect(getDelivery(t.db, id)).toMatchObject({ lastStatus: 409, attempts: 1 });
  });

  it('retries 503 then delivers on 200 (attempts = 2)', async () => {
    let n = 0;
    receiver = await startReceiver((_r, res) => (n++ === 0 ? json(res, 503, { error: 'maintenance' }) : json(res, 200, { ok: true })));
    const { id } = enqueue();
    const { events } = startWorkers({ erp: httpDest(receiver.url) });
    await waitFor(() => stateOf(id) === 'delivered');
    expect(getDelivery(t.db, id)).toMatchObject({ attempts: 2, lastStatus: 200, lastError: null });
    expect(events.map((e) => e.kind)).toEqual(['retry', 'delivered']);
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      receiver.requests[0]!.headers['idempotency-key'],
      receiver.requests[0]!.headers['idempotency-key'],
    ]);
  });

  it('honours Retry-After: 1 (run_at >= now + 1000)', async () => {
    let n = 0;
    receiver = await startReceiver((_r, res) => (n++ === 0 ? json(res, 503, {}, { 'retry-after': '1' }) : json(res, 200, { ok: true })));
    const { id } = enqueue();
    const before = Date.now();
    const { events } = startWorkers({ erp: httpDest(receiver.url) });
    await waitFor(() => events.some((e) => e.kind === 'retry'));
    const retry = events.find((e) => e.kind === 'retry')!.e;
    const d = getDelivery(t.db, id)!;
    expect(d.status).toBe('retrying');
    expect(d.runAt).toBe(retry.runAt);
    expect(d.runAt).toBeGreaterThanOrEqual(before + 1000);
    expect(d.lastErrorCode).toBe('EDIGATE_DELIVERY_HTTP_RETRYABLE');
    await waitFor(() => stateOf(id) === 'delivered', 10_000);
    expect(receiver.requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    receiver = await startReceiver((_r, res) => json(res, 503, {}, { 'retry-after': new Date(Date.now() + 5000).toUTCString() }));
    const { id } = enqueue();
    const before = Date.now();
    const { events } = startWorkers({ erp: httpDest(receiver.url) });
    await waitFor(() => events.some((e) => e.kind === 'retry'));
    // HTTP-dates have whole seconds: at least 4 s of the 5 remain.
    expect(getDelivery(t.db, id)!.runAt).toBeGreaterThanOrEqual(before + 4000);
  });

  it('dead-letters a 400 at once with the response body kept', async () => {
    receiver = await startReceiver((_r, res) => json(res, 400, { error: 'PO number missing' }));
    const { id } = enqueue();
    const { events } = startWorkers({ erp: httpDest(receiver.url) });
    await waitFor(() => stateOf(id) === 'dead');
    expect(getDelivery(t.db, id)).toMatchObject({
      attempts: 1, lastStatus: 400, lastErrorCode: 'EDIGATE_DELIVERY_HTTP_STATUS', lastResponse: '{"error":"PO number missing"}',
    });
    expect(events.map((e) => e.kind)).toEqual(['dead']);
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries 429', async () => {
    let n = 0;
    receiver = await startReceiver((_r, res) => (n++ < 2 ? json(res, 429, { error: 'rate limited' }) : json(res, 200, {})));
    const { id } = enqueue();
    startWorkers({ erp: httpDest(receiver.url) });
    await waitFor(() => stateOf(id) === 'delivered');
    expect(getDelivery(t.db, id)!.attempts).toBe(3);
  });

  it('dead-letters after maxAttempts of 500 (attempts = maxAttempts)', async () => {
    receiver = await startReceiver((_r, res) => json(res, 500, { error: 'boom' }));
    const { id } = enqueue('erp', { maxAttempts: 4 });
    const { events } = startWorkers({ erp: httpDest(receiver.url, { retry: { ...FAST_RETRY, maxAttempts: 4 } }) });
    await waitFor(() => stateOf(id) === 'dead');
    expect(getDelivery(t.db, id)).toMatchObject({ attempts: 4, lastStatus: 500, lastResponse: '{"error":"boom"}' });
    expect(receiver.requests).toHaveLength(4);
    expect(events.map((e) => e.kind)).toEqual(['retry', 'retry', 'retry', 'dead']);
  });

  it('retries a timeout with EDIGATE_DELIVERY_TIMEOUT', async () => {
    receiver = await startReceiver(() => { /* never answers */ });
    const { id } = enqueue();
    const { events } = startWorkers({ erp: httpDest(receiver.url, { timeoutMs: 200 }) });
    await waitFor(() => events.some((e) => e.kind === 'retry'));
    expect(getDelivery(t.db, id)).toMatchObject({ lastErrorCode: 'EDIGATE_DELIVERY_TIMEOUT', attempts: 1 });
  });

  it('retries a refused connection with EDIGATE_DELIVERY_NETWORK', async () => {
    const { id } = enqueue();
    const { events } = startWorkers({ erp: httpDest(`http://127.0.0.1:${await closedPort()}/in`) });
    await waitFor(() => events.some((e) => e.kind === 'retry'));
    expect(getDelivery(t.db, id)).toMatchObject({ lastErrorCode: 'EDIGATE_DELIVERY_NETWORK', status: 'retrying' });
  });

  it('replays a dead delivery to delivered and writes the audit row', async () => {
    let accept = false;
    receiver = await startReceiver((_r, res) => (accept ? json(res, 201, { id: 'erp-1' }) : json(res, 422, { error: 'customer blocked' })));
    const { id } = enqueue();
    const { workers } = startWorkers({ erp: httpDest(receiver.url) });
    await waitFor(() => stateOf(id) === 'dead');
    accept = true;
    replay(t.db, id, { now: Date.now(), actor: 'ops:alice' });
    workers.kick();
    await waitFor(() => stateOf(id) === 'delivered');
    expect(getDelivery(t.db, id)).toMatchObject({ attempts: 1, lastStatus: 201 });
    expect(t.db.prepare(`SELECT actor, action, target FROM audit`).all()).toEqual([
      { actor: 'ops:alice', action: 'delivery.replay', target: `delivery:${id}` },
    ]);
  });

  it('does not claim held deliveries until released; cancelled ones never', async () => {
    receiver = await startReceiver();
    const held = enqueue('erp', { state: 'held', interchangeId: 1 });
    const cancelled = enqueue('erp', { state: 'held', interchangeId: 2 });
    const { workers } = startWorkers({ erp: httpDest(receiver.url) });
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.requests).toHaveLength(0);
    cancelHeld(t.db, 2, 'interchange rejected', Date.now());
    releaseHeld(t.db, 1, Date.now());
    workers.kick();
    await waitFor(() => stateOf(held.id) === 'delivered');
    await new Promise((r) => setTimeout(r, 200));
    expect(stateOf(cancelled.id)).toBe('cancelled');
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([held.message.idempotencyKey]);
  });

  it('dead-letters a delivery naming an unknown destination', async () => {
    const { id } = enqueue('ledger');
    const { events } = startWorkers({});
    await waitFor(() => stateOf(id) === 'dead');
    expect(getDelivery(t.db, id)).toMatchObject({ lastErrorCode: 'EDIGATE_DESTINATION_UNKNOWN', attempts: 0 });
    expect(events).toEqual([{ kind: 'dead', e: expect.objectContaining({ id, code: 'EDIGATE_DESTINATION_UNKNOWN' }) }]);
  });

  it('wakes at once on kick() rather than at the next poll', async () => {
    receiver = await startReceiver();
    const { workers } = startWorkers({ erp: httpDest(receiver.url) }, { pollMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    const { id } = enqueue();
    workers.kick();
    await waitFor(() => stateOf(id) === 'delivered', 5_000);
  });

  it('picks up work enqueued without a kick at the next poll', async () => {
    receiver = await startReceiver();
    startWorkers({ erp: httpDest(receiver.url) }, { pollMs: 50 });
    await new Promise((r) => setTimeout(r, 80));
    const { id } = enqueue();
    await waitFor(() => stateOf(id) === 'delivered', 5_000);
  });

  it('serves several destinations side by side', async () => {
    receiver = await startReceiver((_r, res) => setTimeout(() => json(res, 200, {}), 2));
    const erp = Array.from({ length: 30 }, () => enqueue('erp').id);
    const wms = Array.from({ length: 5 }, () => enqueue('wms').id);
    startWorkers({ erp: httpDest(receiver.url, { concurrency: 2 }), wms: httpDest(receiver.url, { name: 'wms', concurrency: 2 }) });
    await waitFor(() => [...erp, ...wms].every((id) => stateOf(id) === 'delivered'), 10_000);
    const late = enqueue('wms');
    await waitFor(() => stateOf(late.id) === 'delivered', 5_000);
  });

  it('keeps at most `concurrency` deliveries in flight per destination', async () => {
    let inFlight = 0;
    let peak = 0;
    receiver = await startReceiver((_r, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, {});
      }, 10);
    });
    const ids = Array.from({ length: 40 }, () => enqueue().id);
    startWorkers({ erp: httpDest(receiver.url, { concurrency: 3 }) });
    await waitFor(() => ids.every((id) => stateOf(id) === 'delivered'), 20_000);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it('stop() waits for in-flight deliveries and leaves nothing running', async () => {
    receiver = await startReceiver((_r, res) => setTimeout(() => json(res, 200, {}), 100));
    const ids = Array.from({ length: 6 }, () => enqueue().id);
    const { workers } = startWorkers({ erp: httpDest(receiver.url, { concurrency: 2 }) });
    await waitFor(() => receiver!.requests.length >= 1);
    await workers.stop();
    const states = ids.map(stateOf);
    expect(states).not.toContain('running');
    expect(states.filter((s) => s === 'delivered').length).toBeGreaterThanOrEqual(1);
    expect(listDeliveries(t.db, { status: 'running', limit: 10, offset: 0 }).total).toBe(0);
  });

  it('stop() hands an attempt that outlives the wait back to pending, the attempt not counted', async () => {
    const { id } = enqueue();
    let called = 0;
    const hanging = { deliver: () => { called++; return new Promise<never>(() => {}); } };
    const { workers } = startWorkers({ erp: httpDest('http://127.0.0.1:9/never', { timeoutMs: 200 }) }, { connectors: { erp: hanging } });
    await waitFor(() => called === 1);
    expect(stateOf(id)).toBe('running');
    await workers.stop();
    expect(getDelivery(t.db, id)).toMatchObject({ state: 'pending', status: 'pending', attempts: 0, lockedUntil: null });
  });

  it('a timeout in flight at stop() is recorded as a retry, nothing left running', async () => {
    receiver = await startReceiver(() => { /* never answers */ });
    const { id } = enqueue();
    const { workers } = startWorkers({ erp: httpDest(receiver.url, { timeoutMs: 300 }) }, { leaseMs: 60_000 });
    await waitFor(() => receiver!.requests.length === 1);
    await workers.stop();
    expect(stateOf(id)).toBe('pending');
  });

  it('takes back expired leases while running', async () => {
    receiver = await startReceiver();
    const { id } = enqueue();
    claim(t.db, { now: Date.now(), leaseMs: 100, limit: 1 }); // claimed by a worker that went away
    startWorkers({ erp: httpDest(receiver.url) }, { recoverOnStart: false, reapIntervalMs: 100 });
    await new Promise((r) => setTimeout(r, 30));
    expect(stateOf(id)).toBe('running');
    await waitFor(() => stateOf(id) === 'delivered', 5_000);
    expect(getDelivery(t.db, id)!.attempts).toBe(2);
  });
});

describe('DeliveryWorkers to a folder', () => {
  it('writes each message once as <type>-<id>.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-spool-'));
    try {
      const items = Array.from({ length: 10 }, () => enqueue('files'));
      startWorkers({ files: directoryDest(join(dir, 'erp')) });
      await waitFor(() => items.every((i) => stateOf(i.id) === 'delivered'));
      expect(readdirSync(join(dir, 'erp')).sort()).toEqual(items.map((i) => `order-${i.message.id}.json`).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('restart with work still queued', () => {
  it('delivers every message after a crash, in-flight ones at least once, the others exactly once', async () => {
    const seen = new Map<string, number>();
    receiver = await startReceiver((req, res) => {
      const key = String(req.headers['idempotency-key']);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      json(res, 200, { ok: true });
    });
    const dest = httpDest(receiver.url);
    const N = 40;
    const items = Array.from({ length: N }, () => enqueue());

    // Before the crash: 10 delivered for real, 5 claimed and in flight (3 of them reached the
    // receiver, whose answers were lost), 25 still pending.
    const connector = new HttpConnector(dest);
    const now = Date.now();
    const delivered = claim(t.db, { now, leaseMs: 60_000, destination: 'erp', limit: 10 });
    for (const d of delivered) {
      const m = items.find((i) => i.id === d.id)!;
      const out = await connector.deliver(m.message, m.body);
      expect(out.kind).toBe('delivered');
      complete(t.db, d.id, { status: out.status ?? null, response: out.response ?? null, now: Date.now() });
    }
    const inFlight = claim(t.db, { now, leaseMs: 60_000, destination: 'erp', limit: 5 });
    for (const d of inFlight.slice(0, 3)) {
      const m = items.find((i) => i.id === d.id)!;
      await connector.deliver(m.message, m.body);
    }
    await connector.close();
    const inFlightKeys = new Set(inFlight.map((d) => items.find((i) => i.id === d.id)!.message.idempotencyKey));
    expect(listDeliveries(t.db, { status: 'running', limit: 100, offset: 0 }).total).toBe(5);

    // The crash: the connection goes away with rows still running.
    t.db.close();

    // The restart.
    t.reopen();
    expect(recoverAllRunning(t.db, Date.now())).toBe(5);
    expect(listDeliveries(t.db, { status: 'running', limit: 100, offset: 0 }).total).toBe(0);
    startWorkers({ erp: dest });
    await waitFor(() => listDeliveries(t.db, { status: 'delivered', limit: 1, offset: 0 }).total === N, 20_000, 'all delivered');

    expect(seen.size).toBe(N); // never lost
    for (const item of items) {
      const count = seen.get(item.message.idempotencyKey) ?? 0;
      if (inFlightKeys.has(item.message.idempotencyKey)) expect(count).toBeGreaterThanOrEqual(1);
      else expect(count).toBe(1);
    }
    expect([...inFlightKeys].map((k) => seen.get(k))).toEqual(expect.arrayContaining([2, 2, 2, 1, 1]));
  });
});

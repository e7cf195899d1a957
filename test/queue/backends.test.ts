/**
 * One behaviour suite, run against both queue backends: the embedded SQLite queue and BullMQ on the
 * real Redis at 127.0.0.1:6379 (each test under its own key prefix, removed afterwards). The ERP is
 * a real HTTP server on port 0; the store a real SQLite file.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConfig, HttpDestinationConfig } from '../../src/config-types.js';
import { DeliveryWorkers } from '../../src/delivery/workers.js';
import { BullMqDeliveryQueue } from '../../src/queue/bullmq.js';
import type { DeliveryEvent, DeliveryQueue } from '../../src/queue/queue.js';
import { enqueueDelivery, getDelivery, replay, settleAccepted } from '../../src/store/deliveries.js';
import { laneOf, orderingKeyOf } from '../../src/queue/lanes.js';
import type { CanonicalMessage } from '../../src/canonical/envelope.js';
import type { RetryPolicy } from '../../src/queue/retry-policy.js';
import { canonical, closedPort, insertMessage, json, silentLogger, startReceiver, tempDb, waitFor, type Receiver, type ReceivedRequest, type TempDb } from '../delivery/helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const FAST: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 20, maxBackoffMs: 100, multiplier: 2, jitter: 0.2 };

type Backend = 'embedded' | 'bullmq';

let t: TempDb;
let receiver: Receiver | undefined;
let queue: DeliveryQueue | undefined;
let prefix: string;

beforeEach(() => {
  t = tempDb();
  prefix = `edigate-test-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  await queue?.stop();
  queue = undefined;
  await receiver?.close();
  receiver = undefined;
  t.cleanup();
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
});

function dest(url: string, o: Partial<HttpDestinationConfig> = {}): HttpDestinationConfig {
  return { name: 'erp', kind: 'http', url, timeoutMs: 2_000, headers: {}, retry: FAST, concurrency: 4, ...o };
}

function limits(o: { rateLimit?: number | null; failureThreshold?: number; cooldownMs?: number } = {}) {
  return {
    rateLimit: o.rateLimit ?? null,
    circuitBreaker: { failureThreshold: o.failureThreshold ?? 0, cooldownMs: o.cooldownMs ?? 1000 },
    lanes: { high: ['order', 'orderChange'], low: ['inventorySnapshot'] },
  };
}

async function startQueue(backend: Backend, destinations: Record<string, DestinationConfig>): Promise<{ q: DeliveryQueue; events: Array<{ kind: string; e: DeliveryEvent }> }> {
  const q: DeliveryQueue =
    backend === 'embedded'
      ? new DeliveryWorkers({ db: t.db, destinations, logger: silentLogger, pollMs: 20, leaseMs: 10_000 })
      : new BullMqDeliveryQueue({
          db: t.db, destinations, logger: silentLogger, redisUrl: REDIS_URL, prefix, leaseMs: 10_000, pollMs: 20, sweepGraceMs: 2_000, blockedRetryMs: 20,
        });
  const events: Array<{ kind: string; e: DeliveryEvent }> = [];
  for (const kind of ['delivered', 'retry', 'dead', 'accepted'] as const) q.on(kind, (e) => events.push({ kind, e }));
  queue = q;
  await q.start();
  return { q, events };
}

/** Stores a message and its pending delivery (lane from its type, ordering key from its PO number), then wakes the queue. */
function enqueue(o: { type?: string; po?: string; maxAttempts?: number; destination?: string; message?: CanonicalMessage } = {}) {
  const type = o.type ?? 'order';
  const m = o.message ?? canonical({ type });
  const po = o.po ?? (m.payload as { poNumber?: string }).poNumber ?? null;
  insertMessage(t.db, m, null);
  const id = enqueueDelivery(t.db, {
    messageId: m.id, interchangeId: null, partnerId: m.partnerId, destination: o.destination ?? 'erp', messageType: m.type,
    maxAttempts: o.maxAttempts ?? FAST.maxAttempts, state: 'pending', now: Date.now(),
    priority: laneOf(m.type, limits().lanes), orderingKey: orderingKeyOf(m.partnerId, po),
  });
  queue?.kick();
  return { id, message: m };
}

const stateOf = (id: number) => getDelivery(t.db, id)?.state;
const keyOf = (r: ReceivedRequest) => r.headers['idempotency-key'];

describe.each<Backend>(['embedded', 'bullmq'])('delivery queue on the %s backend', (backend) => {
  it('delivers with the contract headers and body; 409 counts as delivered', async () => {
    receiver = await startReceiver((r, res) => json(res, receiver!.requests.length === 2 ? 409 : 201, { ok: true }));
    await startQueue(backend, { erp: dest(receiver.url) });
    const a = enqueue();
    const b = enqueue();
    await waitFor(() => stateOf(a.id) === 'delivered' && stateOf(b.id) === 'delivered', 10_000, 'both delivered');
    const first = receiver.requests.find((r) => keyOf(r) === a.message.idempotencyKey)!;
    expect(first.method).toBe('POST');
    expect(JSON.parse(first.body)).toEqual(a.message);
    expect(first.headers['x-correlation-id']).toBe(a.message.correlationId);
    expect(first.headers['x-edigate-message-type']).toBe('order');
    expect(receiver.requests).toHaveLength(2);
  });

  it('retries 503 and a refused connection with backoff, then delivers (attempts counted)', async () => {
    receiver = await startReceiver((_r, res) => json(res, receiver!.requests.length <= 2 ? 503 : 200, {}));
    const { events } = await startQueue(backend, { erp: dest(receiver.url), down: dest(`http://127.0.0.1:${await closedPort()}/x`, { name: 'down', retry: { ...FAST, maxAttempts: 2 } }) });
    const a = enqueue();
    const b = enqueue({ destination: 'down', maxAttempts: 2 });
    await waitFor(() => stateOf(a.id) === 'delivered' && stateOf(b.id) === 'dead', 10_000, 'delivered and dead');
    expect(getDelivery(t.db, a.id)).toMatchObject({ attempts: 3, lastStatus: 200 });
    expect(getDelivery(t.db, b.id)).toMatchObject({ attempts: 2, lastErrorCode: 'EDIGATE_DELIVERY_NETWORK' });
    const retries = events.filter((e) => e.kind === 'retry' && e.e.id === a.id);
    expect(retries.map((e) => e.e.status)).toEqual([503, 503]);
  });

  it('honours Retry-After (the next attempt not before the time it names)', async () => {
    const seen: number[] = [];
    receiver = await startReceiver((_r, res) => {
      seen.push(Date.now());
      if (seen.length === 1) json(res, 429, { slow: 'down' }, { 'retry-after': '1' });
      else json(res, 200, {});
    });
    const { events } = await startQueue(backend, { erp: dest(receiver.url) });
    const a = enqueue();
    await waitFor(() => stateOf(a.id) === 'delivered', 10_000, 'delivered');
    const retry = events.find((e) => e.kind === 'retry')!;
    expect(retry.e.runAt! - seen[0]!).toBeGreaterThanOrEqual(1000);
    expect(seen[1]!).toBeGreaterThanOrEqual(retry.e.runAt!);
  });

  it('dead-letters a 400 at once with the response body, and after maxAttempts of 500', async () => {
    receiver = await startReceiver((r, res) => {
      const type = r.headers['x-edigate-message-type'];
      if (type === 'order') json(res, 400, { error: 'unknown ship-to location' });
      else json(res, 500, { error: 'boom' });
    });
    await startQueue(backend, { erp: dest(receiver.url) });
    const bad = enqueue({ type: 'order' });
    const failing = enqueue({ type: 'invoice', maxAttempts: 3 });
    await waitFor(() => stateOf(bad.id) === 'dead' && stateOf(failing.id) === 'dead', 10_000, 'both dead');
    expect(getDelivery(t.db, bad.id)).toMatchObject({
      attempts: 1, lastStatus: 400, lastErrorCode: 'EDIGATE_DELIVERY_HTTP_STATUS', lastResponse: JSON.stringify({ error: 'unknown ship-to location' }),
    });
    expect(getDelivery(t.db, failing.id)).toMatchObject({ attempts: 3, lastStatus: 500, lastErrorCode: 'EDIGATE_DELIVERY_HTTP_RETRYABLE' });
  });

  it('replays a dead letter to delivered with the same idempotency key', async () => {
    let ok = false;
    receiver = await startReceiver((_r, res) => json(res, ok ? 200 : 422, {}));
    await startQueue(backend, { erp: dest(receiver.url) });
    const a = enqueue();
    await waitFor(() => stateOf(a.id) === 'dead', 10_000, 'dead');
    ok = true;
    replay(t.db, a.id, { now: Date.now(), actor: 'test' });
    queue!.kick();
    await waitFor(() => stateOf(a.id) === 'delivered', 10_000, 'delivered after replay');
    expect(receiver.requests.map(keyOf)).toEqual([a.message.idempotencyKey, a.message.idempotencyKey]);
  });

  it('takes the high lane first: an order overtakes a backlog of inventory snapshots', async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>((r) => (release = r));
    receiver = await startReceiver((_r, res) => {
      if (receiver!.requests.length === 1) void held.then(() => json(res, 200, {}));
      else json(res, 200, {});
    });
    await startQueue(backend, { erp: dest(receiver.url, { concurrency: 1, limits: limits() }) });
    const snapshots = Array.from({ length: 20 }, () => enqueue({ type: 'inventorySnapshot' }));
    await waitFor(() => receiver!.requests.length === 1, 10_000, 'first snapshot in flight');
    await new Promise((r) => setTimeout(r, 100)); // the rest of the backlog is queued (in Redis for BullMQ)
    const order = enqueue({ type: 'order' });
    await new Promise((r) => setTimeout(r, 100));
    release!();
    await waitFor(() => stateOf(order.id) === 'delivered' && snapshots.every((s) => stateOf(s.id) === 'delivered'), 15_000, 'all delivered');
    const types = receiver.requests.map((r) => r.headers['x-edigate-message-type']);
    expect(types[0]).toBe('inventorySnapshot');
    expect(types[1]).toBe('order');
  });

  it('keeps deliveries with the same business key in order: a change never before its order', async () => {
    let orderFailures = 0;
    receiver = await startReceiver((r, res) => {
      const type = r.headers['x-edigate-message-type'];
      if (type === 'order' && orderFailures < 3) {
        orderFailures++;
        json(res, 503, {});
      } else json(res, 200, {});
    });
    await startQueue(backend, { erp: dest(receiver.url, { retry: { ...FAST, maxAttempts: 10 } }) });
    const order = enqueue({ type: 'order', po: 'PO-77', maxAttempts: 10 });
    const change = enqueue({ type: 'orderChange', po: 'PO-77' });
    const other = enqueue({ type: 'orderChange', po: 'PO-88' });
    await waitFor(() => [order, change, other].every((d) => stateOf(d.id) === 'delivered'), 15_000, 'all delivered');
    const idx = (key: string, status?: number) => receiver!.requests.findIndex((r) => keyOf(r) === key && (status === undefined || true));
    const orderRequests = receiver.requests.map((r, i) => ({ r, i })).filter(({ r }) => keyOf(r) === order.message.idempotencyKey);
    expect(orderRequests).toHaveLength(4);
    const orderDeliveredAt = orderRequests[3]!.i;
    expect(idx(change.message.idempotencyKey as string)).toBeGreaterThan(orderDeliveredAt);
    // A different key is not held back by PO-77's retries.
    expect(idx(other.message.idempotencyKey as string)).toBeLessThan(orderDeliveredAt);
  });

  it('a dead order holds its change back until the order is replayed', async () => {
    let accept = false;
    receiver = await startReceiver((r, res) => json(res, r.headers['x-edigate-message-type'] === 'order' && !accept ? 400 : 200, {}));
    await startQueue(backend, { erp: dest(receiver.url) });
    const order = enqueue({ type: 'order', po: 'PO-9' });
    const change = enqueue({ type: 'orderChange', po: 'PO-9' });
    await waitFor(() => stateOf(order.id) === 'dead', 10_000, 'order dead');
    await new Promise((r) => setTimeout(r, 300));
    expect(stateOf(change.id)).toBe('pending');
    expect(receiver.requests.filter((r) => r.headers['x-edigate-message-type'] === 'orderChange')).toHaveLength(0);
    accept = true;
    replay(t.db, order.id, { now: Date.now(), actor: 'test' });
    queue!.kick();
    await waitFor(() => stateOf(change.id) === 'delivered', 10_000, 'change delivered');
    const types = receiver.requests.map((r) => r.headers['x-edigate-message-type']);
    expect(types).toEqual(['order', 'order', 'orderChange']);
  });

  it('keeps at most `concurrency` requests in flight and at most `rateLimit` starts per second', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    receiver = await startReceiver((_r, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, {});
      }, 40);
    });
    const starts: number[] = [];
    receiver.server.prependListener('request', () => starts.push(Date.now()));
    await startQueue(backend, {
      erp: dest(receiver.url, { concurrency: 3 }),
      slow: dest(receiver.url, { name: 'slow', concurrency: 8, limits: limits({ rateLimit: 20 }) }),
    });
    const fast = Array.from({ length: 12 }, () => enqueue());
    await waitFor(() => fast.every((d) => stateOf(d.id) === 'delivered'), 10_000, 'erp deliveries');
    expect(maxInFlight).toBe(3);
    starts.length = 0;
    const limited = Array.from({ length: 10 }, () => enqueue({ destination: 'slow' }));
    await waitFor(() => limited.every((d) => stateOf(d.id) === 'delivered'), 10_000, 'rate-limited deliveries');
    // 20 per second: one start every 50 ms at the earliest, so 10 starts span at least 9 x 50 ms (less a clock tick each).
    expect(starts.length).toBe(10);
    expect(starts[9]! - starts[0]!).toBeGreaterThanOrEqual(9 * 50 - 20);
  });

  it('opens the circuit after N consecutive failures, waits the cool-down, then probes', async () => {
    const seen: number[] = [];
    receiver = await startReceiver((_r, res) => {
      seen.push(Date.now());
      json(res, seen.length <= 3 ? 503 : 200, {});
    });
    await startQueue(backend, { erp: dest(receiver.url, { concurrency: 1, retry: { ...FAST, maxAttempts: 20 }, limits: limits({ failureThreshold: 3, cooldownMs: 600 }) }) });
    const a = enqueue({ maxAttempts: 20 });
    await waitFor(() => stateOf(a.id) === 'delivered', 10_000, 'delivered after the cool-down');
    expect(seen).toHaveLength(4);
    // Backoff alone would retry within ~100 ms; the open circuit holds the 4th attempt for the cool-down.
    expect(seen[3]! - seen[2]!).toBeGreaterThanOrEqual(600 - 5);
  });

  it('202 leaves a delivery accepted; its Location is polled to delivered, or a callback confirms it', async () => {
    let polls = 0;
    receiver = await startReceiver((r, res) => {
      if (r.method === 'GET') {
        polls++;
        if (polls < 2) json(res, 202, { status: 'processing' });
        else json(res, 200, { status: 'completed' });
        return;
      }
      const withLocation = r.headers['x-edigate-message-type'] === 'order';
      json(res, 202, { queued: true }, withLocation ? { location: '/status/42' } : {});
    });
    const { events } = await startQueue(backend, { erp: dest(receiver.url, { statusPollMs: 50 }) });
    const polled = enqueue({ type: 'order' });
    const callback = enqueue({ type: 'invoice' });
    await waitFor(() => stateOf(callback.id) === 'accepted', 10_000, 'accepted');
    await waitFor(() => stateOf(polled.id) === 'delivered', 10_000, 'polled to delivered');
    expect(receiver.requests.filter((r) => r.method === 'GET').map((r) => r.url)).toEqual(['/status/42', '/status/42']);
    expect(getDelivery(t.db, callback.id)).toMatchObject({ state: 'accepted', lastStatus: 202, statusUrl: null });
    settleAccepted(t.db, callback.id, { outcome: 'delivered', actor: 'erp-callback', now: Date.now() });
    expect(stateOf(callback.id)).toBe('delivered');
    expect(events.filter((e) => e.kind === 'accepted').map((e) => e.e.id).sort()).toEqual([polled.id, callback.id].sort());
  });

  it('OAuth 2.0 client credentials: one token for many requests, a new one after a 401', async () => {
    const issued: string[] = [];
    let valid = '';
    receiver = await startReceiver((r, res) => {
      if (r.url === '/oauth/token') {
        expect(r.headers.authorization).toBe(`Basic ${Buffer.from('edigate:s3cret').toString('base64')}`);
        expect(r.body).toContain('grant_type=client_credentials');
        valid = `tok-${issued.length + 1}`;
        issued.push(valid);
        json(res, 200, { access_token: valid, token_type: 'Bearer', expires_in: 3600 });
        return;
      }
      if (r.headers.authorization !== `Bearer ${valid}`) json(res, 401, { error: 'invalid_token' });
      else json(res, 200, {});
    });
    const base = receiver.url.replace(/\/orders.*$/, '');
    await startQueue(backend, {
      erp: dest(`${base}/api`, {
        paths: { order: '/orders' }, concurrency: 1,
        auth: { type: 'oauth2', tokenUrl: `${base}/oauth/token`, clientId: 'edigate', clientSecret: 's3cret', clientAuth: 'basic' },
      }),
    });
    const a = enqueue();
    const b = enqueue();
    await waitFor(() => stateOf(a.id) === 'delivered' && stateOf(b.id) === 'delivered', 10_000, 'two delivered');
    expect(issued).toEqual(['tok-1']);
    valid = 'revoked';
    const c = enqueue();
    await waitFor(() => stateOf(c.id) === 'delivered', 10_000, 'delivered after a new token');
    expect(issued).toEqual(['tok-1', 'tok-2']);
    expect(getDelivery(t.db, c.id)!.attempts).toBe(1);
    const posts = receiver.requests.filter((r) => r.url !== '/oauth/token');
    expect(posts.map((r) => r.url)).toEqual(['/api/orders', '/api/orders', '/api/orders', '/api/orders']);
  });
});

describe('BullMQ backend', () => {
  it('pushes released deliveries again after a crash left them out of Redis, each delivered once', async () => {
    receiver = await startReceiver((_r, res) => json(res, 200, {}));
    const destinations = { erp: dest(receiver.url) };
    // Rows released while no process ran the relay (as after a crash between commit and push).
    const rows = Array.from({ length: 5 }, () => enqueue());
    await startQueue('bullmq', destinations);
    await waitFor(() => rows.every((r) => stateOf(r.id) === 'delivered'), 10_000, 'delivered');
    // A relay that pushes the same rows again (a second process, or a restart that lost its marks) changes nothing.
    t.db.prepare(`UPDATE deliveries SET pushed_at = NULL`).run();
    queue!.kick();
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(5);
  });

  it('two worker processes against one Redis share the work, each delivery made once', async () => {
    receiver = await startReceiver((_r, res) => setTimeout(() => json(res, 200, {}), 5));
    const destinations = { erp: dest(receiver.url, { concurrency: 2 }) };
    const first = await startQueue('bullmq', destinations);
    const second = new BullMqDeliveryQueue({ db: t.db, destinations, logger: silentLogger, redisUrl: REDIS_URL, prefix, leaseMs: 10_000, pollMs: 20 });
    const secondEvents: number[] = [];
    second.on('delivered', (e) => secondEvents.push(e.id));
    await second.start();
    try {
      const rows = Array.from({ length: 60 }, () => enqueue());
      await waitFor(() => rows.every((r) => stateOf(r.id) === 'delivered'), 15_000, 'all delivered');
      expect(receiver.requests).toHaveLength(60);
      expect(new Set(receiver.requests.map(keyOf)).size).toBe(60);
      expect(first.events.filter((e) => e.kind === 'delivered').length + secondEvents.length).toBe(60);
    } finally {
      await second.stop();
    }
  });
});

// Keep the unused-import check quiet for the typed response helper.
export type { ServerResponse };

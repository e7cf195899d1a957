import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cancelHeld,
  claim,
  complete,
  deadUnknownDestinations,
  enqueueDelivery,
  fail,
  getDelivery,
  listDeliveries,
  queueDepth,
  recoverAllRunning,
  recoverExpiredLeases,
  releaseHeld,
  releaseUnfinished,
  replay,
  truncateResponse,
} from '../../src/queue/embedded.js';
import { isGatewayError } from '../../src/errors.js';
import { canonical, FAST_RETRY, insertMessage, row, tempDb, type TempDb } from '../delivery/helpers.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');

let t: TempDb;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

function enqueue(opts: { destination?: string; state?: 'held' | 'pending'; interchangeId?: number | null; now?: number; maxAttempts?: number } = {}) {
  const m = canonical();
  insertMessage(t.db, m);
  const id = enqueueDelivery(t.db, {
    messageId: m.id,
    interchangeId: opts.interchangeId ?? null,
    partnerId: m.partnerId,
    destination: opts.destination ?? 'erp',
    messageType: m.type,
    maxAttempts: opts.maxAttempts ?? 3,
    state: opts.state ?? 'pending',
    now: opts.now ?? T0,
  });
  return { id, message: m };
}

describe('enqueue and claim', () => {
  it('enqueues inside the caller transaction and rolls back with it', () => {
    const m = canonical();
    expect(() =>
      t.db.transaction(() => {
        insertMessage(t.db, m);
        enqueueDelivery(t.db, { messageId: m.id, interchangeId: null, partnerId: 'p', destination: 'erp', messageType: 'order', maxAttempts: 3, state: 'pending', now: T0 });
        throw new Error('pipeline failed');
      })(),
    ).toThrow('pipeline failed');
    expect(listDeliveries(t.db, { limit: 10, offset: 0 }).total).toBe(0);
  });

  it('returns the existing id for the same message and destination', () => {
    const { id, message } = enqueue();
    const again = enqueueDelivery(t.db, {
      messageId: message.id, interchangeId: null, partnerId: 'p', destination: 'erp', messageType: 'order', maxAttempts: 3, state: 'pending', now: T0,
    });
    expect(again).toBe(id);
    expect(listDeliveries(t.db, { limit: 10, offset: 0 }).total).toBe(1);
  });

  it('claims ready rows oldest first, by destination, under a lease, attempts + 1', () => {
    const a = enqueue({ now: T0 + 2 });
    const b = enqueue({ now: T0 + 1 });
    const c = enqueue({ now: T0 + 1 });
    enqueue({ now: T0 + 1, destination: 'wms' });
    enqueue({ now: T0 + 10_000 }); // not ready yet
    const rows = claim(t.db, { now: T0 + 100, leaseMs: 5000, destination: 'erp', limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([b.id, c.id, a.id]);
    for (const r of rows) {
      expect(r.state).toBe('running');
      expect(r.attempts).toBe(1);
      expect(r.lockedUntil).toBe(T0 + 5100);
    }
    expect(claim(t.db, { now: T0 + 100, leaseMs: 5000, destination: 'erp', limit: 10 })).toEqual([]);
    expect(claim(t.db, { now: T0 + 100, leaseMs: 5000, limit: 10 }).map((r) => r.destination)).toEqual(['wms']);
  });

  it('respects the limit', () => {
    for (let i = 0; i < 5; i++) enqueue({ now: T0 + i });
    expect(claim(t.db, { now: T0 + 10, leaseMs: 1000, limit: 2 })).toHaveLength(2);
    expect(claim(t.db, { now: T0 + 10, leaseMs: 1000, limit: 0 })).toHaveLength(0);
    expect(claim(t.db, { now: T0 + 10, leaseMs: 1000, limit: 10 })).toHaveLength(3);
  });

  it('keeps the claim on the (state, run_at) index', () => {
    for (const op of ['IN', '=']) {
      for (const dest of [`AND destination = 'erp'`, '']) {
        const plan = t.db
          .prepare(
            `EXPLAIN QUERY PLAN UPDATE deliveries SET state = 'running' WHERE id ${op} (SELECT id FROM deliveries WHERE state = 'pending'
             AND run_at <= 1 ${dest} ORDER BY run_at, id LIMIT 4) RETURNING *`,
          )
          .all() as Array<{ detail: string }>;
        const text = plan.map((p) => p.detail).join('\n');
        expect(text).toMatch(/USING (COVERING )?INDEX deliveries_ready/);
        expect(text).not.toMatch(/SCAN deliveries|TEMP B-TREE FOR ORDER BY/);
      }
    }
  });
});

describe('held and cancelled deliveries', () => {
  it('are not claimed until released; cancelled ones never', () => {
    const held = enqueue({ state: 'held', interchangeId: 7 });
    const other = enqueue({ state: 'held', interchangeId: 8 });
    expect(claim(t.db, { now: T0 + 1000, leaseMs: 1000, limit: 10 })).toEqual([]);
    expect(listDeliveries(t.db, { status: 'held', limit: 10, offset: 0 }).total).toBe(2);

    expect(releaseHeld(t.db, 7, T0 + 1000)).toBe(1);
    expect(cancelHeld(t.db, 8, 'interchange rejected', T0 + 1000)).toBe(1);
    expect(releaseHeld(t.db, 8, T0 + 1000)).toBe(0);
    expect(getDelivery(t.db, other.id)).toMatchObject({ state: 'cancelled', status: 'cancelled', lastError: 'interchange rejected' });

    const rows = claim(t.db, { now: T0 + 2000, leaseMs: 1000, limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([held.id]);
    expect(claim(t.db, { now: T0 + 999_999, leaseMs: 1000, limit: 10 })).toEqual([]);
    expect(() => replay(t.db, other.id, { now: T0, actor: 'ops' })).toThrow(/cancelled/);
  });
});

describe('complete and fail', () => {
  it('completes with status and a truncated response', () => {
    const { id } = enqueue();
    claim(t.db, { now: T0, leaseMs: 1000, limit: 1 });
    expect(complete(t.db, id, { status: 201, response: 'x'.repeat(10_000), now: T0 + 5 })).toBe(true);
    const d = getDelivery(t.db, id)!;
    expect(d).toMatchObject({ state: 'delivered', status: 'delivered', lastStatus: 201, attempts: 1, lockedUntil: null });
    expect(d.lastResponse).toHaveLength(4096);
    expect(d.deliveredAt).toBe(new Date(T0 + 5).toISOString());
    expect(complete(t.db, id, { now: T0 + 6 })).toBe(false);
  });

  it('schedules a retry with backoff, honouring a longer Retry-After', () => {
    const { id } = enqueue();
    claim(t.db, { now: T0, leaseMs: 1000, limit: 1 });
    const r = fail(t.db, id, {
      error: 'HTTP 503', code: 'EDIGATE_DELIVERY_HTTP_RETRYABLE', status: 503, response: 'busy', retryable: true, retryAfterMs: 1000,
      now: T0 + 10, policy: FAST_RETRY,
    })!;
    expect(r).toMatchObject({ state: 'pending', attempts: 1, maxAttempts: 3 });
    expect(r.runAt).toBeGreaterThanOrEqual(T0 + 10 + 1000);
    const d = getDelivery(t.db, id)!;
    expect(d).toMatchObject({ state: 'pending', status: 'retrying', lastStatus: 503, lastResponse: 'busy', lastErrorCode: 'EDIGATE_DELIVERY_HTTP_RETRYABLE', runAt: r.runAt });
    expect(claim(t.db, { now: r.runAt - 1, leaseMs: 1000, limit: 1 })).toEqual([]);
    expect(claim(t.db, { now: r.runAt, leaseMs: 1000, limit: 1 })).toHaveLength(1);
  });

  it('uses the policy backoff when no Retry-After is given', () => {
    const { id } = enqueue();
    claim(t.db, { now: T0, leaseMs: 1000, limit: 1 });
    const r = fail(t.db, id, { error: 'reset', retryable: true, now: T0, policy: FAST_RETRY, random: () => 0.5 })!;
    expect(r.delayMs).toBe(20);
    expect(r.runAt).toBe(T0 + 20);
  });

  it('dead-letters at once when not retryable, keeping the response', () => {
    const { id } = enqueue();
    claim(t.db, { now: T0, leaseMs: 1000, limit: 1 });
    const r = fail(t.db, id, { error: 'HTTP 400', code: 'EDIGATE_DELIVERY_HTTP_STATUS', status: 400, response: '{"error":"bad sku"}', retryable: false, now: T0, policy: FAST_RETRY })!;
    expect(r.state).toBe('dead');
    expect(getDelivery(t.db, id)).toMatchObject({ state: 'dead', attempts: 1, lastStatus: 400, lastResponse: '{"error":"bad sku"}' });
  });

  it('dead-letters when attempts reach max_attempts', () => {
    const { id } = enqueue({ maxAttempts: 3 });
    let now = T0;
    for (let i = 1; i <= 3; i++) {
      const rows = claim(t.db, { now, leaseMs: 1000, limit: 1 });
      expect(rows[0]?.attempts).toBe(i);
      const r = fail(t.db, id, { error: 'HTTP 500', retryable: true, now, policy: FAST_RETRY })!;
      expect(r.state).toBe(i < 3 ? 'pending' : 'dead');
      now = r.runAt;
    }
    expect(getDelivery(t.db, id)).toMatchObject({ state: 'dead', attempts: 3 });
    expect(claim(t.db, { now: now + 1e9, leaseMs: 1000, limit: 1 })).toEqual([]);
  });

  it('ignores a failure of a row that is no longer running', () => {
    const { id } = enqueue();
    expect(fail(t.db, id, { error: 'x', retryable: true, now: T0, policy: FAST_RETRY })).toBeUndefined();
    expect(fail(t.db, 9999, { error: 'x', retryable: true, now: T0, policy: FAST_RETRY })).toBeUndefined();
  });
});

describe('leases and recovery', () => {
  it('returns expired leases to pending, not live ones', () => {
    const a = enqueue();
    const b = enqueue();
    claim(t.db, { now: T0, leaseMs: 1000, limit: 1 });
    claim(t.db, { now: T0 + 500, leaseMs: 1000, limit: 1 });
    expect(recoverExpiredLeases(t.db, T0 + 1200)).toBe(1);
    expect(getDelivery(t.db, a.id)).toMatchObject({ state: 'pending', attempts: 1, lockedUntil: null });
    expect(getDelivery(t.db, b.id)).toMatchObject({ state: 'running' });
  });

  it('recoverAllRunning returns every running row, attempts kept', () => {
    enqueue();
    enqueue();
    claim(t.db, { now: T0, leaseMs: 60_000, limit: 5 });
    expect(recoverAllRunning(t.db, T0 + 1)).toBe(2);
    expect(listDeliveries(t.db, { status: 'retrying', limit: 10, offset: 0 }).total).toBe(2);
  });

  it('releaseUnfinished gives back the attempt cut short', () => {
    const { id } = enqueue();
    claim(t.db, { now: T0, leaseMs: 60_000, limit: 1 });
    expect(releaseUnfinished(t.db, [id], T0)).toBe(1);
    expect(getDelivery(t.db, id)).toMatchObject({ state: 'pending', status: 'pending', attempts: 0 });
  });

  it('dead-letters ready rows of unknown destinations', () => {
    const known = enqueue({ destination: 'erp' });
    const unknown = enqueue({ destination: 'gone' });
    const dead = deadUnknownDestinations(t.db, ['erp'], T0 + 1);
    expect(dead.map((d) => d.id)).toEqual([unknown.id]);
    expect(getDelivery(t.db, unknown.id)).toMatchObject({ state: 'dead', lastErrorCode: 'EDIGATE_DESTINATION_UNKNOWN' });
    expect(getDelivery(t.db, known.id)?.state).toBe('pending');
  });
});

describe('replay, list, depth', () => {
  it('replays a dead delivery with attempts reset and an audit row', () => {
    const { id } = enqueue();
    claim(t.db, { now: T0, leaseMs: 1000, limit: 1 });
    fail(t.db, id, { error: 'HTTP 400', status: 400, retryable: false, now: T0, policy: FAST_RETRY });
    const d = replay(t.db, id, { now: T0 + 100, actor: 'alice' });
    expect(d).toMatchObject({ state: 'pending', status: 'pending', attempts: 0, runAt: T0 + 100, lastStatus: 400 });
    const audit = t.db.prepare(`SELECT * FROM audit`).all() as Array<Record<string, string>>;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'alice', action: 'delivery.replay', target: `delivery:${id}` });
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ fromState: 'dead', attempts: 1 });
  });

  it('replays a delivered one (forced resend) and refuses pending ones and unknown ids', () => {
    const { id } = enqueue();
    claim(t.db, { now: T0, leaseMs: 1000, limit: 1 });
    complete(t.db, id, { status: 200, now: T0 });
    expect(replay(t.db, id, { now: T0, actor: 'ops' })).toMatchObject({ state: 'pending', deliveredAt: null });
    try {
      replay(t.db, id, { now: T0, actor: 'ops' });
      expect.unreachable();
    } catch (err) {
      expect(isGatewayError(err, 'EDIGATE_INVALID_REQUEST')).toBe(true);
    }
    try {
      replay(t.db, 424242, { now: T0, actor: 'ops' });
      expect.unreachable();
    } catch (err) {
      expect(isGatewayError(err, 'EDIGATE_NOT_FOUND')).toBe(true);
    }
    expect((t.db.prepare(`SELECT count(*) AS n FROM audit`).get() as { n: number }).n).toBe(1);
  });

  it('lists by status (pending vs retrying), partner, destination, interchange, newest first', () => {
    const a = enqueue({ interchangeId: 1 });
    const b = enqueue({ interchangeId: 1, destination: 'wms' });
    const c = enqueue({ interchangeId: 2 });
    claim(t.db, { now: T0, leaseMs: 1000, destination: 'wms', limit: 1 });
    fail(t.db, b.id, { error: 'x', retryable: true, now: T0, policy: FAST_RETRY });
    const all = listDeliveries(t.db, { limit: 10, offset: 0 });
    expect(all.items.map((d) => d.id)).toEqual([c.id, b.id, a.id]);
    expect(all.items[0]).toHaveProperty('messageId');
    expect(listDeliveries(t.db, { status: 'pending', limit: 10, offset: 0 }).items.map((d) => d.id)).toEqual([c.id, a.id]);
    expect(listDeliveries(t.db, { status: 'retrying', limit: 10, offset: 0 }).items.map((d) => d.id)).toEqual([b.id]);
    expect(listDeliveries(t.db, { destination: 'erp', interchangeId: 1, limit: 10, offset: 0 }).items.map((d) => d.id)).toEqual([a.id]);
    expect(listDeliveries(t.db, { partnerId: 'nobody', limit: 10, offset: 0 }).total).toBe(0);
    const page = listDeliveries(t.db, { limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3 });
    expect(page.items.map((d) => d.id)).toEqual([b.id]);
    expect(() => listDeliveries(t.db, { status: 'bogus' as never, limit: 10, offset: 0 })).toThrow(/unknown delivery status/);
  });

  it('counts the queue by destination and state', () => {
    enqueue();
    enqueue();
    enqueue({ state: 'held', interchangeId: 3 });
    const r = enqueue({ destination: 'wms' });
    claim(t.db, { now: T0, leaseMs: 1000, destination: 'wms', limit: 1 });
    fail(t.db, r.id, { error: 'x', retryable: true, now: T0, policy: FAST_RETRY });
    const done = enqueue({ destination: 'wms' });
    claim(t.db, { now: T0 + 1, leaseMs: 1000, destination: 'wms', limit: 1 });
    complete(t.db, done.id, { now: T0 });
    expect(queueDepth(t.db)).toEqual([
      { destination: 'erp', state: 'held', count: 1 },
      { destination: 'erp', state: 'pending', count: 2 },
      { destination: 'wms', state: 'retrying', count: 1 },
    ]);
    expect(queueDepth(t.db, { includeFinished: true })).toContainEqual({ destination: 'wms', state: 'delivered', count: 1 });
  });

  it('never deletes: rows of every state stay', () => {
    for (let i = 0; i < 3; i++) enqueue();
    const [x, y] = claim(t.db, { now: T0, leaseMs: 1000, limit: 2 });
    complete(t.db, x!.id, { now: T0 });
    fail(t.db, y!.id, { error: 'gone', retryable: false, now: T0, policy: FAST_RETRY });
    expect((t.db.prepare(`SELECT count(*) AS n FROM deliveries`).get() as { n: number }).n).toBe(3);
    expect(row(t.db, y!.id).state).toBe('dead');
  });
});

describe('truncateResponse', () => {
  it('cuts at 4 KiB without splitting a UTF-8 character', () => {
    expect(truncateResponse(null)).toBeNull();
    expect(truncateResponse('short')).toBe('short');
    const s = 'a' + '€'.repeat(2000); // 1 + 6000 bytes
    const cut = truncateResponse(s)!;
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4096);
    expect(cut.endsWith('€')).toBe(true);
    expect(cut).toBe('a' + '€'.repeat(1365));
  });
});

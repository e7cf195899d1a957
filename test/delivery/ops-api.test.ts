/**
 * Dead letters, replay (one and many, dry run first), dismissal and 202 callbacks through the ops API
 * of an in-process gateway, with a real ERP on port 0; every operator action in the audit table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeHome, startTestGateway, waitFor } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';
import { variant850 } from '../e2e/process.js';
import type { Gateway } from '../../src/app.js';

describe('dead letters and callbacks in the ops API', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(answer: (po: string, n: number) => { status: number; body?: string; headers?: Record<string, string> }) {
    const seen = new Map<string, number>();
    const erp = await startReceiver((req) => {
      const po = (req.json as { payload: { purchaseOrderNumber: string } }).payload.purchaseOrderNumber;
      seen.set(po, (seen.get(po) ?? 0) + 1);
      return answer(po, seen.get(po)!);
    });
    cleanup.push(() => erp.close());
    const home = makeHome([{ id: 'snacks', ids: [['ZZ', 'SENDERISA']] }]);
    const { gw, api } = await startTestGateway(home, erp.url, { watch: false, retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20 } });
    cleanup.push(() => gw.stop());
    return { erp, gw, api };
  }

  const ingest = (gw: Gateway, n: number, po: string) => gw.pipeline.ingest({ bytes: variant850(n, po), fileName: `${po}.edi`, channel: 'test' });
  const audit = (gw: Gateway) => gw.store.db.prepare(`SELECT actor, action, target, detail FROM audit ORDER BY id`).all() as Array<{ actor: string; action: string; target: string; detail: string }>;

  it('lists dead letters with reason, attempts and last response; replays many by filter after a dry run; dismisses with a reason', async () => {
    let fixed = false;
    const { gw, api } = await setup((po) => {
      if (po.startsWith('BAD') && !fixed) return { status: 422, body: JSON.stringify({ error: `unknown item on ${po}`, pad: 'x'.repeat(10_000) }) };
      if (po === 'DOWN') return { status: 503, body: '{"error":"maintenance"}' };
      return { status: 201 };
    });
    for (const [n, po] of [[1, 'BAD-1'], [2, 'BAD-2'], [3, 'DOWN'], [4, 'GOOD']] as const) await ingest(gw, n, po);
    await waitFor(async () => (await (await fetch(`${api}/api/deliveries?status=dead`)).json() as { total: number }).total === 3, 'three dead letters');

    const dead = (await (await fetch(`${api}/api/deliveries?status=dead`)).json()) as { items: Array<Record<string, unknown>> };
    const bad1 = dead.items.find((d) => String(d.lastResponse).includes('BAD-1'))!;
    expect(bad1).toMatchObject({ status: 'dead', attempts: 1, lastStatus: 422, lastErrorCode: 'EDIGATE_DELIVERY_HTTP_STATUS', lastError: 'destination answered HTTP 422' });
    expect(Buffer.byteLength(String(bad1.lastResponse))).toBe(4096);
    const down = dead.items.find((d) => d.lastStatus === 503)!;
    expect(down).toMatchObject({ attempts: 2, lastErrorCode: 'EDIGATE_DELIVERY_HTTP_RETRYABLE', lastResponse: '{"error":"maintenance"}' });

    // Filters: error code, message type, partner, time range.
    const q = async (qs: string) => ((await (await fetch(`${api}/api/deliveries?status=dead&${qs}`)).json()) as { total: number }).total;
    expect(await q('error=EDIGATE_DELIVERY_HTTP_STATUS')).toBe(2);
    expect(await q('error=maintenance')).toBe(1);
    expect(await q('type=order&partner=snacks')).toBe(3);
    expect(await q('to=2000-01-01')).toBe(0);

    // Dry run first (the default): a count, nothing changes.
    const post = (path: string, body: unknown, actor = 'maria') =>
      fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-edigate-actor': actor }, body: JSON.stringify(body) });
    const dry = (await (await post('/api/deliveries/replay', { error: 'EDIGATE_DELIVERY_HTTP_STATUS', partner: 'snacks', from: '2000-01-01' })).json()) as { count: number; dryRun: boolean; ids: number[] };
    expect(dry).toMatchObject({ count: 2, dryRun: true });
    expect(await q('')).toBe(3);
    fixed = true;
    const done = (await (await post('/api/deliveries/replay', { error: 'EDIGATE_DELIVERY_HTTP_STATUS', dryRun: false })).json()) as { count: number; dryRun: boolean; ids: number[] };
    expect(done).toMatchObject({ count: 2, dryRun: false, ids: dry.ids });
    await waitFor(() => dry.ids.every((id) => gw.store.db.prepare(`SELECT state FROM deliveries WHERE id = ?`).pluck().get(id) === 'delivered'), 'replayed ones delivered');

    // Dismiss the last one with a reason; a reason is required; only dead letters can be dismissed.
    expect((await post(`/api/deliveries/${down.id}/dismiss`, {})).status).toBe(400);
    const dismissed = (await (await post(`/api/deliveries/${down.id}/dismiss`, { reason: 'order cancelled by phone' }, 'li')).json()) as Record<string, unknown>;
    expect(dismissed).toMatchObject({ status: 'dismissed', dismissReason: 'order cancelled by phone' });
    expect((await post(`/api/deliveries/${down.id}/dismiss`, { reason: 'again' })).status).toBe(400);
    expect(await q('')).toBe(0);

    const rows = audit(gw);
    expect(rows.filter((r) => r.action === 'delivery.replay').map((r) => [r.actor, r.target])).toEqual(dry.ids.map((id) => ['maria', `delivery:${id}`]));
    expect(rows.find((r) => r.action === 'delivery.replay-many')).toMatchObject({ actor: 'maria' });
    expect(JSON.parse(rows.find((r) => r.action === 'delivery.replay-many')!.detail)).toEqual({ filter: { error: 'EDIGATE_DELIVERY_HTTP_STATUS' }, count: 2 });
    expect(rows.find((r) => r.action === 'delivery.dismiss')).toMatchObject({ actor: 'li', target: `delivery:${down.id}` });
  });

  it('keeps a 202 accepted until the ERP calls back: confirm delivers, fail dead-letters with the reason', async () => {
    const { gw, api } = await setup(() => ({ status: 202, body: '{"queued":true}' }));
    await ingest(gw, 1, 'ASYNC-1');
    await ingest(gw, 2, 'ASYNC-2');
    await waitFor(async () => ((await (await fetch(`${api}/api/deliveries?status=accepted`)).json()) as { total: number }).total === 2, 'two accepted');
    const items = ((await (await fetch(`${api}/api/deliveries?status=accepted`)).json()) as { items: Array<{ id: number }> }).items;
    const [a, b] = [items[1]!.id, items[0]!.id];
    const post = (path: string, body: unknown) =>
      fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-edigate-actor': 'erp' }, body: JSON.stringify(body) });
    expect(await (await post(`/api/deliveries/${a}/confirm`, {})).json()).toMatchObject({ status: 'delivered' });
    expect(await (await post(`/api/deliveries/${b}/fail`, { reason: 'PO line 3: item discontinued' })).json()).toMatchObject({
      status: 'dead', lastError: 'PO line 3: item discontinued', lastErrorCode: 'EDIGATE_DELIVERY_ASYNC_FAILED',
    });
    expect((await post(`/api/deliveries/${a}/confirm`, {})).status).toBe(400);
    expect(audit(gw).filter((r) => r.action.startsWith('delivery.')).map((r) => [r.actor, r.action])).toEqual([['erp', 'delivery.confirm'], ['erp', 'delivery.fail']]);
    const dest = (await (await fetch(`${api}/api/destinations`)).json()) as { queue: string; items: Array<{ name: string }> };
    expect(dest.queue).toBe('embedded');
    expect(dest.items.map((d) => d.name).sort()).toEqual(['erp', 'wms']);
  });
});

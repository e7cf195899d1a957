import { afterEach, describe, expect, it } from 'vitest';
import { HttpConnector, outcomeForStatus } from '../../src/delivery/http.js';
import { canonical, closedPort, httpDest, json, startReceiver, type Receiver } from './helpers.js';

let receiver: Receiver | undefined;
let connector: HttpConnector | undefined;
afterEach(async () => {
  await connector?.close();
  await receiver?.close();
  connector = undefined;
  receiver = undefined;
});

async function setup(respond?: Receiver['respond'], overrides: Parameters<typeof httpDest>[1] = {}) {
  receiver = await startReceiver(respond);
  connector = new HttpConnector(httpDest(receiver.url, overrides));
  return { receiver, connector };
}

describe('HttpConnector', () => {
  it('POSTs the canonical JSON with the contract headers and static headers', async () => {
    const { receiver, connector } = await setup(undefined, { headers: { Authorization: 'Bearer t0k3n', 'Idempotency-Key': 'must-not-win' } });
    const m = canonical();
    const body = JSON.stringify(m);
    const out = await connector.deliver(m, body);
    expect(out).toMatchObject({ kind: 'delivered', status: 200, response: '{"ok":true}' });
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/orders?src=edigate');
    expect(req.body).toBe(body);
    expect(JSON.parse(req.body)).toEqual(m);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe(m.idempotencyKey);
    expect(req.headers['x-correlation-id']).toBe(m.correlationId);
    expect(req.headers['x-edigate-message-type']).toBe('order');
    expect(req.headers['authorization']).toBe('Bearer t0k3n');
  });

  it('counts 409 as delivered', async () => {
    const { connector } = await setup((_r, res) => json(res, 409, { error: 'duplicate idempotency key' }));
    const m = canonical();
    expect(await connector.deliver(m, JSON.stringify(m))).toMatchObject({ kind: 'delivered', status: 409 });
  });

  it('dead-letters a 400 at once, keeping the response body', async () => {
    const { connector } = await setup((_r, res) => json(res, 400, { error: 'unknown sku A1' }));
    const m = canonical();
    expect(await connector.deliver(m, JSON.stringify(m))).toEqual({
      kind: 'dead', status: 400, code: 'EDIGATE_DELIVERY_HTTP_STATUS', error: 'destination answered HTTP 400', response: '{"error":"unknown sku A1"}',
    });
  });

  it('retries 429 with its Retry-After', async () => {
    const { connector } = await setup((_r, res) => json(res, 429, { error: 'slow down' }, { 'retry-after': '7' }));
    const m = canonical();
    expect(await connector.deliver(m, JSON.stringify(m))).toMatchObject({
      kind: 'retry', status: 429, code: 'EDIGATE_DELIVERY_HTTP_RETRYABLE', retryAfterMs: 7000,
    });
  });

  it('retries 503 with Retry-After as an HTTP-date', async () => {
    const { connector } = await setup((_r, res) => json(res, 503, {}, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }));
    const m = canonical();
    const out = await connector.deliver(m, JSON.stringify(m));
    expect(out.kind).toBe('retry');
    expect(out.retryAfterMs).toBeGreaterThan(27_000);
    expect(out.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('classifies statuses per the contract', () => {
    const kind = (s: number) => outcomeForStatus(s, undefined, '', 0).kind;
    expect([200, 201, 204, 299, 409].map(kind)).toEqual(Array(5).fill('delivered'));
    expect([408, 425, 429, 500, 502, 503, 504, 599].map(kind)).toEqual(Array(8).fill('retry'));
    expect([301, 400, 401, 403, 404, 405, 410, 413, 415, 422].map(kind)).toEqual(Array(10).fill('dead'));
    expect(kind(202)).toBe('accepted');
  });

  it('times out a destination that never answers', async () => {
    const { connector } = await setup(() => { /* never answers */ }, { timeoutMs: 300 });
    const m = canonical();
    const out = await connector.deliver(m, JSON.stringify(m));
    expect(out).toMatchObject({ kind: 'retry', code: 'EDIGATE_DELIVERY_TIMEOUT' });
  });

  it('retries a refused connection as a network error', async () => {
    connector = new HttpConnector(httpDest(`http://127.0.0.1:${await closedPort()}/in`));
    const m = canonical();
    const out = await connector.deliver(m, JSON.stringify(m));
    expect(out).toMatchObject({ kind: 'retry', code: 'EDIGATE_DELIVERY_NETWORK' });
    expect(out.error).toContain('ECONNREFUSED');
  });

  it('retries a connection reset by the destination', async () => {
    const { connector } = await setup((req) => req.socket.destroy());
    const m = canonical();
    expect(await connector.deliver(m, JSON.stringify(m))).toMatchObject({ kind: 'retry', code: 'EDIGATE_DELIVERY_NETWORK' });
  });

  it('reads large response bodies to the end (keeping 4 KiB) and reuses the connection', async () => {
    const big = 'z'.repeat(200_000);
    const { receiver, connector } = await setup((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(big);
    }, { concurrency: 1 });
    for (let i = 0; i < 20; i++) {
      const m = canonical();
      const out = await connector.deliver(m, JSON.stringify(m));
      expect(out.kind).toBe('delivered');
      expect(out.response).toHaveLength(4096);
    }
    expect(receiver.requests).toHaveLength(20);
    expect(receiver.connections).toBe(1);
  });

  it('sends URL credentials as Basic authorization', async () => {
    receiver = await startReceiver();
    connector = new HttpConnector(httpDest(receiver.url.replace('http://', 'http://erp%20user:s3cr%3At@')));
    const m = canonical();
    await connector.deliver(m, JSON.stringify(m));
    expect(receiver.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('erp user:s3cr:t').toString('base64')}`);
  });

  it('dead-letters a message whose header value cannot be sent', async () => {
    const { receiver, connector } = await setup();
    const m = canonical({ correlationId: 'bad\r\nX-Injected: 1' });
    const out = await connector.deliver(m, JSON.stringify(m));
    expect(out).toMatchObject({ kind: 'dead', code: 'EDIGATE_DELIVERY_REQUEST_INVALID' });
    expect(receiver.requests).toHaveLength(0);
  });
});

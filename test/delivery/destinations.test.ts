/**
 * Destinations from edigate.yaml: base URL with a path per message type, secrets from the environment
 * (never in logs or API output), every problem reported together, TLS with a custom CA and a client
 * certificate made by the real `openssl` CLI, served by a real node:https server requiring it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { GatewayError } from '../../src/errors.js';
import { REDACT_PATHS } from '../../src/logger.js';
import { HttpConnector } from '../../src/delivery/http.js';
import { publicDestination } from '../../src/delivery/destinations.js';
import type { HttpDestinationConfig } from '../../src/config-types.js';
import { canonical, json, startReceiver } from './helpers.js';

function home(yaml: string): string {
  const h = mkdtempSync(join(tmpdir(), 'edigate-dest-'));
  writeFileSync(join(h, 'edigate.yaml'), yaml);
  return h;
}

describe('destination configuration', () => {
  it('reads baseUrl + paths, auth and headers with secrets from the environment', async () => {
    const receiver = await startReceiver((r, res) => json(res, 200, { got: r.url }));
    try {
      const base = `http://127.0.0.1:${receiver.port}`;
      const h = home([
        'destinations:',
        '  erp:',
        '    kind: http',
        `    baseUrl: ${base}/api/v2`,
        '    paths: { order: /orders, shipment: /shipments }',
        '    auth: { type: basic, username: edigate, password: "${ERP_PASSWORD}" }',
        '    headers: { X-Tenant: acme, X-Api-Key: { env: ERP_API_KEY } }',
        '    rateLimit: 25',
        '    circuitBreaker: { failureThreshold: 4, cooldownMs: 2000 }',
        '    lanes: { high: [order], low: [inventorySnapshot] }',
      ].join('\n'));
      const config = loadConfig({ home: h, env: { ERP_PASSWORD: 'pa55-w0rd', ERP_API_KEY: 'key-123' } });
      const erp = config.destinations.erp as HttpDestinationConfig;
      expect(erp).toMatchObject({ url: `${base}/api/v2`, paths: { order: '/orders', shipment: '/shipments' }, headers: { 'X-Tenant': 'acme', 'X-Api-Key': 'key-123' } });
      expect(erp.limits).toEqual({ rateLimit: 25, circuitBreaker: { failureThreshold: 4, cooldownMs: 2000 }, lanes: { high: ['order'], low: ['inventorySnapshot'] } });
      const c = new HttpConnector(erp);
      try {
        const order = canonical({ type: 'order' });
        const shipment = canonical({ type: 'shipment' });
        const invoice = canonical({ type: 'invoice' });
        expect((await c.deliver(order, JSON.stringify(order))).kind).toBe('delivered');
        expect((await c.deliver(shipment, JSON.stringify(shipment))).kind).toBe('delivered');
        expect(await c.deliver(invoice, JSON.stringify(invoice))).toMatchObject({ kind: 'dead', code: 'EDIGATE_DESTINATION_NO_PATH' });
      } finally {
        await c.close();
      }
      expect(receiver.requests.map((r) => r.url)).toEqual(['/api/v2/orders', '/api/v2/shipments']);
      expect(receiver.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('edigate:pa55-w0rd').toString('base64')}`);
      expect(receiver.requests[0]!.headers['x-api-key']).toBe('key-123');
      expect(receiver.requests[0]!.headers['x-tenant']).toBe('acme');

      // Never a secret in what the ops API shows, nor in a log line that carries the configuration.
      const shown = JSON.stringify(publicDestination(erp));
      expect(shown).not.toContain('pa55-w0rd');
      expect(shown).not.toContain('key-123');
      expect(shown).toContain('X-Api-Key');
      const lines: string[] = [];
      const log = pino({ redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } }, new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }));
      log.info({ destinations: config.destinations }, 'configuration');
      log.info({ config }, 'configuration');
      log.info({ auth: erp.auth }, 'auth');
      expect(lines.join('')).not.toMatch(/pa55-w0rd|key-123/);
      expect(lines.join('')).toContain('[redacted]');
      rmSync(h, { recursive: true, force: true });
    } finally {
      await receiver.close();
    }
  });

  it('reports every problem of the destinations together (retry policy, secrets, auth, TLS, URLs)', () => {
    const h = home([
      'destinations:',
      '  erp:',
      '    kind: http',
      '    baseUrl: ftp://erp.example.com',
      '    auth: { type: oauth2, tokenUrl: https://login.example.com/token, clientId: edigate, clientSecret: { env: MISSING_SECRET } }',
      '    retry: { maxAttempts: 0, initialBackoffMs: 5000, maxBackoffMs: 100, jitter: 2 }',
      '    tls: { ca: certs/none.pem, cert: certs/client.pem }',
      '  wms:',
      '    kind: http',
      '    url: https://wms.example.com/in',
      '    paths: { order: /orders }',
      '    auth: { type: bearer }',
      '    rateLimit: 0',
    ].join('\n'));
    let err: unknown;
    try {
      loadConfig({ home: h, env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    const problems = (err as GatewayError).details!.problems as string[];
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('/destinations/erp/retry/maxAttempts must be >= 1'),
      expect.stringContaining('/destinations/erp/retry/jitter must be <= 1'),
      expect.stringContaining('/destinations/wms/rateLimit must be > 0'),
      'destinations.erp.retry: maxBackoffMs (100) is below initialBackoffMs (5000)',
      'destinations.erp.auth.clientSecret: environment variable MISSING_SECRET is not set',
      'destinations.erp.baseUrl: "ftp://erp.example.com" is not an http(s) URL',
      expect.stringMatching(/^destinations\.erp\.tls\.ca: file .*none\.pem does not exist$/),
      'destinations.erp.tls: cert and key go together (a client certificate needs its key)',
      'destinations.wms: paths need a baseUrl (url is one URL for every type)',
      'destinations.wms.auth.token: required for auth type bearer',
    ]));
    rmSync(h, { recursive: true, force: true });
  });
});

describe('TLS to a destination (certificates made by openssl)', () => {
  let dir: string;
  let server: Server;
  let port: number;
  const seen: Array<{ cn: string | undefined; url: string }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edigate-tls-'));
    const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    // A private CA, a server certificate for 127.0.0.1 and a client certificate, both signed by it.
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=edigate test CA');
    ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=erp.test');
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ossl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
    ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=edigate-client');
    ossl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2');
    const read = (f: string) => readFileSync(join(dir, f));
    server = createHttpsServer({ key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const cn = peer.subject?.CN;
      seen.push({ cn: Array.isArray(cn) ? cn[0] : cn, url: req.url ?? '' });
      req.resume();
      req.on('end', () => json(res, 201, { ok: true }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers over TLS with the custom CA and the client certificate from edigate.yaml', async () => {
    const h = home([
      'destinations:',
      '  erp:',
      '    kind: http',
      `    url: https://127.0.0.1:${port}/orders`,
      `    tls: { ca: ${join(dir, 'ca.pem')}, cert: ${join(dir, 'client.pem')}, key: ${join(dir, 'client.key')} }`,
    ].join('\n'));
    const erp = loadConfig({ home: h, env: {} }).destinations.erp as HttpDestinationConfig;
    expect(JSON.stringify(publicDestination(erp))).not.toContain('PRIVATE KEY');
    const c = new HttpConnector(erp);
    try {
      const m = canonical();
      expect(await c.deliver(m, JSON.stringify(m))).toMatchObject({ kind: 'delivered', status: 201 });
    } finally {
      await c.close();
    }
    expect(seen.at(-1)).toEqual({ cn: 'edigate-client', url: '/orders' });
    rmSync(h, { recursive: true, force: true });
  });

  it('retries (never delivers) when the server is not trusted or the client certificate is missing', async () => {
    const untrusted = new HttpConnector({ name: 'erp', kind: 'http', url: `https://127.0.0.1:${port}/orders`, timeoutMs: 3000, headers: {}, concurrency: 1,
      retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 10, multiplier: 2, jitter: 0 } });
    const noClientCert = new HttpConnector({ name: 'erp', kind: 'http', url: `https://127.0.0.1:${port}/orders`, timeoutMs: 3000, headers: {}, concurrency: 1,
      retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 10, multiplier: 2, jitter: 0 },
      tls: { ca: readFileSync(join(dir, 'ca.pem'), 'utf8'), rejectUnauthorized: true, files: {} } });
    try {
      const before = seen.length;
      const m = canonical();
      expect(await untrusted.deliver(m, JSON.stringify(m))).toMatchObject({ kind: 'retry', code: 'EDIGATE_DELIVERY_NETWORK' });
      const out = await noClientCert.deliver(m, JSON.stringify(m));
      expect(out.kind).toBe('retry');
      expect(seen.length).toBe(before);
    } finally {
      await untrusted.close();
      await noClientCert.close();
    }
  });
});

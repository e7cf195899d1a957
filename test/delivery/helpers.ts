/** Shared test fixtures for the queue and delivery tests: a real SQLite file, a real HTTP receiver. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase, type Db } from '../../src/store/db.js';
import type { CanonicalMessage } from '../../src/canonical/envelope.js';
import type { DirectoryDestinationConfig, HttpDestinationConfig } from '../../src/config-types.js';
import type { RetryPolicy } from '../../src/queue/retry-policy.js';

export const silentLogger = pino({ level: 'silent' });

/** Short backoffs so retries happen within a test. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 20, maxBackoffMs: 200, multiplier: 2, jitter: 0.2 };

export interface TempDb {
  db: Db;
  dir: string;
  path: string;
  reopen(): Db;
  cleanup(): void;
}

/** A fresh store file in its own temp folder. */
export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'edigate-queue-'));
  const path = join(dir, 'data', 'edigate.db');
  const t: TempDb = {
    db: openDatabase(path),
    dir,
    path,
    reopen() {
      if (t.db.open) t.db.close();
      t.db = openDatabase(path);
      return t.db;
    },
    cleanup() {
      if (t.db.open) t.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

let seq = 0;

/** A canonical message as the pipeline builds it. */
export function canonical(overrides: Partial<CanonicalMessage> = {}): CanonicalMessage {
  seq++;
  const id = overrides.id ?? `msg-${process.pid}-${seq}`;
  return {
    id,
    type: 'order',
    schemaVersion: 1,
    partnerId: 'acme-retail',
    correlationId: `corr-${id}`,
    idempotencyKey: `acme-retail:ZZ:ACME:${String(seq).padStart(9, '0')}:1:0001`,
    source: {
      standard: 'X12',
      version: '004010',
      documentType: '850',
      channel: 'sftp',
      interchangeControlNumber: String(seq).padStart(9, '0'),
      groupControlNumber: '1',
      transactionSetControlNumber: '0001',
      fileName: 'po.x12',
      receivedAt: '2026-01-01T00:00:00.000Z',
    },
    payload: { poNumber: `PO-${seq}`, lines: [{ sku: 'A1', qty: 2 }] },
    ...overrides,
  };
}

/** Inserts the message row the deliveries reference; returns the stored JSON body. */
export function insertMessage(db: Db, m: CanonicalMessage, interchangeId: number | null = null): string {
  const body = JSON.stringify(m);
  db.prepare(
    `INSERT INTO messages (id, interchange_id, transaction_set_id, partner_id, type, idempotency_key, correlation_id, business_reference, body, created_at)
     VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?, ?)`,
  ).run(m.id, interchangeId, m.partnerId, m.type, m.idempotencyKey, m.correlationId, body, new Date().toISOString());
  return body;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

export type Responder = (req: ReceivedRequest, res: ServerResponse) => void;

export interface Receiver {
  url: string;
  port: number;
  server: Server;
  requests: ReceivedRequest[];
  /** How each request is answered; default 200 {"ok":true}. */
  respond: Responder;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1, port 0, standing in for the ERP. */
export async function startReceiver(respond?: Responder): Promise<Receiver> {
  const sockets = new Set<Socket>();
  const r: Receiver = {
    url: '',
    port: 0,
    server: undefined as unknown as Server,
    requests: [],
    respond: respond ?? ((_req, res) => json(res, 200, { ok: true })),
    connections: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => r.server.close(() => resolve()));
    },
  };
  r.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socket: req.socket,
      };
      r.requests.push(rec);
      r.respond(rec, res);
    });
  });
  r.server.on('connection', (s: Socket) => {
    r.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', () => resolve()));
  r.port = (r.server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}/orders?src=edigate`;
  return r;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A port that refuses connections: bound once, then closed. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export function httpDest(url: string, overrides: Partial<HttpDestinationConfig> = {}): HttpDestinationConfig {
  return { name: 'erp', kind: 'http', url, timeoutMs: 2_000, headers: {}, retry: FAST_RETRY, concurrency: 4, ...overrides };
}

export function directoryDest(directory: string, overrides: Partial<DirectoryDestinationConfig> = {}): DirectoryDestinationConfig {
  return { name: 'files', kind: 'directory', directory, retry: FAST_RETRY, concurrency: 2, ...overrides };
}

/** Resolves once `check` returns true; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Reads one delivery row as stored (snake_case), for assertions on columns. */
export function row(db: Db, id: number): Record<string, unknown> {
  return db.prepare(`SELECT * FROM deliveries WHERE id = ?`).get(id) as Record<string, unknown>;
}

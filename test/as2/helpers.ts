import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { pino, type Logger } from 'pino';
import { makeHome, waitFor } from '../helpers/home.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/app.js';
import { as2Init } from '../../src/transports/as2/setup.js';

export const FIXTURE_850 = join(import.meta.dirname, '..', 'fixtures', 'x12', 'nodex12__850.edi');

/**
 * The fixture 850 (sender 12/4405197800, receiver 01/999999999) with its ISA13/IEA02 set to `control` (9 digits);
 * `swap` exchanges sender and receiver (ISA05-08, GS02-03) so the other side of a loopback can send it.
 */
export function x12With(control: number, o: { swap?: boolean; sender?: [string, string] } = {}): Buffer {
  const n = String(control).padStart(9, '0');
  let text = readFileSync(FIXTURE_850, 'latin1').replace(/\*000003438\*/, `*${n}*`).replace(/IEA\*1\*000003438/, `IEA*1*${n}`);
  if (o.swap) {
    text = text.replace('*12*4405197800     *01*999999999      *', '*01*999999999      *12*4405197800     *').replace('GS*PO*4405197800*999999999*', 'GS*PO*999999999*4405197800*');
  }
  if (o.sender) {
    text = text.replace('*12*4405197800     *', `*${o.sender[0]}*${o.sender[1].padEnd(15, ' ')}*`).replace('GS*PO*4405197800*', `GS*PO*${o.sender[1]}*`);
  }
  return Buffer.from(text, 'latin1');
}

/** An RSA key and self-signed certificate made by the openssl CLI in `dir`. */
export function opensslIdentity(dir: string, name: string, days = 365): { key: string; cert: string } {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { key, cert };
}

/** A free TCP port on 127.0.0.1 (for two gateways that must know each other's URL before they start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface As2PartnerSpec {
  id: string;
  ids: Array<[string, string]>;
  as2: Record<string, unknown>;
  outbound?: Record<string, unknown>;
  documents?: Record<string, { map: string; destinations?: string[] }>;
}

/**
 * A home folder with our AS2 identity made by `edigate as2 init` (setup.ts) and partners with `as2` blocks.
 */
export function makeAs2Home(ourId: string, partners: As2PartnerSpec[]): string {
  const home = makeHome(partners.map((p) => ({ id: p.id, ids: p.ids, duplicates: 'reject', ...(p.documents ? { documents: p.documents } : {}) })));
  as2Init(home, { id: ourId });
  for (const p of partners) setPartnerBlocks(home, p);
  return home;
}

/** Writes the as2 (and outbound) blocks of a partner file. */
export function setPartnerBlocks(home: string, p: Pick<As2PartnerSpec, 'id' | 'as2' | 'outbound'>): void {
  const file = join(home, 'partners', `${p.id}.yaml`);
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  doc.as2 = p.as2;
  if (p.outbound) doc.outbound = p.outbound;
  writeFileSync(file, stringify(doc));
}

/** Captured log lines (JSON objects) of a gateway. */
export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>); } });
  return { logger, lines };
}

/** Starts a gateway on `home` with the partner port (AS2) and ops port on port 0 (or the given partner port). */
export async function startAs2Gateway(home: string, erpUrl: string, o: { partnerPort?: number; logger?: Logger; overdueCheckMs?: number } = {}): Promise<{ gw: Gateway; api: string; as2Url: string }> {
  const config = loadConfig({
    home, env: {},
    overrides: {
      ops: { port: 0 }, partnerPort: o.partnerPort ?? 0,
      destinations: { erp: { kind: 'http', url: `${erpUrl}/orders`, retry: { initialBackoffMs: 20, maxBackoffMs: 100 } } },
      intake: { settleMs: 30 }, workers: { pollMs: 20 }, mapping: { workers: 0 },
    },
  });
  const gw = await createGateway(config, {
    logger: o.logger ?? pino({ level: 'silent' }), watch: false,
    as2: { overdueCheckMs: o.overdueCheckMs ?? 100, asyncMdn: { initialBackoffMs: 50, pollMs: 50 } },
  });
  await gw.start();
  return { gw, api: `http://127.0.0.1:${(gw.api.server.address() as { port: number }).port}`, as2Url: gw.as2!.url() };
}

/** A temp folder for openssl/curl work files. */
export function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'edigate-as2-'));
}

/**
 * POSTs `bodyFile` with curl (a child process, asynchronously: the gateway answering runs in this process);
 * returns status, lower-cased headers and the body bytes.
 */
export async function curlPost(url: string, headers: Record<string, string>, bodyFile: string, dir: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const hdrOut = join(dir, `resp-${Math.random().toString(36).slice(2)}.hdr`);
  const bodyOut = `${hdrOut}.body`;
  const args = ['-s', '-S', '-X', 'POST', '--data-binary', `@${bodyFile}`, '-D', hdrOut, '-o', bodyOut, '-H', 'Expect:'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  await execFileAsync('curl', ['--max-time', '60', ...args, url]);
  const lines = readFileSync(hdrOut, 'latin1').split(/\r?\n/);
  const status = Number(/^HTTP\/\S+ (\d+)/.exec(lines[0] ?? '')?.[1]);
  const out: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) out[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers: out, body: readFileSync(bodyOut) };
}

/** Splits an S/MIME file OpenSSL wrote (header lines, blank line, body) into header fields and body bytes. */
export function splitSmime(bytes: Buffer): { headers: Record<string, string>; body: Buffer } {
  let sep = bytes.indexOf('\n\n');
  let skip = 2;
  const crlf = bytes.indexOf('\r\n\r\n');
  if (crlf >= 0 && (sep < 0 || crlf < sep)) { sep = crlf; skip = 4; }
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of bytes.subarray(0, sep).toString('latin1').split(/\r?\n/)) {
    if (/^\s/.test(line) && last) { headers[last] += ' ' + line.trim(); continue; }
    const i = line.indexOf(':');
    last = line.slice(0, i).trim().toLowerCase();
    headers[last] = line.slice(i + 1).trim();
  }
  return { headers, body: bytes.subarray(sep + skip) };
}

/** waitFor, typed: resolves the first truthy value `check` returns. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  return (await waitFor(check, what, timeoutMs)) as NonNullable<T>;
}

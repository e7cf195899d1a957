/**
 * AS2 receive throughput (bench stage `as2-receive`): signed (SHA-256) + encrypted (AES-256) messages of about
 * 10 KB (one X12 interchange of nine 850s each, every ISA13 unique) POSTed to the partner port with a synchronous
 * signed MDN requested, 4 requests in flight. Measured twice: RSA PKCS#1 v1.5 key transport (the usual partner
 * default; decrypted by `openssl cms -decrypt` in a subprocess) and RSA-OAEP (decrypted in-process by pkijs).
 * The time runs from the first POST to the last MDN; every MDN must say `processed`.
 * BENCH_AS2_COUNT=n messages per variant (default 200).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const src = async <T>(m: string): Promise<T> => (await import(pathToFileURL(join(ROOT, 'src', m)).href)) as T;

/** One interchange of about 10 KB: the fixture 850 repeated nine times in one group, ISA13 = `control`. */
function tenKbInterchange(control: number): Buffer {
  const text = readFileSync(join(ROOT, 'test', 'fixtures', 'x12', 'nodex12__850.edi'), 'latin1');
  const st = text.indexOf('ST*850*');
  const ge = text.indexOf('GE*1*');
  const set = text.slice(st, ge);
  const sets = Array.from({ length: 9 }, (_v, i) => set.replaceAll('*000000010', `*${String(10 + i).padStart(9, '0')}`)).join('');
  const n = String(control).padStart(9, '0');
  return Buffer.from(text.slice(0, st).replace('*000003438*', `*${n}*`) + sets + text.slice(ge).replace('GE*1*', 'GE*9*').replace('IEA*1*000003438', `IEA*1*${n}`), 'latin1');
}

export async function as2Receive(): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_AS2_COUNT ?? 200);
  const { loadConfig } = await src<typeof import('../src/config.js')>('config.js');
  const { createGateway } = await src<typeof import('../src/app.js')>('app.js');
  const { as2Init } = await src<typeof import('../src/transports/as2/setup.js')>('transports/as2/setup.js');
  const { wrapMessage } = await src<typeof import('../src/transports/as2/send.js')>('transports/as2/send.js');
  const { keyPairFrom, parseCertificate } = await src<typeof import('../src/transports/as2/cms.js')>('transports/as2/cms.js');
  const { parseMdn } = await src<typeof import('../src/transports/as2/mdn.js')>('transports/as2/mdn.js');
  const { pino } = await import('pino');
  const { stringify } = await import('yaml');

  const home = mkdtempSync(join(tmpdir(), 'edigate-bench-as2-'));
  const problems: string[] = [];
  try {
    mkdirSync(join(home, 'partners', 'certs'), { recursive: true });
    as2Init(home, { id: 'BENCH GATEWAY' });
    const pk = join(home, 'partner.key');
    const pc = join(home, 'partners', 'certs', 'acme.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', pk, '-out', pc, '-days', '30', '-subj', '/CN=acme'], { stdio: 'ignore' });
    writeFileSync(join(home, 'partners', 'acme.yaml'), stringify({
      id: 'acme', name: 'acme', x12: { interchangeIds: [{ qualifier: '12', id: '4405197800' }] }, duplicates: { interchange: 'reject' },
      documents: { '850': { map: 'x12-850-order', destinations: ['erp'] } },
      as2: { id: 'ACME', certificates: { signing: ['partners/certs/acme.pem'] } },
    }));
    const config = loadConfig({ home, env: {}, overrides: { ops: { port: 0 }, partnerPort: 0, logLevel: 'silent' } });
    const gw = await createGateway(config, { logger: pino({ level: 'silent' }), watch: false, deliver: false });
    await gw.start();
    const url = gw.as2!.url();
    const partner = keyPairFrom(readFileSync(pk), readFileSync(pc), { keyFile: pk, certFile: pc });
    const ours = parseCertificate(readFileSync(config.as2!.certFile), config.as2!.certFile);
    const results: Record<string, unknown> = {};
    let control = 1;
    for (const keyTransport of ['pkcs1v15', 'oaep'] as const) {
      const messages: Array<{ id: string; size: number; wrapped: Awaited<ReturnType<typeof wrapMessage>> }> = [];
      for (let i = 0; i < count; i++) {
        const payload = tenKbInterchange(control++);
        messages.push({ id: `<bench-${keyTransport}-${i}@acme>`, size: payload.length, wrapped: await wrapMessage(payload, `po-${i}.edi`, {
          sign: { keyPair: partner, digest: 'SHA-256', scheme: 'pkcs1v15' }, encrypt: { cert: ours, cipher: 'AES256', keyTransport },
        }) });
      }
      const payloadBytes = messages.reduce((a, m) => a + m.size, 0);
      const wireBytes = messages.reduce((a, m) => a + m.wrapped.body.length, 0);
      let next = 0;
      let processed = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < messages.length) {
          const m = messages[next++]!;
          const res = await fetch(url, {
            method: 'POST', body: m.wrapped.body,
            headers: { ...m.wrapped.headers, 'as2-from': 'ACME', 'as2-to': '"BENCH GATEWAY"', 'message-id': m.id, 'disposition-notification-to': 'mailto:x@acme',
              'disposition-notification-options': 'signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256' },
          });
          const body = Buffer.from(await res.arrayBuffer());
          const mdn = await parseMdn(res.headers.get('content-type') ?? '', body, []);
          if (mdn.outcome === 'processed' && mdn.signed) processed++;
          else if (problems.length < 5) problems.push(`${m.id}: ${mdn.disposition}`);
        }
      }));
      const seconds = (performance.now() - t0) / 1000;
      results[keyTransport] = {
        messages: count, processed, seconds: Math.round(seconds * 100) / 100, messagesPerSec: Math.round((count / seconds) * 10) / 10,
        payloadMBPerSec: Math.round((payloadBytes / 1e6 / seconds) * 100) / 100, avgPayloadBytes: Math.round(payloadBytes / count), avgWireBytes: Math.round(wireBytes / count),
      };
      if (processed !== count) problems.push(`${keyTransport}: ${processed} of ${count} MDNs processed`);
    }
    await gw.stop();
    const p = results.pkcs1v15 as { messagesPerSec: number; payloadMBPerSec: number };
    return { ...results, messagesPerSec: p.messagesPerSec, mbPerSec: p.payloadMBPerSec, problems };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

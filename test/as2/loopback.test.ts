/**
 * Our sender talks to our receiver on loopback, both ways: two gateway homes, each the other's AS2 partner.
 * A sends its 997 to B signed (SHA-256), compressed and encrypted (AES-256, PKCS#1 v1.5) with a synchronous
 * signed MDN; B sends its 997 to A signed (SHA-384) and encrypted (AES-128, OAEP) with an asynchronous signed
 * MDN. Each transmission ends `sent` with the partner's signed MDN kept as evidence. Then: an MDN that never
 * comes (overdue, then dead), a response without an MDN and a negative MDN (not delivered, dead, visible).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startReceiver } from '../helpers/receiver.js';
import { waitFor } from '../helpers/home.js';
import type { Gateway } from '../../src/app.js';
import { getTransmission, listTransmissions } from '../../src/store/transmissions.js';
import { listAs2Messages } from '../../src/store/as2.js';
import { parseMdn } from '../../src/transports/as2/mdn.js';
import { parseCertificate } from '../../src/transports/as2/cms.js';
import { readFileSync } from 'node:fs';
import { freePort, makeAs2Home, setPartnerBlocks, startAs2Gateway, x12With , until } from './helpers.js';

let a: { gw: Gateway; api: string };
let b: { gw: Gateway; api: string };
let c: { gw: Gateway; api: string } | undefined;
let erp: Awaited<ReturnType<typeof startReceiver>>;
let silent: Awaited<ReturnType<typeof startReceiver>>;
let negative: Awaited<ReturnType<typeof startReceiver>>;
let homeA: string;
let homeB: string;
const retry = { maxAttempts: 2, initialBackoffMs: 100, maxBackoffMs: 200 };

beforeAll(async () => {
  erp = await startReceiver();
  const [portA, portB] = [await freePort(), await freePort()];
  homeA = makeAs2Home('GATEWAY A', [{ id: 'b', ids: [['12', '4405197800']], as2: { id: 'x' } }]);
  homeB = makeAs2Home('GATEWAY B', [{ id: 'a', ids: [['01', '999999999']], as2: { id: 'x' } }]);
  setPartnerBlocks(homeA, {
    id: 'b', outbound: { channel: 'as2', retry },
    as2: {
      id: 'GATEWAY B', url: `http://127.0.0.1:${portB}/as2`, certificates: { signing: [join(homeB, 'data/as2/cert.pem')], encryption: [join(homeB, 'data/as2/cert.pem')] },
      sign: 'SHA256', encrypt: 'AES256', keyTransport: 'pkcs1v15', compress: true, mdn: { mode: 'sync', signed: true },
    },
  });
  setPartnerBlocks(homeB, {
    id: 'a', outbound: { channel: 'as2', retry },
    as2: {
      id: 'GATEWAY A', url: `http://127.0.0.1:${portA}/as2`, certificates: { signing: [join(homeA, 'data/as2/cert.pem')], encryption: [join(homeA, 'data/as2/cert.pem')] },
      sign: 'SHA384', encrypt: 'AES128', keyTransport: 'oaep', mdn: { mode: 'async', signed: true },
    },
  });
  a = await startAs2Gateway(homeA, erp.url, { partnerPort: portA });
  b = await startAs2Gateway(homeB, erp.url, { partnerPort: portB });
});

afterAll(async () => {
  await a?.gw.stop();
  await b?.gw.stop();
  await c?.gw.stop();
  await erp?.close();
  await silent?.close();
  await negative?.close();
});

describe('AS2 loopback between two gateways', () => {
  it('A -> B with a synchronous signed MDN: delivered, the MDN kept as evidence, B processed the 997', async () => {
    const summary = await a.gw.pipeline.ingest({ bytes: x12With(301), fileName: 'po-301.edi', channel: 'cli', partnerHint: 'b' });
    expect(summary.status).toBe('accepted');
    const t = await until(() => listTransmissions(a.gw.store.db, { partnerId: 'b', kind: '997', state: 'sent', limit: 5, offset: 0 }).items[0], 'A 997 sent');
    expect(t.channel).toBe('as2');
    const full = getTransmission(a.gw.store.db, t.id)!;
    expect(full.evidence).toContain('multipart/signed');
    const mdnBody = full.evidence!.slice(full.evidence!.indexOf('\r\n\r\n') + 4);
    const ct = /content-type: (.*)/i.exec(full.evidence!)![1]!.trim();
    const mdn = await parseMdn(ct, Buffer.from(mdnBody, 'latin1'), [parseCertificate(readFileSync(join(homeB, 'data/as2/cert.pem')))]);
    expect(mdn.signature?.outcome).toBe('verified');
    expect(mdn.outcome).toBe('processed');
    expect(mdn.originalMessageId).toBe(full.messageId);
    const out = listAs2Messages(a.gw.store.db, { direction: 'out', limit: 5, offset: 0 }).items[0]!;
    expect(out).toMatchObject({ status: 'delivered', signed: 1, encrypted: 1, compressed: 1, mdnMode: 'sync', micAlg: 'sha-256', transmissionId: t.id });
    expect(mdn.mic).toEqual({ value: out.mic, alg: 'sha-256' });
    const inB = await until(() => listAs2Messages(b.gw.store.db, { direction: 'in', limit: 5, offset: 0 }).items.find((m) => m.fileId), 'B received');
    expect(inB).toMatchObject({ status: 'processed', partnerId: 'a', messageId: full.messageId, signed: 1, encrypted: 1, compressed: 1, mic: out.mic });
    const file = await until(() => { const f = b.gw.store.files.get(inB.fileId!); return f?.status !== 'received' ? f : undefined; }, 'B file processed');
    expect(file).toMatchObject({ channel: 'as2', partnerId: 'a' });
    expect(readFileSync(join(b.gw.config.archiveDir, file!.sha256.slice(0, 2), file!.sha256.slice(2, 4), file!.sha256), 'latin1')).toMatch(/^ISA.*\nGS\*FA\*/s);
  });

  it('B -> A with an asynchronous signed MDN: awaiting_receipt, then sent when the MDN arrives', async () => {
    const summary = await b.gw.pipeline.ingest({ bytes: x12With(302, { swap: true }), fileName: 'po-302.edi', channel: 'cli', partnerHint: 'a' });
    expect(summary.status).toBe('accepted');
    const t = await until(() => listTransmissions(b.gw.store.db, { partnerId: 'a', kind: '997', state: 'sent', limit: 5, offset: 0 }).items[0], 'B 997 sent (async MDN)');
    const full = getTransmission(b.gw.store.db, t.id)!;
    expect(full.evidence).toContain('multipart/signed');
    const out = listAs2Messages(b.gw.store.db, { direction: 'out', limit: 5, offset: 0 }).items[0]!;
    expect(out).toMatchObject({ status: 'delivered', mdnMode: 'async', micAlg: 'sha-384', encrypted: 1, signed: 1 });
    expect(out.mdn).toContain('Received-Content-MIC: ' + out.mic + ', sha-384');
    const inA = await until(() => listAs2Messages(a.gw.store.db, { direction: 'in', limit: 5, offset: 0 }).items.find((m) => m.mdnState === 'sent'), 'A sent its async MDN');
    expect(inA).toMatchObject({ status: 'processed', mdnMode: 'async', messageId: full.messageId, mdnAttempts: 1 });
  });

  it('an async MDN that never comes makes the message overdue, then the transmission dead; no MDN and a negative MDN are not delivered', async () => {
    silent = await startReceiver(() => ({ status: 200, body: 'ok' }));
    negative = await startReceiver((req) => {
      const mid = String(req.headers['message-id']);
      const body = ['--r', 'Content-Type: text/plain', '', 'no', '--r', 'Content-Type: message/disposition-notification', '',
        `Original-Message-ID: ${mid}`, 'Disposition: automatic-action/MDN-sent-automatically; processed/error: decryption-failed', '', '--r--', ''].join('\r\n');
      return { status: 200, headers: { 'content-type': 'multipart/report; report-type=disposition-notification; boundary="r"' }, body };
    });
    const certB = join(homeB, 'data/as2/cert.pem');
    const as2 = (id: string, url: string, extra: Record<string, unknown>) => ({ id, url, certificates: { signing: [certB], encryption: [certB] }, ...extra });
    const homeC = makeAs2Home('GATEWAY C', [
      { id: 'quiet', ids: [['ZZ', 'QUIET']], outbound: { channel: 'as2', retry: { maxAttempts: 2, initialBackoffMs: 50, maxBackoffMs: 50 } }, as2: as2('QUIET', silent.url, { mdn: { mode: 'async' }, asyncMdnTimeoutMs: 1000 }) },
      { id: 'nomdn', ids: [['ZZ', 'NOMDN']], outbound: { channel: 'as2', retry: { maxAttempts: 1 } }, as2: as2('NOMDN', silent.url, { mdn: { mode: 'sync' } }) },
      { id: 'refuses', ids: [['ZZ', 'REFUSES']], outbound: { channel: 'as2', retry: { maxAttempts: 3 } }, as2: as2('REFUSES', negative.url, { mdn: { mode: 'sync', signed: false } }) },
    ]);
    c = await startAs2Gateway(homeC, erp.url);
    for (const [n, id] of [[401, 'QUIET'], [402, 'NOMDN'], [403, 'REFUSES']] as const) {
      await c.gw.pipeline.ingest({ bytes: x12With(n, { sender: ['ZZ', id] }), fileName: `po-${n}.edi`, channel: 'cli', partnerHint: id.toLowerCase() });
    }
    const dead = await until(async () => {
      const r = await (await fetch(`${c!.api}/api/transmissions?state=dead`)).json() as { items: Array<{ partnerId: string; lastError: string; attempts: number }> };
      return r.items.length === 3 ? r.items : undefined;
    }, 'three dead transmissions');
    const by = Object.fromEntries(dead.map((d) => [d.partnerId, d]));
    expect(by.quiet!.lastError).toMatch(/^EDIGATE_AS_MDN_OVERDUE: no async MDN by /);
    expect(by.quiet!.attempts).toBe(2); // resent once after the first overdue
    expect(by.nomdn!.lastError).toMatch(/AS2 partner returned no MDN/);
    expect(by.refuses!.lastError).toMatch(/negative MDN.*processed\/error: decryption-failed/);
    expect(by.refuses!.attempts).toBe(1); // a negative MDN is not retried
    const msgs = await (await fetch(`${c.api}/api/as2/messages?direction=out`)).json() as { items: Array<{ partnerId: string; status: string; disposition: string | null }> };
    const st = Object.fromEntries(msgs.items.map((m) => [m.partnerId, m]));
    expect(st.quiet!.status).toBe('overdue');
    expect(st.nomdn!.status).toBe('failed');
    expect(st.refuses).toMatchObject({ status: 'failed', disposition: 'automatic-action/MDN-sent-automatically; processed/error: decryption-failed' });
    // the resend of the overdue message reused its Message-ID
    const ids = silent.requests.filter((r) => r.headers['as2-to'] === 'QUIET').map((r) => r.headers['message-id']);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });
});

/**
 * Negative AS2 cases, each from a real peer (openssl cms + curl): a tampered payload, the wrong certificate,
 * an undecryptable message, an unknown AS2-To, an empty body, a duplicate Message-ID, and a partner policy that
 * requires signing and encryption. Each gets the right MDN disposition, an entry in GET /api/as2/messages with the
 * raw request archived, and nothing is processed twice or lost.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../helpers/receiver.js';
import { waitFor } from '../helpers/home.js';
import type { Gateway } from '../../src/app.js';
import { archivePath } from '../../src/store/archive.js';
import { parseMdn } from '../../src/transports/as2/mdn.js';
import { parseCertificate } from '../../src/transports/as2/cms.js';
import { curlPost, makeAs2Home, opensslIdentity, splitSmime, startAs2Gateway, workDir, x12With , until } from './helpers.js';

let gw: Gateway;
let api: string;
let as2Url: string;
let home: string;
let dir: string;
let ourCert: string;
let erp: Awaited<ReturnType<typeof startReceiver>>;
let acme: { key: string; cert: string };
let stranger: { key: string; cert: string };

beforeAll(async () => {
  dir = workDir();
  acme = opensslIdentity(dir, 'acme');
  stranger = opensslIdentity(dir, 'stranger');
  erp = await startReceiver();
  const certs = { signing: ['partners/certs/acme.pem'], encryption: ['partners/certs/acme.pem'] };
  home = makeAs2Home('EDIGATE', [
    { id: 'acme', ids: [['12', '4405197800']], as2: { id: 'ACME', certificates: certs, requireSigned: false, requireEncrypted: false } },
    { id: 'strict', ids: [['ZZ', 'STRICT']], as2: { id: 'STRICT', certificates: certs, requireSigned: true, requireEncrypted: true } },
  ]);
  mkdirSync(join(home, 'partners', 'certs'), { recursive: true });
  copyFileSync(acme.cert, join(home, 'partners', 'certs', 'acme.pem'));
  ourCert = join(home, 'data', 'as2', 'cert.pem');
  ({ gw, api, as2Url } = await startAs2Gateway(home, erp.url));
});

afterAll(async () => {
  await gw?.stop();
  await erp?.close();
});

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
let seq = 200;

function part(control: number): string {
  const file = join(dir, `part-${control}.mime`);
  writeFileSync(file, Buffer.concat([Buffer.from(`Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename="neg-${control}.edi"\r\n\r\n`), x12With(control)]));
  return file;
}

function signWith(file: string, who: { key: string; cert: string }): { headers: Record<string, string>; body: Buffer } {
  const out = `${file}.${Math.random().toString(36).slice(2)}.signed`;
  openssl(['cms', '-sign', '-binary', '-in', file, '-signer', who.cert, '-inkey', who.key, '-md', 'sha256', '-outform', 'SMIME', '-out', out]);
  return splitSmime(readFileSync(out));
}

function bodyFile(body: Buffer): string {
  const f = join(dir, `body-${seq++}.bin`);
  writeFileSync(f, body);
  return f;
}

/** POSTs as `from` to `to`; returns the parsed MDN (signature checked against our certificate). */
async function post(messageId: string, body: Buffer, contentType: string, o: { from?: string; to?: string } = {}) {
  const res = await curlPost(as2Url, {
    'Content-Type': contentType, 'AS2-From': o.from ?? 'ACME', 'AS2-To': o.to ?? 'EDIGATE', 'Message-ID': messageId,
    'Disposition-Notification-To': 'mailto:x@example', 'Disposition-Notification-Options': 'signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256',
  }, bodyFile(body), dir);
  expect(res.status).toBe(200);
  const mdn = await parseMdn(res.headers['content-type']!, res.body, [parseCertificate(readFileSync(ourCert))]);
  expect(mdn.signed).toBe(true);
  expect(mdn.signature?.outcome).toBe('verified');
  expect(mdn.originalMessageId).toBe(messageId);
  return mdn;
}

/** The ops API entry of a message (the newest with this Message-ID), with its raw request in the archive. */
async function opsEntry(messageId: string) {
  const r = await (await fetch(`${api}/api/as2/messages?direction=in&messageId=${encodeURIComponent(messageId)}`)).json() as { items: Array<Record<string, unknown> & { id: number; rawSha256: string }> };
  const item = r.items[0]!;
  expect(existsSync(archivePath(gw.config.archiveDir, item.rawSha256))).toBe(true);
  const one = await (await fetch(`${api}/api/as2/messages/${item.id}`)).json() as { mdn: string };
  expect(one.mdn).toContain('Disposition: automatic-action/MDN-sent-automatically');
  return { ...item, all: r.items };
}

const filesCount = () => (gw.store.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;

describe('AS2 negative cases', () => {
  it('a tampered payload is refused with integrity-check-failed and not processed', async () => {
    const before = filesCount();
    const signed = signWith(part(201), acme);
    const tampered = Buffer.from(signed.body.toString('latin1').replace('BEG*00*SA*08292233294', 'BEG*00*SA*08292233299'), 'latin1');
    expect(tampered.equals(signed.body)).toBe(false);
    const mdn = await post('<neg-201@acme>', tampered, signed.headers['content-type']!);
    expect(mdn.disposition).toBe('automatic-action/MDN-sent-automatically; processed/error: integrity-check-failed');
    expect(mdn.mic).toBeUndefined();
    const e = await opsEntry('<neg-201@acme>');
    expect(e).toMatchObject({ status: 'error', partnerId: 'acme', disposition: mdn.disposition, fileId: null });
    expect(filesCount()).toBe(before);
  });

  it('a message signed with another certificate is refused with authentication-failed', async () => {
    const before = filesCount();
    const signed = signWith(part(202), stranger);
    const mdn = await post('<neg-202@acme>', signed.body, signed.headers['content-type']!);
    expect(mdn.outcome).toBe('error');
    expect(mdn.modifier).toBe('authentication-failed');
    expect(await opsEntry('<neg-202@acme>')).toMatchObject({ status: 'error', disposition: mdn.disposition });
    expect(filesCount()).toBe(before);
  });

  it('a message encrypted for another certificate, or garbage CMS, is refused with decryption-failed', async () => {
    const before = filesCount();
    const env = join(dir, 'wrong.p7m');
    openssl(['cms', '-encrypt', '-binary', '-in', part(203), '-aes-256-cbc', '-recip', stranger.cert, '-outform', 'DER', '-out', env]);
    const ct = 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m';
    const mdn = await post('<neg-203@acme>', readFileSync(env), ct);
    expect(mdn.modifier).toBe('decryption-failed');
    const garbage = await post('<neg-203b@acme>', Buffer.from('this is not CMS at all'), ct);
    expect(garbage.modifier).toBe('decryption-failed');
    expect(await opsEntry('<neg-203@acme>')).toMatchObject({ status: 'error', disposition: mdn.disposition });
    expect(filesCount()).toBe(before);
  });

  it('an unknown AS2-To and an unknown AS2-From get unexpected-processing-error and a visible record', async () => {
    const before = filesCount();
    const signed = signWith(part(204), acme);
    const mdn = await post('<neg-204@acme>', signed.body, signed.headers['content-type']!, { to: '"SOMEONE ELSE"' });
    expect(mdn.modifier).toBe('unexpected-processing-error');
    expect(mdn.text).toContain('AS2-To "SOMEONE ELSE" is not our AS2 id');
    expect(await opsEntry('<neg-204@acme>')).toMatchObject({ status: 'error', as2To: 'SOMEONE ELSE', detail: 'AS2-To "SOMEONE ELSE" is not our AS2 id' });
    const unknown = await post('<neg-204b@nobody>', signed.body, signed.headers['content-type']!, { from: 'NOBODY' });
    expect(unknown.modifier).toBe('unexpected-processing-error');
    expect(await opsEntry('<neg-204b@nobody>')).toMatchObject({ status: 'error', partnerId: null, as2From: 'NOBODY' });
    expect(filesCount()).toBe(before);
  });

  it('an empty body gets unexpected-processing-error', async () => {
    const before = filesCount();
    const mdn = await post('<neg-205@acme>', Buffer.alloc(0), 'application/edi-x12');
    expect(mdn.modifier).toBe('unexpected-processing-error');
    expect(mdn.text).toContain('empty');
    expect(await opsEntry('<neg-205@acme>')).toMatchObject({ status: 'error', detail: 'the message body is empty' });
    expect(filesCount()).toBe(before);
  });

  it('a duplicate Message-ID gets processed/warning: duplicate-document and is not processed again', async () => {
    const before = filesCount();
    const file = part(206);
    const signed = signWith(file, acme);
    const first = await post('<neg-206@acme>', signed.body, signed.headers['content-type']!);
    expect(first.outcome).toBe('processed');
    const again = await post('<neg-206@acme>', signed.body, signed.headers['content-type']!);
    expect(again.disposition).toBe('automatic-action/MDN-sent-automatically; processed/warning: duplicate-document');
    expect(again.mic).toEqual(first.mic);
    const e = await opsEntry('<neg-206@acme>');
    expect(e.all.map((x) => x.status)).toEqual(['duplicate', 'processed']);
    expect(e.all[0]!.duplicateOf).toBe(e.all[1]!.id);
    await waitFor(() => gw.store.files.get(e.all[1]!.fileId as number)?.status === 'accepted', 'first copy processed');
    expect(filesCount()).toBe(before + 1);
  });

  it('a partner that must sign and encrypt: an unsigned or unencrypted message is refused (insufficient-message-security)', async () => {
    const before = filesCount();
    const plain = await post('<neg-207@strict>', readFileSync(part(207)).subarray(readFileSync(part(207)).indexOf('\r\n\r\n') + 4), 'application/edi-x12', { from: 'STRICT' });
    expect(plain.modifier).toBe('insufficient-message-security');
    const signedOnly = signWith(part(208), acme);
    const notEncrypted = await post('<neg-208@strict>', signedOnly.body, signedOnly.headers['content-type']!, { from: 'STRICT' });
    expect(notEncrypted.modifier).toBe('insufficient-message-security');
    expect(notEncrypted.text).toContain('must encrypt');
    expect(await opsEntry('<neg-208@strict>')).toMatchObject({ status: 'error', partnerId: 'strict', signed: true, encrypted: false });
    expect(filesCount()).toBe(before);
  });

  it('a refused message sent again under the same Message-ID is processed (only taken messages count as duplicates)', async () => {
    const before = filesCount();
    const signed = signWith(part(202), acme);
    const mdn = await post('<neg-202@acme>', signed.body, signed.headers['content-type']!);
    expect(mdn.outcome).toBe('processed');
    expect(filesCount()).toBe(before + 1);
  });
});

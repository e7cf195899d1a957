/**
 * Interop with OpenSSL as the independent peer: AS2 messages built with `openssl cms -sign` / `-encrypt`
 * (PKCS#1 v1.5 and OAEP key transport, AES-128 and AES-256, SHA-256 and SHA-1, RSASSA-PSS, signed-then-encrypted,
 * compressed-then-signed) and POSTed with curl are accepted and processed: the 850 reaches the store and its 997
 * is produced. The signed MDNs we return verify with `openssl cms -verify -crlfeol`, and their Received-Content-MIC
 * equals the digest OpenSSL computes over the same bytes.
 *
 * This Debian OpenSSL is built without zlib (`openssl cms -compress` answers "unsupported compression algorithm"),
 * so the RFC 3274 CompressedData of the compressed case is assembled by `openssl asn1parse -genconf` around
 * bytes deflated by Python's zlib, then signed and encrypted by `openssl cms`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../helpers/receiver.js';
import { waitFor } from '../helpers/home.js';
import type { Gateway } from '../../src/app.js';
import { curlPost, makeAs2Home, opensslIdentity, splitSmime, startAs2Gateway, workDir, x12With , until } from './helpers.js';

let gw: Gateway;
let api: string;
let as2Url: string;
let home: string;
let dir: string;
let ourCert: string;
let erp: Awaited<ReturnType<typeof startReceiver>>;
let acme: { key: string; cert: string };

beforeAll(async () => {
  dir = workDir();
  acme = opensslIdentity(dir, 'acme');
  erp = await startReceiver();
  home = makeAs2Home('EDIGATE TEST', [{
    id: 'acme', ids: [['12', '4405197800']],
    as2: { id: 'ACME AS2', certificates: { signing: ['partners/certs/acme.pem'], encryption: ['partners/certs/acme.pem'] }, requireSigned: false, requireEncrypted: false },
  }]);
  mkdirSync(join(home, 'partners', 'certs'), { recursive: true });
  copyFileSync(acme.cert, join(home, 'partners', 'certs', 'acme.pem'));
  ourCert = join(home, 'data', 'as2', 'cert.pem');
  ({ gw, api, as2Url } = await startAs2Gateway(home, erp.url));
});

afterAll(async () => {
  await gw?.stop();
  await erp?.close();
});

const openssl = (args: string[], input?: Buffer): Buffer => execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
const digestB64 = (file: string, md: string) => openssl(['dgst', `-${md}`, '-binary', file]).toString('base64');

/** The MIME part of the payload, CRLF lines, as an AS2 sender writes it. */
function payloadPart(control: number, extraHeaders = ''): { file: string; bytes: Buffer } {
  const bytes = Buffer.concat([Buffer.from(`Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename="po-${control}.edi"\r\n${extraHeaders}\r\n`), x12With(control)]);
  const file = join(dir, `part-${control}.mime`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

/** `openssl cms -sign` of `file` (exact bytes, -binary), S/MIME output: multipart/signed entity. */
function sign(file: string, md: string, opts: string[] = []): string {
  const out = `${file}.signed`;
  openssl(['cms', '-sign', '-binary', '-in', file, '-signer', acme.cert, '-inkey', acme.key, '-md', md, '-outform', 'SMIME', '-out', out, ...opts]);
  return out;
}

/** `openssl cms -encrypt` of `file` for our certificate, DER. */
function encrypt(file: string, cipher: string, opts: string[] = []): string {
  const out = `${file}.p7m`;
  openssl(['cms', '-encrypt', '-binary', '-in', file, cipher, '-recip', ourCert, '-outform', 'DER', '-out', out, ...opts]);
  return out;
}

const OAEP = ['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256'];
const ENVELOPED = { 'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m', 'Content-Transfer-Encoding': 'binary' };

/** Posts with curl as partner ACME and returns the MDN fields after verifying its signature with openssl. */
async function post(messageId: string, bodyFile: string, contentHeaders: Record<string, string>, micalg = 'sha-256') {
  const res = await curlPost(as2Url, {
    ...contentHeaders,
    'AS2-Version': '1.2', 'AS2-From': '"ACME AS2"', 'AS2-To': '"EDIGATE TEST"', 'Message-ID': messageId, 'MIME-Version': '1.0',
    'Disposition-Notification-To': 'mailto:as2@acme.example',
    'Disposition-Notification-Options': `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, ${micalg}`,
  }, bodyFile, dir);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^multipart\/signed/);
  expect(res.headers['as2-from']).toBe('"EDIGATE TEST"');
  expect(res.headers['as2-to']).toBe('"ACME AS2"');
  const mdnFile = join(dir, `mdn-${Math.random().toString(36).slice(2)}.eml`);
  writeFileSync(mdnFile, Buffer.concat([Buffer.from(`MIME-Version: 1.0\r\nContent-Type: ${res.headers['content-type']}\r\n\r\n`), res.body]));
  // OpenSSL verifies our signature over the first part's exact CRLF bytes; it outputs the signed multipart/report.
  const report = openssl(['cms', '-verify', '-crlfeol', '-in', mdnFile, '-CAfile', ourCert, '-purpose', 'any']).toString('latin1');
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(report)?.[1]?.trim();
  return { report, disposition: field('Disposition'), mic: field('Received-Content-MIC'), originalMessageId: field('Original-Message-ID') };
}

/** Waits until the AS2 message's payload was processed: file accepted, its 850 stored and a 997 produced. */
async function expectProcessed(messageId: string, control: number, fileName = `po-${control}.edi`) {
  const msg = await until(async () => {
    const r = await (await fetch(`${api}/api/as2/messages?messageId=${encodeURIComponent(messageId)}`)).json() as { items: Array<{ status: string; fileId: number | null; fileName: string }> };
    return r.items[0]?.fileId ? r.items[0] : undefined;
  }, `AS2 message ${messageId} recorded`);
  expect(msg.status).toBe('processed');
  expect(msg.fileName).toBe(fileName);
  const file = await until(() => {
    const f = gw.store.files.get(msg.fileId!);
    return f && f.status !== 'received' ? f : undefined;
  }, 'file processed');
  expect(file.channel).toBe('as2');
  expect(file.partnerId).toBe('acme');
  expect(file.status).toBe('accepted');
  const ic = gw.store.db.prepare('SELECT id, control_number AS cn FROM interchanges WHERE file_id = ?').get(msg.fileId) as { id: number; cn: string };
  expect(ic.cn).toBe(String(control).padStart(9, '0'));
  const sets = gw.store.db.prepare(`SELECT count(*) AS n FROM transaction_sets WHERE interchange_id = ? AND set_id = '850'`).get(ic.id) as { n: number };
  expect(sets.n).toBe(1);
  const acks = gw.store.acks.ofInterchange(ic.id);
  expect(acks.map((a) => a.kind)).toContain('997');
  expect(acks.find((a) => a.kind === '997')!.content).toMatch(/AK1\*PO\*/);
}

describe('AS2 interop with OpenSSL (openssl cms + curl)', () => {
  it('signed (SHA-256) then encrypted (AES-256, RSA PKCS#1 v1.5 key transport): processed, MDN verifies, MIC equals OpenSSL digest', async () => {
    const part = payloadPart(101);
    const signed = sign(part.file, 'sha256');
    const env = encrypt(signed, '-aes-256-cbc');
    const mdn = await post('<case-101@acme.example>', env, ENVELOPED);
    expect(mdn.disposition).toBe('automatic-action/MDN-sent-automatically; processed');
    expect(mdn.originalMessageId).toBe('<case-101@acme.example>');
    expect(mdn.mic).toBe(`${digestB64(part.file, 'sha256')}, sha-256`);
    await expectProcessed('<case-101@acme.example>', 101);
  });

  it('signed (SHA-1) then encrypted (AES-128, RSA-OAEP): processed, MIC with sha1 as asked', async () => {
    const part = payloadPart(102);
    const env = encrypt(sign(part.file, 'sha1'), '-aes-128-cbc', OAEP);
    const mdn = await post('<case-102@acme.example>', env, ENVELOPED, 'sha1');
    expect(mdn.disposition).toMatch(/; processed$/);
    expect(mdn.mic).toBe(`${digestB64(part.file, 'sha1')}, sha1`);
    await expectProcessed('<case-102@acme.example>', 102);
  });

  it('encrypted only (AES-128, PKCS#1 v1.5), base64 Content-Transfer-Encoding on the wire: MIC over the decrypted content', async () => {
    const part = payloadPart(103);
    const out = `${part.file}.smime`;
    openssl(['cms', '-encrypt', '-binary', '-in', part.file, '-aes-128-cbc', '-recip', ourCert, '-outform', 'SMIME', '-out', out]);
    const smime = splitSmime(readFileSync(out));
    expect(smime.headers['content-transfer-encoding']).toBe('base64');
    const bodyFile = `${out}.body`;
    writeFileSync(bodyFile, smime.body);
    const mdn = await post('<case-103@acme.example>', bodyFile, { 'Content-Type': smime.headers['content-type']!, 'Content-Transfer-Encoding': 'base64' });
    expect(mdn.disposition).toMatch(/; processed$/);
    expect(mdn.mic).toBe(`${digestB64(part.file, 'sha256')}, sha-256`);
    await expectProcessed('<case-103@acme.example>', 103);
  });

  it('signed only, RSASSA-PSS, payload quoted-printable with an RFC 2047 filename', async () => {
    const x12 = x12With(104).toString('latin1');
    // quoted-printable: "=" escaped, lines folded with soft breaks
    const qp = x12.replace(/=/g, '=3D').replace(/\r?\n/g, '=0A').replace(/(.{70})/g, '$1=\r\n');
    const name = Buffer.from('Bestellung-Müller-104.edi', 'utf8').toString('base64');
    const bytes = Buffer.from(`Content-Type: application/edi-x12\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Disposition: attachment; filename="=?UTF-8?B?${name}?="\r\n\r\n${qp}`, 'latin1');
    const file = join(dir, 'part-104.mime');
    writeFileSync(file, bytes);
    const signed = splitSmime(readFileSync(sign(file, 'sha256', ['-keyopt', 'rsa_padding_mode:pss'])));
    const bodyFile = join(dir, 'signed-104.body');
    writeFileSync(bodyFile, signed.body);
    const mdn = await post('<case-104@acme.example>', bodyFile, { 'Content-Type': signed.headers['content-type']! });
    expect(mdn.disposition).toMatch(/; processed$/);
    expect(mdn.mic).toBe(`${digestB64(file, 'sha256')}, sha-256`);
    await expectProcessed('<case-104@acme.example>', 104, 'Bestellung-Müller-104.edi');
  });

  it('compressed (RFC 3274, zlib) then signed then encrypted (AES-256, OAEP): MIC over the signed compressed entity', async () => {
    const part = payloadPart(105);
    const deflated = execFileSync('python3', ['-c', 'import sys,zlib;sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))'], { input: part.bytes });
    const conf = join(dir, 'compressed.cnf');
    writeFileSync(conf, [
      'asn1=SEQUENCE:ci', '[ci]', 'type=OID:1.2.840.113549.1.9.16.1.9', 'content=EXPLICIT:0,SEQUENCE:cd',
      '[cd]', 'version=INTEGER:0', 'alg=SEQUENCE:zlib', 'encap=SEQUENCE:encap',
      '[zlib]', 'oid=OID:1.2.840.113549.1.9.16.3.8',
      '[encap]', 'type=OID:1.2.840.113549.1.7.1', `content=EXPLICIT:0,FORMAT:HEX,OCTETSTRING:${deflated.toString('hex')}`, '',
    ].join('\n'));
    const derFile = join(dir, 'compressed.der');
    openssl(['asn1parse', '-genconf', conf, '-noout', '-out', derFile]);
    const der = readFileSync(derFile);
    const b64 = (der.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
    const compressedFile = join(dir, 'compressed-105.mime');
    writeFileSync(compressedFile, `Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n`);
    const env = encrypt(sign(compressedFile, 'sha256'), '-aes-256-cbc', OAEP);
    const mdn = await post('<case-105@acme.example>', env, ENVELOPED);
    expect(mdn.disposition).toMatch(/; processed$/);
    expect(mdn.mic).toBe(`${digestB64(compressedFile, 'sha256')}, sha-256`);
    await expectProcessed('<case-105@acme.example>', 105);
    const row = (await (await fetch(`${api}/api/as2/messages?messageId=${encodeURIComponent('<case-105@acme.example>')}`)).json() as { items: Array<{ signed: boolean; encrypted: boolean; compressed: boolean; micAlg: string }> }).items[0]!;
    expect(row).toMatchObject({ signed: true, encrypted: true, compressed: true, micAlg: 'sha-256' });
  });

  it('the 850s were delivered to the ERP and every 997 recorded for sending to the partner', async () => {
    const t = await until(async () => {
      const r = await (await fetch(`${api}/api/transmissions?partner=acme&kind=997`)).json() as { total: number };
      return r.total === 5 ? r : undefined;
    }, 'five 997 transmissions');
    expect(t.total).toBe(5);
  });
});

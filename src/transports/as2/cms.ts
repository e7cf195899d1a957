/**
 * CMS (RFC 5652) for AS2: detached signatures, enveloping and RFC 3274 compression.
 *
 * - Sign and verify: pkijs 4 on Node's WebCrypto (SHA-1/256/384/512; RSA PKCS#1 v1.5 and RSASSA-PSS).
 *   Signatures are verified against the partner's configured certificates only, never against
 *   certificates the message carries.
 * - Encrypt: pkijs for RSA-OAEP key transport with AES-CBC; `openssl cms -encrypt` for RSA PKCS#1 v1.5 key
 *   transport and 3DES (pkijs does neither).
 * - Decrypt: pkijs for RSA-OAEP with AES-CBC; everything else (RSA PKCS#1 v1.5 key transport, which Node 20
 *   refuses to decrypt since the CVE-2023-46809 fix, and 3DES) through `openssl cms -decrypt` in a
 *   subprocess: OpenSSL's CMS decryption has Bleichenbacher countermeasures, and the gateway itself never
 *   runs with a security revert. Every failure is reported the same way (decryption-failed).
 * - Compress / decompress: RFC 3274 CompressedData with zlib, our own small ASN.1 on asn1js.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }));

/** Object identifiers used here (RFC 5652, RFC 3274, RFC 3565, RFC 8017). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  compressedData: '1.2.840.113549.1.9.16.1.9',
  zlib: '1.2.840.113549.1.9.16.3.8',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  aes128cbc: '2.16.840.1.101.3.4.1.2',
  aes192cbc: '2.16.840.1.101.3.4.1.22',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  desEde3cbc: '1.2.840.113549.3.7',
} as const;

/** Digest algorithms AS2 names (RFC 4130 §7.3.1, RFC 5751 micalg names). */
export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
/** Content encryption algorithms. */
export type CipherName = 'AES128' | 'AES192' | 'AES256' | '3DES';
/** RSA key transport of the content-encryption key. */
export type KeyTransport = 'pkcs1v15' | 'oaep';
/** RSA signature scheme. */
export type SignatureScheme = 'pkcs1v15' | 'pss';

/** A certificate in the forms the layers need. */
export interface Certificate {
  pem: string;
  der: Buffer;
  x509: X509Certificate;
  pkijs: pkijs.Certificate;
  /** Where it was read from (openssl needs a file), when known. */
  file?: string;
}

/** A private key with the certificate it belongs to (our AS2 identity). */
export interface KeyPair {
  key: KeyObject;
  /** PKCS#8 DER of the key (WebCrypto import). */
  pkcs8: Buffer;
  cert: Certificate;
  /** Files openssl reads (decryption of PKCS#1 v1.5 key transport). */
  keyFile: string;
  certFile: string;
}

/** Parses a PEM or DER certificate. @throws Error when it is neither. */
export function parseCertificate(input: Buffer | string, file?: string): Certificate {
  const x509 = new X509Certificate(input);
  const der = Buffer.from(x509.raw);
  const pkijsCert = pkijs.Certificate.fromBER(new Uint8Array(der));
  return { pem: x509.toString(), der, x509, pkijs: pkijsCert, ...(file ? { file } : {}) };
}

/** Builds a key pair from PEM key and certificate text and the files they came from. @throws Error for bad PEM. */
export function keyPairFrom(keyPem: string | Buffer, certPem: string | Buffer, files: { keyFile: string; certFile: string }): KeyPair {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  return { key, pkcs8, cert: parseCertificate(certPem, files.certFile), ...files };
}

const ab = (b: Buffer | Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** The content type OID of a DER/BER ContentInfo (signed, enveloped, compressed data). @throws Error when unparsable. */
export function contentTypeOf(der: Buffer): string {
  return pkijs.ContentInfo.fromBER(ab(der)).contentType;
}

/** The digest name for a micalg / Disposition-Notification-Options token (`sha-256`, `sha256`, `sha1`...). */
export function digestFromMicalg(token: string): DigestName | undefined {
  switch (token.trim().toLowerCase().replace(/^"|"$/g, '')) {
    case 'sha1': case 'sha-1': return 'SHA-1';
    case 'sha256': case 'sha-256': return 'SHA-256';
    case 'sha384': case 'sha-384': return 'SHA-384';
    case 'sha512': case 'sha-512': return 'SHA-512';
    default: return undefined;
  }
}

/** The micalg name of a digest as RFC 5751 §3.4.3.2 writes it (`sha-256`; `sha1` for SHA-1, as RFC 4130 uses). */
export function micalgOf(d: DigestName): string {
  return d === 'SHA-1' ? 'sha1' : d.toLowerCase();
}

/**
 * Detached CMS SignedData over `content` (RFC 5652 §5; S/MIME application/pkcs7-signature), with the signed
 * attributes contentType, signingTime and messageDigest, our certificate included.
 * @returns DER of the ContentInfo.
 */
export async function signDetached(content: Buffer, signer: KeyPair, digest: DigestName, scheme: SignatureScheme = 'pkcs1v15'): Promise<Buffer> {
  const subtle = webcrypto.subtle;
  const messageDigest = Buffer.from(await subtle.digest(digest, content));
  const algorithm = scheme === 'pss' ? { name: 'RSA-PSS', hash: digest } : { name: 'RSASSA-PKCS1-v1_5', hash: digest };
  const privateKey = await subtle.importKey('pkcs8', signer.pkcs8, algorithm, false, ['sign']);
  const sd = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.cert.pkijs.issuer, serialNumber: signer.cert.pkijs.serialNumber }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({
        type: 0,
        attributes: [
          new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
          new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: new Date() })] }),
          new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(messageDigest) })] }),
        ],
      }),
    })],
    certificates: [signer.cert.pkijs],
  });
  await sd.sign(privateKey as unknown as Parameters<pkijs.SignedData['sign']>[0], 0, digest, ab(content));
  const ci = new pkijs.ContentInfo({ contentType: OID.signedData, content: sd.toSchema(true) });
  return Buffer.from(ci.toSchema().toBER(false));
}

/** Result of verifying a detached signature. */
export interface VerifyResult {
  /** verified; integrity-check-failed (content digest differs: altered in transit); authentication-failed (not signed by any given certificate, or a bad signature). */
  outcome: 'verified' | 'integrity-check-failed' | 'authentication-failed';
  /** Digest algorithm of the signer (the MIC algorithm unless the partner asked for another). */
  digest: DigestName | undefined;
  /** The certificate that verified it. */
  signer?: Certificate;
  detail: string;
}

/**
 * Verifies a detached CMS signature over exactly `content` against each of `trusted` (a partner's current
 * signing certificates; two during a rollover). Certificates carried in the message are ignored.
 * @returns the outcome; throws only when `p7s` is not CMS SignedData at all (the caller treats that as
 *   authentication-failed too).
 */
export async function verifyDetached(p7s: Buffer, content: Buffer, trusted: Certificate[]): Promise<VerifyResult> {
  const ci = pkijs.ContentInfo.fromBER(ab(p7s));
  if (ci.contentType !== OID.signedData) throw new Error(`not SignedData (${ci.contentType})`);
  const digestOid = new pkijs.SignedData({ schema: ci.content }).signerInfos[0]?.digestAlgorithm.algorithmId;
  const digest = digestOid ? digestByOid(digestOid) : undefined;
  if (trusted.length === 0) return { outcome: 'authentication-failed', digest, detail: 'no certificate is configured for this partner' };
  let last = 'not signed by a configured certificate';
  for (const cert of trusted) {
    const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(ab(p7s)).content });
    sd.certificates = [cert.pkijs];
    try {
      const r = await sd.verify({ signer: 0, data: ab(content), checkChain: false, extendedMode: true });
      if (r.signatureVerified) return { outcome: 'verified', digest, signer: cert, detail: 'signature verified' };
      last = 'the signature does not verify with the partner certificate';
    } catch (err) {
      const e = err as { code?: number; message?: string };
      if (e.code === 15 && /digest doesn't match/i.test(e.message ?? '')) {
        return { outcome: 'integrity-check-failed', digest, signer: cert, detail: 'the content digest does not match the signed messageDigest: the content was altered' };
      }
      last = e.code === 3 ? 'signed by a certificate that is not configured for this partner' : `signature not verified: ${e.message ?? String(err)}`;
    }
  }
  return { outcome: 'authentication-failed', digest, detail: last };
}

function digestByOid(oid: string): DigestName | undefined {
  return ({ '1.3.14.3.2.26': 'SHA-1', '2.16.840.1.101.3.4.2.1': 'SHA-256', '2.16.840.1.101.3.4.2.2': 'SHA-384', '2.16.840.1.101.3.4.2.3': 'SHA-512' } as Record<string, DigestName>)[oid];
}

/** Runs openssl with `input` on stdin; resolves stdout. @throws Error with stderr when it exits non-zero. */
export function runOpenssl(args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', args, { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`openssl ${args[0] ?? ''} ${args[1] ?? ''} failed: ${(stderr as Buffer).toString('utf8').split('\n')[0] ?? err.message}`));
      else resolve(stdout as Buffer);
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/**
 * CMS EnvelopedData of `content` for the holder of `recipient` (RFC 5652 §6).
 * OAEP (SHA-256) with AES through pkijs; PKCS#1 v1.5 key transport or 3DES through `openssl cms -encrypt`
 * (encrypting with a public key is not affected by the Node 20 restriction, but pkijs does not offer it).
 * @returns DER of the ContentInfo. @throws Error when encryption fails (certificate without a file for openssl).
 */
export async function encrypt(content: Buffer, recipient: Certificate, cipher: CipherName, keyTransport: KeyTransport): Promise<Buffer> {
  if (keyTransport === 'oaep' && cipher !== '3DES') {
    const env = new pkijs.EnvelopedData();
    env.addRecipientByCertificate(recipient.pkijs, { oaepHashAlgorithm: 'SHA-256' });
    await env.encrypt({ name: 'AES-CBC', length: cipher === 'AES128' ? 128 : cipher === 'AES192' ? 192 : 256 } as unknown as Parameters<pkijs.EnvelopedData['encrypt']>[0], ab(content));
    return Buffer.from(new pkijs.ContentInfo({ contentType: OID.envelopedData, content: env.toSchema() }).toSchema().toBER(false));
  }
  if (!recipient.file) throw new Error('the recipient certificate has no file for openssl');
  const c = cipher === '3DES' ? '-des3' : `-aes-${cipher.slice(3)}-cbc`;
  const opts = keyTransport === 'oaep' ? ['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256'] : [];
  return runOpenssl(['cms', '-encrypt', '-binary', '-outform', 'DER', c, '-recip', recipient.file, ...opts], content);
}

/** What an EnvelopedData uses: key transport and content cipher. */
export interface EnvelopeInfo {
  keyTransport: KeyTransport | 'other';
  cipher: CipherName | 'other';
}

/** Reads the key transport of the first recipient and the content-encryption algorithm. @throws Error when not EnvelopedData. */
export function envelopeInfo(der: Buffer): EnvelopeInfo {
  const ci = pkijs.ContentInfo.fromBER(ab(der));
  if (ci.contentType !== OID.envelopedData) throw new Error(`not EnvelopedData (${ci.contentType})`);
  const env = new pkijs.EnvelopedData({ schema: ci.content });
  const ri = env.recipientInfos[0]?.value as pkijs.KeyTransRecipientInfo | undefined;
  const kt = ri?.keyEncryptionAlgorithm?.algorithmId;
  const ce = env.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId;
  const cipher = ({ [OID.aes128cbc]: 'AES128', [OID.aes192cbc]: 'AES192', [OID.aes256cbc]: 'AES256', [OID.desEde3cbc]: '3DES' } as Record<string, CipherName>)[ce] ?? 'other';
  return { keyTransport: kt === OID.rsaesOaep ? 'oaep' : kt === OID.rsaEncryption ? 'pkcs1v15' : 'other', cipher };
}

/** Decrypts EnvelopedData addressed to `recipient`. Implementations must fail uniformly (no detail that helps an oracle). */
export interface EnvelopeDecryptor {
  decrypt(der: Buffer, recipient: KeyPair): Promise<Buffer>;
}

/** `openssl cms -decrypt` in a subprocess: every key transport and cipher OpenSSL supports (RSA PKCS#1 v1.5 included). */
export const opensslDecryptor: EnvelopeDecryptor = {
  decrypt: (der, recipient) => runOpenssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-recip', recipient.certFile, '-inkey', recipient.keyFile], der),
};

/** pkijs on WebCrypto: RSA-OAEP key transport with AES-CBC only. */
export const pkijsDecryptor: EnvelopeDecryptor = {
  async decrypt(der, recipient) {
    const env = new pkijs.EnvelopedData({ schema: pkijs.ContentInfo.fromBER(ab(der)).content });
    return Buffer.from(await env.decrypt(0, { recipientCertificate: recipient.cert.pkijs, recipientPrivateKey: ab(recipient.pkcs8) }));
  },
};

/**
 * Decrypts EnvelopedData: pkijs for RSA-OAEP with AES, `openssl cms -decrypt` for everything else.
 * @throws Error('decryption failed') whatever went wrong; the cause is kept for the log only.
 */
export async function decrypt(der: Buffer, recipient: KeyPair, decryptors: { oaep: EnvelopeDecryptor; other: EnvelopeDecryptor } = { oaep: pkijsDecryptor, other: opensslDecryptor }): Promise<Buffer> {
  try {
    const info = envelopeInfo(der);
    const d = info.keyTransport === 'oaep' && info.cipher !== '3DES' && info.cipher !== 'other' ? decryptors.oaep : decryptors.other;
    return await d.decrypt(der, recipient);
  } catch (err) {
    throw new Error('decryption failed', { cause: err });
  }
}

/**
 * RFC 3274 CompressedData with zlib over `content`:
 * ContentInfo { id-ct-compressedData, [0] CompressedData { version 0, compressionAlgorithm id-alg-zlibCompress,
 * encapContentInfo { id-data, [0] OCTET STRING zlib(content) } } }.
 * @returns DER.
 */
export function compress(content: Buffer): Buffer {
  const compressed = deflateSync(content);
  const encap = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: OID.data }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.OctetString({ valueHex: ab(compressed) })] }),
    ],
  });
  const compressedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.zlib })] }),
      encap,
    ],
  });
  const ci = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: OID.compressedData }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [compressedData] }),
    ],
  });
  return Buffer.from(ci.toBER(false));
}

/**
 * Undoes RFC 3274 CompressedData (zlib; BER with constructed or indefinite-length octet strings accepted).
 * @throws Error when the structure or the algorithm is not what RFC 3274 names, or zlib fails.
 */
export function decompress(der: Buffer): Buffer {
  const parsed = asn1js.fromBER(ab(der));
  if (parsed.offset === -1) throw new Error(`not BER: ${parsed.result.error}`);
  const ci = parsed.result as asn1js.Sequence;
  const items = ci.valueBlock.value;
  const oid = items[0] as asn1js.ObjectIdentifier | undefined;
  if (!oid || oid.valueBlock.toString() !== OID.compressedData) throw new Error('not CompressedData');
  const cd = (items[1] as asn1js.Constructed | undefined)?.valueBlock.value[0] as asn1js.Sequence | undefined;
  const fields = cd?.valueBlock.value ?? [];
  const alg = (fields[1] as asn1js.Sequence | undefined)?.valueBlock.value[0] as asn1js.ObjectIdentifier | undefined;
  if (!alg || alg.valueBlock.toString() !== OID.zlib) throw new Error('compression algorithm is not zlib (RFC 3274 §2)');
  const encap = fields[2] as asn1js.Sequence | undefined;
  const wrapped = (encap?.valueBlock.value[1] as asn1js.Constructed | undefined)?.valueBlock.value[0];
  if (!wrapped) throw new Error('CompressedData without content');
  return inflateSync(Buffer.from(octets(wrapped)));
}

/** The bytes of a primitive or constructed OCTET STRING. */
function octets(node: asn1js.AsnType): Uint8Array {
  const o = node as asn1js.OctetString;
  if (o.idBlock.isConstructed) {
    const pieces = (o.valueBlock.value as asn1js.AsnType[]).map(octets);
    return Buffer.concat(pieces);
  }
  return new Uint8Array(o.valueBlock.valueHexView);
}

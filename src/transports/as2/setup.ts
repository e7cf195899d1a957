/**
 * AS2 set-up behind the command line: `edigate as2 init` (our identity) and `edigate partners as2` (a partner's
 * AS2 block). Files are written atomically; edigate.yaml and the partner file keep their comments and other keys.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { GatewayError } from '../../errors.js';
import { keyPairFrom, parseCertificate } from './cms.js';

function writeAtomic(path: string, text: string | Buffer, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${Date.now()}.${process.pid}.tmp`);
  writeFileSync(tmp, text, mode !== undefined ? { mode } : undefined);
  renameSync(tmp, path);
}

/**
 * Creates (or imports) our AS2 identity in `home`: key and certificate in data/as2/key.pem and data/as2/cert.pem,
 * and `as2: { id }` in edigate.yaml. Without `key`/`cert`, an RSA-2048 key and a self-signed certificate
 * (CN = the AS2 id, 2 years, keyUsage digitalSignature + keyEncipherment) are made with the openssl CLI.
 * @returns the certificate PEM (to hand to partners) and the paths written.
 * @throws GatewayError EDIGATE_AS_IDENTITY_INVALID when a key exists and `force` is not set, when the imported key
 *   and certificate do not match, or when openssl fails.
 */
export function as2Init(home: string, o: { id: string; key?: string; cert?: string; force?: boolean; days?: number }): { certPem: string; keyFile: string; certFile: string } {
  if (!/^[\x20-\x7e]{1,128}$/.test(o.id)) throw new GatewayError('EDIGATE_AS_IDENTITY_INVALID', `AS2 id "${o.id}" must be 1 to 128 printable ASCII characters`);
  const keyFile = join(home, 'data', 'as2', 'key.pem');
  const certFile = join(home, 'data', 'as2', 'cert.pem');
  if (existsSync(keyFile) && !o.force) throw new GatewayError('EDIGATE_AS_IDENTITY_INVALID', `${keyFile} exists; pass --force to replace our AS2 key`);
  mkdirSync(dirname(keyFile), { recursive: true });
  if (o.key || o.cert) {
    if (!o.key || !o.cert) throw new GatewayError('EDIGATE_AS_IDENTITY_INVALID', '--key and --cert go together');
    try {
      const pair = keyPairFrom(readFileSync(o.key), readFileSync(o.cert), { keyFile: o.key, certFile: o.cert });
      if (!pair.cert.x509.checkPrivateKey(pair.key)) throw new Error(`${o.key} is not the key of ${o.cert}`);
      writeAtomic(keyFile, pair.key.export({ type: 'pkcs8', format: 'pem' }), 0o600);
      writeAtomic(certFile, pair.cert.pem);
    } catch (err) {
      throw new GatewayError('EDIGATE_AS_IDENTITY_INVALID', (err as Error).message, { cause: err });
    }
  } else {
    const tmpKey = `${keyFile}.new`;
    const tmpCert = `${certFile}.new`;
    try {
      const cn = o.id.replace(/([/=+\\])/g, '\\$1');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', tmpKey, '-out', tmpCert, '-days', String(o.days ?? 730),
        '-subj', `/CN=${cn}`, '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment', '-addext', 'basicConstraints=critical,CA:FALSE'], { stdio: ['ignore', 'ignore', 'pipe'] });
      renameSync(tmpKey, keyFile);
      renameSync(tmpCert, certFile);
    } catch (err) {
      throw new GatewayError('EDIGATE_AS_IDENTITY_INVALID', `openssl req failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`, { cause: err });
    }
  }
  const yamlPath = join(home, 'edigate.yaml');
  const doc = parseDocument(existsSync(yamlPath) ? readFileSync(yamlPath, 'utf8') : '');
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  doc.set('as2', doc.createNode({ id: o.id, keyFile: 'data/as2/key.pem', certFile: 'data/as2/cert.pem' }));
  writeAtomic(yamlPath, doc.toString());
  return { certPem: readFileSync(certFile, 'utf8'), keyFile, certFile };
}

/** Options of `edigate partners as2`. */
export interface PartnerAs2Input {
  as2Id: string;
  cert: string;
  url?: string;
  sign?: string;
  encrypt?: string;
  mdn?: string;
}

/**
 * Sets up AS2 for an existing partner: copies its certificate to partners/certs/<id>.pem (used for signing and
 * encryption) and writes the `as2` block into partners/<id>.yaml; with a url, the partner's outbound channel
 * becomes as2 (our 997s and documents go to it over AS2).
 * @returns the partner file path.
 * @throws GatewayError EDIGATE_PARTNER_UNKNOWN (no such partner file), EDIGATE_PARTNER_INVALID (bad option or certificate).
 */
export function setPartnerAs2(home: string, partnersDir: string, id: string, o: PartnerAs2Input): string {
  const path = join(partnersDir, `${id}.yaml`);
  if (!existsSync(path)) throw new GatewayError('EDIGATE_PARTNER_UNKNOWN', `${path} does not exist; create it first with "edigate partners add ${id} --x12 QUAL:ID"`);
  const sign = (o.sign ?? 'SHA256').toUpperCase().replace('-', '');
  const encrypt = (o.encrypt ?? 'AES256').toUpperCase().replace('-', '');
  if (!['SHA1', 'SHA256', 'SHA384', 'SHA512', 'NONE'].includes(sign)) throw new GatewayError('EDIGATE_PARTNER_INVALID', `--sign ${o.sign}: use SHA1, SHA256, SHA384, SHA512 or none`);
  if (!['AES128', 'AES192', 'AES256', '3DES', 'NONE'].includes(encrypt)) throw new GatewayError('EDIGATE_PARTNER_INVALID', `--encrypt ${o.encrypt}: use AES128, AES192, AES256, 3DES or none`);
  if (o.mdn && o.mdn !== 'sync' && o.mdn !== 'async') throw new GatewayError('EDIGATE_PARTNER_INVALID', `--mdn ${o.mdn}: use sync or async`);
  if (o.url && !/^https?:\/\//.test(o.url)) throw new GatewayError('EDIGATE_PARTNER_INVALID', `--url ${o.url} is not an http(s) URL`);
  let pem: string;
  try {
    pem = parseCertificate(readFileSync(o.cert)).pem;
  } catch (err) {
    throw new GatewayError('EDIGATE_PARTNER_INVALID', `--cert ${o.cert}: not a certificate (${(err as Error).message})`, { cause: err });
  }
  const certPath = join(partnersDir, 'certs', `${id}.pem`);
  writeAtomic(certPath, pem);
  const rel = relative(resolve(home), certPath);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  doc.set('as2', doc.createNode({
    id: o.as2Id,
    ...(o.url ? { url: o.url } : {}),
    certificates: { signing: [rel], encryption: [rel] },
    sign: sign === 'NONE' ? 'none' : sign,
    encrypt: encrypt === 'NONE' ? 'none' : encrypt,
    mdn: { mode: o.mdn ?? 'sync', signed: true },
  }));
  if (o.url) doc.setIn(['outbound', 'channel'], 'as2');
  writeAtomic(path, doc.toString());
  return path;
}

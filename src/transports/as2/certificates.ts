/**
 * AS2 certificates: our identity (key + certificate from edigate.yaml `as2`), the partners' signing and
 * encryption certificates (partner file `as2.certificates`), their key usage and expiry. A certificate within
 * 30 days of expiry (or expired) is flagged in GET /api/certificates and logged as a warning.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import * as asn1js from 'asn1js';
import type { GatewayConfig } from '../../config-types.js';
import type { Partner } from '../../partners/partner.js';
import { GatewayError } from '../../errors.js';
import { keyPairFrom, parseCertificate, type Certificate, type KeyPair } from './cms.js';

/** Days before expiry from which a certificate is flagged. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Loads our AS2 key and certificate and checks they belong together.
 * @throws GatewayError EDIGATE_AS_IDENTITY_INVALID when a file is missing or unreadable or the key does not match.
 */
export function loadIdentity(as2: NonNullable<GatewayConfig['as2']>): KeyPair {
  try {
    const pair = keyPairFrom(readFileSync(as2.keyFile), readFileSync(as2.certFile), { keyFile: as2.keyFile, certFile: as2.certFile });
    if (!pair.cert.x509.checkPrivateKey(pair.key)) throw new Error(`${as2.keyFile} is not the key of ${as2.certFile}`);
    return pair;
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError('EDIGATE_AS_IDENTITY_INVALID', `${(err as Error).message} (run "edigate as2 init --id ${as2.id}")`, { cause: err });
  }
}

/** Reads certificate files, re-reading a file only when its mtime or size changed (partners edit them live). */
export class CertificateCache {
  private readonly cache = new Map<string, { stamp: string; cert: Certificate }>();

  /** The certificate in `file`. @throws Error when it cannot be read or parsed. */
  get(file: string): Certificate {
    const st = statSync(file);
    const stamp = `${st.mtimeMs}:${st.size}`;
    const hit = this.cache.get(file);
    if (hit && hit.stamp === stamp) return hit.cert;
    const cert = parseCertificate(readFileSync(file), file);
    this.cache.set(file, { stamp, cert });
    return cert;
  }

  /** The readable certificates of `files` (unreadable ones are skipped; they show in GET /api/certificates). */
  getAll(files: string[]): Certificate[] {
    const out: Certificate[] = [];
    for (const f of files) {
      try { out.push(this.get(f)); } catch { /* listed as unreadable by describeCertificates */ }
    }
    return out;
  }

  /**
   * The certificate to encrypt for a partner: of its encryption certificates, the valid one (now within
   * notBefore..notAfter) that became valid last, so a rollover switches on the new certificate's start date.
   * @returns undefined when none is valid.
   */
  encryptionCertificate(partner: Partner, now = Date.now()): Certificate | undefined {
    const valid = this.getAll(partner.as2?.certificates.encryption ?? [])
      .filter((c) => Date.parse(c.x509.validFrom) <= now && now <= Date.parse(c.x509.validTo))
      .sort((a, b) => Date.parse(b.x509.validFrom) - Date.parse(a.x509.validFrom));
    return valid[0];
  }
}

/** One certificate as GET /api/certificates lists it. */
export interface CertificateView {
  /** `us` for our identity, else the partner id. */
  owner: string;
  /** identity | signing | encryption */
  role: string;
  file: string;
  subject: string | null;
  issuer: string | null;
  serialNumber: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number | null;
  /** X.509 KeyUsage bits present (RFC 5280 §4.2.1.3), e.g. digitalSignature, keyEncipherment; empty when the extension is absent. */
  keyUsage: string[];
  fingerprintSha256: string | null;
  /** ok | expiring (within 30 days) | expired | not_yet_valid | unreadable */
  status: 'ok' | 'expiring' | 'expired' | 'not_yet_valid' | 'unreadable';
  warning: string | null;
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** The KeyUsage extension's bits (RFC 5280 §4.2.1.3). */
export function keyUsageOf(cert: Certificate): string[] {
  const ext = cert.pkijs.extensions?.find((e) => e.extnID === '2.5.29.15');
  if (!ext) return [];
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  if (parsed.offset === -1) return [];
  const bits = new Uint8Array((parsed.result as asn1js.BitString).valueBlock.valueHexView);
  return KEY_USAGE_BITS.filter((_n, i) => ((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
}

/** Describes one certificate file for the API (never throws: an unreadable file is listed as such). */
export function describeCertificate(cache: CertificateCache, owner: string, role: string, file: string, now = Date.now()): CertificateView {
  try {
    const c = cache.get(file);
    const notBefore = Date.parse(c.x509.validFrom);
    const notAfter = Date.parse(c.x509.validTo);
    const daysLeft = Math.floor((notAfter - now) / DAY_MS);
    const status = now > notAfter ? 'expired' : now < notBefore ? 'not_yet_valid' : notAfter - now <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : 'ok';
    const warning = status === 'expired' ? `expired on ${new Date(notAfter).toISOString()}`
      : status === 'expiring' ? `expires in ${daysLeft} day(s), on ${new Date(notAfter).toISOString()}`
        : status === 'not_yet_valid' ? `not valid before ${new Date(notBefore).toISOString()}` : null;
    return {
      owner, role, file, subject: c.x509.subject.replace(/\n/g, ', '), issuer: c.x509.issuer.replace(/\n/g, ', '), serialNumber: c.x509.serialNumber,
      notBefore: new Date(notBefore).toISOString(), notAfter: new Date(notAfter).toISOString(), daysLeft, keyUsage: keyUsageOf(c),
      fingerprintSha256: c.x509.fingerprint256, status, warning,
    };
  } catch (err) {
    return {
      owner, role, file, subject: null, issuer: null, serialNumber: null, notBefore: null, notAfter: null, daysLeft: null, keyUsage: [],
      fingerprintSha256: null, status: 'unreadable', warning: `cannot be read: ${(err as Error).message}`,
    };
  }
}

/** Our certificate and every partner's AS2 certificates (a file used for both roles is listed once per role). */
export function describeCertificates(cache: CertificateCache, config: GatewayConfig, partners: Partner[], now = Date.now()): CertificateView[] {
  const out: CertificateView[] = [];
  if (config.as2) out.push(describeCertificate(cache, 'us', 'identity', config.as2.certFile, now));
  for (const p of partners) {
    if (!p.as2) continue;
    for (const f of p.as2.certificates.signing) out.push(describeCertificate(cache, p.id, 'signing', f, now));
    for (const f of p.as2.certificates.encryption) out.push(describeCertificate(cache, p.id, 'encryption', f, now));
  }
  return out;
}

/** Logs a warning for every certificate that is expiring, expired, not yet valid or unreadable. Returns those. */
export function logCertificateWarnings(cache: CertificateCache, config: GatewayConfig, partners: Partner[], logger: Logger, now = Date.now()): CertificateView[] {
  const flagged = describeCertificates(cache, config, partners, now).filter((c) => c.warning);
  for (const c of flagged) logger.warn({ owner: c.owner, role: c.role, file: c.file, subject: c.subject, notAfter: c.notAfter, status: c.status }, `AS2 certificate ${c.warning}`);
  return flagged;
}

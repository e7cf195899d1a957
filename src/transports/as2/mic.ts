/**
 * The Message Integrity Check of RFC 4130 §7.3.1: a digest, base64-encoded, over
 * - for a signed message: the MIME header fields and content of the first part of the multipart/signed
 *   (exactly the bytes that were signed, as received);
 * - for an unsigned message: the (decrypted, uncompressed) content including its MIME header fields and any
 *   Content-Transfer-Encoding applied.
 * Written into an MDN as `Received-Content-MIC: <base64>, <micalg>` (RFC 4130 §7.4.3).
 */
import { createHash } from 'node:crypto';
import { digestFromMicalg, micalgOf, type DigestName } from './cms.js';

/** A computed MIC. */
export interface Mic {
  /** Base64 digest. */
  value: string;
  /** micalg name as written in the MDN (sha-256, sha1...). */
  alg: string;
}

/** Computes the MIC of `bytes` with `digest`. */
export function computeMic(bytes: Buffer, digest: DigestName): Mic {
  return { value: createHash(digest.replace('-', '').toLowerCase()).update(bytes).digest('base64'), alg: micalgOf(digest) };
}

/** `Received-Content-MIC` field value: `<base64>, <micalg>`. */
export function formatMic(mic: Mic): string {
  return `${mic.value}, ${mic.alg}`;
}

/** Parses a `Received-Content-MIC` value; undefined when malformed. The algorithm is normalised (sha256 -> sha-256). */
export function parseMic(text: string): Mic | undefined {
  const m = /^\s*([A-Za-z0-9+/=]+)\s*,\s*([A-Za-z0-9-]+)\s*$/.exec(text);
  if (!m) return undefined;
  const d = digestFromMicalg(m[2]!);
  return { value: m[1]!, alg: d ? micalgOf(d) : m[2]!.toLowerCase() };
}

/** True when two MICs name the same digest with the same value. */
export function sameMic(a: Mic | undefined, b: Mic | undefined): boolean {
  return !!a && !!b && a.value === b.value && a.alg === b.alg;
}

/**
 * The MIC algorithm for a receipt (RFC 4130 §7.3): the first algorithm of the sender's
 * `signed-receipt-micalg` we support, else the digest the sender signed with, else SHA-256.
 */
export function chooseMicDigest(requested: string[], signatureDigest: DigestName | undefined): DigestName {
  for (const r of requested) {
    const d = digestFromMicalg(r);
    if (d) return d;
  }
  return signatureDigest ?? 'SHA-256';
}

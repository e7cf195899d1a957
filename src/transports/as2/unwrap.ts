/**
 * Unwraps a received AS2 message in whatever order the sender layered it (RFC 4130 §3, RFC 5402): CMS
 * EnvelopedData, multipart/signed and CMS CompressedData, before or after signing, down to the payload.
 * Keeps the exact bytes the MIC is computed over (RFC 4130 §7.3.1): the first part of the outermost
 * multipart/signed as received, or for an unsigned message the decrypted, uncompressed content with its headers.
 */
import { contentTypeOf, decompress, decrypt, OID, verifyDetached, type Certificate, type DigestName, type KeyPair } from './cms.js';
import { decodedBody, parseEntity, splitMultipart, type MimeEntity } from './mime.js';

/** A failed unwrap: the disposition modifier of the negative MDN (RFC 4130 §7.5.3, RFC 5402 §5) and why. */
export class UnwrapError extends Error {
  constructor(readonly modifier: 'decryption-failed' | 'authentication-failed' | 'integrity-check-failed' | 'decompression-failed' | 'unexpected-processing-error', detail: string) {
    super(detail);
    this.name = 'UnwrapError';
  }
}

/** The unwrapped message. */
export interface Unwrapped {
  /** The innermost entity: the EDI document with its own headers. */
  payload: MimeEntity;
  signed: boolean;
  encrypted: boolean;
  compressed: boolean;
  /** The bytes the MIC is computed over. */
  micBytes: Buffer;
  /** Digest of the outermost signature, when signed. */
  signatureDigest?: DigestName;
}

const PKCS7_MIME = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);
const MAX_LAYERS = 8;

/**
 * Peels the layers off `top`. Signatures are verified against `signingCerts` (the partner's), decryption uses
 * `identity` (ours).
 * @throws UnwrapError with the disposition modifier for the negative MDN.
 */
export async function unwrap(top: MimeEntity, identity: KeyPair, signingCerts: Certificate[]): Promise<Unwrapped> {
  let entity = top;
  let signed = false;
  let encrypted = false;
  let compressed = false;
  let micBytes: Buffer | undefined;
  let signatureDigest: DigestName | undefined;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const ct = entity.contentType;
    if (PKCS7_MIME.has(ct.value)) {
      let der: Buffer;
      let oid: string;
      try {
        der = decodedBody(entity);
        oid = contentTypeOf(der);
      } catch (err) {
        throw new UnwrapError(ct.params['smime-type'] === 'compressed-data' ? 'decompression-failed' : 'decryption-failed', `${ct.value} body is not CMS: ${(err as Error).message}`);
      }
      if (oid === OID.envelopedData) {
        let plain: Buffer;
        try {
          plain = await decrypt(der, identity);
        } catch {
          // One answer whatever went wrong (no padding-oracle detail).
          throw new UnwrapError('decryption-failed', 'the message could not be decrypted with our key');
        }
        entity = parseEntity(plain);
        encrypted = true;
        continue;
      }
      if (oid === OID.compressedData) {
        try {
          entity = parseEntity(decompress(der));
        } catch (err) {
          throw new UnwrapError('decompression-failed', `CompressedData could not be decompressed: ${(err as Error).message}`);
        }
        compressed = true;
        continue;
      }
      throw new UnwrapError('unexpected-processing-error', `unsupported CMS content type ${oid} (smime-type ${ct.params['smime-type'] ?? 'none'})`);
    }
    if (ct.value === 'multipart/signed') {
      const parts = splitMultipart(entity.body, ct.params.boundary ?? '');
      const first = parts[0];
      const sig = parts[1];
      if (!first || !sig) throw new UnwrapError('authentication-failed', 'multipart/signed without a content part and a signature part');
      let result;
      try {
        result = await verifyDetached(decodedBody(sig), first.raw, signingCerts);
      } catch (err) {
        throw new UnwrapError('authentication-failed', `the signature part cannot be read: ${(err as Error).message}`);
      }
      if (result.outcome !== 'verified') throw new UnwrapError(result.outcome, result.detail);
      if (!signed) {
        micBytes = first.raw;
        signatureDigest = result.digest;
      }
      signed = true;
      entity = first;
      continue;
    }
    return { payload: entity, signed, encrypted, compressed, micBytes: micBytes ?? entity.raw, ...(signatureDigest ? { signatureDigest } : {}) };
  }
  throw new UnwrapError('unexpected-processing-error', `more than ${MAX_LAYERS} nested layers`);
}

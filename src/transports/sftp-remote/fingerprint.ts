import { createHash } from 'node:crypto';

/**
 * SHA-256 fingerprint of an SSH public key blob (RFC 4253 §6.6 encoding) as OpenSSH prints it
 * (`ssh-keygen -lf`, `ssh -o FingerprintHash=sha256`): `SHA256:` + base64 without padding.
 */
export function sshFingerprint(publicKeyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '');
}

/** Compares two fingerprints as written by people: `SHA256:` prefix required, trailing `=` ignored, base64 case kept. */
export function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/=+$/, '');
  return norm(a) === norm(b);
}

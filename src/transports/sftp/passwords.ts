/**
 * SFTP user passwords: scrypt (RFC 7914) hashes in a PHC-style string, `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`
 * (salt and hash in unpadded base64), verified in constant time. The password itself is never stored.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: Buffer, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

/** Cost of new hashes: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s here); OWASP's minimum for scrypt is N = 2^17 with r = 8 at 128 MiB. */
export const SCRYPT_COST = { ln: 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

/**
 * Hashes `password` (UTF-8) with a fresh 16-byte salt.
 * @returns `$scrypt$ln=..,r=..,p=..$<salt>$<hash>`
 */
export async function hashPassword(password: string, cost: { ln: number; r: number; p: number } = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(Buffer.from(password, 'utf8'), salt, KEY_LENGTH, options(cost));
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

function options(cost: { ln: number; r: number; p: number }): ScryptOptions {
  const N = 2 ** cost.ln;
  return { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r * cost.p + 16 * 1024 * 1024 };
}

/** Parses a stored hash; undefined when it is not one of ours or its cost is out of bounds (ln 10..20, r 1..32, p 1..16). */
export function parsePasswordHash(stored: string): { cost: { ln: number; r: number; p: number }; salt: Buffer; key: Buffer } | undefined {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!m) return undefined;
  const cost = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (cost.ln < 10 || cost.ln > 20 || cost.r < 1 || cost.r > 32 || cost.p < 1 || cost.p > 16) return undefined;
  const salt = Buffer.from(m[4]!, 'base64');
  const key = Buffer.from(m[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { cost, salt, key };
}

/** A hash of a random password, verified against when the user is unknown so the answer takes as long. */
let decoy: Promise<string> | undefined;

/**
 * True when `password` matches `stored` (constant-time comparison of the derived keys). With `stored`
 * undefined (unknown user, or a user without a password) the same work is done against a decoy and false returned.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored ? parsePasswordHash(stored) : undefined;
  const target = parsed ?? parsePasswordHash(await (decoy ??= hashPassword(randomBytes(16).toString('hex'))))!;
  const key = await scrypt(Buffer.from(password, 'utf8'), target.salt, target.key.length, options(target.cost));
  return parsed !== undefined && key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

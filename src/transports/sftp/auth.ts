/**
 * Who may log in to the hosted SFTP server: SFTP users from the partner files (src/partners/sftp-settings.ts),
 * their authorised keys (ed25519, ECDSA, RSA; RSA signatures checked with the hash the client names,
 * rsa-sha2-256/512 per RFC 8332), and a per-address throttle that slows down repeated failed logins.
 */
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import type { Partner } from '../../partners/partner.js';
import type { SftpUser } from '../../partners/sftp-settings.js';
import type { PartnerDirectory } from '../../partners/load.js';

/** Key types accepted as authorised keys (RFC 8709 ed25519, RFC 5656 ECDSA, RFC 4253/8332 RSA). */
export const ACCEPTED_KEY_TYPES = new Set(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa']);

/**
 * Parses one authorised key line (`type base64 [comment]`).
 * @returns the key, or an Error naming why it is not usable (unparseable, private key, type not accepted).
 */
export function parseAuthorisedKey(line: string): ParsedKey | Error {
  const parsed = ssh2.utils.parseKey(line.trim());
  if (parsed instanceof Error) return parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) return new Error('no key found');
  if (key.isPrivateKey()) return new Error('this is a private key; give the public key (.pub)');
  if (!ACCEPTED_KEY_TYPES.has(key.type)) return new Error(`key type ${key.type} is not accepted (ed25519, ECDSA or RSA)`);
  return key;
}

const keyCache = new Map<string, ParsedKey | null>();

/** The user's authorised key whose public blob equals `blob`, compared in constant time; undefined when none. */
export function findAuthorisedKey(user: SftpUser, blob: Buffer): ParsedKey | undefined {
  for (const line of user.publicKeys) {
    let key = keyCache.get(line);
    if (key === undefined) {
      const k = parseAuthorisedKey(line);
      key = k instanceof Error ? null : k;
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(line, key);
    }
    if (!key) continue;
    const pub = key.getPublicSSH();
    if (pub.length === blob.length && timingSafeEqual(pub, blob)) return key;
  }
  return undefined;
}

/** The partner and user a login name belongs to (names are unique across partners, src/partners/sftp-settings.ts). */
export function findSftpUser(partners: PartnerDirectory, name: string): { partner: Partner; user: SftpUser } | undefined {
  for (const partner of partners.list()) {
    const user = partner.sftp?.users.find((u) => u.name === name);
    if (user) return { partner, user };
  }
  return undefined;
}

/**
 * Counts failed logins per remote address and says how long to wait before answering the next failure:
 * the first `free` failures are answered at once, then the delay doubles from `baseDelayMs` up to `maxDelayMs`.
 * A success, or `windowMs` without failures, clears the address.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lastAt: number }>();

  constructor(private readonly opts: { free?: number; baseDelayMs?: number; maxDelayMs?: number; windowMs?: number; now?: () => number } = {}) {}

  /** Records a failure from `address`; returns the failures counted so far and the delay to apply to this answer, in ms. */
  fail(address: string): { failures: number; delayMs: number } {
    const now = (this.opts.now ?? Date.now)();
    const windowMs = this.opts.windowMs ?? 15 * 60_000;
    const prev = this.failures.get(address);
    const count = prev && now - prev.lastAt < windowMs ? prev.count + 1 : 1;
    this.failures.set(address, { count, lastAt: now });
    if (this.failures.size > 100_000) this.prune(now, windowMs);
    return { failures: count, delayMs: this.delayFor(count) };
  }

  /** Clears the address after a successful login. */
  succeed(address: string): void {
    this.failures.delete(address);
  }

  /** Delay for the `count`-th failure, in ms. */
  delayFor(count: number): number {
    const free = this.opts.free ?? 3;
    if (count <= free) return 0;
    return Math.min((this.opts.baseDelayMs ?? 500) * 2 ** (count - free - 1), this.opts.maxDelayMs ?? 10_000);
  }

  private prune(now: number, windowMs: number): void {
    for (const [k, v] of this.failures) if (now - v.lastAt >= windowMs) this.failures.delete(k);
  }
}

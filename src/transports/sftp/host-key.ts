/**
 * The hosted SFTP server's host key: ed25519, generated on first start into `data/sftp_host_ed25519_key`
 * (OpenSSH format, mode 0600) and kept, so partners' known_hosts entries stay valid across restarts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { GatewayError } from '../../errors.js';
import { sshFingerprint } from '../sftp-remote/fingerprint.js';

/** File name of the host key inside data/. */
export const HOST_KEY_FILE = 'sftp_host_ed25519_key';

/**
 * Reads the host key from `dataDir`, creating it (and `<file>.pub`) when missing.
 * @returns the private key in OpenSSH format, whether it was created now, and its SHA256 fingerprint (as `ssh-keygen -lf`).
 * @throws GatewayError EDIGATE_SFTP_HOST_KEY when the file cannot be read, parsed or written.
 */
export function loadOrCreateHostKey(dataDir: string): { key: Buffer; created: boolean; fingerprint: string; path: string } {
  const path = join(dataDir, HOST_KEY_FILE);
  let created = false;
  try {
    if (!existsSync(path)) {
      mkdirSync(dataDir, { recursive: true });
      const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'edigate sftp host key' });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, pair.private, { mode: 0o600 });
      writeFileSync(`${path}.pub`, pair.public + '\n', { mode: 0o644 });
      renameSync(tmp, path);
      created = true;
    }
    const key = readFileSync(path);
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) throw parsed;
    const k = Array.isArray(parsed) ? parsed[0]! : parsed;
    return { key, created, fingerprint: sshFingerprint(k.getPublicSSH()), path };
  } catch (err) {
    throw new GatewayError('EDIGATE_SFTP_HOST_KEY', `${path}: ${(err as Error).message}`, { cause: err });
  }
}

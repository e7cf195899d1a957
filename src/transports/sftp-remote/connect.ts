/**
 * Connections to a partner's own SFTP server (ssh2 Client). The server's host key must match the
 * fingerprint in the partner file (no trust on first use); credentials come from an environment variable
 * (password) or a key file, never from the partner file itself.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import ssh2 from 'ssh2';
import type { ConnectConfig, SFTPWrapper, FileEntryWithStats, Stats as SftpStats } from 'ssh2';
import { GatewayError } from '../../errors.js';
import type { SftpRemoteSettings } from '../../partners/sftp-settings.js';
import { sameFingerprint, sshFingerprint } from './fingerprint.js';

/** Where credentials are looked up: the home folder (relative key files) and the environment (passwords). */
export interface CredentialSource {
  home: string;
  env: NodeJS.ProcessEnv;
}

/** An open SFTP session on a partner's server, with promise wrappers for what the gateway uses. */
export interface RemoteSftp {
  sftp: SFTPWrapper;
  /** Fingerprint the server presented (equal to the configured one). */
  hostKeyFingerprint: string;
  readdir(path: string): Promise<FileEntryWithStats[]>;
  stat(path: string): Promise<SftpStats | undefined>;
  fastGet(remote: string, local: string): Promise<void>;
  writeFile(remote: string, bytes: Buffer): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  close(): void;
}

const p = <T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void, what: string): Promise<T> =>
  new Promise<T>((res, rej) => fn((err, v) => (err ? rej(new GatewayError('EDIGATE_SFTP_REMOTE_FAILED', `${what}: ${err.message}`, { cause: err })) : res(v as T))));

/**
 * Builds the ssh2 connection settings for `remote`.
 * @throws GatewayError EDIGATE_SFTP_REMOTE_CREDENTIALS when the password variable is unset or the key file unreadable.
 */
export function connectConfig(remote: SftpRemoteSettings, creds: CredentialSource): ConnectConfig {
  const cfg: ConnectConfig = { host: remote.host, port: remote.port, username: remote.user, readyTimeout: remote.timeoutMs };
  if (remote.privateKeyFile) {
    const file = isAbsolute(remote.privateKeyFile) ? remote.privateKeyFile : resolve(creds.home, remote.privateKeyFile);
    try {
      cfg.privateKey = readFileSync(file);
    } catch (err) {
      throw new GatewayError('EDIGATE_SFTP_REMOTE_CREDENTIALS', `private key file ${file}: ${(err as Error).message}`);
    }
    if (remote.passphraseEnv) {
      const pass = creds.env[remote.passphraseEnv];
      if (pass === undefined) throw new GatewayError('EDIGATE_SFTP_REMOTE_CREDENTIALS', `environment variable ${remote.passphraseEnv} (key passphrase) is not set`);
      cfg.passphrase = pass;
    }
  }
  if (remote.passwordEnv) {
    const pass = creds.env[remote.passwordEnv];
    if (pass === undefined && !remote.privateKeyFile) throw new GatewayError('EDIGATE_SFTP_REMOTE_CREDENTIALS', `environment variable ${remote.passwordEnv} (password) is not set`);
    if (pass !== undefined) cfg.password = pass;
  }
  return cfg;
}

/**
 * Connects and opens the SFTP subsystem; the host key is checked against `remote.hostKeyFingerprint` before
 * any credential is sent (ssh2 `hostVerifier` runs during key exchange).
 * @throws GatewayError EDIGATE_SFTP_REMOTE_HOST_KEY_MISMATCH (not retryable), EDIGATE_SFTP_REMOTE_CREDENTIALS,
 *   EDIGATE_SFTP_REMOTE_UNREACHABLE (retryable: refused, timeout, reset), EDIGATE_SFTP_REMOTE_FAILED.
 */
export function connectRemote(remote: SftpRemoteSettings, creds: CredentialSource): Promise<RemoteSftp> {
  const cfg = connectConfig(remote, creds);
  const where = `${remote.user}@${remote.host}:${remote.port}`;
  return new Promise<RemoteSftp>((resolve, reject) => {
    const client = new ssh2.Client();
    let presented = '';
    let settled = false;
    const fail = (err: GatewayError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (presented && !sameFingerprint(presented, remote.hostKeyFingerprint)) {
        return fail(new GatewayError('EDIGATE_SFTP_REMOTE_HOST_KEY_MISMATCH', `${where} presented ${presented}, the partner file expects ${remote.hostKeyFingerprint}; not connected`));
      }
      if (err.level === 'client-authentication') return fail(new GatewayError('EDIGATE_SFTP_REMOTE_CREDENTIALS', `${where} refused the login: ${err.message}`));
      fail(new GatewayError('EDIGATE_SFTP_REMOTE_UNREACHABLE', `${where}: ${err.code ?? ''} ${err.message}`.trim(), { cause: err }));
    });
    client.on('close', () => fail(new GatewayError('EDIGATE_SFTP_REMOTE_UNREACHABLE', `${where}: connection closed`)));
    client.on('ready', () => {
      client.sftp((err, sftp) => {
        if (err) return fail(new GatewayError('EDIGATE_SFTP_REMOTE_FAILED', `${where}: sftp subsystem: ${err.message}`, { cause: err }));
        settled = true;
        resolve({
          sftp,
          hostKeyFingerprint: presented,
          readdir: (path) => p((cb) => sftp.readdir(path, cb), `readdir ${path}`),
          stat: (path) => new Promise((res) => sftp.stat(path, (e, s) => res(e ? undefined : s))),
          fastGet: (remotePath, local) => p((cb) => sftp.fastGet(remotePath, local, cb), `get ${remotePath}`),
          writeFile: (path, bytes) => p((cb) => sftp.writeFile(path, bytes, cb), `put ${path}`),
          rename: (from, to) => p((cb) => sftp.rename(from, to, cb), `rename ${from} to ${to}`),
          unlink: (path) => p((cb) => sftp.unlink(path, cb), `remove ${path}`),
          close: () => client.end(),
        });
      });
    });
    client.connect({
      ...cfg,
      hostVerifier: (key: Buffer) => {
        presented = sshFingerprint(key);
        return sameFingerprint(presented, remote.hostKeyFingerprint);
      },
    });
  });
}

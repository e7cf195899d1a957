/**
 * The SFTP building blocks on their own: password hashes, the jail's path resolution, fingerprints as
 * `ssh-keygen -lf` prints them, key checks (RSA with SHA-256 and SHA-512), the login throttle, the partner
 * file's `sftp` block, and `edigate partners sftp-user`.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { parse } from 'yaml';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../src/transports/sftp/passwords.js';
import { isTemporaryName, resolveJailPath, virtualPath } from '../../src/transports/sftp/jail.js';
import { findAuthorisedKey, LoginThrottle, parseAuthorisedKey } from '../../src/transports/sftp/auth.js';
import { sshFingerprint } from '../../src/transports/sftp-remote/fingerprint.js';
import { loadOrCreateHostKey } from '../../src/transports/sftp/host-key.js';
import { readPartners } from '../../src/partners/load.js';
import { keygen, keygenFingerprint, writePartner } from './helpers.js';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
const ctx = { mapNames: new Set(['x12-850-order']), destinationNames: new Set(['erp']) };

describe('passwords', () => {
  it('are stored as scrypt hashes, verified in constant time, and a wrong or missing hash never matches', async () => {
    const h = await hashPassword('s3cret');
    expect(h).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(h).not.toContain('s3cret');
    expect(await hashPassword('s3cret')).not.toBe(h); // fresh salt
    expect(await verifyPassword('s3cret', h)).toBe(true);
    expect(await verifyPassword('s3cret ', h)).toBe(false);
    expect(await verifyPassword('s3cret', undefined)).toBe(false);
    expect(await verifyPassword('s3cret', '$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43))).toBe(false); // cost out of bounds
    expect(parsePasswordHash('plain')).toBeUndefined();
  });
});

describe('the jail', () => {
  it('maps every client path to the two folders or to nothing', () => {
    expect(virtualPath('.')).toBe('/');
    expect(virtualPath('/..')).toBe('/');
    expect(virtualPath('inbound/../../..')).toBe('/');
    expect(resolveJailPath('/inbound/../../etc/passwd')).toEqual({ kind: 'none', path: '/etc/passwd' });
    expect(resolveJailPath('/inbound/../outbound/997.x12')).toEqual({ kind: 'file', area: 'outbound', name: '997.x12', path: '/outbound/997.x12' });
    expect(resolveJailPath('inbound/')).toEqual({ kind: 'dir', area: 'inbound', path: '/inbound' });
    expect(resolveJailPath('/inbound/a/b').kind).toBe('none');
    expect(resolveJailPath('/inbound/bad\u0000name').kind).toBe('none');
    expect(resolveJailPath(`/inbound/${'x'.repeat(201)}`).kind).toBe('none');
    expect(resolveJailPath('/outbound/..\\..\\etc').kind).toBe('none');
    expect(isTemporaryName('x.filepart')).toBe(true);
    expect(isTemporaryName('.x')).toBe(true);
    expect(isTemporaryName('850.edi')).toBe(false);
  });
});

describe('keys and fingerprints', () => {
  it('fingerprints equal ssh-keygen -lf, also for the generated host key, which is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-keys-'));
    for (const t of ['ed25519', 'rsa', 'ecdsa'] as const) {
      const k = keygen(dir, t, t);
      const parsed = parseAuthorisedKey(readFileSync(`${k}.pub`, 'utf8'));
      if (parsed instanceof Error) throw parsed;
      expect(sshFingerprint(parsed.getPublicSSH())).toBe(keygenFingerprint(`${k}.pub`));
    }
    const first = loadOrCreateHostKey(dir);
    expect(first.created).toBe(true);
    expect(first.fingerprint).toBe(keygenFingerprint(join(dir, 'sftp_host_ed25519_key.pub')));
    const again = loadOrCreateHostKey(dir);
    expect(again.created).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
  });

  it('verifies RSA signatures made with SHA-256 and SHA-512 (RFC 8332), refuses private keys and DSA', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-keys-'));
    const k = keygen(dir, 'rsa', 'rsa');
    const priv = ssh2.utils.parseKey(readFileSync(k)) as ssh2.ParsedKey;
    const user = { name: 'u', publicKeys: [readFileSync(`${k}.pub`, 'utf8').trim()] };
    const authorised = findAuthorisedKey(user, priv.getPublicSSH())!;
    const data = Buffer.from('session data to sign');
    for (const hash of ['sha256', 'sha512']) expect(authorised.verify(data, priv.sign(data, hash), hash)).toBe(true);
    expect(findAuthorisedKey(user, Buffer.from('other'))).toBeUndefined();
    expect(parseAuthorisedKey(readFileSync(k, 'utf8'))).toBeInstanceOf(Error);
    expect(parseAuthorisedKey('ssh-rsa AAAA garbage')).toBeInstanceOf(Error);
  });

  it('the login throttle answers the first three failures at once, then doubles the wait up to the maximum; a success clears it', () => {
    let now = 0;
    const t = new LoginThrottle({ now: () => now });
    expect([1, 2, 3, 4, 5, 6].map(() => t.fail('10.0.0.1').delayMs)).toEqual([0, 0, 0, 500, 1000, 2000]);
    expect(t.delayFor(20)).toBe(10_000);
    expect(t.fail('10.0.0.2').delayMs).toBe(0);
    t.succeed('10.0.0.1');
    expect(t.fail('10.0.0.1').failures).toBe(1);
    now += 16 * 60_000;
    expect(t.fail('10.0.0.2').failures).toBe(1); // forgotten after the window
  });
});

describe('partner files: the sftp block', () => {
  it('reports every problem: sftp channel without remote, move without archiveDir, no credentials, bad fingerprint, a user twice', () => {
    const home = mkdtempSync(join(tmpdir(), 'edigate-sftp-partners-'));
    writePartner(home, { id: 'a', ids: [['ZZ', 'A']], extra: { outbound: { channel: 'sftp' }, sftp: { users: [{ name: 'shared', publicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x'] }] } } });
    writePartner(home, { id: 'b', ids: [['ZZ', 'B']], extra: { sftp: { users: [{ name: 'shared', passwordHash: '$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43) }, { name: 'empty' }],
      remote: { host: 'h', user: 'u', hostKeyFingerprint: 'SHA256:' + 'A'.repeat(43), inboundDir: '/i', outboundDir: '/o', afterFetch: 'move' } } } });
    writePartner(home, { id: 'c', ids: [['ZZ', 'C']], extra: { sftp: { remote: { host: 'h', user: 'u', passwordEnv: 'X', hostKeyFingerprint: 'MD5:aa', inboundDir: '/i', outboundDir: '/o' } } } });
    const { partners, problems } = readPartners(join(home, 'partners'), ctx);
    expect(problems).toEqual([
      'partners/a.yaml: /outbound/channel "sftp" needs /sftp/remote (the partner\'s SFTP server to upload to)',
      'partners/b.yaml: /sftp/users/1 "empty" has neither passwordHash nor publicKeys (set them with "edigate partners sftp-user")',
      'partners/b.yaml: /sftp/remote needs passwordEnv or privateKeyFile',
      'partners/b.yaml: /sftp/remote/afterFetch "move" needs /sftp/remote/archiveDir',
      'partners/c.yaml: /sftp/remote/hostKeyFingerprint must match pattern "^SHA256:[A-Za-z0-9+/]{43}=?$"',
      'partners/b.yaml: /sftp/users "shared" is also a user of partner a',
    ]);
    expect(partners.find((p) => p.id === 'b')!.sftp).toMatchObject({ limits: { maxFileSize: 1024 ** 3, maxSessions: 4 }, rename: 'fail', remote: { port: 22, pollIntervalMs: 60_000 } });
  });
});

describe('edigate partners sftp-user', () => {
  it('adds a user with keys and a hashed password read from stdin, keeps the rest of the file, updates without duplicating keys', () => {
    const home = mkdtempSync(join(tmpdir(), 'edigate-sftp-cli-'));
    writePartner(home, { id: 'acme', ids: [['ZZ', 'ACME']] });
    const file = join(home, 'partners', 'acme.yaml');
    writeFileSync(file, '# kept comment\n' + readFileSync(file, 'utf8'));
    const k1 = keygen(home, 'k1', 'ed25519');
    const k2 = keygen(home, 'k2', 'rsa');
    const run = (args: string[], input?: string) => spawnSync(process.execPath, ['--import', 'tsx', CLI, '--home', home, 'partners', 'sftp-user', ...args], { encoding: 'utf8', input, env: { ...process.env, EDIGATE_MAP_WORKERS: '0' }, timeout: 60_000 });
    const add = run(['acme', 'acme-edi', '--key', `${k1}.pub`, '--password-stdin'], 'pa55 word\n');
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain('added sftp user acme-edi of partner acme');
    const upd = run(['acme', 'acme-edi', '--key', `${k1}.pub`, '--key', `${k2}.pub`]);
    expect(upd.status, upd.stderr).toBe(0);
    expect(upd.stdout).toContain(`keys added: ${keygenFingerprint(`${k2}.pub`)}`);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# kept comment\n')).toBe(true);
    expect(text).not.toContain('pa55 word');
    const doc = parse(text) as { x12: unknown; sftp: { users: Array<{ name: string; passwordHash: string; publicKeys: string[] }> } };
    expect(doc.x12).toEqual({ interchangeIds: [{ qualifier: 'ZZ', id: 'ACME' }] });
    expect(doc.sftp.users).toHaveLength(1);
    expect(doc.sftp.users[0]!.publicKeys.map((l) => l.split(' ')[0])).toEqual(['ssh-ed25519', 'ssh-rsa']);
    expect(doc.sftp.users[0]!.passwordHash).toMatch(/^\$scrypt\$/);
    expect(readPartners(join(home, 'partners'), ctx).problems).toEqual([]);
    const bad = run(['acme', 'other', '--key', k1]); // a private key
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('EDIGATE_SFTP_USER_INVALID');
    const none = run(['acme', 'nokey']);
    expect(none.stderr).toContain('needs --key or --password-stdin');
  });
});

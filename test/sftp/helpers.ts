/**
 * Real OpenSSH peers for the SFTP tests: keys from `ssh-keygen`, the `sftp` client in batch mode (with `sshpass`
 * for passwords), and an `sshd` started on a free loopback port with its own host key and configuration.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/app.js';

export const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12');

/** Generates a key pair with ssh-keygen (no passphrase); returns the private key path (public: `${path}.pub`). */
export function keygen(dir: string, name: string, type: 'ed25519' | 'rsa' | 'ecdsa', bits?: number): string {
  const path = join(dir, name);
  const args = ['-q', '-t', type, '-N', '', '-C', `${name}@test`, '-f', path];
  if (type === 'rsa') args.push('-b', String(bits ?? 3072));
  else if (type === 'ecdsa' && bits) args.push('-b', String(bits));
  const r = spawnSync('ssh-keygen', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return path;
}

/** `ssh-keygen -lf` fingerprint (SHA256:...) of a public key file. */
export function keygenFingerprint(pubPath: string): string {
  const r = spawnSync('ssh-keygen', ['-lf', pubPath], { encoding: 'utf8' });
  return r.stdout.split(' ')[1]!;
}

/** A free TCP port on 127.0.0.1 (listened on, then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface SftpRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SftpClientOptions {
  port: number;
  user: string;
  /** Private key file (publickey login). */
  key?: string;
  /** Password (password login through sshpass). */
  password?: string;
  /** known_hosts to check the server against (StrictHostKeyChecking=yes); default: not checked. */
  knownHosts?: string;
  /** Working folder of the client (local paths in the batch). */
  cwd: string;
  extra?: string[];
}

function sftpArgs(o: SftpClientOptions, batchFile: string): { cmd: string; args: string[] } {
  const args = [
    // Before -b: the first value of an option wins, and -b sets BatchMode=yes (no password prompt).
    ...(o.password !== undefined ? ['-o', 'BatchMode=no', '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'NumberOfPasswordPrompts=1'] : ['-o', 'PreferredAuthentications=publickey']),
    '-F', '/dev/null', '-b', batchFile, '-P', String(o.port),
    '-o', o.knownHosts ? 'StrictHostKeyChecking=yes' : 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${o.knownHosts ?? '/dev/null'}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=20', '-o', 'LogLevel=ERROR',
    ...(o.key ? ['-i', o.key] : []),
    ...(o.extra ?? []),
    `${o.user}@127.0.0.1`,
  ];
  return o.password !== undefined ? { cmd: 'sshpass', args: ['-p', o.password, 'sftp', ...args] } : { cmd: 'sftp', args };
}

/** Starts `sftp -b` with `commands`; the process runs in its own group (see killGroup). */
export function startSftp(o: SftpClientOptions, commands: string[]): { child: ChildProcess; done: Promise<SftpRun> } {
  const batchFile = join(mkdtempSync(join(tmpdir(), 'edigate-sftp-batch-')), 'batch');
  writeFileSync(batchFile, commands.join('\n') + '\n');
  const { cmd, args } = sftpArgs(o, batchFile);
  const child = spawn(cmd, args, { cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
  const done = new Promise<SftpRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/**
 * Runs `sftp -b` to completion. It must exit by itself (the server closes the channel on EOF):
 * after `timeoutMs` the client is killed and the run reported with signal SIGKILL.
 */
export async function runSftp(o: SftpClientOptions, commands: string[], timeoutMs = 60_000): Promise<SftpRun> {
  const { child, done } = startSftp(o, commands);
  const t = setTimeout(() => killGroup(child), timeoutMs);
  try {
    return await done;
  } finally {
    clearTimeout(t);
  }
}

/** Kills a child started by startSftp/startSshd together with the processes it started (its process group), by id. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, signal); } catch { /* gone */ }
}

/** Log records captured from the gateway's pino logger. */
export function captureLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) records.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), records };
}

/** Writes partners/<id>.yaml with an 850 route to the erp and the given extra blocks (sftp, outbound). */
export function writePartner(home: string, p: { id: string; ids: Array<[string, string]>; extra?: Record<string, unknown> }): void {
  mkdirSync(join(home, 'partners'), { recursive: true });
  writeFileSync(join(home, 'partners', `${p.id}.yaml`), stringify({
    id: p.id, name: p.id,
    x12: { interchangeIds: p.ids.map(([qualifier, id]) => ({ qualifier, id })) },
    acknowledgements: { functional: true, ta1: 'on-error' },
    duplicates: { interchange: 'reject' },
    documents: { '850': { map: 'x12-850-order', destinations: ['erp'] } },
    ...(p.extra ?? {}),
  }));
}

/** Starts a gateway on `home` with SFTP on (port 0), maps on the main thread, the ERP as a folder, no inbox watcher. */
export async function startSftpGateway(home: string, logger: Logger = pino({ level: 'silent' })): Promise<Gateway> {
  const config = loadConfig({ home, env: {}, overrides: { ops: { port: 0 }, sftpPort: 0, mapping: { workers: 0 }, workers: { pollMs: 20 } } });
  const gw = await createGateway(config, { logger, sftp: true, watch: false, listen: false });
  await gw.start();
  return gw;
}

/** A known_hosts file naming our server's host key for [127.0.0.1]:port. */
export function knownHostsFor(home: string, port: number): string {
  const pub = readFileSync(join(home, 'data', 'sftp_host_ed25519_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const path = join(mkdtempSync(join(tmpdir(), 'edigate-kh-')), 'known_hosts');
  writeFileSync(path, `[127.0.0.1]:${port} ${pub}\n`);
  return path;
}

/** An OpenSSH server started by a test: its own host key, config, authorised keys and folders, on a loopback port. */
export interface Sshd {
  dir: string;
  port: number;
  hostKeyFingerprint: string;
  /** Client key authorised for the current user. */
  clientKey: string;
  user: string;
  child: ChildProcess | undefined;
  start(): Promise<void>;
  /** Stops the listener and every connection it serves (by process id). */
  stop(): Promise<void>;
}

/** Prepares (does not start) an sshd in a temp folder on a free port, running as the current user. */
export async function prepareSshd(): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'edigate-sshd-'));
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = keygen(dir, 'ssh_host_ed25519_key', 'ed25519');
  const clientKey = keygen(dir, 'client_ed25519', 'ed25519');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', 'PermitRootLogin yes', 'Subsystem sftp internal-sftp',
    'LogLevel ERROR', 'MaxStartups 50',
  ].join('\n') + '\n');
  const user = process.env.USER ?? spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  const s: Sshd = {
    dir, port, hostKeyFingerprint: keygenFingerprint(`${hostKey}.pub`), clientKey, user, child: undefined,
    async start() {
      const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => { err += d.toString('utf8'); });
      s.child = child;
      const start = Date.now();
      for (;;) {
        if (child.exitCode !== null) throw new Error(`sshd exited: ${err}`);
        const up = await new Promise<boolean>((r) => { const c = connect(port, '127.0.0.1', () => { c.destroy(); r(true); }); c.on('error', () => r(false)); });
        if (up) return;
        if (Date.now() - start > 15_000) throw new Error(`sshd did not listen: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const child = s.child;
      if (!child?.pid || child.exitCode !== null) return;
      // The listener forks one process per connection: end those too, each by its id.
      const kids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).stdout.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGKILL');
      for (const pid of kids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      await exited;
      s.child = undefined;
    },
  };
  return s;
}

export { type Gateway };

/** waitFor (test/helpers/home.ts) for a value: resolves with the first truthy result of `check`. */
export async function waitForValue<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const { waitFor } = await import('../helpers/home.js');
  return (await waitFor(check, what, timeoutMs)) as NonNullable<T>;
}

/**
 * SFTP upload rate: the same `sftp -b` put of a file of `mb` MB (OpenSSH client, ed25519 key, 127.0.0.1)
 * into our hosted server (ssh2, a gateway on a temp home) and into OpenSSH's own sftp-server (an sshd this
 * bench starts on a free loopback port with its own host key and config), alternating, `runs` times each.
 * Reports the median wall time of the whole `sftp` run, the median of a login-only run (`pwd`), and the rates
 * over both (wall: handshake included; transfer: wall minus the login-only time).
 *
 *   npx tsx bench/sftp.ts [mb=50] [runs=3]        (also stage 8 of npm run bench)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/app.js';

function keygen(path: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Wall time of one `sftp -b` run, in seconds; throws when it fails. */
function timeSftp(port: number, user: string, key: string, cwd: string, commands: string[]): Promise<number> {
  const batch = join(cwd, 'batch');
  writeFileSync(batch, commands.join('\n') + '\n');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sftp', ['-F', '/dev/null', '-b', batch, '-P', String(port), '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${user}@127.0.0.1`], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`sftp exited ${code}: ${err}`))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface SftpBenchResult {
  mb: number;
  runs: number;
  edigate: { wallSeconds: number; loginSeconds: number; wallMBs: number; transferMBs: number };
  openssh: { wallSeconds: number; loginSeconds: number; wallMBs: number; transferMBs: number; server: string };
}

/** Runs the comparison (see the module comment). Needs ssh-keygen, sftp and /usr/sbin/sshd. */
export async function benchSftpUpload(mb = 50, runs = 3): Promise<SftpBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'edigate-bench-sftp-'));
  const key = join(dir, 'client');
  keygen(key);
  const file = join(dir, 'upload.bin');
  writeFileSync(file, randomBytes(mb * 1e6));

  // Our server: a gateway with one partner whose user has the client key.
  const home = join(dir, 'home');
  mkdirSync(join(home, 'partners'), { recursive: true });
  writeFileSync(join(home, 'partners', 'bench.yaml'), stringify({
    id: 'bench', name: 'bench', x12: { interchangeIds: [{ qualifier: 'ZZ', id: 'BENCH' }] },
    sftp: { users: [{ name: 'bench', publicKeys: [readFileSync(`${key}.pub`, 'utf8').trim()] }], limits: { maxFileSize: mb * 1e6 + 1 } },
  }));
  const config = loadConfig({ home, env: {}, overrides: { ops: { port: 0 }, sftpPort: 0, mapping: { workers: 0 } } });
  const gw = await createGateway(config, { logger: pino({ level: 'silent' }), sftp: true, watch: false, listen: false, deliver: false });
  await gw.start();

  // OpenSSH: sshd with /usr/lib/openssh/sftp-server, as the current user, into a temp folder.
  const sshDir = join(dir, 'sshd');
  const upload = join(sshDir, 'upload');
  mkdirSync(upload, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  keygen(join(sshDir, 'host'));
  writeFileSync(join(sshDir, 'authorized_keys'), readFileSync(`${key}.pub`));
  const sshPort = await freePort();
  writeFileSync(join(sshDir, 'sshd_config'), [`Port ${sshPort}`, 'ListenAddress 127.0.0.1', `HostKey ${join(sshDir, 'host')}`, `PidFile ${join(sshDir, 'pid')}`,
    `AuthorizedKeysFile ${join(sshDir, 'authorized_keys')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no', 'PermitRootLogin yes',
    'Subsystem sftp /usr/lib/openssh/sftp-server', 'UseDNS no', 'LogLevel ERROR'].join('\n') + '\n');
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(sshDir, 'sshd_config')], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((r) => { const c = connect(sshPort, '127.0.0.1', () => { c.destroy(); r(true); }); c.on('error', () => r(false)); });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const user = process.env.USER ?? spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();

  const ours = { wall: [] as number[], login: [] as number[] };
  const theirs = { wall: [] as number[], login: [] as number[] };
  try {
    for (let i = 0; i < runs; i++) {
      ours.login.push(await timeSftp(gw.sftp.port, 'bench', key, dir, ['pwd']));
      ours.wall.push(await timeSftp(gw.sftp.port, 'bench', key, dir, [`put upload.bin /inbound/upload-${i}.bin`]));
      theirs.login.push(await timeSftp(sshPort, user, key, dir, ['pwd']));
      theirs.wall.push(await timeSftp(sshPort, user, key, dir, [`put upload.bin ${join(upload, `upload-${i}.bin`)}`]));
      rmSync(join(upload, `upload-${i}.bin`), { force: true });
      await gw.sftp.spool.drain(); // intake of our copy finishes before the next run
    }
  } finally {
    sshd.kill('SIGTERM');
    await gw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const figures = (x: { wall: number[]; login: number[] }) => {
    const wall = median(x.wall);
    const login = median(x.login);
    return { wallSeconds: wall, loginSeconds: login, wallMBs: mb / wall, transferMBs: mb / Math.max(wall - login, 1e-3) };
  };
  return { mb, runs, edigate: figures(ours), openssh: { ...figures(theirs), server: '/usr/lib/openssh/sftp-server' } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchSftpUpload(Number(process.argv[2] ?? 50), Number(process.argv[3] ?? 3));
  const line = (name: string, f: SftpBenchResult['edigate']) =>
    `${name.padEnd(34)} ${f.wallMBs.toFixed(1).padStart(6)} MB/s wall (${f.wallSeconds.toFixed(2)} s), ${f.transferMBs.toFixed(1).padStart(6)} MB/s after the ${f.loginSeconds.toFixed(2)} s login`;
  console.log(`SFTP upload of ${r.mb} MB, OpenSSH sftp client, median of ${r.runs}:`);
  console.log(line('edigate (ssh2)', r.edigate));
  console.log(line('OpenSSH sftp-server', r.openssh));
}

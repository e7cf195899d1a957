/**
 * Remote mode against a real OpenSSH server (Debian's sshd with internal-sftp), started by the test on a free
 * loopback port with its own host key and configuration, and stopped by process id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archivePath } from '../../src/store/archive.js';
import { FIX, waitForValue, captureLogger, prepareSshd, startSftpGateway, writePartner, type Gateway, type Sshd } from './helpers.js';

let sshd: Sshd;
let home: string;
let gw: Gateway;
let logs: Array<Record<string, unknown>>;
let remoteOut: string;
let remoteIn: string;
let moveOut: string;
let moveArchive: string;
let wrongOut: string;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const files = () => gw.store.db.prepare(`SELECT file_name AS fileName, status, partner_id AS partnerId, channel, sha256 FROM files ORDER BY id`).all() as
  Array<{ fileName: string; status: string; partnerId: string | null; channel: string; sha256: string }>;
const transmissions = (partner: string) => gw.store.db.prepare(`SELECT file_name AS fileName, state, sha256, attempts, last_error AS lastError, evidence FROM transmissions WHERE partner_id = ? ORDER BY id`).all(partner) as
  Array<{ fileName: string; state: string; sha256: string; attempts: number; lastError: string | null; evidence: string | null }>;
const remoteStatus = async () => (await gw.api.inject({ method: 'GET', url: '/api/sftp/remote' })).json() as { items: Array<{ partnerId: string; poll: Record<string, unknown>; recentFetches: Array<Record<string, unknown>>; uploads: Record<string, number> }> };

beforeAll(async () => {
  sshd = await prepareSshd();
  await sshd.start();
  remoteOut = join(sshd.dir, 'carrier', 'to-edi');
  remoteIn = join(sshd.dir, 'carrier', 'from-edi');
  moveOut = join(sshd.dir, 'shipper', 'out');
  moveArchive = join(sshd.dir, 'shipper', 'done');
  wrongOut = join(sshd.dir, 'impostor', 'out');
  for (const d of [remoteOut, remoteIn, moveOut, moveArchive, wrongOut]) mkdirSync(d, { recursive: true });
  home = mkdtempSync(join(tmpdir(), 'edigate-sftp-remote-'));
  const remote = (inboundDir: string, outboundDir: string, more: Record<string, unknown> = {}) => ({
    host: '127.0.0.1', port: sshd.port, user: sshd.user, privateKeyFile: sshd.clientKey, hostKeyFingerprint: sshd.hostKeyFingerprint,
    inboundDir, outboundDir, pollIntervalMs: 200, timeoutMs: 3000, ...more,
  });
  writePartner(home, {
    id: 'carrier', ids: [['ZZ', 'CCCCCCCC'], ['08', '1111111111'], ['01', '111111111'], ['08', '9251750000']],
    extra: { outbound: { channel: 'sftp', retry: { maxAttempts: 50, initialBackoffMs: 100, maxBackoffMs: 400 } }, sftp: { remote: remote(remoteOut, remoteIn) } },
  });
  writePartner(home, { id: 'shipper', ids: [['12', '4405197800']], extra: { sftp: { remote: remote(moveOut, join(sshd.dir, 'shipper'), { afterFetch: 'move', archiveDir: moveArchive }) } } });
  // The right server, but the partner file names another host key: nothing may be fetched.
  writePartner(home, { id: 'impostor', ids: [['ZZ', 'IMPOSTOR']], extra: { sftp: { remote: remote(wrongOut, wrongOut, { hostKeyFingerprint: 'SHA256:' + 'A'.repeat(43) }) } } });
  const cap = captureLogger();
  logs = cap.records;
  gw = await startSftpGateway(home, cap.logger);
});

afterAll(async () => {
  await gw?.stop();
  await sshd?.stop();
});

describe('remote SFTP mode against OpenSSH sshd', () => {
  it('fetches a file, processes it, removes it remotely only after it is recorded, and pushes the 997 back (temp name, then rename)', async () => {
    copyFileSync(join(FIX, 'botsplugins__850-004010-11.x12'), join(remoteOut, 'po-11.x12'));
    const row = await waitForValue(() => files().find((f) => f.fileName === 'po-11.x12' && f.status !== 'received'), 'fetched file processed');
    expect(row).toMatchObject({ status: 'accepted', partnerId: 'carrier', channel: 'sftp', sha256: sha(readFileSync(join(FIX, 'botsplugins__850-004010-11.x12'))) });
    await waitForValue(() => !existsSync(join(remoteOut, 'po-11.x12')), 'removed remotely');
    const sent = await waitForValue(() => transmissions('carrier').find((t) => t.state === 'sent'), '997 pushed');
    expect(sent.fileName).toMatch(/^997_\d{9}\.x12$/);
    const pushed = readFileSync(join(remoteIn, sent.fileName));
    expect(sha(pushed)).toBe(sent.sha256);
    expect(pushed.toString('latin1')).toContain('AK5*A~');
    expect(readdirSync(remoteIn)).toEqual([sent.fileName]); // no temporary file left behind
    expect(JSON.parse(sent.evidence!)).toMatchObject({ url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${join(remoteIn, sent.fileName)}`, hostKeyFingerprint: sshd.hostKeyFingerprint });
    const status = (await remoteStatus()).items.find((i) => i.partnerId === 'carrier')!;
    expect(status.poll).toMatchObject({ consecutiveFailures: 0, filesFetched: 1 });
    expect(status.recentFetches[0]).toMatchObject({ remotePath: join(remoteOut, 'po-11.x12'), disposition: 'deleted' });
    expect(status.uploads).toEqual({ sent: 1 });
  });

  it('afterFetch: move puts the fetched file in the remote archive folder', async () => {
    copyFileSync(join(FIX, 'nodex12__850.edi'), join(moveOut, 'order.edi'));
    await waitForValue(() => files().find((f) => f.fileName === 'order.edi' && f.status === 'accepted'), 'moved file processed');
    await waitForValue(() => existsSync(join(moveArchive, 'order.edi')), 'moved to the archive folder');
    expect(readdirSync(moveOut)).toEqual([]);
    expect(readFileSync(join(moveArchive, 'order.edi')).equals(readFileSync(join(FIX, 'nodex12__850.edi')))).toBe(true);
  });

  it('refuses a server whose host key does not match the partner file: nothing fetched, the error visible in the ops API', async () => {
    copyFileSync(join(FIX, 'botsplugins__850-004010-12.x12'), join(wrongOut, 'not-for-us.x12'));
    const status = await waitForValue(async () => (await remoteStatus()).items.find((i) => i.partnerId === 'impostor' && Number(i.poll.consecutiveFailures) >= 2), 'refused polls');
    expect(String(status.poll.lastError)).toContain("Partner's SFTP server presented an unexpected host key");
    expect(String(status.poll.lastError)).toContain(sshd.hostKeyFingerprint);
    expect(status.poll.filesFetched).toBe(0);
    expect(existsSync(join(wrongOut, 'not-for-us.x12'))).toBe(true);
    expect(files().some((f) => f.fileName === 'not-for-us.x12')).toBe(false);
  });

  it('loses nothing when the server is stopped mid-run and started again: every file processed once, every 997 delivered', async () => {
    copyFileSync(join(FIX, 'botsplugins__850-004010-04.x12'), join(remoteOut, 'po-04.x12'));
    // Stop the server as soon as the file is recorded: its removal or its 997 upload is cut off.
    await waitForValue(() => files().some((f) => f.fileName === 'po-04.x12'), 'second file recorded', 15_000);
    await sshd.stop();
    copyFileSync(join(FIX, 'botsplugins__850-004010-05.x12'), join(remoteOut, 'po-05.x12'));
    await waitForValue(async () => Number((await remoteStatus()).items.find((i) => i.partnerId === 'carrier')!.poll.consecutiveFailures) >= 2, 'polls failing while the server is down');
    expect(String((await remoteStatus()).items.find((i) => i.partnerId === 'carrier')!.poll.lastError)).toMatch(/cannot be reached/);
    // An order arriving by another channel while the server is down: its 997 waits, retried with backoff.
    await gw.pipeline.ingest({ bytes: readFileSync(join(FIX, 'botsplugins__850-004010-18.x12')), fileName: 'po-18.x12', channel: 'cli', partnerHint: 'carrier' });
    const waiting = await waitForValue(() => transmissions('carrier').find((t) => t.state === 'pending' && t.attempts >= 2), 'a 997 retried while the server is down');
    expect(waiting.lastError).toMatch(/cannot be reached/);
    await sshd.start();
    await waitForValue(() => files().some((f) => f.fileName === 'po-05.x12' && f.status === 'accepted'), 'third file processed after the restart', 30_000);
    await waitForValue(() => readdirSync(remoteOut).length === 0, 'remote folder emptied', 30_000);
    // One 997 per order (po-05 also gets a TA1 under the partner's TA1 policy).
    await waitForValue(() => transmissions('carrier').filter((t) => t.fileName.startsWith('997_')).length === 4 && transmissions('carrier').every((t) => t.state === 'sent'), 'all 997s sent', 30_000)
      .catch((err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(transmissions('carrier').map(({ evidence: _e, ...t }) => t))} ${JSON.stringify(files())}`); });
    // Each order processed once (a refetch after a cut-off removal would be recorded as a duplicate, never lost).
    const carrier = files().filter((f) => f.partnerId === 'carrier');
    expect(carrier.filter((f) => f.status === 'accepted').map((f) => f.fileName).sort()).toEqual(['po-04.x12', 'po-05.x12', 'po-11.x12', 'po-18.x12']);
    expect(carrier.every((f) => f.status === 'accepted' || f.status === 'duplicate')).toBe(true);
    const sentNames = transmissions('carrier').map((t) => t.fileName).sort();
    expect(readdirSync(remoteIn).sort()).toEqual(sentNames);
    for (const t of transmissions('carrier')) expect(sha(readFileSync(join(remoteIn, t.fileName)))).toBe(t.sha256);
    for (const t of transmissions('carrier')) expect(existsSync(archivePath(gw.config.archiveDir, t.sha256))).toBe(true);
  });

  it('a file fetched again after a crash between recording and removal is recognised as a duplicate, not processed twice', async () => {
    // The state such a crash leaves: the bytes recorded here, the file still on the server.
    copyFileSync(join(FIX, 'botsplugins__850-004010-11.x12'), join(remoteOut, 'po-11-again.x12'));
    const row = await waitForValue(() => files().find((f) => f.fileName === 'po-11-again.x12' && f.status !== 'received'), 'refetched file recorded');
    expect(row.status).toBe('duplicate');
    await waitForValue(() => readdirSync(remoteOut).length === 0, 'removed remotely');
    expect(transmissions('carrier').filter((t) => t.fileName.startsWith('997_'))).toHaveLength(4);
  });
});

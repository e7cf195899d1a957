/**
 * Remote mode, inbound: polls each partner's own SFTP server (partner file `sftp.remote`) every
 * `pollIntervalMs`, fetches the files in `inboundDir`, hands each to intake, and only once intake has archived
 * and recorded its bytes deletes it remotely (or moves it to `archiveDir`). A crash between the two fetches
 * the file again at the next poll; intake recognises the same bytes (FILE_DUPLICATE_CONTENT), so the worst
 * case is a recorded duplicate, never a loss. Every poll's outcome is kept in the store (GET /api/sftp/remote).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, promises as fsp, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../../store/db.js';
import type { Partner } from '../../partners/partner.js';
import type { PartnerDirectory } from '../../partners/load.js';
import { disposeRemoteFetch, insertRemoteFetch, linkRemoteFetch, recordRemotePoll } from '../../store/sftp.js';
import { isTemporaryName } from '../sftp/jail.js';
import type { IngestFn } from '../sftp/spool.js';
import { connectRemote, type CredentialSource, type RemoteSftp } from './connect.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** Outcome of one poll of one partner. */
export interface PollResult {
  partnerId: string;
  fetched: Array<{ name: string; size: number; disposition: string }>;
  error: string | null;
}

export interface RemotePollersOptions {
  partners: PartnerDirectory;
  db: Db;
  dataDir: string;
  credentials: CredentialSource;
  ingest: IngestFn;
  logger: Logger;
  /** How often due partners are looked for, in ms. Default 1000. */
  tickMs?: number;
}

/** Polls every partner with `sftp.remote` (partner files may change while it runs: the set is read each tick). */
export class RemotePollers {
  private timer: NodeJS.Timeout | undefined;
  private readonly nextAt = new Map<string, number>();
  private readonly running = new Map<string, Promise<PollResult>>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly openConnections = new Set<RemoteSftp>();
  private stopped = true;
  private readonly spoolDir: string;

  constructor(private readonly opts: RemotePollersOptions) {
    this.spoolDir = join(opts.dataDir, 'sftp', 'fetched');
  }

  /** Starts polling; local copies a previous run left (never recorded, still on the remote server) are removed. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    rmSync(this.spoolDir, { recursive: true, force: true });
    this.tick();
  }

  /** Stops polling, drops open connections and waits for polls and intake hand-offs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Dropping the connections ends polls at once; a file recorded but not yet removed remotely is fetched
    // again next time and recognised as a duplicate.
    for (const c of this.openConnections) c.close();
    await Promise.allSettled([...this.running.values()]);
    await Promise.allSettled([...this.background]);
  }

  /** Polls `partnerId` now (or joins the poll in progress). */
  pollNow(partnerId: string): Promise<PollResult> {
    const existing = this.running.get(partnerId);
    if (existing) return existing;
    const partner = this.opts.partners.get(partnerId);
    if (!partner?.sftp?.remote) return Promise.resolve({ partnerId, fetched: [], error: 'partner has no sftp.remote' });
    const run = this.pollOnce(partner).finally(() => {
      this.running.delete(partnerId);
      this.nextAt.set(partnerId, Date.now() + (this.opts.partners.get(partnerId)?.sftp?.remote?.pollIntervalMs ?? 60_000));
    });
    this.running.set(partnerId, run);
    return run;
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const p of this.opts.partners.list()) {
      if (!p.sftp?.remote || this.running.has(p.id)) continue;
      if ((this.nextAt.get(p.id) ?? 0) <= now) void this.pollNow(p.id);
    }
    this.timer = setTimeout(() => this.tick(), this.opts.tickMs ?? 1000);
    this.timer.unref();
  }

  private async pollOnce(partner: Partner): Promise<PollResult> {
    const remote = partner.sftp!.remote!;
    const { db, logger } = this.opts;
    const log = logger.child({ partner: partner.id, remote: `${remote.user}@${remote.host}:${remote.port}` });
    const result: PollResult = { partnerId: partner.id, fetched: [], error: null };
    let bytes = 0;
    let conn: RemoteSftp | undefined;
    try {
      conn = await connectRemote(remote, this.opts.credentials);
      this.openConnections.add(conn);
      const entries = (await conn.readdir(remote.inboundDir))
        .filter((e) => ((e.attrs.mode ?? 0) & S_IFMT) === S_IFREG && !isTemporaryName(e.filename))
        .sort((a, b) => (a.attrs.mtime ?? 0) - (b.attrs.mtime ?? 0) || a.filename.localeCompare(b.filename));
      for (const e of entries) {
        if (this.stopped) break;
        const remotePath = posix.join(remote.inboundDir, e.filename);
        const disposition = await this.fetchOne(conn, partner, e.filename, remotePath, log);
        result.fetched.push({ name: e.filename, size: e.attrs.size ?? 0, disposition });
        bytes += e.attrs.size ?? 0;
      }
      if (result.fetched.length) log.info({ files: result.fetched.length, bytes }, 'sftp remote poll fetched files');
    } catch (err) {
      result.error = (err as Error).message;
      log.warn({ err: result.error, fetchedBeforeError: result.fetched.length }, 'sftp remote poll failed; retried at the next poll');
    } finally {
      if (conn) {
        conn.close();
        this.openConnections.delete(conn);
      }
    }
    try {
      recordRemotePoll(db, partner.id, { error: result.error, files: result.fetched.length, bytes });
    } catch (err) {
      log.error({ err }, 'sftp remote poll status not recorded');
    }
    return result;
  }

  /** Fetches one file, waits until intake has recorded it, then deletes or moves it remotely. Returns the disposition. */
  private async fetchOne(conn: RemoteSftp, partner: Partner, name: string, remotePath: string, log: Logger): Promise<string> {
    const remote = partner.sftp!.remote!;
    const dir = join(this.spoolDir, partner.id);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${randomUUID()}.part`);
    const local = join(dir, randomUUID());
    try {
      await conn.fastGet(remotePath, tmp);
      await fsp.rename(tmp, local);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    const size = (await fsp.stat(local)).size;
    let recorded!: () => void;
    const isRecorded = new Promise<void>((r) => { recorded = r; });
    const ingest = this.opts.ingest({ path: local, fileName: name, channel: 'sftp', partnerHint: partner.id }, async () => {
      await fsp.rm(local, { force: true });
      recorded();
    });
    const outcome = await Promise.race([isRecorded.then(() => 'recorded' as const), ingest.then(() => 'recorded' as const, (err: unknown) => err)]);
    if (outcome !== 'recorded') {
      await fsp.rm(local, { force: true });
      throw outcome;
    }
    const fetchId = insertRemoteFetch(this.opts.db, { partnerId: partner.id, remotePath, size });
    const bg = ingest.then((s) => linkRemoteFetch(this.opts.db, fetchId, s.fileId), (err: unknown) => log.error({ err, file: name }, 'fetched file failed in intake (its bytes are archived)'));
    this.background.add(bg);
    void bg.finally(() => this.background.delete(bg));
    // Only now, with the bytes archived and recorded, does the file leave the partner's server.
    try {
      let disposition: string;
      if (remote.afterFetch === 'move') {
        let target = posix.join(remote.archiveDir!, name);
        if (await conn.stat(target)) target = posix.join(remote.archiveDir!, `${name}.${new Date().toISOString().replace(/[:.]/g, '')}`);
        await conn.rename(remotePath, target);
        disposition = `moved:${target}`;
      } else {
        await conn.unlink(remotePath);
        disposition = 'deleted';
      }
      disposeRemoteFetch(this.opts.db, fetchId, { disposition });
      log.info({ file: name, size, disposition }, 'sftp remote file fetched and recorded');
      return disposition;
    } catch (err) {
      disposeRemoteFetch(this.opts.db, fetchId, { disposition: null, error: (err as Error).message });
      throw err;
    }
  }
}

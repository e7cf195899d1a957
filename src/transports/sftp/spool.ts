/**
 * Where hosted-SFTP uploads live until intake has them (data/sftp/):
 *
 *   uploads/<partner>/<uuid>-<name>.part   being written (a session that ends without a successful CLOSE: removed)
 *   uploads/<partner>/<uuid>-<name>        closed successfully: handed to intake, removed once archived and recorded;
 *                                          one left by a stop or crash is handed to intake again at the next start
 *   held/<partner>/<name>                  closed under a temporary name (`x.filepart`, `.x`): shown in /inbound and
 *                                          handed to intake when the client renames it to its final name
 *
 * The CLOSE reply is sent once the bytes are fsynced and renamed to their "closed" name, so a successful
 * `put` never depends on how busy intake is, and nothing acknowledged to the partner can be lost.
 */
import { randomUUID } from 'node:crypto';
import { constants as C, mkdirSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IngestSummary, ReceivedFile } from '../../pipeline.js';
import { isGatewayError } from '../../errors.js';

export type IngestFn = (file: ReceivedFile, onRecorded: (archived: { size: number; sourceMtimeMs?: number }) => Promise<void>) => Promise<IngestSummary>;

const UUID_LENGTH = 36;

export class UploadSpool {
  readonly uploadsDir: string;
  readonly heldDir: string;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly opts: { dataDir: string; ingest: IngestFn; logger: Logger }) {
    this.uploadsDir = join(opts.dataDir, 'sftp', 'uploads');
    this.heldDir = join(opts.dataDir, 'sftp', 'held');
  }

  /** Creates a new temporary file for an upload of `name` by `partnerId`; opened write-only, exclusive, never following links. */
  async create(partnerId: string, name: string): Promise<{ fd: fsp.FileHandle; tmp: string }> {
    const dir = join(this.uploadsDir, partnerId);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${randomUUID()}-${name}.part`);
    const fd = await fsp.open(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o640);
    return { fd, tmp };
  }

  /** Folder of a partner's held uploads (created when missing). */
  heldFolder(partnerId: string): string {
    const dir = join(this.heldDir, partnerId);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * A complete upload at `tmp` (or a held file) becomes a closed upload of `name` and is handed to intake.
   * Resolves once the closed file is in place (not when intake is done).
   */
  async complete(partnerId: string, name: string, source: string): Promise<void> {
    const dir = join(this.uploadsDir, partnerId);
    mkdirSync(dir, { recursive: true });
    const ready = join(dir, `${randomUUID()}-${name}`);
    await fsp.rename(source, ready);
    this.submit(partnerId, name, ready);
  }

  /** Hands a closed upload to intake in the background; it is removed once archived and recorded. */
  private submit(partnerId: string, name: string, path: string): void {
    const p = this.opts.ingest({ path, fileName: name, channel: 'sftp', partnerHint: partnerId }, async () => { await fsp.rm(path, { force: true }); })
      .then((s) => this.opts.logger.info({ partner: partnerId, file: name, fileId: s.fileId, status: s.status }, 'sftp upload processed'))
      .catch((err) => {
        if (isGatewayError(err, 'EDIGATE_STOPPING')) return; // kept: handed to intake again at the next start
        this.opts.logger.error({ err, partner: partnerId, file: name, path }, 'sftp upload could not be taken; kept and tried again at the next start');
      });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /**
   * At start: removes uploads a stop or crash interrupted (`*.part`, logged) and hands closed uploads that intake
   * had not recorded yet to intake again.
   * @returns counts of removed partial uploads and resubmitted files.
   */
  async recover(): Promise<{ removedPartial: number; resubmitted: number }> {
    let removedPartial = 0;
    let resubmitted = 0;
    mkdirSync(this.uploadsDir, { recursive: true });
    for (const p of await fsp.readdir(this.uploadsDir, { withFileTypes: true })) {
      if (!p.isDirectory()) continue;
      const dir = join(this.uploadsDir, p.name);
      // Oldest first: closed uploads go to intake in the order the partner closed them.
      const entries = await Promise.all((await fsp.readdir(dir, { withFileTypes: true })).filter((f) => f.isFile())
        .map(async (f) => ({ f, mtimeMs: (await fsp.lstat(join(dir, f.name))).mtimeMs })));
      for (const { f } of entries.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
        const path = join(dir, f.name);
        if (f.name.endsWith('.part')) {
          const size = (await fsp.stat(path).catch(() => undefined))?.size;
          await fsp.rm(path, { force: true });
          removedPartial++;
          this.opts.logger.warn({ partner: p.name, file: f.name.slice(UUID_LENGTH + 1, -5), bytes: size }, 'sftp upload interrupted by a stop was never closed: removed, not processed');
        } else if (f.name.length > UUID_LENGTH + 1) {
          this.submit(p.name, f.name.slice(UUID_LENGTH + 1), path);
          resubmitted++;
        }
      }
    }
    return { removedPartial, resubmitted };
  }

  /** Waits for the files handed to intake so far. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}

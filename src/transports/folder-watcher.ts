import { watch, type FSWatcher } from 'chokidar';
import { promises as fsp, mkdirSync, existsSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { Logger } from 'pino';
import type { ReceivedFile, IngestSummary } from '../pipeline.js';
import { isGatewayError } from '../errors.js';

/** Files the watcher never takes: dotfiles and uploads still being written (`*.part`, `*.tmp`). */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.part') || name.endsWith('.tmp');
}

export interface FolderWatcherOptions {
  /** The inbox folder; a file in inbox/<partner-id>/ carries that partner id as its hint. */
  inboxDir: string;
  /** How long size and mtime must stay unchanged before a file is taken, in ms. */
  settleMs: number;
  ingest: (file: ReceivedFile, onRecorded: (archived: { size: number; sourceMtimeMs?: number }) => Promise<void>) => Promise<IngestSummary>;
  logger: Logger;
  /** Extra folders to create at start (one per partner). */
  partnerIds?: string[];
  /** Interval of the safety-net sweep, in ms. Default 15000. */
  sweepIntervalMs?: number;
}

/**
 * Watches inbox/ and inbox/<partner-id>/ (chokidar) and hands every settled file to intake, then
 * removes it from the inbox once its raw bytes are archived and recorded.
 * The folder is swept at start (chokidar's initial scan is not trusted for half-written files), and
 * every file's size and mtime are checked again after `settleMs` before it is taken, because a slow
 * writer can pause longer than any fixed threshold.
 */
export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private readonly pending = new Map<string, { timer?: NodeJS.Timeout }>();
  private readonly busy = new Set<string>();
  private stopped = false;
  private sweeper: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<unknown>>();

  constructor(private readonly opts: FolderWatcherOptions) {}

  /** Creates the inbox folders, sweeps what is already there and starts watching. */
  async start(): Promise<void> {
    mkdirSync(this.opts.inboxDir, { recursive: true });
    for (const id of this.opts.partnerIds ?? []) mkdirSync(join(this.opts.inboxDir, id), { recursive: true });
    this.watcher = watch(this.opts.inboxDir, {
      depth: 1,
      ignoreInitial: true,
      ignored: (p: string) => p !== this.opts.inboxDir && isIgnoredName(basename(p)),
    });
    this.watcher.on('add', (p) => this.schedule(p));
    this.watcher.on('change', (p) => this.schedule(p));
    this.watcher.on('error', (err) => this.opts.logger.error({ err }, 'inbox watcher error'));
    await new Promise<void>((res) => this.watcher!.once('ready', () => res()));
    await this.sweep();
    // Safety net for missed events (inbox folder replaced, events lost under load): sweep again regularly.
    this.sweeper = setInterval(() => void this.sweep().catch((err) => this.opts.logger.error({ err }, 'inbox sweep failed')), this.opts.sweepIntervalMs ?? 15_000);
    this.sweeper.unref();
  }

  /** Looks at every file in inbox/ and inbox/<partner>/ and schedules it (used at start). */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    mkdirSync(this.opts.inboxDir, { recursive: true });
    const dirs = [this.opts.inboxDir];
    for (const e of await fsp.readdir(this.opts.inboxDir, { withFileTypes: true })) {
      if (e.isDirectory() && !isIgnoredName(e.name)) dirs.push(join(this.opts.inboxDir, e.name));
    }
    for (const d of dirs) {
      for (const e of await fsp.readdir(d, { withFileTypes: true }).catch(() => [])) {
        if (e.isFile() && !isIgnoredName(e.name)) this.schedule(join(d, e.name), false);
      }
    }
  }

  /** Stops watching and waits for files being ingested. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const t of this.pending.values()) if (t.timer) clearTimeout(t.timer);
    this.pending.clear();
    await this.watcher?.close();
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(path: string, restart = true): void {
    if (this.stopped || this.busy.has(path)) return;
    const prev = this.pending.get(path);
    if (prev && !restart) return; // a sweep does not postpone a file already waiting to settle
    if (prev?.timer) clearTimeout(prev.timer);
    // The entry is registered at once (before the lstat below resolves), so a sweep and a watcher event that meet
    // schedule the file once, not twice; a superseded entry does nothing.
    const entry: { timer?: NodeJS.Timeout } = {};
    this.pending.set(path, entry);
    void fsp.lstat(path).then((s1) => {
      if (this.pending.get(path) !== entry) return;
      if (s1.isSymbolicLink()) {
        // A link could point anywhere on this machine: only files really placed in the inbox are taken.
        this.pending.delete(path);
        this.opts.logger.warn({ path }, 'symbolic link in the inbox ignored; copy or move the file itself into the inbox');
        return;
      }
      if (!s1.isFile()) {
        this.pending.delete(path);
        return;
      }
      entry.timer = setTimeout(() => {
        if (this.pending.get(path) !== entry) return;
        this.pending.delete(path);
        const p = this.take(path, s1.size, s1.mtimeMs);
        this.inFlight.add(p);
        void p.finally(() => this.inFlight.delete(p));
      }, this.opts.settleMs);
    }, () => {
      if (this.pending.get(path) === entry) this.pending.delete(path);
    });
  }

  private async take(path: string, size: number, mtimeMs: number): Promise<void> {
    if (this.stopped || this.busy.has(path)) return;
    this.busy.add(path); // at once: a second take of the same path returns above
    let s2;
    try {
      s2 = await fsp.lstat(path);
    } catch {
      this.busy.delete(path);
      return; // gone already
    }
    if (!s2.isFile() || s2.size !== size || s2.mtimeMs !== mtimeMs) {
      this.busy.delete(path);
      this.schedule(path); // still being written
      return;
    }
    const rel = relative(this.opts.inboxDir, path);
    const partnerHint = rel.includes(sep) ? rel.split(sep)[0]! : null;
    try {
      await this.opts.ingest({ path, fileName: basename(path), channel: 'folder', partnerHint }, async (archived) => {
        // Remove only what was archived: a file that grew or changed since is taken again as it is now.
        const now = await fsp.lstat(path).catch(() => undefined);
        if (now && now.size === archived.size && (archived.sourceMtimeMs === undefined || now.mtimeMs === archived.sourceMtimeMs)) await fsp.rm(path, { force: true });
        else if (now) this.opts.logger.warn({ path, archivedBytes: archived.size, nowBytes: now.size }, 'inbox file changed after it was archived; taken again');
      });
    } catch (err) {
      if (isGatewayError(err, 'EDIGATE_FILE_CHANGING')) {
        this.opts.logger.info({ path }, 'inbox file still being written; taken once it settles');
      } else if (isGatewayError(err, 'EDIGATE_STOPPING')) {
        // left in place: taken again at the next start
      } else {
        this.opts.logger.error({ err, path }, 'inbox file could not be taken; left in place');
      }
    } finally {
      this.busy.delete(path);
      if (existsSync(path) && !this.stopped) {
        // Left in place (still being written, or a failure): look at it again after it settles.
        this.schedule(path);
      }
    }
  }
}

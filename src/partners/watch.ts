import { watch, type FSWatcher } from 'chokidar';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { readPartners, type PartnerCheckContext, type ReloadablePartnerDirectory } from './load.js';

/**
 * Reloads partners/ when a partner file is added, changed or removed, so a partner added with
 * `edigate partners add` (or edited by hand) takes effect without a restart. A reload with any problem
 * is refused whole: the running partners stay as they were and every problem is logged.
 * Creates inbox/<id>/ for each partner.
 */
export class PartnerWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: {
    partnersDir: string; inboxDir: string; directory: ReloadablePartnerDirectory; ctx: PartnerCheckContext; logger: Logger; debounceMs?: number;
  }) {}

  async start(): Promise<void> {
    mkdirSync(this.opts.partnersDir, { recursive: true });
    this.watcher = watch(this.opts.partnersDir, { depth: 0, ignoreInitial: true, ignored: (p: string) => /(^|\/)\./.test(p.slice(this.opts.partnersDir.length)) });
    const schedule = () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), this.opts.debounceMs ?? 150);
    };
    this.watcher.on('add', schedule).on('change', schedule).on('unlink', schedule);
    await new Promise<void>((res) => this.watcher!.once('ready', () => res()));
  }

  /** Reads partners/ again; returns the problems (empty when the new partners are in force). */
  reload(): string[] {
    const { partners, problems } = readPartners(this.opts.partnersDir, this.opts.ctx);
    if (problems.length) {
      this.opts.logger.error({ problems }, 'partners/ changed but has problems; the running partners are kept');
      return problems;
    }
    this.opts.directory.replace(partners);
    for (const p of partners) mkdirSync(join(this.opts.inboxDir, p.id), { recursive: true });
    this.opts.logger.info({ partners: partners.map((p) => p.id) }, 'partners reloaded');
    return [];
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.watcher?.close();
  }
}

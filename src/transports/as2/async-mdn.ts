/**
 * Delivery of our asynchronous MDNs (RFC 4130 §7.3: POSTed to the sender's Receipt-Delivery-Option URL).
 * The MDN is stored with its message before the request is answered; this loop POSTs it, retrying with
 * exponential backoff, and records `sent`, or `failed` once the attempts are used up (visible in the ops API).
 * Pending MDNs survive a restart: they are sent when the loop starts again.
 */
import type { Logger } from 'pino';
import type { Db } from '../../store/db.js';
import { dueAsyncMdns, updateAs2Message, type As2MessageRow } from '../../store/as2.js';
import { parseHeaderBlock } from './mime.js';

export interface AsyncMdnOptions {
  db: Db;
  logger: Logger;
  /** Poll interval in ms when nothing is due. Default 1000. */
  pollMs?: number;
  /** Attempts before the MDN is marked failed. Default 10. */
  maxAttempts?: number;
  /** First retry delay in ms, doubled per attempt up to maxBackoffMs. Defaults 2000 and 600000. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Request timeout in ms. Default 30000. */
  timeoutMs?: number;
}

/** Sends pending async MDNs. */
export class AsyncMdnDelivery {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private busy: Promise<void> | null = null;

  constructor(private readonly opts: AsyncMdnOptions) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Wakes the loop (an MDN was queued). */
  kick(): void {
    if (this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.busy;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.busy) { this.schedule(50); return; }
      this.busy = this.tick().finally(() => { this.busy = null; this.schedule(this.opts.pollMs ?? 1000); });
    }, ms);
  }

  private async tick(): Promise<void> {
    const rows = dueAsyncMdns(this.opts.db, Date.now(), 8);
    await Promise.all(rows.map((r) => this.post(r)));
  }

  private async post(row: As2MessageRow): Promise<void> {
    const { db, logger } = this.opts;
    const log = logger.child({ as2: row.id, messageId: row.messageId, url: row.mdnUrl });
    const attempts = row.mdnAttempts + 1;
    try {
      if (!row.mdnUrl || !/^https?:\/\//i.test(row.mdnUrl)) throw Object.assign(new Error(`Receipt-Delivery-Option "${row.mdnUrl ?? ''}" is not an http(s) URL`), { permanent: true });
      const raw = Buffer.from(row.mdn ?? '', 'latin1');
      const sep = raw.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const f of parseHeaderBlock(raw.subarray(0, sep).toString('latin1'))) headers[f.name] = f.value;
      const res = await fetch(row.mdnUrl, { method: 'POST', headers, body: raw.subarray(sep + 4), signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`);
      updateAs2Message(db, row.id, { mdnState: 'sent', mdnAttempts: attempts, mdnLastError: null });
      log.info('async MDN delivered');
    } catch (err) {
      const message = (err as Error).message;
      const max = this.opts.maxAttempts ?? 10;
      const permanent = (err as { permanent?: boolean }).permanent === true;
      if (permanent || attempts >= max) {
        updateAs2Message(db, row.id, { mdnState: 'failed', mdnAttempts: attempts, mdnLastError: message });
        log.error({ err: message, attempts }, 'async MDN could not be delivered; giving up');
      } else {
        const delay = Math.min(this.opts.maxBackoffMs ?? 600_000, (this.opts.initialBackoffMs ?? 2000) * 2 ** (attempts - 1));
        updateAs2Message(db, row.id, { mdnAttempts: attempts, mdnLastError: message, mdnNextAt: Date.now() + delay });
        log.warn({ err: message, attempts, retryInMs: delay }, 'async MDN not delivered; retrying');
      }
    }
  }
}

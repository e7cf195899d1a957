/**
 * Outbound transmissions: every file we send a partner (997, TA1, 999, CONTRL, outbound documents) is recorded
 * in the store with the channel it leaves through, in the same transaction that records why it exists.
 *
 * - Channel `outbox`: the file is recorded `placing`, then written into `outbox/<partner-id>/` (atomically) once that
 *   record has committed, and marked `placed`;
 *   the partner collects it there (hosted SFTP `/outbound`, a share), and a deletion by the partner marks it
 *   `picked_up`.
 * - Sending channels (`sftp` push to the partner's server, `as2`): the bytes go to the content-addressed archive
 *   and the row is queued `pending`; the OutboundDispatcher hands it to the channel's sender, retries failures
 *   with the partner's backoff policy, and marks it `dead` (visible in the ops API, replayable) when the attempts
 *   are used up. Nothing is dropped: a crash mid-send leaves a `sending` row that is sent again after restart.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { archiveBufferSync, archivePath } from '../store/archive.js';
import {
  claimDueTransmissions, completeTransmission, failTransmission, insertTransmission, markPlaced, recoverAllSending, recoverExpiredTransmissions, transmissionsToPlace,
  type OutboundChannel, type TransmissionRow,
} from '../store/transmissions.js';
import type { Partner } from '../partners/partner.js';
import type { PartnerDirectory } from '../partners/load.js';
import { retryDelayMs } from '../queue/backoff.js';
import { DEFAULT_RETRY_POLICY } from '../queue/retry-policy.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { isGatewayError } from '../errors.js';

/** What a sender reports for a file it handed over. */
export interface SendOutcome {
  /** `sent` when the channel confirmed receipt now; `awaiting_receipt` when a receipt comes later (async MDN). */
  state: 'sent' | 'awaiting_receipt';
  /** Channel message id (AS2 Message-ID), used to match a later receipt. */
  messageId?: string;
  /** Proof of delivery to keep (e.g. the signed MDN as received). */
  evidence?: string;
}

/** A file handed to a sender. */
export interface OutboundFile {
  transmissionId: number;
  fileName: string;
  kind: string;
  bytes: Buffer;
  /** Attempt number, 1 for the first. */
  attempt: number;
}

/**
 * A sending channel (SFTP push, AS2). `send` resolves once the partner's side has the file, or rejects;
 * a GatewayError whose `retryable` is false makes the transmission dead at once, anything else is retried.
 */
export interface OutboundSender {
  readonly channel: Exclude<OutboundChannel, 'outbox'>;
  send(partner: Partner, file: OutboundFile): Promise<SendOutcome>;
}

/** The channel a partner's outbound files leave through (partner file `outbound.channel`, default outbox). */
export function channelOf(partner: Partner | undefined): OutboundChannel {
  return partner?.outbound?.channel ?? 'outbox';
}

/**
 * Records one outbound file for `partner`: the bytes go to the content-addressed archive and a transmission row is
 * written, `placing` for the outbox channel (placeOutbox writes the file once the caller's transaction has committed)
 * or `pending` for a sending channel (the dispatcher sends it).
 * Call inside the store transaction that records the reason for the file, so both commit or neither does; nothing
 * reaches the outbox before that commit, so a crash never leaves a file there that the store does not know (which a
 * second run would repeat under another control number).
 * Returns the transmission id and where the bytes will be (the outbox path, or the archive path).
 * @throws on file system errors (the caller's transaction then rolls back).
 */
export function submitOutbound(
  db: Db,
  dirs: { outboxDir: string; archiveDir: string },
  partner: Partner,
  file: { kind: string; fileName: string; bytes: Buffer; ackId?: number | null; now?: number },
): { id: number; channel: OutboundChannel; path: string } {
  const channel = channelOf(partner);
  const archived = archiveBufferSync(dirs.archiveDir, file.bytes);
  let path: string;
  if (channel === 'outbox') {
    path = join(dirs.outboxDir, partner.id, file.fileName);
  } else {
    path = archivePath(dirs.archiveDir, archived.sha256);
  }
  const id = insertTransmission(db, {
    partnerId: partner.id, channel, kind: file.kind, ackId: file.ackId ?? null, fileName: file.fileName,
    sha256: archived.sha256, size: file.bytes.length, state: channel === 'outbox' ? 'placing' : 'pending', ...(file.now !== undefined ? { now: file.now } : {}),
  });
  return { id, channel, path };
}

/**
 * Writes every recorded outbox file not yet written (state `placing`) into `outbox/<partner-id>/` from the archive,
 * atomically (temp file then rename), and marks it `placed`. Idempotent: a file written before a crash is written
 * again under the same name with the same bytes. Call after the transaction that recorded the files has committed,
 * and at start (files a crash left unplaced). Returns how many were placed.
 * @throws on file system errors (the rows stay `placing` and are placed by the next call).
 */
export function placeOutbox(db: Db, dirs: { outboxDir: string; archiveDir: string }, now: number = Date.now()): number {
  let n = 0;
  for (const t of transmissionsToPlace(db)) {
    writeFileAtomic(join(dirs.outboxDir, t.partnerId, t.fileName), readFileSync(archivePath(dirs.archiveDir, t.sha256)));
    markPlaced(db, t.id, now);
    n++;
  }
  return n;
}

export interface OutboundDispatcherOptions {
  db: Db;
  archiveDir: string;
  partners: PartnerDirectory;
  logger: Logger;
  /** Poll interval when nothing is due, in ms. Default 1000. */
  pollMs?: number;
  /** Lease of a transmission being sent, in ms; a crash mid-send makes it due again after this. Default 120000. */
  leaseMs?: number;
  /** Transmissions sent at once, over all channels. Default 4. */
  concurrency?: number;
  now?: () => number;
}

/**
 * Sends queued transmissions through the registered channel senders, with retries and dead-lettering per
 * the partner's `outbound.retry` policy (default: DEFAULT_RETRY_POLICY).
 */
export class OutboundDispatcher {
  private readonly senders = new Map<string, OutboundSender>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight = new Set<Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly opts: OutboundDispatcherOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Adds the sender of a channel; files of that channel queued before it was registered are sent too. */
  register(sender: OutboundSender): void {
    this.senders.set(sender.channel, sender);
    this.kick();
  }

  /** Starts sending; rows a previous process left `sending` are due again. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const n = recoverAllSending(this.opts.db, this.now());
    if (n) this.opts.logger.warn({ transmissions: n }, 'transmissions interrupted by the last stop are sent again');
    this.schedule(0);
  }

  /** Wakes the dispatcher now (after new files were queued). */
  kick(): void {
    if (this.running) this.schedule(0);
  }

  /** Stops taking new work and waits for sends in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; this.tick(); }, ms);
  }

  private tick(): void {
    if (!this.running) return;
    const { db, logger } = this.opts;
    const concurrency = this.opts.concurrency ?? 4;
    try {
      recoverExpiredTransmissions(db, this.now());
      const free = concurrency - this.inFlight.size;
      const rows = free > 0 ? claimDueTransmissions(db, [...this.senders.keys()] as OutboundChannel[], this.now(), this.opts.leaseMs ?? 120_000, free) : [];
      for (const row of rows) {
        const p = this.sendOne(row).finally(() => { this.inFlight.delete(p); this.kick(); });
        this.inFlight.add(p);
      }
    } catch (err) {
      logger.error({ err }, 'outbound dispatcher failed to claim transmissions');
    }
    this.schedule(this.opts.pollMs ?? 1000);
  }

  private async sendOne(row: TransmissionRow): Promise<void> {
    const { db, logger } = this.opts;
    const partner = this.opts.partners.get(row.partnerId);
    const sender = this.senders.get(row.channel);
    const log = logger.child({ transmission: row.id, partner: row.partnerId, channel: row.channel, file: row.fileName });
    const policy = { ...DEFAULT_RETRY_POLICY, ...(partner?.outbound?.retry ?? {}) };
    try {
      if (!partner) throw Object.assign(new Error(`partner ${row.partnerId} is no longer configured`), { retryable: false });
      if (!sender) throw new Error(`no sender for channel ${row.channel}`);
      const bytes = await readFile(archivePath(this.opts.archiveDir, row.sha256));
      const outcome = await sender.send(partner, { transmissionId: row.id, fileName: row.fileName, kind: row.kind, bytes, attempt: row.attempts });
      completeTransmission(db, row.id, { state: outcome.state, messageId: outcome.messageId ?? null, evidence: outcome.evidence ?? null, now: this.now() });
      log.info({ state: outcome.state, messageId: outcome.messageId }, `${row.kind} sent`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retryable = isGatewayError(err) ? err.retryable : (err as { retryable?: boolean }).retryable !== false;
      const retryAt = retryable && row.attempts < policy.maxAttempts ? this.now() + retryDelayMs(policy, row.attempts) : null;
      failTransmission(db, row.id, message, retryAt);
      if (retryAt === null) log.error({ err: message, attempts: row.attempts }, `${row.kind} not sent: dead after ${row.attempts} attempt(s); replay it from the ops API`);
      else log.warn({ err: message, attempts: row.attempts, retryAt: new Date(retryAt).toISOString() }, `${row.kind} not sent; retrying`);
    }
  }
}

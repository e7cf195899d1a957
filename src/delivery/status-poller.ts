/**
 * Polls the status URLs (the Location of a 202 answer) of accepted deliveries until the destination
 * says the message was processed (delivered) or failed (dead). Each due delivery is taken with one
 * statement that also moves its next poll time, so several processes may run a poller on one store.
 */
import type { Logger } from 'pino';
import type { DestinationConfig } from '../config-types.js';
import type { Db } from '../store/db.js';
import { claimDuePolls, reschedulePoll, settleAccepted } from '../store/deliveries.js';
import type { Connector } from './connector.js';

export interface StatusPollerOptions {
  db: Db;
  destinations: Record<string, DestinationConfig>;
  /** Connector by destination name (those with poll() are polled). */
  connectors: () => Map<string, Connector>;
  logger: Logger;
  /** How often due polls are looked for, in ms. */
  tickMs: number;
  /** Called after a delivery was settled. */
  onSettled?: (id: number, outcome: 'delivered' | 'dead') => void;
}

/** Timer that polls the due status URLs every tickMs (at most 16 at a time). */
export class StatusPoller {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly opts: StatusPollerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: polls every due status URL. Never throws. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      const due = claimDuePolls(this.opts.db, now, now + 60_000, 16);
      await Promise.all(
        due.map(async (d) => {
          const dest = this.opts.destinations[d.destination];
          const connector = this.opts.connectors().get(d.destination);
          const pollMs = dest?.kind === 'http' ? (dest.statusPollMs ?? 10_000) : 10_000;
          if (!connector?.poll || !d.statusUrl) return;
          const out = await connector.poll(d.statusUrl);
          if (!this.timer) return; // stopped meanwhile: the store may be closed
          if (out.kind === 'pending') {
            reschedulePoll(this.opts.db, d.id, Date.now() + pollMs);
            return;
          }
          try {
            settleAccepted(this.opts.db, d.id, {
              outcome: out.kind, actor: 'status-url', reason: out.error ?? null, status: out.status ?? null, response: out.response ?? null, now: Date.now(),
            });
            this.opts.logger.info({ deliveryId: d.id, outcome: out.kind, status: out.status }, 'accepted delivery settled by its status URL');
            this.opts.onSettled?.(d.id, out.kind);
          } catch (err) {
            this.opts.logger.debug({ err, deliveryId: d.id }, 'accepted delivery settled meanwhile');
          }
        }),
      );
    } catch (err) {
      this.opts.logger.error({ err }, 'status URL polling failed');
    } finally {
      this.busy = false;
    }
  }
}

/**
 * Delivery connectors: how a canonical message reaches a destination (an ERP/WMS HTTP API, a folder).
 * A connector never throws for the destination failing; it answers with a DeliveryOutcome and the
 * queue's retry policy decides what happens next.
 */
import type { CanonicalMessage } from '../canonical/envelope.js';
import type { DestinationConfig } from '../config-types.js';
import { DirectoryConnector } from './directory.js';
import { HttpConnector } from './http.js';

/**
 * Result of one delivery attempt.
 * - `delivered`: the destination has the message (HTTP 2xx or 409, file renamed into place).
 * - `retry`: may succeed later (HTTP 408/425/429/5xx, timeout, connection error, I/O error).
 * - `dead`: will not succeed by repeating it (any other HTTP 4xx); goes to the dead letters at once.
 * - `accepted`: HTTP 202, the destination will process it later (state `accepted` until confirmed,
 *   failed, or its `statusUrl` says so).
 */
export interface DeliveryOutcome {
  kind: 'delivered' | 'retry' | 'dead' | 'accepted';
  /** For `accepted`: the absolute URL of the 202's Location, to poll. */
  statusUrl?: string;
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** What went wrong, in words. */
  error?: string;
  /** Stable error code from errors.ts (EDIGATE_DELIVERY_*). */
  code?: string;
  /** The destination's Retry-After, as a wait in ms. */
  retryAfterMs?: number;
  /** Response body (callers keep it truncated). */
  response?: string;
}

export interface Connector {
  /**
   * Delivers one message. `bodyJson` is the canonical JSON exactly as stored (what is sent or
   * written); `message` is the same, parsed, for headers and names. Resolves with the outcome;
   * rejects only for a fault of the gateway itself.
   */
  deliver(message: CanonicalMessage, bodyJson: string): Promise<DeliveryOutcome>;
  /**
   * Asks an accepted delivery's status URL (the 202's Location) how it went: `delivered`, `dead`
   * (with the reason in `error`), or `pending` (still processing, or no answer now: ask again later).
   * Optional; connectors without it leave accepted deliveries to the confirm/fail callbacks.
   */
  poll?(statusUrl: string): Promise<PollOutcome>;
  /** Releases sockets and files; in-flight calls are aborted. Optional. */
  close?(): Promise<void>;
}

/** Answer of a status URL poll (see Connector.poll). */
export interface PollOutcome {
  kind: 'delivered' | 'dead' | 'pending';
  status?: number;
  error?: string;
  response?: string;
}

/** The connector for a configured destination: HttpConnector for kind 'http', DirectoryConnector for 'directory'. */
export function createConnector(dest: DestinationConfig): Connector {
  switch (dest.kind) {
    case 'http':
      return new HttpConnector(dest);
    case 'directory':
      return new DirectoryConnector(dest);
    default: {
      const never: never = dest;
      throw new Error(`unknown destination kind ${JSON.stringify((never as { kind?: unknown }).kind)}`);
    }
  }
}

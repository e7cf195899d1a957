/** One delivery attempt: the stored canonical JSON handed to the destination's connector. Shared by both queue backends. */
import type { CanonicalMessage } from '../canonical/envelope.js';
import type { Delivery } from '../store/deliveries.js';
import type { Connector, DeliveryOutcome } from './connector.js';

/**
 * Parses `body` (the stored canonical JSON of row.messageId) and calls `connector.deliver`. A missing
 * body or one that is not JSON is dead at once (EDIGATE_NOT_FOUND, EDIGATE_CANONICAL_INVALID); a
 * connector that throws gives a retry (its error code, or EDIGATE_DELIVERY_NETWORK). Never rejects.
 */
export async function attemptDelivery(connector: Connector, row: Pick<Delivery, 'messageId'>, body: string | undefined): Promise<DeliveryOutcome> {
  if (body === undefined) return { kind: 'dead', code: 'EDIGATE_NOT_FOUND', error: `message ${row.messageId} is not in the store` };
  let message: CanonicalMessage;
  try {
    message = JSON.parse(body) as CanonicalMessage;
  } catch (err) {
    return { kind: 'dead', code: 'EDIGATE_CANONICAL_INVALID', error: `stored message is not JSON: ${(err as Error).message}` };
  }
  try {
    return await connector.deliver(message, body);
  } catch (err) {
    const e = err as { code?: unknown; message?: string } | undefined;
    return { kind: 'retry', code: typeof e?.code === 'string' ? e.code : 'EDIGATE_DELIVERY_NETWORK', error: e?.message ?? String(err) };
  }
}

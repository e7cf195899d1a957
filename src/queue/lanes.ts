/**
 * Priority lanes and ordering keys of deliveries.
 *
 * Lanes: a delivery's priority is 1 (high), 2 (normal) or 3 (low); workers take the highest lane
 * first, on both queue backends (SQLite: ORDER BY priority; BullMQ: job priority, where a lower
 * number is served first). By default orders, order changes, shipment confirmations and inventory
 * adjustments are high, inventory snapshots and reference data (catalogues, price lists, item
 * masters) are low, and every other message type is normal, so a 200,000-line inventory file never
 * delays an order release. A destination may move types between lanes (`lanes` in edigate.yaml).
 *
 * Ordering keys: deliveries with the same key to the same destination are made one after the
 * other, in enqueue order: a change to an order is never delivered before the order itself.
 */

/** Lane names as written in edigate.yaml, with their priority numbers. */
export const LANE_PRIORITY = { high: 1, normal: 2, low: 3 } as const;
export type LaneName = keyof typeof LANE_PRIORITY;

/** Message types in the high lane unless a destination says otherwise. */
export const DEFAULT_HIGH_TYPES: readonly string[] = [
  'order', 'orderChange', 'orderCancellation', 'orderRelease',
  'shipment', 'shipmentConfirmation', 'shipNotice', 'advanceShipNotice', 'warehouseShippingAdvice',
  'inventoryAdjustment',
];

/** Message types in the low lane unless a destination says otherwise. */
export const DEFAULT_LOW_TYPES: readonly string[] = [
  'inventorySnapshot', 'inventoryInquiry', 'inventoryAdvice',
  'productCatalog', 'priceCatalog', 'priceList', 'itemMaster', 'referenceData', 'locationMaster',
];

/** A destination's lane settings: message types moved to the high or low lane (others normal). */
export interface LaneConfig {
  high: string[];
  low: string[];
}

export const DEFAULT_LANES: Readonly<LaneConfig> = Object.freeze({ high: [...DEFAULT_HIGH_TYPES], low: [...DEFAULT_LOW_TYPES] });

/**
 * Priority (1 high, 2 normal, 3 low) of a message of type `messageType` for a destination with lane
 * settings `lanes` (DEFAULT_LANES when undefined). A type listed in both is high.
 */
export function laneOf(messageType: string, lanes: LaneConfig | undefined = DEFAULT_LANES): number {
  if (lanes.high.includes(messageType)) return LANE_PRIORITY.high;
  if (lanes.low.includes(messageType)) return LANE_PRIORITY.low;
  return LANE_PRIORITY.normal;
}

/**
 * Ordering key of a message: `<partner>:<business reference>` (the business reference is the
 * purchase order number for orders and their changes, the shipment id for shipments: see
 * businessReferenceOf in src/pipeline.ts), or null when the message has none (then it is not ordered
 * against any other).
 */
export function orderingKeyOf(partnerId: string, businessReference: string | null | undefined): string | null {
  return businessReference ? `${partnerId}:${businessReference}` : null;
}

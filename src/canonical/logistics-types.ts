/**
 * The canonical logistics message types mapped from X12 860, 855, 940, 943, 947, 204, 990 and 210,
 * registered in CANONICAL_TYPES (src/canonical/index.ts): each with its JSON Schema (one file per
 * type in this folder) and schema version.
 */
import { orderChangeSchema, ORDER_CHANGE_SCHEMA_VERSION } from './order-change.schema.js';
import { orderAckSchema, ORDER_ACK_SCHEMA_VERSION } from './order-ack.schema.js';
import { warehouseOrderSchema, WAREHOUSE_ORDER_SCHEMA_VERSION } from './warehouse-order.schema.js';
import { inboundAdviceSchema, INBOUND_ADVICE_SCHEMA_VERSION } from './inbound-advice.schema.js';
import { inventoryAdjustmentSchema, INVENTORY_ADJUSTMENT_SCHEMA_VERSION } from './inventory-adjustment.schema.js';
import { loadTenderSchema, LOAD_TENDER_SCHEMA_VERSION } from './load-tender.schema.js';
import { tenderResponseSchema, TENDER_RESPONSE_SCHEMA_VERSION } from './tender-response.schema.js';
import { freightInvoiceSchema, FREIGHT_INVOICE_SCHEMA_VERSION } from './freight-invoice.schema.js';

const spec = (schema: object, schemaVersion: number): { schema: Record<string, unknown>; schemaVersion: number } => ({
  schema: schema as unknown as Record<string, unknown>,
  schemaVersion,
});

/** Logistics canonical types by name (`CanonicalMessage.type`). */
export const LOGISTICS_CANONICAL_TYPES = {
  order_change: spec(orderChangeSchema, ORDER_CHANGE_SCHEMA_VERSION),
  order_ack: spec(orderAckSchema, ORDER_ACK_SCHEMA_VERSION),
  warehouse_order: spec(warehouseOrderSchema, WAREHOUSE_ORDER_SCHEMA_VERSION),
  inbound_advice: spec(inboundAdviceSchema, INBOUND_ADVICE_SCHEMA_VERSION),
  inventory_adjustment: spec(inventoryAdjustmentSchema, INVENTORY_ADJUSTMENT_SCHEMA_VERSION),
  load_tender: spec(loadTenderSchema, LOAD_TENDER_SCHEMA_VERSION),
  tender_response: spec(tenderResponseSchema, TENDER_RESPONSE_SCHEMA_VERSION),
  freight_invoice: spec(freightInvoiceSchema, FREIGHT_INVOICE_SCHEMA_VERSION),
} as const;

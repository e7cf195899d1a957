/**
 * Registry of canonical message types: each type has a JSON Schema (one file per type in this
 * folder) and a schema version, written into every CanonicalMessage (src/canonical/envelope.ts).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { GatewayError } from '../errors.js';
import { orderSchema, ORDER_SCHEMA_VERSION } from './order.schema.js';
import { shipmentSchema, SHIPMENT_SCHEMA_VERSION } from './shipment.schema.js';
import { invoiceSchema, INVOICE_SCHEMA_VERSION } from './invoice.schema.js';
import { inventoryBalanceSchema, INVENTORY_BALANCE_SCHEMA_VERSION } from './inventory-balance.schema.js';
import { receiptSchema, RECEIPT_SCHEMA_VERSION } from './receipt.schema.js';
import { shipmentStatusSchema, SHIPMENT_STATUS_SCHEMA_VERSION } from './shipment-status.schema.js';

export { shipmentSchema, SHIPMENT_SCHEMA_VERSION } from './shipment.schema.js';
export { invoiceSchema, INVOICE_SCHEMA_VERSION } from './invoice.schema.js';
export { inventoryBalanceSchema, INVENTORY_BALANCE_SCHEMA_VERSION } from './inventory-balance.schema.js';
export { receiptSchema, RECEIPT_SCHEMA_VERSION } from './receipt.schema.js';
export { shipmentStatusSchema, SHIPMENT_STATUS_SCHEMA_VERSION } from './shipment-status.schema.js';
import { LOGISTICS_CANONICAL_TYPES } from './logistics-types.js';

export { orderSchema, ORDER_SCHEMA_VERSION } from './order.schema.js';
export type {
  CanonicalOrder, CodeMeaning, Identifier, OrderAddress, OrderAmount, OrderCarrier, OrderCharacteristic, OrderContact, OrderDates,
  OrderLine, OrderNote, OrderOtherDate, OrderParty, OrderPaymentTerms, OrderReference, OrderTotals, PartyRole,
  OrderPricing, OrderPack, OrderSchedule, OrderAllowanceCharge, OrderShippingTerms, OrderSubLine,
} from './order.schema.js';
export type { CanonicalMessage, CanonicalSource } from './envelope.js';

/** One canonical message type: its JSON Schema and the schema version messages carry. */
export interface CanonicalTypeSpec {
  schema: Record<string, unknown>;
  schemaVersion: number;
}

/** Canonical message types by name (`CanonicalMessage.type`). */
export const CANONICAL_TYPES: Readonly<Record<string, CanonicalTypeSpec>> = Object.freeze({
  order: { schema: orderSchema as unknown as Record<string, unknown>, schemaVersion: ORDER_SCHEMA_VERSION },
  shipment: { schema: shipmentSchema as unknown as Record<string, unknown>, schemaVersion: SHIPMENT_SCHEMA_VERSION },
  invoice: { schema: invoiceSchema as unknown as Record<string, unknown>, schemaVersion: INVOICE_SCHEMA_VERSION },
  inventory_balance: { schema: inventoryBalanceSchema as unknown as Record<string, unknown>, schemaVersion: INVENTORY_BALANCE_SCHEMA_VERSION },
  receipt: { schema: receiptSchema as unknown as Record<string, unknown>, schemaVersion: RECEIPT_SCHEMA_VERSION },
  shipment_status: { schema: shipmentStatusSchema as unknown as Record<string, unknown>, schemaVersion: SHIPMENT_STATUS_SCHEMA_VERSION },
  ...LOGISTICS_CANONICAL_TYPES,
});

/** The canonical type names, e.g. ["order"]. */
export function canonicalTypeNames(): string[] {
  return Object.keys(CANONICAL_TYPES);
}

/** True when `type` is a registered canonical message type. */
export function isCanonicalType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(CANONICAL_TYPES, type);
}

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorFor(type: string): ValidateFunction {
  const hit = validators.get(type);
  if (hit) return hit;
  const spec = isCanonicalType(type) ? CANONICAL_TYPES[type] : undefined;
  if (!spec) throw new GatewayError('EDIGATE_CANONICAL_INVALID', `unknown canonical message type "${type}" (known: ${canonicalTypeNames().join(', ')})`);
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
  }
  const fn = ajv.compile(spec.schema);
  validators.set(type, fn);
  return fn;
}

/** One ajv error as a readable line: "<JSON pointer> <message>", with the offending property or allowed values. */
function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties':
      return `${at} has unknown property "${String(p.additionalProperty)}"`;
    case 'required':
      return `${at === '/' ? '' : at}/${String(p.missingProperty)} is required`;
    case 'enum':
      return `${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${at} ${e.message ?? e.keyword}`;
  }
}

/**
 * Validates a canonical payload against the JSON Schema of `type` (compiled once per type).
 * @returns every problem as "<JSON pointer> <message>" (e.g. "/lines/0/quantity must be number"); [] when valid.
 * @throws GatewayError EDIGATE_CANONICAL_INVALID when `type` is not a registered canonical type.
 */
export function validateCanonical(type: string, payload: unknown): string[] {
  const validate = validatorFor(type);
  if (validate(payload)) return [];
  return (validate.errors ?? []).map(describe);
}

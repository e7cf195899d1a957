/**
 * Canonical "inventory_adjustment" (schemaVersion 1): a warehouse's report of changes to the
 * depositor's inventory it made on its own account (X12 947 Warehouse Inventory Adjustment Advice):
 * each adjustment with its reason (X12 W1901, code list 181: damaged, physical count, put on hold...)
 * and a signed quantity. This is the `payload` of a CanonicalMessage of type "inventory_adjustment".
 */
import { logisticsDefinitions, productIdProperties } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;

/** JSON Schema (draft-07) of the canonical inventory adjustment payload. */
export const inventoryAdjustmentSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:inventory_adjustment:1',
  title: 'Canonical inventory adjustment (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['adjustmentDate', 'adjustments'],
  properties: {
    adjustmentDate: { $ref: '#/definitions/date', description: 'Date of the adjustment (X12 W1501).' },
    adjustmentNumber: { ...text, description: 'Adjustment number (X12 W1502).' },
    secondAdjustmentNumber: { ...text, description: 'Second adjustment number, when the partner sends one (X12 W1503).' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'X12 W1504 (005010 on), code list 353.' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Warehouse, depositor... (X12 N1 loops).' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the heading.' },
    dateTimes: { $ref: '#/definitions/dateTimes' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
    adjustments: { type: 'array', minItems: 1, items: { $ref: '#/definitions/adjustment' }, description: 'Adjusted items (X12 W19 loops), in the order sent.' },
    extensions: { type: 'object' },
  },
  definitions: {
    ...logisticsDefinitions,
    adjustment: {
      type: 'object',
      additionalProperties: false,
      required: ['position', 'reason', 'quantity', 'unitOfMeasure'],
      properties: {
        position: { type: 'integer', minimum: 1 },
        reason: { $ref: '#/definitions/codeMeaning', description: 'Why the quantity or status changed, e.g. AU damaged in facility, AA physical count, 05 product put on hold, 55 product taken off hold (X12 W1901, code list 181).' },
        quantity: { type: 'number', description: 'Credit (positive) or debit (negative) quantity (X12 W1902).' },
        unitOfMeasure: { ...text, description: 'X12 W1903.' },
        upcCaseCode: { ...text, description: 'X12 W1904.' },
        ...productIdProperties,
        warehouseLotNumber: { ...text, description: 'X12 W1909.' },
        weights: { type: 'array', minItems: 1, items: { $ref: '#/definitions/weight' }, description: 'X12 W1910..W1912 and W1913..W1915.' },
        inventoryTransactionTypeCode: { ...text, description: 'X12 W1916.' },
        description: { ...text, description: 'X12 G69 descriptions, joined with spaces.' },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the item.' },
        extensions: { type: 'object' },
      },
    },
  },
} as const;

/** Schema version of the canonical inventory adjustment this file describes. */
export const INVENTORY_ADJUSTMENT_SCHEMA_VERSION = 1;

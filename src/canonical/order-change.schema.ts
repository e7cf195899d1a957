/**
 * Canonical "order_change" (schemaVersion 1): a buyer's change to a purchase order already sent
 * (X12 860 Purchase Order Change Request - Buyer Initiated). Header fields carry the same names as
 * the canonical order; each line says what changes (X12 POC02, code list 670) and carries the new
 * values. This is the `payload` of a CanonicalMessage of type "order_change".
 */
import { orderSchema } from './order.schema.js';
import { logisticsDefinitions, productIdProperties } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;
const date = { $ref: '#/definitions/date' } as const;

/** JSON Schema (draft-07) of the canonical order change payload. */
export const orderChangeSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:order_change:1',
  title: 'Canonical order change (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['purchaseOrderNumber', 'orderDate', 'purpose', 'lines'],
  properties: {
    purchaseOrderNumber: { ...text, description: "The buyer's purchase order number being changed (X12 BCH03)." },
    orderDate: { ...date, description: 'Date of the original purchase order (X12 BCH06).' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'Purpose, e.g. 04 Change, 01 Cancellation, 05 Replace (X12 BCH01, code list 353).' },
    orderType: { $ref: '#/definitions/codeMeaning', description: 'Type of order, e.g. SA Stand-alone Order (X12 BCH02, code list 92).' },
    releaseNumber: { ...text, description: 'X12 BCH04.' },
    changeSequenceNumber: { ...text, description: 'Number the buyer gives this change or revision (X12 BCH05).' },
    contractNumber: { ...text, description: 'X12 BCH08.' },
    sellerOrderNumber: { ...text, description: "The seller's order number (X12 BCH09)." },
    acknowledgmentDate: { ...date, description: 'Date the sender assigned to the acknowledgment (X12 BCH10).' },
    changeRequestDate: { ...date, description: 'Date of the change request (X12 BCH11).' },
    currency: { ...text, description: 'ISO 4217 currency of the prices (X12 CUR02).' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'X12 N1 loops of the heading.' },
    contacts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/contact' }, description: 'X12 heading PER.' },
    dates: { $ref: '#/definitions/dates' },
    otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' } },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 REF and N9 of the heading.' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' }, description: 'X12 MSG/MTX in N9 loops, NTE.' },
    totals: { $ref: '#/definitions/totals' },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/line' }, description: 'Changed lines (X12 POC loops), in the order sent.' },
    extensions: { type: 'object' },
  },
  definitions: {
    ...logisticsDefinitions,
    dates: orderSchema.definitions.dates,
    otherDate: orderSchema.definitions.otherDate,
    totals: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        lineItemCount: { type: 'integer', minimum: 0, description: 'X12 CTT01.' },
        hashTotal: { type: 'number', description: 'X12 CTT02.' },
      },
    },
    line: {
      type: 'object',
      additionalProperties: false,
      required: ['position', 'changeType'],
      properties: {
        position: { type: 'integer', minimum: 1, description: '1-based position of the line in the change.' },
        lineNumber: { ...text, description: 'The purchase order line changed (X12 POC01).' },
        changeType: { $ref: '#/definitions/codeMeaning', description: 'What changes, e.g. QI quantity increase, PC price change, DI delete item, AI add item (X12 POC02, code list 670).' },
        quantity: { type: 'number', description: 'Quantity ordered after the change (X12 POC03).' },
        quantityLeftToReceive: { type: 'number', description: 'X12 POC04.' },
        unitOfMeasure: { ...text, description: 'X12 POC05 (its first component), code list 355.' },
        unitPrice: { type: 'number', description: 'X12 POC06.' },
        priceBasis: { ...text, description: 'Basis of unit price code (X12 POC07).' },
        ...productIdProperties,
        description: { ...text, description: 'Free-form description (X12 PID05 without characteristic or with 08).' },
        characteristics: { type: 'array', minItems: 1, items: { $ref: '#/definitions/characteristic' } },
        dates: { $ref: '#/definitions/dates' },
        otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' } },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
        notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
        extensions: { type: 'object' },
      },
    },
  },
} as const;

/** Schema version of the canonical order change this file describes. */
export const ORDER_CHANGE_SCHEMA_VERSION = 1;

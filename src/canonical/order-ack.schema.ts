/**
 * Canonical "order_ack" (schemaVersion 1): the seller's acknowledgment of a purchase order
 * (X12 855 Purchase Order Acknowledgment): whether the order is accepted, with or without changes,
 * and the status of every line (X12 ACK01, code list 668) with the quantities and dates the seller
 * commits to. This is the `payload` of a CanonicalMessage of type "order_ack".
 */
import { orderSchema } from './order.schema.js';
import { logisticsDefinitions, productIdProperties } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;
const date = { $ref: '#/definitions/date' } as const;

/** JSON Schema (draft-07) of the canonical order acknowledgment payload. */
export const orderAckSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:order_ack:1',
  title: 'Canonical order acknowledgment (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['purchaseOrderNumber', 'orderDate', 'purpose', 'acknowledgmentType'],
  properties: {
    purchaseOrderNumber: { ...text, description: "The buyer's purchase order number acknowledged (X12 BAK03)." },
    orderDate: { ...date, description: 'Date of the purchase order (X12 BAK04).' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'Purpose, e.g. 00 Original, 06 Confirmation (X12 BAK01, code list 353).' },
    acknowledgmentType: { $ref: '#/definitions/codeMeaning', description: 'E.g. AC with detail and change, AD with detail no change, AT accepted, RJ rejected (X12 BAK02, code list 587).' },
    releaseNumber: { ...text, description: 'X12 BAK05.' },
    requestReference: { ...text, description: 'Request reference number (X12 BAK06).' },
    contractNumber: { ...text, description: 'X12 BAK07.' },
    sellerOrderNumber: { ...text, description: "The seller's order number (X12 BAK08)." },
    acknowledgmentDate: { ...date, description: 'Date the seller assigned to the acknowledgment (X12 BAK09).' },
    transactionTypeCode: { ...text, description: 'X12 BAK10.' },
    currency: { ...text, description: 'ISO 4217 currency of the prices (X12 CUR02).' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'X12 N1 loops of the heading.' },
    contacts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/contact' }, description: 'X12 heading PER.' },
    dates: { $ref: '#/definitions/dates' },
    otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' } },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 REF and N9 of the heading.' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
    totals: { $ref: '#/definitions/totals' },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/line' }, description: 'Acknowledged lines (X12 PO1 loops), in the order sent; absent for a header-only acknowledgment.' },
    extensions: { type: 'object' },
  },
  definitions: {
    ...logisticsDefinitions,
    dates: orderSchema.definitions.dates,
    otherDate: orderSchema.definitions.otherDate,
    schedule: orderSchema.definitions.schedule,
    totals: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        lineItemCount: { type: 'integer', minimum: 0, description: 'X12 CTT01.' },
        hashTotal: { type: 'number', description: 'X12 CTT02.' },
      },
    },
    lineAck: {
      type: 'object',
      additionalProperties: false,
      required: ['status'],
      properties: {
        status: { $ref: '#/definitions/codeMeaning', description: 'Line item status, e.g. IA accepted, IR rejected, IB backordered, IQ quantity changed, DR date rescheduled (X12 ACK01, code list 668).' },
        quantity: { type: 'number', description: 'Quantity the status applies to (X12 ACK02).' },
        unitOfMeasure: { ...text, description: 'X12 ACK03.' },
        dateQualifier: { ...text, description: 'What the date is, e.g. 068 current schedule ship, 067 current schedule delivery (X12 ACK04, code list 374).' },
        date: { ...date, description: 'X12 ACK05.' },
        requestReference: { ...text, description: 'X12 ACK06.' },
        productIds: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Product ids of the item acknowledged, e.g. a substitute (X12 ACK07/ACK08 .. ACK25/ACK26).' },
        industryCode: { $ref: '#/definitions/identifier', description: 'Industry code with its agency as qualifier "<ACK27>/<ACK28>" (X12 ACK27, ACK28, ACK29).' },
      },
    },
    line: {
      type: 'object',
      additionalProperties: false,
      required: ['position'],
      properties: {
        position: { type: 'integer', minimum: 1 },
        lineNumber: { ...text, description: 'X12 PO101.' },
        quantity: { type: 'number', description: 'Quantity ordered (X12 PO102).' },
        unitOfMeasure: { ...text, description: 'X12 PO103.' },
        unitPrice: { type: 'number', description: 'X12 PO104.' },
        priceBasis: { ...text, description: 'X12 PO105.' },
        ...productIdProperties,
        description: { ...text, description: 'X12 PID05 without characteristic or with 08.' },
        characteristics: { type: 'array', minItems: 1, items: { $ref: '#/definitions/characteristic' } },
        acknowledgments: { type: 'array', minItems: 1, items: { $ref: '#/definitions/lineAck' }, description: 'Status of the line (X12 ACK of the line), in the order sent.' },
        schedules: { type: 'array', minItems: 1, items: { $ref: '#/definitions/schedule' }, description: 'X12 SCH of the line.' },
        dates: { $ref: '#/definitions/dates' },
        otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' } },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
        extensions: { type: 'object' },
      },
    },
  },
} as const;

/** Schema version of the canonical order acknowledgment this file describes. */
export const ORDER_ACK_SCHEMA_VERSION = 1;

/**
 * Canonical "receipt" (schemaVersion 1): goods received against a shipment or order: quantities received,
 * accepted and rejected per item with the reasons. From EDIFACT RECADV or X12 944 (warehouse stock
 * transfer receipt advice).
 */
import { SHARED_DEFINITIONS } from './definitions.js';

export const receiptSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:receipt:1',
  title: 'Canonical receipt (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['receiptNumber', 'lines'],
  properties: {
    receiptNumber: { $ref: '#/definitions/text', description: 'EDIFACT BGM 1004, X12 W1702.' },
    receiptDate: { $ref: '#/definitions/dateTime', description: 'Goods receipt date (EDIFACT DTM 50, X12 W1701).' },
    documentDate: { $ref: '#/definitions/dateTime', description: 'EDIFACT DTM 137.' },
    shipmentId: { $ref: '#/definitions/text', description: 'The despatch advice received (EDIFACT RFF DQ/AAK, X12 W1704).' },
    purchaseOrderNumber: { $ref: '#/definitions/text', description: 'EDIFACT RFF ON, X12 W1705.' },
    reportingCode: { $ref: '#/definitions/codeMeaning', description: 'X12 W1701 (code list 514: F full detail, X exceptions only...).' },
    depositorOrderNumber: { $ref: '#/definitions/text', description: 'X12 W1704.' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' } },
    lines: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['quantities'],
        properties: {
          lineNumber: { $ref: '#/definitions/text' },
          product: { $ref: '#/definitions/product' },
          sscc: { $ref: '#/definitions/text', description: 'Package the item came in (EDIFACT GIN BJ).' },
          lot: { $ref: '#/definitions/text' },
          serialNumbers: { type: 'array', minItems: 1, items: { $ref: '#/definitions/text' } },
          quantities: { type: 'array', minItems: 1, items: { $ref: '#/definitions/quantity' }, description: 'EDIFACT QTY 48 received, 194 accepted, 195 rejected, 12 despatched...; X12 W07.' },
          unitOfMeasure: { $ref: '#/definitions/text', description: 'X12 W0702.' },
          overQuantity: { type: 'number', description: 'Received over the advised quantity (X12 W13 with W1303 03 or 12).' },
          shortQuantity: { type: 'number', description: 'Received short of the advised quantity (X12 W13 with W1303 02).' },
          damagedQuantity: { type: 'number', description: 'Received damaged (X12 W13 with W1303 01).' },
          discrepancies: {
            type: 'array', minItems: 1, description: 'EDIFACT QVR: quantity variance with its reason.',
            items: {
              type: 'object', additionalProperties: false, required: ['quantity'],
              properties: {
                quantity: { type: 'number' }, code: { $ref: '#/definitions/text' }, reason: { $ref: '#/definitions/codeMeaning' },
                condition: { $ref: '#/definitions/codeMeaning', description: 'X12 W1303 receiving condition (code list 412: 01 damaged, 02 short, 03 over...).' },
                unitOfMeasure: { $ref: '#/definitions/text', description: 'X12 W1302.' },
                lot: { $ref: '#/definitions/text', description: 'X12 W1304.' },
              },
            },
          },
        },
      },
    },
    extensions: { type: 'object' },
  },
  definitions: { ...SHARED_DEFINITIONS },
} as const;

export const RECEIPT_SCHEMA_VERSION = 1;

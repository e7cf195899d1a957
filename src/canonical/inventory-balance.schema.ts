/**
 * Canonical "inventory_balance" (schemaVersion 1): stock per item (and location), as of a date: on
 * hand, available, committed, on order, damaged... From EDIFACT INVRPT, X12 846 or an inventory CSV.
 */
import { SHARED_DEFINITIONS } from './definitions.js';

const location = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    gln: { $ref: '#/definitions/text', description: 'GS1 GLN of the warehouse or store.' },
    id: { $ref: '#/definitions/text', description: 'Location id as sent (EDIFACT LOC C517 3225, X12 N104).' },
    qualifier: { $ref: '#/definitions/text', description: 'EDIFACT LOC 3227, X12 N103.' },
    name: { $ref: '#/definitions/text' },
  },
};

export const inventoryBalanceSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:inventory_balance:1',
  title: 'Canonical inventory balance (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    reportNumber: { $ref: '#/definitions/text', description: 'EDIFACT BGM 1004, X12 BIA03.' },
    reportDate: { $ref: '#/definitions/dateTime', description: 'EDIFACT DTM 137, X12 BIA04.' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'X12 BIA01 (code list 353: 00 original...).' },
    reportType: { $ref: '#/definitions/codeMeaning', description: 'X12 BIA02 (code list 755).' },
    currency: { $ref: '#/definitions/text', description: 'X12 CUR02.' },
    asOf: { $ref: '#/definitions/dateTime', description: 'Date the quantities hold for (EDIFACT DTM 366/179, X12 DTM).' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' } },
    location: { $ref: '#/definitions/location', description: 'Location all items are at, unless an item gives its own.' },
    items: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['product', 'quantities'],
        properties: {
          lineNumber: { $ref: '#/definitions/text' },
          product: { $ref: '#/definitions/product' },
          location: { $ref: '#/definitions/location' },
          lot: { $ref: '#/definitions/text' },
          serialNumbers: { type: 'array', minItems: 1, items: { $ref: '#/definitions/text' } },
          expiryDate: { $ref: '#/definitions/date' },
          quantities: { type: 'array', minItems: 1, items: { $ref: '#/definitions/quantity' }, description: 'EDIFACT QTY (145 on hand, 156 available, 21 ordered, 83 backorder...), X12 QTY/SDQ.' },
        },
      },
    },
    extensions: { type: 'object' },
  },
  definitions: { ...SHARED_DEFINITIONS, location },
} as const;

export const INVENTORY_BALANCE_SCHEMA_VERSION = 1;

/**
 * Canonical "shipment_status" (schemaVersion 1): carrier status events of a shipment (picked up, in
 * transit, delivered, exception), each with its time and place. From EDIFACT IFTSTA or X12 214.
 */
import { SHARED_DEFINITIONS } from './definitions.js';

const place = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    code: { $ref: '#/definitions/text', description: 'UN/LOCODE or other location code (EDIFACT LOC C517 3225, X12 MS1).' },
    name: { $ref: '#/definitions/text' }, city: { $ref: '#/definitions/text' }, stateOrProvince: { $ref: '#/definitions/text' },
    postalCode: { $ref: '#/definitions/text' }, country: { $ref: '#/definitions/text' },
  },
};

export const shipmentStatusSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:shipment_status:1',
  title: 'Canonical shipment status (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['shipmentId', 'events'],
  properties: {
    reportNumber: { $ref: '#/definitions/text', description: 'EDIFACT BGM 1004.' },
    shipmentId: { $ref: '#/definitions/text', description: "The carrier's or shipper's shipment reference (EDIFACT CNI 1490/RFF, X12 B1002)." },
    billOfLading: { $ref: '#/definitions/text', description: 'EDIFACT RFF BM, X12 B1003.' },
    trackingNumber: { $ref: '#/definitions/text', description: 'EDIFACT RFF CN, X12 REF CN.' },
    purchaseOrderNumber: { $ref: '#/definitions/text' },
    carrier: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: { scac: { $ref: '#/definitions/text', description: 'X12 B1002/MS3, EDIFACT NAD CA with 3055 = 182.' }, name: { $ref: '#/definitions/text' }, gln: { $ref: '#/definitions/text' } },
    },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' } },
    events: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['status'],
        properties: {
          status: { $ref: '#/definitions/codeMeaning', description: 'EDIFACT STS C555 4405 (code list 4405: 21 delivered...), X12 AT701 (D1 delivered, X1 arrived...).' },
          reason: { $ref: '#/definitions/codeMeaning', description: 'EDIFACT STS C556 9013, X12 AT702.' },
          dateTime: { $ref: '#/definitions/dateTime', description: 'EDIFACT DTM 334 (status change), X12 AT705/AT706.' },
          location: { $ref: '#/definitions/place' },
          description: { $ref: '#/definitions/text', description: 'EDIFACT FTX.' },
          equipment: { $ref: '#/definitions/text', description: 'Container or trailer id (EDIFACT EQD, X12 MS2).' },
          consignment: { $ref: '#/definitions/text', description: 'EDIFACT CNI 1490.' },
          timeCode: { $ref: '#/definitions/text', description: 'Time zone code of dateTime as sent (X12 AT707, e.g. LT local, ET eastern).' },
          equipmentOwner: { $ref: '#/definitions/text', description: 'SCAC of the equipment owner (X12 MS201).' },
          weight: { $ref: '#/definitions/measure', description: 'X12 AT803 with AT802 (L pounds, K kilograms).' },
          ladingQuantity: { type: 'number', description: 'X12 AT804.' },
          references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 L11 of the status detail (LX loop).' },
        },
      },
    },
    extensions: { type: 'object' },
  },
  definitions: { ...SHARED_DEFINITIONS, place },
} as const;

export const SHIPMENT_STATUS_SCHEMA_VERSION = 1;

/**
 * Canonical "inbound_advice" (schemaVersion 1): the depositor's advance notice to a warehouse of a
 * stock transfer shipment on its way (X12 943 Warehouse Stock Transfer Shipment Advice): what to
 * expect, from whom, by which carrier. This is the `payload` of a CanonicalMessage of type
 * "inbound_advice" (read by the WMS).
 */
import { logisticsDefinitions, productIdProperties } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;

/** JSON Schema (draft-07) of the canonical inbound (stock transfer) advice payload. */
export const inboundAdviceSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:inbound_advice:1',
  title: 'Canonical inbound advice (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['depositorOrderNumber', 'lines'],
  properties: {
    reportingCode: { ...text, description: 'X12 W0601 (code list 1, e.g. F final, P partial).' },
    depositorOrderNumber: { ...text, description: "The depositor's order (transfer) number (X12 W0602)." },
    shipmentDate: { $ref: '#/definitions/date', description: 'Date the transfer shipped (X12 W0603).' },
    shipmentId: { ...text, description: 'Shipment identification number, e.g. the bill of lading (X12 W0604).' },
    agentShipmentId: { ...text, description: 'X12 W0605.' },
    purchaseOrderNumber: { ...text, description: 'X12 W0606.' },
    masterReferenceNumber: { ...text, description: 'X12 W0607.' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Depositor, ship-from, warehouse... (X12 N1 loops).' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the heading.' },
    dateTimes: { $ref: '#/definitions/dateTimes' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
    carrier: { $ref: '#/definitions/carrier' },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/line' }, description: 'Items shipped (X12 W04 loops), in the order sent.' },
    totals: { $ref: '#/definitions/totals' },
    extensions: { type: 'object' },
  },
  definitions: {
    ...logisticsDefinitions,
    carrier: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        transportationMethod: { $ref: '#/definitions/codeMeaning', description: 'X12 W2701, code list 91.' },
        scac: { ...text, description: 'Standard Carrier Alpha Code (X12 W2702).' },
        routing: { ...text, description: 'X12 W2703.' },
        methodOfPayment: { $ref: '#/definitions/codeMeaning', description: 'X12 W2704, code list 146.' },
        equipmentDescriptionCode: { ...text, description: 'E.g. TL trailer, CN container (X12 W2705, code list 40).' },
        equipmentInitial: { ...text, description: 'X12 W2706.' },
        equipmentNumber: { ...text, description: 'Trailer or container number (X12 W2707).' },
      },
    },
    line: {
      type: 'object',
      additionalProperties: false,
      required: ['position', 'quantity', 'unitOfMeasure'],
      properties: {
        position: { type: 'integer', minimum: 1 },
        lineNumber: { ...text, description: 'Assigned number of the enclosing LX when sent (X12 LX01).' },
        quantity: { type: 'number', description: 'Number of units shipped (X12 W0401).' },
        unitOfMeasure: { ...text, description: 'X12 W0402.' },
        upcCaseCode: { ...text, description: 'X12 W0403.' },
        ...productIdProperties,
        freightClass: { ...text, description: 'X12 W0408.' },
        description: { ...text, description: 'X12 G69 descriptions, joined with spaces.' },
        lotNumber: { ...text, description: 'Lot number (X12 N9 qualified LT of the line).' },
        weight: { $ref: '#/definitions/weight', description: 'X12 W20 of the line.' },
        pack: { type: 'number', description: 'X12 W2001.' },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the line.' },
        dateTimes: { $ref: '#/definitions/dateTimes' },
        extensions: { type: 'object' },
      },
    },
    totals: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        quantity: { type: 'number', description: 'Total units shipped (X12 W0301).' },
        weight: { type: 'number', description: 'X12 W0302.' },
        weightUnit: { ...text, description: 'X12 W0303.' },
        volume: { type: 'number', description: 'X12 W0304.' },
        volumeUnit: { ...text, description: 'X12 W0305.' },
      },
    },
  },
} as const;

/** Schema version of the canonical inbound advice this file describes. */
export const INBOUND_ADVICE_SCHEMA_VERSION = 1;

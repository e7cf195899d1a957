/**
 * Canonical "warehouse_order" (schemaVersion 1): an order to a warehouse to ship goods it holds for
 * the depositor (X12 940 Warehouse Shipping Order). This is the `payload` of a CanonicalMessage of
 * type "warehouse_order" (read by the WMS).
 */
import { logisticsDefinitions, productIdProperties } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;

/** JSON Schema (draft-07) of the canonical warehouse shipping order payload. */
export const warehouseOrderSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:warehouse_order:1',
  title: 'Canonical warehouse shipping order (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['depositorOrderNumber', 'lines'],
  properties: {
    depositorOrderNumber: { ...text, description: "The depositor's order number (X12 W0502)." },
    orderStatusCode: { ...text, description: 'X12 W0501, e.g. N (original).' },
    purchaseOrderNumber: { ...text, description: "The customer's purchase order number (X12 W0503)." },
    linkSequenceNumber: { ...text, description: 'X12 W0504.' },
    masterReferenceNumber: { ...text, description: 'Master reference (link) number (X12 W0505).' },
    transactionTypeCode: { ...text, description: 'X12 W0506.' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Ship-to, depositor, warehouse, ship-from... (X12 N1 loops).' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the heading.' },
    dateTimes: { $ref: '#/definitions/dateTimes' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' }, description: 'X12 NTE (NTE01 is the note reference code).' },
    carrier: { $ref: '#/definitions/carrier' },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/line' }, description: 'Items to ship (X12 W01 loops, inside LX loops from 004010 on), in the order sent.' },
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
        methodOfPayment: { $ref: '#/definitions/codeMeaning', description: 'Who pays the freight, e.g. PP prepaid, CC collect (X12 W6601, code list 146).' },
        transportationMethod: { $ref: '#/definitions/codeMeaning', description: 'E.g. M motor, A air, U private parcel (X12 W6602, code list 91).' },
        palletExchangeCode: { ...text, description: 'X12 W6603.' },
        unitLoadOptionCode: { ...text, description: 'X12 W6604.' },
        routing: { ...text, description: 'Free-form routing or carrier name (X12 W6605).' },
        fobPointCode: { ...text, description: 'X12 W6606.' },
        fobPoint: { ...text, description: 'X12 W6607.' },
        codMethodOfPayment: { ...text, description: 'Cash on delivery method of payment (X12 W6608).' },
        codAmount: { type: 'number', description: 'Cash on delivery amount (X12 W6609).' },
        scac: { ...text, description: 'Standard Carrier Alpha Code (X12 W6610).' },
      },
    },
    line: {
      type: 'object',
      additionalProperties: false,
      required: ['position', 'quantity', 'unitOfMeasure'],
      properties: {
        position: { type: 'integer', minimum: 1 },
        lineNumber: { ...text, description: 'Assigned number of the enclosing LX (X12 LX01).' },
        quantity: { type: 'number', description: 'Quantity ordered (X12 W0101).' },
        unitOfMeasure: { ...text, description: 'X12 W0102, code list 355 (CA case, EA each...).' },
        upcCaseCode: { ...text, description: 'U.P.C. case code (X12 W0103).' },
        ...productIdProperties,
        freightClass: { ...text, description: 'X12 W0108.' },
        warehouseLotNumber: { ...text, description: 'X12 W0113.' },
        productConditionCode: { ...text, description: 'X12 W0114.' },
        description: { ...text, description: 'X12 G69 descriptions, joined with spaces.' },
        weight: { $ref: '#/definitions/weight', description: 'X12 W20 weight of the line.' },
        pack: { type: 'number', description: 'Inner units per outer container (X12 W2001).' },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the line.' },
        dateTimes: { $ref: '#/definitions/dateTimes' },
        notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
        extensions: { type: 'object' },
      },
    },
    totals: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        quantity: { type: 'number', description: 'Total quantity ordered (X12 W7601).' },
        weight: { type: 'number', description: 'X12 W7602.' },
        weightUnit: { ...text, description: 'X12 W7603.' },
        volume: { type: 'number', description: 'X12 W7604.' },
        volumeUnit: { ...text, description: 'X12 W7605.' },
      },
    },
  },
} as const;

/** Schema version of the canonical warehouse order this file describes. */
export const WAREHOUSE_ORDER_SCHEMA_VERSION = 1;

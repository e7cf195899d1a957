/**
 * Canonical "shipment" (schemaVersion 1): a despatch advice or ship notice: what left, in which
 * packages (SSCC, hierarchy), with which items (GTIN, lot, serial numbers), by which carrier. The payload
 * of a CanonicalMessage of type "shipment", from EDIFACT DESADV, X12 856 or a shipment confirmation CSV.
 */
import { SHARED_DEFINITIONS } from './definitions.js';

const item = {
  type: 'object', additionalProperties: false, required: ['quantity'],
  properties: {
    lineNumber: { $ref: '#/definitions/text', description: 'EDIFACT LIN 1082, X12 LIN01/SN1.' },
    product: { $ref: '#/definitions/product' },
    quantity: { type: 'number', description: 'Quantity despatched (EDIFACT QTY 12, X12 SN102).' },
    quantityOrdered: { type: 'number', description: 'EDIFACT QTY 21, X12 SN105.' },
    unitOfMeasure: { $ref: '#/definitions/text' },
    purchaseOrderNumber: { $ref: '#/definitions/text', description: 'EDIFACT RFF ON in the line, X12 PRF01.' },
    purchaseOrderLine: { $ref: '#/definitions/text' },
    lot: { $ref: '#/definitions/text', description: 'Batch/lot number (EDIFACT PIA 7143 = NB or GIN BX, X12 LT).' },
    serialNumbers: { type: 'array', minItems: 1, items: { $ref: '#/definitions/text' }, description: 'EDIFACT GIN BN, X12 SN.' },
    expiryDate: { $ref: '#/definitions/date', description: 'EDIFACT DTM 36, X12 DTM 036.' },
    bestBeforeDate: { $ref: '#/definitions/date', description: 'EDIFACT DTM 361.' },
    productionDate: { $ref: '#/definitions/date', description: 'EDIFACT DTM 94.' },
    status: { $ref: '#/definitions/codeMeaning', description: 'Line status (X12 945 W1201, code list 368: CC complete, BP partial with back order...; X12 856 SN108).' },
    quantityDifference: { type: 'number', description: 'Ordered minus shipped (X12 945 W1204).' },
    shortShipped: { type: 'boolean', description: 'True when less was shipped than ordered (X12 945 W1203 below W1202).' },
    backordered: { type: 'boolean', description: 'True when the status says the balance is back ordered (X12 368 BP, BK, BO, BM).' },
  },
};

/** A package of the hierarchy; its own packages nest in it (X12 856 HL tare T > pack P). */
const pkg = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    level: { $ref: '#/definitions/text', description: 'Hierarchy level number (EDIFACT CPS 7164, X12 HL01).' },
    parentLevel: { $ref: '#/definitions/text', description: 'EDIFACT CPS 7166, X12 HL02.' },
    levelCode: { $ref: '#/definitions/text', description: 'X12 HL03 (code list 735): T shipping tare, P pack, Q subpack.' },
    sscc: { $ref: '#/definitions/text', description: 'GS1 Serial Shipping Container Code (EDIFACT GIN BJ, X12 MAN GM).' },
    marks: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Other marks and numbers (X12 MAN01 other than GM, e.g. CP carrier-assigned package id).' },
    packageType: { $ref: '#/definitions/text', description: 'EDIFACT PAC C202 7065 (e.g. 201 pallet, CT carton), X12 TD1/PO4.' },
    packageCount: { type: 'number', description: 'EDIFACT PAC 7224, X12 TD102.' },
    grossWeight: { $ref: '#/definitions/measure' },
    packages: { type: 'array', minItems: 1, items: { $ref: '#/definitions/package' }, description: 'Packages inside this one (X12 HL whose HL02 is this HL01).' },
    items: { type: 'array', minItems: 1, items: { $ref: '#/definitions/item' } },
  },
};

/** An order of the shipment with what was shipped against it (X12 856 HL level O). */
const order = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    level: { $ref: '#/definitions/text', description: 'X12 HL01.' },
    parentLevel: { $ref: '#/definitions/text', description: 'X12 HL02.' },
    purchaseOrderNumber: { $ref: '#/definitions/text', description: 'X12 PRF01.' },
    releaseNumber: { $ref: '#/definitions/text', description: 'X12 PRF02.' },
    purchaseOrderDate: { $ref: '#/definitions/date', description: 'X12 PRF04.' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 REF at the order level, e.g. IV invoice number.' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'X12 N1 loops at the order level, e.g. BY store.' },
    packageType: { $ref: '#/definitions/text', description: 'X12 TD101.' },
    packageCount: { type: 'number', description: 'X12 TD102.' },
    grossWeight: { $ref: '#/definitions/measure', description: 'X12 TD107/TD108.' },
    packages: { type: 'array', minItems: 1, items: { $ref: '#/definitions/package' }, description: 'Tares and packs of the order.' },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/item' }, description: 'Items of the order not given in packages.' },
  },
};

export const shipmentSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:shipment:1',
  title: 'Canonical shipment (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['shipmentId'],
  anyOf: [
    { properties: { packages: true }, required: ['packages'] },
    { properties: { lines: true }, required: ['lines'] },
    { properties: { orders: true }, required: ['orders'] },
  ],
  properties: {
    shipmentId: { $ref: '#/definitions/text', description: 'Despatch advice / shipment number (EDIFACT BGM 1004, X12 BSN02).' },
    documentType: { $ref: '#/definitions/codeMeaning', description: 'EDIFACT BGM C002 1001 (351 despatch advice), X12 BSN01 purpose.' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'Message function, e.g. 9 original, 5 replace (EDIFACT BGM 1225, X12 BSN01).' },
    purchaseOrderNumber: { $ref: '#/definitions/text', description: 'The order shipped against (EDIFACT RFF ON, X12 PRF01).' },
    despatchDate: { $ref: '#/definitions/dateTime', description: 'EDIFACT DTM 11, X12 DTM 011.' },
    documentDate: { $ref: '#/definitions/dateTime', description: 'EDIFACT DTM 137, X12 BSN03.' },
    estimatedDeliveryDate: { $ref: '#/definitions/dateTime', description: 'EDIFACT DTM 17 or 132, X12 DTM 017.' },
    scheduledDeliveryDate: { $ref: '#/definitions/dateTime', description: 'Current scheduled delivery (X12 DTM 067).' },
    depositorOrderNumber: { $ref: '#/definitions/text', description: "The depositor's warehouse shipping order number (X12 945 W0602)." },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' } },
    carrier: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        scac: { $ref: '#/definitions/text', description: 'Standard Carrier Alpha Code (X12 TD503, EDIFACT TDT C040 with 3055 = 182).' },
        name: { $ref: '#/definitions/text' },
        transportMode: { $ref: '#/definitions/codeMeaning', description: 'EDIFACT TDT 8067 (30 road, 10 sea), X12 TD504.' },
        meansOfTransport: { $ref: '#/definitions/text', description: 'Vehicle or vessel id (EDIFACT TDT C222).' },
        trackingNumber: { $ref: '#/definitions/text', description: 'EDIFACT RFF CN, X12 REF CN.' },
        billOfLading: { $ref: '#/definitions/text', description: 'EDIFACT RFF BM, X12 REF BM.' },
      },
    },
    totals: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        packageCount: { type: 'number', description: 'EDIFACT CNT 11 or sum of PAC 7224, X12 TD101.' },
        lineCount: { type: 'number', description: 'EDIFACT CNT 2, X12 CTT01.' },
        grossWeight: { $ref: '#/definitions/measure', description: 'EDIFACT MEA AAE G, X12 TD107.' },
        volume: { $ref: '#/definitions/measure' },
      },
    },
    packages: {
      type: 'array', minItems: 1, description: 'Packages (EDIFACT CPS/PAC/PCI groups, X12 HL P/T under the shipment).',
      items: { $ref: '#/definitions/package' },
    },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/item' }, description: 'Items not given in packages.' },
    orders: { type: 'array', minItems: 1, items: { $ref: '#/definitions/order' }, description: 'The orders shipped, each with its packages and items (X12 856 HL tree: shipment > order > tare > pack > item).' },
    extensions: { type: 'object', description: 'Partner-specific data a map adds.' },
  },
  definitions: { ...SHARED_DEFINITIONS, item, package: pkg, order },
} as const;

export const SHIPMENT_SCHEMA_VERSION = 1;

/**
 * JSON Schema definitions shared by the canonical logistics types (order_change, order_ack,
 * warehouse_order, inbound_advice, inventory_adjustment, load_tender, tender_response,
 * freight_invoice). They follow the rules of the canonical order (src/canonical/order.schema.ts):
 * optional fields are omitted when absent (never empty strings, objects or arrays); dates are
 * ISO-8601 calendar dates (YYYY-MM-DD); quantities, weights, prices and amounts are JSON numbers
 * (X12 N2 amounts are divided by 100); codes are kept as sent next to their meaning when known.
 */
import { orderSchema } from './order.schema.js';

const text = { $ref: '#/definitions/text' } as const;

/** Shared definitions, spread into each logistics schema's `definitions`. */
export const logisticsDefinitions = {
  text: { type: 'string', minLength: 1 },
  date: { type: 'string', format: 'date' },
  codeMeaning: orderSchema.definitions.codeMeaning,
  identifier: orderSchema.definitions.identifier,
  reference: orderSchema.definitions.reference,
  address: orderSchema.definitions.address,
  contact: orderSchema.definitions.contact,
  note: orderSchema.definitions.note,
  characteristic: orderSchema.definitions.characteristic,
  party: {
    type: 'object',
    additionalProperties: false,
    required: ['role', 'entityCode'],
    properties: {
      role: {
        enum: ['buyer', 'shipTo', 'billTo', 'vendor', 'shipFrom', 'shipper', 'consignee', 'warehouse', 'depositor', 'carrier', 'payer', 'other'],
        description: 'Business role derived from the entity code (X12 N101 / code list 98): BY buyer, ST shipTo, BT billTo, VN/SU/SE vendor, SF shipFrom, SH shipper, CN consignee, WH warehouse, DE depositor, CA carrier, PR payer.',
      },
      entityCode: { ...text, description: 'Entity identifier code as sent (X12 N101).' },
      name: { ...text, description: 'X12 N102.' },
      additionalNames: { type: 'array', minItems: 1, items: text, description: 'X12 N201, N202 of every N2.' },
      ids: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Party identifiers, e.g. 9 DUNS+4, 92 assigned by buyer, 93 assigned by sender (X12 N103/N104).' },
      address: { $ref: '#/definitions/address' },
      contacts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/contact' } },
      references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'References of the party (X12 REF, N9 or L11 inside the N1 loop).' },
    },
  },
  dateTime: {
    type: 'object',
    additionalProperties: false,
    required: ['qualifier', 'date'],
    properties: {
      type: { ...text, description: 'Named date for known qualifiers, e.g. requestedShipDate, shipNotBefore, deliverNoLater, actualPickupDate (the map\'s table of X12 G6201, code list 432).' },
      qualifier: { ...text, description: 'Date qualifier as sent (X12 G6201).' },
      date: { $ref: '#/definitions/date', description: 'X12 G6202.' },
      timeQualifier: { ...text, description: 'What the time means, e.g. I earliest requested, K latest requested, G earliest requested delivery, L latest requested delivery (X12 G6203, code list 176).' },
      time: { ...text, description: 'Time as sent, HHMM[SS] (X12 G6204).' },
      timeZone: { ...text, description: 'Time code, e.g. LT local time, ET eastern (X12 G6205).' },
    },
  },
  dateTimes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/dateTime' }, description: 'Dates and times (X12 G62), in the order sent.' },
  weight: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      weightQualifier: { ...text, description: 'Type of weight, e.g. G gross, N net (X12 AT801 / W2005, code list 187).' },
      weightUnit: { ...text, description: 'L pounds, K kilograms (X12 AT802 / W2006, code list 188).' },
      weight: { type: 'number', description: 'X12 AT803 / W2004.' },
      ladingQuantity: { type: 'number', description: 'Handling units that are not unitized, e.g. cartons (X12 AT804).' },
      unitizedLadingQuantity: { type: 'number', description: 'Handling units that are unitized, e.g. pallets (X12 AT805).' },
      volumeUnit: { ...text, description: 'X12 AT806.' },
      volume: { type: 'number', description: 'X12 AT807.' },
    },
  },
} as const;

/**
 * Named product id fields shared by lines of the logistics types (same names as the canonical order
 * line): buyerPartNumber BP, buyerItemNumber IN, vendorPartNumber VP/VN/VC, gtin UK/EN/UA, upc UP,
 * sku SK, plus every pair as sent.
 */
export const productIdProperties = {
  buyerPartNumber: { ...text, description: "Product id qualified BP, else CB (buyer's catalog number) when no IN is sent." },
  buyerItemNumber: { ...text, description: 'Product id qualified IN.' },
  vendorPartNumber: { ...text, description: "Product id qualified VP, else VN, else VC (vendor's catalog number)." },
  gtin: { ...text, description: 'Product id qualified UK (GTIN-14), else EN (EAN-13), else UA (case code).' },
  upc: { ...text, description: 'Product id qualified UP (UPC-A / UCC-12).' },
  sku: { ...text, description: 'Product id qualified SK.' },
  productIds: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Every product/service id qualifier/value pair as sent, including those copied to named fields.' },
} as const;

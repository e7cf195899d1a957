/**
 * JSON Schema definitions shared by the canonical types of the supply-chain documents (shipment,
 * invoice, inventory_balance, receipt, shipment_status), whatever standard they came from: EDIFACT
 * (DESADV, INVOIC, INVRPT, RECADV, IFTSTA), X12 (856, 810, 846, 944, 214) or CSV.
 *
 * Same rules as the order: optional fields are omitted when absent (never empty strings, objects or
 * arrays); dates are YYYY-MM-DD, date-times YYYY-MM-DDTHH:MM[:SS] (local time of the sender unless an
 * offset is given); quantities and amounts are JSON numbers; codes are kept as sent next to their meaning.
 */
const text = { type: 'string', minLength: 1 };
const list = (ref: string, description?: string) => ({ type: 'array', minItems: 1, items: { $ref: `#/definitions/${ref}` }, ...(description ? { description } : {}) });

export const SHARED_DEFINITIONS = {
  text,
  date: { type: 'string', format: 'date' },
  dateTime: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?)?$', description: 'YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][offset].' },
  codeMeaning: {
    type: 'object', additionalProperties: false, required: ['code'],
    properties: { code: { $ref: '#/definitions/text', description: 'The code as sent.' }, meaning: { $ref: '#/definitions/text', description: "The code's name when known." } },
  },
  identifier: {
    type: 'object', additionalProperties: false, required: ['qualifier', 'value'],
    properties: { qualifier: { $ref: '#/definitions/text', description: 'What kind of identifier, as sent (EDIFACT 3055/1153/7143, X12 qualifier).' }, value: { $ref: '#/definitions/text' } },
  },
  reference: {
    type: 'object', additionalProperties: false, required: ['qualifier', 'value'],
    properties: {
      qualifier: { $ref: '#/definitions/text', description: 'Reference qualifier as sent, e.g. ON order number, DQ delivery note, BM bill of lading (EDIFACT RFF 1153, X12 REF01).' },
      value: { $ref: '#/definitions/text' },
      date: { $ref: '#/definitions/date', description: 'Date of the referenced document (EDIFACT DTM in the RFF group).' },
    },
  },
  measure: {
    type: 'object', additionalProperties: false, required: ['value'],
    properties: { value: { type: 'number' }, unit: { $ref: '#/definitions/text', description: 'UN/ECE Recommendation 20 unit, e.g. KGM, MTQ (EDIFACT MEA 6411, X12 355).' } },
  },
  address: {
    type: 'object', additionalProperties: false, minProperties: 1,
    properties: {
      lines: list('text', 'Street lines (EDIFACT NAD C059, X12 N3).'),
      city: { $ref: '#/definitions/text' }, stateOrProvince: { $ref: '#/definitions/text' }, postalCode: { $ref: '#/definitions/text' },
      country: { $ref: '#/definitions/text', description: 'ISO 3166-1 alpha-2 code.' },
    },
  },
  contact: {
    type: 'object', additionalProperties: false, minProperties: 1,
    properties: {
      functionCode: { $ref: '#/definitions/text', description: 'EDIFACT CTA 3139, X12 PER01.' }, name: { $ref: '#/definitions/text' },
      phone: { $ref: '#/definitions/text' }, fax: { $ref: '#/definitions/text' }, email: { $ref: '#/definitions/text' },
    },
  },
  party: {
    type: 'object', additionalProperties: false, required: ['role', 'entityCode'],
    properties: {
      role: { enum: ['buyer', 'supplier', 'shipTo', 'shipFrom', 'billTo', 'invoicee', 'payee', 'carrier', 'consignee', 'consignor', 'warehouse', 'other'], description: 'Business role from the party qualifier (EDIFACT NAD 3035: BY, SU, DP/ST, SF, IV, PE, CA, CN, CZ, WH; X12 N101).' },
      entityCode: { $ref: '#/definitions/text', description: 'Party qualifier as sent (EDIFACT NAD 3035, X12 N101).' },
      gln: { $ref: '#/definitions/text', description: 'GS1 Global Location Number (EDIFACT NAD C082 with 3055 = 9, X12 N103 = UL).' },
      ids: list('identifier', 'Other party identifiers.'),
      name: { $ref: '#/definitions/text' },
      address: { $ref: '#/definitions/address' },
      contacts: list('contact'),
      references: list('reference', 'E.g. VA VAT number (EDIFACT RFF in the NAD group).'),
    },
  },
  product: {
    type: 'object', additionalProperties: false, minProperties: 1, description: 'Product identification of a line.',
    properties: {
      gtin: { $ref: '#/definitions/text', description: 'GS1 GTIN (EDIFACT LIN C212 with 7143 = EN/SRV, X12 UP/EN/UK).' },
      buyerPartNumber: { $ref: '#/definitions/text', description: 'EDIFACT PIA 7143 = IN, X12 BP/IN.' },
      vendorPartNumber: { $ref: '#/definitions/text', description: 'EDIFACT PIA 7143 = SA, X12 VP/VN.' },
      sku: { $ref: '#/definitions/text' },
      ids: list('identifier', 'Other product identifiers as sent.'),
      description: { $ref: '#/definitions/text', description: 'EDIFACT IMD 7008, X12 PID05.' },
    },
  },
  allowanceCharge: {
    type: 'object', additionalProperties: false, required: ['indicator'],
    properties: {
      indicator: { enum: ['allowance', 'charge'], description: 'EDIFACT ALC 5463 A/C, X12 SAC01 A/C.' },
      code: { $ref: '#/definitions/text', description: 'EDIFACT ALC C214 7161, X12 SAC02.' },
      description: { $ref: '#/definitions/text' },
      amount: { type: 'number' }, percent: { type: 'number' }, rate: { type: 'number' },
    },
  },
  tax: {
    type: 'object', additionalProperties: false, required: ['type'],
    properties: {
      type: { $ref: '#/definitions/text', description: 'Tax type, e.g. VAT, GST (EDIFACT TAX C241 5153, X12 TXI01).' },
      category: { $ref: '#/definitions/text', description: 'Tax category, e.g. S standard, Z zero, E exempt (EDIFACT TAX 5305).' },
      rate: { type: 'number', description: 'Percent (EDIFACT TAX C243 5278).' },
      taxableAmount: { type: 'number', description: 'EDIFACT MOA 125.' },
      amount: { type: 'number', description: 'EDIFACT MOA 124/150/176.' },
    },
  },
  quantity: {
    type: 'object', additionalProperties: false, required: ['quantity'],
    properties: {
      type: { enum: ['onHand', 'available', 'committed', 'onOrder', 'inTransit', 'damaged', 'reserved', 'received', 'accepted', 'rejected', 'despatched', 'allocated', 'onHold', 'other'], description: 'What the quantity counts.' },
      code: { $ref: '#/definitions/text', description: 'Quantity qualifier as sent (EDIFACT QTY 6063, X12 QTY01/SDQ).' },
      quantity: { type: 'number' },
      unitOfMeasure: { $ref: '#/definitions/text', description: 'UN/ECE Recommendation 20 code (EDIFACT 6411) or X12 355 code.' },
      date: { $ref: '#/definitions/date' },
    },
  },
} as const;

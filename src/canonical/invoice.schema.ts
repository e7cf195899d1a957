/**
 * Canonical "invoice" (schemaVersion 1): a commercial invoice or credit note with its parties, lines,
 * taxes, allowances and charges and totals. From EDIFACT INVOIC or X12 810.
 */
import { SHARED_DEFINITIONS } from './definitions.js';

const line = {
  type: 'object', additionalProperties: false, required: ['quantity'],
  properties: {
    lineNumber: { $ref: '#/definitions/text', description: 'EDIFACT LIN 1082, X12 IT101.' },
    product: { $ref: '#/definitions/product' },
    quantity: { type: 'number', description: 'Invoiced quantity (EDIFACT QTY 47, X12 IT102).' },
    deliveredQuantity: { type: 'number', description: 'EDIFACT QTY 46.' },
    freeQuantity: { type: 'number', description: 'EDIFACT QTY 192.' },
    unitOfMeasure: { $ref: '#/definitions/text' },
    unitPrice: { type: 'number', description: 'Net unit price (EDIFACT PRI AAA, X12 IT104), else the gross price (PRI AAB).' },
    grossUnitPrice: { type: 'number', description: 'EDIFACT PRI AAB.' },
    netAmount: { type: 'number', description: 'Line amount (EDIFACT MOA 203, X12 IT102 x IT104).' },
    purchaseOrderNumber: { $ref: '#/definitions/text' },
    lot: { $ref: '#/definitions/text' },
    taxes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/tax' } },
    allowancesCharges: { type: 'array', minItems: 1, items: { $ref: '#/definitions/allowanceCharge' } },
  },
};

export const invoiceSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:invoice:1',
  title: 'Canonical invoice (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['invoiceNumber', 'invoiceDate', 'lines'],
  properties: {
    invoiceNumber: { $ref: '#/definitions/text', description: 'EDIFACT BGM 1004, X12 BIG02.' },
    invoiceDate: { $ref: '#/definitions/date', description: 'EDIFACT DTM 137, X12 BIG01.' },
    invoiceType: { $ref: '#/definitions/codeMeaning', description: 'EDIFACT BGM 1001 (380 commercial invoice, 381 credit note, 383 debit note), X12 BIG07.' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'EDIFACT BGM 1225 (9 original, 7 duplicate, 31 copy).' },
    currency: { $ref: '#/definitions/text', description: 'ISO 4217 (EDIFACT CUX, X12 CUR02).' },
    purchaseOrderNumber: { $ref: '#/definitions/text', description: 'EDIFACT RFF ON, X12 BIG04.' },
    despatchAdviceNumber: { $ref: '#/definitions/text', description: 'EDIFACT RFF DQ/AAK.' },
    taxPointDate: { $ref: '#/definitions/date', description: 'EDIFACT DTM 131.' },
    deliveryDate: { $ref: '#/definitions/date', description: 'EDIFACT DTM 35.' },
    shipDate: { $ref: '#/definitions/date', description: 'Date shipped (X12 DTM 011).' },
    dueDate: { $ref: '#/definitions/date', description: 'EDIFACT DTM 13, X12 ITD06.' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' } },
    paymentTerms: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: {
          typeCode: { $ref: '#/definitions/text', description: 'EDIFACT PAT 4279, X12 ITD01.' },
          description: { $ref: '#/definitions/text' },
          netDays: { type: 'number' }, dueDate: { $ref: '#/definitions/date' }, discountPercent: { type: 'number' },
          discountDays: { type: 'number', description: 'X12 ITD05.' },
          discountDueDate: { $ref: '#/definitions/date', description: 'X12 ITD04.' },
          discountAmount: { type: 'number', description: 'X12 ITD08 (N2).' },
        },
      },
    },
    allowancesCharges: { type: 'array', minItems: 1, items: { $ref: '#/definitions/allowanceCharge' } },
    taxes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/tax' }, description: 'Tax summary (EDIFACT TAX/MOA after UNS, X12 TXI).' },
    totals: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        lineTotal: { type: 'number', description: 'EDIFACT MOA 79 (or 203 summed).' },
        taxableAmount: { type: 'number', description: 'EDIFACT MOA 125.' },
        taxAmount: { type: 'number', description: 'EDIFACT MOA 176 or 124/150.' },
        allowanceTotal: { type: 'number', description: 'EDIFACT MOA 260.' },
        chargeTotal: { type: 'number', description: 'EDIFACT MOA 259.' },
        invoiceTotal: { type: 'number', description: 'EDIFACT MOA 77/86/39, X12 TDS01.' },
        prepaidAmount: { type: 'number', description: 'EDIFACT MOA 113.' },
        amountDue: { type: 'number', description: 'EDIFACT MOA 9.' },
        amountSubjectToDiscount: { type: 'number', description: 'X12 TDS02 (N2).' },
        discountedAmountDue: { type: 'number', description: 'Amount due when paid within the terms discount (X12 TDS03, N2).' },
        termsDiscountAmount: { type: 'number', description: 'X12 TDS04 (N2).' },
        lineCount: { type: 'number', description: 'X12 CTT01.' },
      },
    },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/text' }, description: 'EDIFACT FTX, X12 NTE.' },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/line' } },
    extensions: { type: 'object' },
  },
  definitions: { ...SHARED_DEFINITIONS, line },
} as const;

export const INVOICE_SCHEMA_VERSION = 1;

/**
 * Canonical "freight_invoice" (schemaVersion 1): a carrier's invoice for moving a shipment
 * (X12 210 Motor Carrier Freight Details and Invoice), read by the ERP's freight audit: invoice and
 * shipment numbers, parties, charge lines with rates, and the total that must equal the net amount
 * due. Amounts are in currency units (X12 N2 elements divided by 100). This is the `payload` of a
 * CanonicalMessage of type "freight_invoice".
 */
import { logisticsDefinitions } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;

/** JSON Schema (draft-07) of the canonical freight invoice payload. */
export const freightInvoiceSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:freight_invoice:1',
  title: 'Canonical freight invoice (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['invoiceNumber', 'invoiceDate', 'netAmountDue', 'charges'],
  properties: {
    invoiceNumber: { ...text, description: "The carrier's freight bill number (X12 B302)." },
    invoiceDate: { $ref: '#/definitions/date', description: 'Billing date (X12 B306).' },
    shipmentId: { ...text, description: "The shipper's shipment identification, e.g. the load tendered (X12 B303)." },
    scac: { ...text, description: 'Standard Carrier Alpha Code of the carrier billing (X12 B311).' },
    shipmentQualifier: { ...text, description: 'X12 B301.' },
    methodOfPayment: { $ref: '#/definitions/codeMeaning', description: 'E.g. PP prepaid, CC collect, TP third party (X12 B304, code list 146).' },
    weightUnitCode: { ...text, description: 'X12 B305.' },
    netAmountDue: { type: 'number', description: 'Net amount due in currency units (X12 B307, N2: 65940 is 659.40).' },
    correctionIndicator: { ...text, description: 'X12 B308.' },
    deliveryDate: { $ref: '#/definitions/date', description: 'X12 B309 (qualified by B310).' },
    deliveryDateQualifier: { ...text, description: 'X12 B310, e.g. 035 delivered.' },
    shipDate: { $ref: '#/definitions/date', description: 'X12 B312.' },
    currency: { ...text, description: 'ISO 4217 currency of the amounts (X12 C301).' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the heading (N904 date in the reference).' },
    dateTimes: { $ref: '#/definitions/dateTimes' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Shipper, consignee, bill-to, payer (X12 N1 loops).' },
    equipment: { type: 'array', minItems: 1, items: { $ref: '#/definitions/equipment' }, description: 'X12 N7.' },
    charges: { type: 'array', minItems: 1, items: { $ref: '#/definitions/chargeLine' }, description: 'Line items with their lading, quantities and charges (X12 LX loops), in the order sent.' },
    totals: { $ref: '#/definitions/totals' },
    extensions: { type: 'object' },
  },
  definitions: {
    ...logisticsDefinitions,
    reference: {
      type: 'object',
      additionalProperties: false,
      required: ['qualifier'],
      properties: {
        qualifier: { ...text, description: 'E.g. BM bill of lading, PO purchase order (X12 N901).' },
        value: { ...text, description: 'X12 N902.' },
        description: { ...text, description: 'X12 N903.' },
        date: { $ref: '#/definitions/date', description: 'X12 N904.' },
      },
    },
    equipment: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        equipmentInitial: { ...text, description: 'X12 N701.' },
        equipmentNumber: { ...text, description: 'X12 N702.' },
        weight: { type: 'number', description: 'X12 N703.' },
        weightQualifier: { ...text, description: 'X12 N704.' },
        equipmentDescriptionCode: { ...text, description: 'X12 N711.' },
      },
    },
    quantity: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        billedQuantity: { type: 'number', description: 'Billed/rated-as quantity (X12 L002).' },
        billedQuantityQualifier: { ...text, description: 'X12 L003.' },
        weight: { type: 'number', description: 'X12 L004.' },
        weightQualifier: { ...text, description: 'E.g. G gross, N net (X12 L005).' },
        volume: { type: 'number', description: 'X12 L006.' },
        volumeUnit: { ...text, description: 'X12 L007.' },
        ladingQuantity: { type: 'number', description: 'X12 L008.' },
        packagingCode: { ...text, description: 'E.g. PCS pieces, PLT pallets (X12 L009).' },
        weightUnit: { ...text, description: 'X12 L011.' },
      },
    },
    charge: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        freightRate: { type: 'number', description: 'X12 L102.' },
        rateQualifier: { ...text, description: 'E.g. PH per hundredweight, FR flat rate, PC per car (X12 L103, code list 122).' },
        amount: { type: 'number', description: 'Charge in currency units (X12 L104, N2: 363604 is 3636.04); negative for a discount.' },
        advances: { type: 'number', description: 'X12 L105 (N2).' },
        prepaidAmount: { type: 'number', description: 'X12 L106 (N2).' },
        specialChargeCode: { ...text, description: 'Accessorial or allowance, e.g. FUE fuel surcharge, DSC discount (X12 L108, code list 150).' },
        rateClassCode: { ...text, description: 'X12 L109.' },
        specialChargeDescription: { ...text, description: 'X12 L112.' },
      },
    },
    tariff: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        tariffAgencyCode: { ...text, description: 'X12 L702.' },
        tariffNumber: { ...text, description: 'X12 L703.' },
        tariffSection: { ...text, description: 'X12 L704.' },
        tariffItemNumber: { ...text, description: 'X12 L705.' },
        freightClass: { ...text, description: 'Freight class, e.g. 70 (X12 L707).' },
      },
    },
    chargeLine: {
      type: 'object',
      additionalProperties: false,
      required: ['position'],
      properties: {
        position: { type: 'integer', minimum: 1 },
        lineNumber: { ...text, description: 'X12 LX01.' },
        description: { ...text, description: 'Lading description (X12 L502).' },
        commodityCode: { ...text, description: 'X12 L503.' },
        commodityCodeQualifier: { ...text, description: 'X12 L504.' },
        packagingCode: { ...text, description: 'X12 L505.' },
        quantities: { type: 'array', minItems: 1, items: { $ref: '#/definitions/quantity' }, description: 'X12 L0 of the line.' },
        charges: { type: 'array', minItems: 1, items: { $ref: '#/definitions/charge' }, description: 'X12 L1 of the line.' },
        tariffs: { type: 'array', minItems: 1, items: { $ref: '#/definitions/tariff' }, description: 'X12 L7 of the line.' },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9 of the line.' },
      },
    },
    totals: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        weight: { type: 'number', description: 'X12 L301.' },
        weightQualifier: { ...text, description: 'X12 L302.' },
        freightRate: { type: 'number', description: 'X12 L303.' },
        rateQualifier: { ...text, description: 'X12 L304.' },
        charge: { type: 'number', description: 'Total charge in currency units (X12 L305, N2).' },
        advances: { type: 'number', description: 'X12 L306 (N2).' },
        prepaidAmount: { type: 'number', description: 'X12 L307 (N2).' },
        specialChargeCode: { ...text, description: 'X12 L308.' },
        volume: { type: 'number', description: 'X12 L309.' },
        volumeUnit: { ...text, description: 'X12 L310.' },
        ladingQuantity: { type: 'number', description: 'X12 L311.' },
        weightUnit: { ...text, description: 'X12 L312.' },
      },
    },
  },
} as const;

/** Schema version of the canonical freight invoice this file describes. */
export const FREIGHT_INVOICE_SCHEMA_VERSION = 1;

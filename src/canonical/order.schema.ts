/**
 * Canonical "order" (schemaVersion 1): a purchase order in business terms, whatever the partner
 * sent (X12 850, EDIFACT ORDERS, CSV). This is the `payload` of a CanonicalMessage of type "order".
 *
 * Rules shared by every field: optional fields are omitted when absent (never empty strings or
 * empty objects); dates are ISO-8601 calendar dates (YYYY-MM-DD); quantities, prices and amounts
 * are JSON numbers; codes are kept as sent (e.g. the X12 N101 entity code) next to their business
 * meaning. Unknown properties are rejected so a map's typo is caught; partner-specific data goes
 * under `extensions`.
 */

/** JSON Schema (draft-07) of the canonical order payload. */
export const orderSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:order:1',
  title: 'Canonical order (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['purchaseOrderNumber', 'orderDate', 'lines'],
  properties: {
    purchaseOrderNumber: { $ref: '#/definitions/text', description: "The buyer's purchase order number (X12 BEG03)." },
    orderDate: { $ref: '#/definitions/date', description: 'Date of the purchase order (X12 BEG05).' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'Purpose of the document, e.g. 00 Original, 01 Cancellation, 05 Replace (X12 BEG01, code list 353).' },
    orderType: { $ref: '#/definitions/codeMeaning', description: 'Type of order, e.g. SA Stand-alone Order, NE New Order, BK Blanket Order (X12 BEG02, code list 92).' },
    releaseNumber: { $ref: '#/definitions/text', description: 'Release number against a blanket order (X12 BEG04).' },
    contractNumber: { $ref: '#/definitions/text', description: 'Contract number (X12 BEG06).' },
    currency: { $ref: '#/definitions/text', description: 'ISO 4217 currency code of the prices (X12 CUR02).' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Buyer, ship-to, bill-to, vendor, ship-from and other parties (X12 N1 loops).' },
    contacts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/contact' }, description: 'Contacts for the whole order (X12 heading PER).' },
    dates: { $ref: '#/definitions/dates' },
    otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' }, description: 'Dates without a named field, by their qualifier (X12 DTM01).' },
    carriers: { type: 'array', minItems: 1, items: { $ref: '#/definitions/carrier' }, description: 'Carrier routing (X12 TD5).' },
    paymentTerms: { type: 'array', minItems: 1, items: { $ref: '#/definitions/paymentTerms' }, description: 'Terms of sale (X12 ITD).' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'Reference numbers (X12 REF and N9).' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' }, description: 'Free-form messages (X12 MSG/MTX in N9 loops, NTE).' },
    totals: { $ref: '#/definitions/totals' },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/line' }, description: 'Line items (X12 PO1 loops), in the order sent.' },
    extensions: { type: 'object', description: 'Partner-specific data a map adds; never used by the standard maps.' },
  },
  definitions: {
    text: { type: 'string', minLength: 1 },
    date: { type: 'string', format: 'date' },
    codeMeaning: {
      type: 'object',
      additionalProperties: false,
      required: ['code'],
      properties: {
        code: { $ref: '#/definitions/text', description: 'The code as sent.' },
        meaning: { $ref: '#/definitions/text', description: "The code's name when it is a known code." },
      },
    },
    identifier: {
      type: 'object',
      additionalProperties: false,
      required: ['qualifier', 'value'],
      properties: {
        qualifier: { $ref: '#/definitions/text', description: 'What kind of identifier, as sent (e.g. X12 N103, PO106).' },
        value: { $ref: '#/definitions/text' },
      },
    },
    reference: {
      type: 'object',
      additionalProperties: false,
      required: ['qualifier', 'value'],
      properties: {
        qualifier: { $ref: '#/definitions/text', description: 'Reference qualifier, e.g. DP department, IA vendor number (X12 REF01/N901).' },
        value: { $ref: '#/definitions/text', description: 'X12 REF02/N902 (REF03/N903 when no number is sent).' },
        description: { $ref: '#/definitions/text', description: 'X12 REF03/N903 when a number is sent too.' },
      },
    },
    address: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/text' }, description: 'Street lines (X12 N301, N302 of every N3).' },
        city: { $ref: '#/definitions/text', description: 'X12 N401.' },
        stateOrProvince: { $ref: '#/definitions/text', description: 'X12 N402.' },
        postalCode: { $ref: '#/definitions/text', description: 'X12 N403.' },
        country: { $ref: '#/definitions/text', description: 'X12 N404.' },
      },
    },
    contact: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        functionCode: { $ref: '#/definitions/text', description: 'Contact function, e.g. BD buyer, IC information contact (X12 PER01).' },
        name: { $ref: '#/definitions/text', description: 'X12 PER02.' },
        phone: { $ref: '#/definitions/text', description: 'First number qualified TE.' },
        fax: { $ref: '#/definitions/text', description: 'First number qualified FX.' },
        email: { $ref: '#/definitions/text', description: 'First number qualified EM.' },
        communications: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Other communication numbers (X12 PER03..PER08 pairs other than TE, FX, EM).' },
      },
    },
    party: {
      type: 'object',
      additionalProperties: false,
      required: ['role', 'entityCode'],
      properties: {
        role: { enum: ['buyer', 'shipTo', 'billTo', 'vendor', 'shipFrom', 'other'], description: 'Business role derived from the entity code (X12 N101: BY/OB buyer, ST shipTo, BT billTo, VN/SU/SE vendor, SF shipFrom).' },
        entityCode: { $ref: '#/definitions/text', description: 'Entity identifier code as sent (X12 N101).' },
        name: { $ref: '#/definitions/text', description: 'X12 N102.' },
        additionalNames: { type: 'array', minItems: 1, items: { $ref: '#/definitions/text' }, description: 'X12 N201, N202 of every N2.' },
        ids: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Party identifiers, e.g. 92 assigned by buyer, 9 DUNS+4, 1 DUNS (X12 N103/N104).' },
        address: { $ref: '#/definitions/address' },
        contacts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/contact' } },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
      },
    },
    dates: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description: 'Named dates (X12 DTM by qualifier, code list 374).',
      properties: {
        requestedDeliveryDate: { $ref: '#/definitions/date', description: 'DTM 002 Delivery Requested.' },
        requestedShipDate: { $ref: '#/definitions/date', description: 'DTM 010 Requested Ship.' },
        requestedPickupDate: { $ref: '#/definitions/date', description: 'DTM 118 Requested Pick-up.' },
        shipNotBefore: { $ref: '#/definitions/date', description: 'DTM 037 Ship Not Before.' },
        shipNoLater: { $ref: '#/definitions/date', description: 'DTM 038 Ship No Later.' },
        doNotDeliverBefore: { $ref: '#/definitions/date', description: 'DTM 064 Do Not Deliver Before.' },
        doNotDeliverAfter: { $ref: '#/definitions/date', description: 'DTM 063 Do Not Deliver After.' },
        requiredBy: { $ref: '#/definitions/date', description: 'DTM 106 Required By.' },
        cancelAfter: { $ref: '#/definitions/date', description: 'DTM 001 Cancel After.' },
        cancelIfNotShippedBy: { $ref: '#/definitions/date', description: 'DTM 175 Cancel if Not Shipped by.' },
        estimatedDeliveryDate: { $ref: '#/definitions/date', description: 'DTM 017 Estimated Delivery.' },
        scheduledShipDate: { $ref: '#/definitions/date', description: 'DTM 068 Current Schedule Ship.' },
        scheduledDeliveryDate: { $ref: '#/definitions/date', description: 'DTM 067 Current Schedule Delivery.' },
        effectiveDate: { $ref: '#/definitions/date', description: 'DTM 007 Effective.' },
        expirationDate: { $ref: '#/definitions/date', description: 'DTM 036 Expiration.' },
      },
    },
    otherDate: {
      type: 'object',
      additionalProperties: false,
      required: ['qualifier', 'date'],
      properties: {
        qualifier: { $ref: '#/definitions/text', description: 'X12 DTM01.' },
        date: { $ref: '#/definitions/date', description: 'X12 DTM02.' },
        time: { $ref: '#/definitions/text', description: 'X12 DTM03 as sent (HHMM[SS[d..]]).' },
      },
    },
    carrier: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        routingSequence: { $ref: '#/definitions/text', description: 'X12 TD501.' },
        scac: { $ref: '#/definitions/text', description: 'Standard Carrier Alpha Code (X12 TD503 when TD502 is 2).' },
        idQualifier: { $ref: '#/definitions/text', description: 'X12 TD502 when it is not 2 (SCAC).' },
        id: { $ref: '#/definitions/text', description: 'X12 TD503 when TD502 is not 2 (SCAC).' },
        transportationMethod: { $ref: '#/definitions/codeMeaning', description: 'X12 TD504, code list 91 (M motor, A air, H customer pickup...).' },
        routing: { $ref: '#/definitions/text', description: 'Free-form routing (X12 TD505).' },
        serviceLevel: { $ref: '#/definitions/text', description: 'Service level code (X12 TD512).' },
      },
    },
    paymentTerms: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        typeCode: { $ref: '#/definitions/text', description: 'Terms type code (X12 ITD01).' },
        basisDateCode: { $ref: '#/definitions/text', description: 'Terms basis date code (X12 ITD02).' },
        discountPercent: { type: 'number', description: 'X12 ITD03.' },
        discountDueDate: { $ref: '#/definitions/date', description: 'X12 ITD04.' },
        discountDaysDue: { type: 'number', description: 'X12 ITD05.' },
        netDueDate: { $ref: '#/definitions/date', description: 'X12 ITD06.' },
        netDays: { type: 'number', description: 'X12 ITD07.' },
        discountAmount: { type: 'number', description: 'X12 ITD08.' },
        description: { $ref: '#/definitions/text', description: 'X12 ITD12.' },
        dayOfMonth: { type: 'number', description: 'X12 ITD13.' },
      },
    },
    note: {
      type: 'object',
      additionalProperties: false,
      required: ['text'],
      properties: {
        qualifier: { $ref: '#/definitions/text', description: 'Reference qualifier of the enclosing N9, or the NTE/MTX reference code.' },
        text: { $ref: '#/definitions/text' },
      },
    },
    amount: {
      type: 'object',
      additionalProperties: false,
      required: ['qualifier', 'amount'],
      properties: {
        qualifier: { $ref: '#/definitions/text', description: 'Amount qualifier, e.g. TT total transaction amount, 1 line item total (X12 AMT01).' },
        amount: { type: 'number', description: 'X12 AMT02.' },
      },
    },
    totals: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        lineItemCount: { type: 'integer', minimum: 0, description: 'Number of line items the sender counted (X12 CTT01).' },
        hashTotal: { type: 'number', description: 'Sum of the quantities or other hash total (X12 CTT02).' },
        weight: { type: 'number', description: 'X12 CTT03.' },
        weightUnit: { $ref: '#/definitions/text', description: 'X12 CTT04.' },
        volume: { type: 'number', description: 'X12 CTT05.' },
        volumeUnit: { $ref: '#/definitions/text', description: 'X12 CTT06.' },
        amounts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/amount' }, description: 'Monetary totals (X12 AMT in the heading and the CTT loop).' },
      },
    },
    characteristic: {
      type: 'object',
      additionalProperties: false,
      required: ['text'],
      properties: {
        code: { $ref: '#/definitions/text', description: 'Product characteristic code, e.g. 73 color, 74 size, 75 buyer color (X12 PID02).' },
        text: { $ref: '#/definitions/text', description: 'X12 PID05.' },
      },
    },
    line: {
      type: 'object',
      additionalProperties: false,
      required: ['position'],
      properties: {
        position: { type: 'integer', minimum: 1, description: '1-based position of the line in the order, always present.' },
        lineNumber: { $ref: '#/definitions/text', description: "The sender's line number when sent (X12 PO101)." },
        quantity: { type: 'number', description: 'Quantity ordered (X12 PO102).' },
        unitOfMeasure: { $ref: '#/definitions/text', description: 'X12 PO103, code list 355 (EA each, CA case...).' },
        unitPrice: { type: 'number', description: 'X12 PO104.' },
        priceBasis: { $ref: '#/definitions/text', description: 'Basis of unit price code, e.g. PE per each, CA catalog (X12 PO105).' },
        buyerPartNumber: { $ref: '#/definitions/text', description: 'Product id qualified BP.' },
        buyerItemNumber: { $ref: '#/definitions/text', description: 'Product id qualified IN.' },
        vendorPartNumber: { $ref: '#/definitions/text', description: 'Product id qualified VP, else VN.' },
        gtin: { $ref: '#/definitions/text', description: 'Product id qualified UK (GTIN-14), else EN (EAN-13), else UA (case code).' },
        upc: { $ref: '#/definitions/text', description: 'Product id qualified UP (UPC-A / UCC-12).' },
        sku: { $ref: '#/definitions/text', description: 'Product id qualified SK.' },
        productIds: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Every product/service id pair as sent (X12 PO106/PO107 .. PO124/PO125), including those copied to named fields.' },
        description: { $ref: '#/definitions/text', description: 'Free-form description (X12 PID05 of PIDs without characteristic or with 08), joined with spaces.' },
        characteristics: { type: 'array', minItems: 1, items: { $ref: '#/definitions/characteristic' }, description: 'Other free-form PIDs (color, size...).' },
        dates: { $ref: '#/definitions/dates' },
        otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' } },
        parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: "The line's own parties, e.g. its ship-to (role shipTo) (X12 N1 loops inside the PO1 loop)." },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
        notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
        extensions: { type: 'object' },
      },
    },
  },
} as const;

/** A code as sent and its business meaning when known. */
export interface CodeMeaning {
  code: string;
  meaning?: string;
}

export interface Identifier {
  qualifier: string;
  value: string;
}

export interface OrderReference {
  qualifier: string;
  value: string;
  description?: string;
}

export interface OrderAddress {
  lines?: string[];
  city?: string;
  stateOrProvince?: string;
  postalCode?: string;
  country?: string;
}

export interface OrderContact {
  functionCode?: string;
  name?: string;
  phone?: string;
  fax?: string;
  email?: string;
  communications?: Identifier[];
}

export type PartyRole = 'buyer' | 'shipTo' | 'billTo' | 'vendor' | 'shipFrom' | 'other';

export interface OrderParty {
  role: PartyRole;
  entityCode: string;
  name?: string;
  additionalNames?: string[];
  ids?: Identifier[];
  address?: OrderAddress;
  contacts?: OrderContact[];
  references?: OrderReference[];
}

/** Named dates (ISO YYYY-MM-DD). */
export interface OrderDates {
  requestedDeliveryDate?: string;
  requestedShipDate?: string;
  requestedPickupDate?: string;
  shipNotBefore?: string;
  shipNoLater?: string;
  doNotDeliverBefore?: string;
  doNotDeliverAfter?: string;
  requiredBy?: string;
  cancelAfter?: string;
  cancelIfNotShippedBy?: string;
  estimatedDeliveryDate?: string;
  scheduledShipDate?: string;
  scheduledDeliveryDate?: string;
  effectiveDate?: string;
  expirationDate?: string;
}

export interface OrderOtherDate {
  qualifier: string;
  date: string;
  time?: string;
}

export interface OrderCarrier {
  routingSequence?: string;
  scac?: string;
  idQualifier?: string;
  id?: string;
  transportationMethod?: CodeMeaning;
  routing?: string;
  serviceLevel?: string;
}

export interface OrderPaymentTerms {
  typeCode?: string;
  basisDateCode?: string;
  discountPercent?: number;
  discountDueDate?: string;
  discountDaysDue?: number;
  netDueDate?: string;
  netDays?: number;
  discountAmount?: number;
  description?: string;
  dayOfMonth?: number;
}

export interface OrderNote {
  qualifier?: string;
  text: string;
}

export interface OrderAmount {
  qualifier: string;
  amount: number;
}

export interface OrderTotals {
  lineItemCount?: number;
  hashTotal?: number;
  weight?: number;
  weightUnit?: string;
  volume?: number;
  volumeUnit?: string;
  amounts?: OrderAmount[];
}

export interface OrderCharacteristic {
  code?: string;
  text: string;
}

export interface OrderLine {
  position: number;
  lineNumber?: string;
  quantity?: number;
  unitOfMeasure?: string;
  unitPrice?: number;
  priceBasis?: string;
  buyerPartNumber?: string;
  buyerItemNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  upc?: string;
  sku?: string;
  productIds?: Identifier[];
  description?: string;
  characteristics?: OrderCharacteristic[];
  dates?: OrderDates;
  otherDates?: OrderOtherDate[];
  parties?: OrderParty[];
  references?: OrderReference[];
  notes?: OrderNote[];
  extensions?: Record<string, unknown>;
}

/** The canonical order payload (matches `orderSchema`). */
export interface CanonicalOrder {
  purchaseOrderNumber: string;
  orderDate: string;
  purpose?: CodeMeaning;
  orderType?: CodeMeaning;
  releaseNumber?: string;
  contractNumber?: string;
  currency?: string;
  parties?: OrderParty[];
  contacts?: OrderContact[];
  dates?: OrderDates;
  otherDates?: OrderOtherDate[];
  carriers?: OrderCarrier[];
  paymentTerms?: OrderPaymentTerms[];
  references?: OrderReference[];
  notes?: OrderNote[];
  totals?: OrderTotals;
  lines: OrderLine[];
  extensions?: Record<string, unknown>;
}

/** Schema version of the canonical order this file describes. */
export const ORDER_SCHEMA_VERSION = 1;

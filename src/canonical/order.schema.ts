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
    acknowledgmentType: { $ref: '#/definitions/codeMeaning', description: 'Acknowledgment the buyer asks for, e.g. AC with detail and change, NA none needed (X12 BEG07, code list 587).' },
    currency: { $ref: '#/definitions/text', description: 'ISO 4217 currency code of the prices (X12 CUR02).' },
    salesRequirements: { type: 'array', minItems: 1, items: { $ref: '#/definitions/codeMeaning' }, description: 'Sales requirements, e.g. N no back order, SC ship complete (X12 CSH01, code list 563).' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Buyer, ship-to, bill-to, vendor, ship-from and other parties (X12 N1 loops).' },
    contacts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/contact' }, description: 'Contacts for the whole order (X12 heading PER).' },
    dates: { $ref: '#/definitions/dates' },
    otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' }, description: 'Dates without a named field, by their qualifier (X12 DTM01).' },
    carriers: { type: 'array', minItems: 1, items: { $ref: '#/definitions/carrier' }, description: 'Carrier routing (X12 TD5).' },
    paymentTerms: { type: 'array', minItems: 1, items: { $ref: '#/definitions/paymentTerms' }, description: 'Terms of sale (X12 ITD).' },
    shippingTerms: { type: 'array', minItems: 1, items: { $ref: '#/definitions/shippingTerms' }, description: 'F.O.B. related instructions: who pays the freight, where responsibility and title pass (X12 FOB).' },
    allowancesCharges: { type: 'array', minItems: 1, items: { $ref: '#/definitions/allowanceCharge' }, description: 'Allowances, charges and services of the whole order (X12 heading SAC).' },
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
        discountAmount: { type: 'number', description: 'X12 ITD08 (N2: sent with two implied decimals, 500 is 5.00).' },
        description: { $ref: '#/definitions/text', description: 'X12 ITD12.' },
        dayOfMonth: { type: 'number', description: 'X12 ITD13.' },
      },
    },
    shippingTerms: {
      type: 'object',
      additionalProperties: false,
      required: ['methodOfPayment'],
      properties: {
        methodOfPayment: { $ref: '#/definitions/codeMeaning', description: 'Who pays the carrier, e.g. PP prepaid by seller, CC collect, PB customer pick-up (X12 FOB01, code list 146).' },
        locationQualifier: { $ref: '#/definitions/text', description: 'Where transportation responsibility passes, e.g. OR origin, DE destination (X12 FOB02).' },
        location: { $ref: '#/definitions/text', description: 'X12 FOB03.' },
        transportationTermsQualifier: { $ref: '#/definitions/text', description: 'Source of the transportation terms, e.g. 01 Incoterms (X12 FOB04).' },
        transportationTerms: { $ref: '#/definitions/text', description: 'Trade terms, e.g. EXW, FOB, DDP (X12 FOB05).' },
        titlePassageLocationQualifier: { $ref: '#/definitions/text', description: 'Where title passes (X12 FOB06).' },
        titlePassageLocation: { $ref: '#/definitions/text', description: 'X12 FOB07.' },
        riskOfLossCode: { $ref: '#/definitions/text', description: 'Where responsibility for risk of loss passes (X12 FOB08).' },
        riskOfLossDescription: { $ref: '#/definitions/text', description: 'X12 FOB09.' },
      },
    },
    allowanceCharge: {
      type: 'object',
      additionalProperties: false,
      required: ['indicator'],
      properties: {
        indicator: { $ref: '#/definitions/codeMeaning', description: 'A allowance, C charge, N no allowance or charge, P promotion, S service... (X12 SAC01, code list 248).' },
        code: { $ref: '#/definitions/text', description: 'Service, promotion, allowance or charge code, e.g. F800 promotional allowance, D240 freight (X12 SAC02, code list 1300).' },
        agencyQualifier: { $ref: '#/definitions/text', description: 'Agency maintaining agencyCode, e.g. VI (VICS) (X12 SAC03).' },
        agencyCode: { $ref: '#/definitions/text', description: 'X12 SAC04.' },
        amount: { type: 'number', description: 'Total amount in the currency of the order (X12 SAC05, N2: sent with two implied decimals, 2000 is 20.00); takes precedence over percent and rate.' },
        percentQualifier: { $ref: '#/definitions/text', description: 'What the percent is applied to (X12 SAC06, code list 378).' },
        percent: { type: 'number', description: 'X12 SAC07.' },
        rate: { type: 'number', description: 'Rate per unit (X12 SAC08).' },
        unitOfMeasure: { $ref: '#/definitions/text', description: 'Unit of quantity (X12 SAC09).' },
        quantity: { type: 'number', description: 'Quantity basis when it differs from the ordered quantity (X12 SAC10).' },
        handlingCode: { $ref: '#/definitions/text', description: 'Method of handling, e.g. 02 off invoice, 06 charge to be paid by customer (X12 SAC12, code list 331).' },
        reference: { $ref: '#/definitions/text', description: 'X12 SAC13.' },
        description: { $ref: '#/definitions/text', description: 'X12 SAC15.' },
      },
    },
    pricing: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        classOfTrade: { $ref: '#/definitions/text', description: 'Class of trade, e.g. RS resale, WS wholesale (X12 CTP01).' },
        priceQualifier: { $ref: '#/definitions/text', description: 'Price identifier, e.g. RES resale, CON contract, CAT catalog (X12 CTP02, code list 236).' },
        unitPrice: { type: 'number', description: 'X12 CTP03.' },
        quantity: { type: 'number', description: 'Quantity the price applies from (X12 CTP04).' },
        unitOfMeasure: { $ref: '#/definitions/text', description: 'X12 CTP05 (its first component from 003070 on).' },
        multiplierQualifier: { $ref: '#/definitions/text', description: 'Type of price multiplier, e.g. DIS discount multiplier (X12 CTP06).' },
        multiplier: { type: 'number', description: 'E.g. 0.9 for a 10% discount (X12 CTP07).' },
        amount: { type: 'number', description: 'Monetary amount, e.g. the rebate amount (X12 CTP08).' },
        priceBasis: { $ref: '#/definitions/text', description: 'Basis of unit price code (X12 CTP09).' },
        conditionValue: { $ref: '#/definitions/text', description: 'X12 CTP10.' },
        multiplePriceQuantity: { type: 'number', description: 'Units for the price, e.g. 3 for $10.00 (X12 CTP11).' },
      },
    },
    pack: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        pack: { type: 'number', description: 'Inner containers (or eaches) per outer container (X12 PO401).' },
        size: { type: 'number', description: 'Size of the supplier units in the pack (X12 PO402).' },
        unitOfMeasure: { $ref: '#/definitions/text', description: 'Unit of size (X12 PO403).' },
        packagingCode: { $ref: '#/definitions/text', description: 'Packaging form and material, e.g. CTN25, PLT94 (X12 PO404).' },
        weightQualifier: { $ref: '#/definitions/text', description: 'X12 PO405.' },
        grossWeightPerPack: { type: 'number', description: 'X12 PO406.' },
        weightUnit: { $ref: '#/definitions/text', description: 'X12 PO407.' },
        grossVolumePerPack: { type: 'number', description: 'X12 PO408.' },
        volumeUnit: { $ref: '#/definitions/text', description: 'X12 PO409.' },
        length: { type: 'number', description: 'X12 PO410.' },
        width: { type: 'number', description: 'X12 PO411.' },
        height: { type: 'number', description: 'X12 PO412.' },
        dimensionUnit: { $ref: '#/definitions/text', description: 'Unit of length, width and height (X12 PO413).' },
        innerPack: { type: 'number', description: 'Eaches per inner container (X12 PO414).' },
      },
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        quantity: { type: 'number', description: 'Quantity of this delivery (X12 SCH01).' },
        unitOfMeasure: { $ref: '#/definitions/text', description: 'X12 SCH02.' },
        dates: { $ref: '#/definitions/dates', description: 'Named dates of SCH05/SCH06 and SCH08/SCH09 by qualifier, e.g. 002 requestedDeliveryDate, 010 requestedShipDate.' },
        otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' }, description: 'Dates of the schedule without a named field, with their time (SCH07, SCH10).' },
      },
    },
    subLine: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        lineId: { $ref: '#/definitions/text', description: 'X12 SLN01.' },
        parentLineId: { $ref: '#/definitions/text', description: 'X12 SLN02.' },
        relationshipCode: { $ref: '#/definitions/text', description: 'Relation to the line, e.g. I included, A added, S substituted (X12 SLN03).' },
        quantity: { type: 'number', description: 'X12 SLN04.' },
        unitOfMeasure: { $ref: '#/definitions/text', description: 'X12 SLN05 (its first component).' },
        unitPrice: { type: 'number', description: 'X12 SLN06.' },
        priceBasis: { $ref: '#/definitions/text', description: 'Basis of unit price code (X12 SLN07).' },
        buyerPartNumber: { $ref: '#/definitions/text', description: 'As for a line.' },
        buyerItemNumber: { $ref: '#/definitions/text', description: 'As for a line.' },
        vendorPartNumber: { $ref: '#/definitions/text', description: 'As for a line.' },
        gtin: { $ref: '#/definitions/text', description: 'As for a line.' },
        upc: { $ref: '#/definitions/text', description: 'As for a line.' },
        sku: { $ref: '#/definitions/text', description: 'As for a line.' },
        productIds: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Every product/service id pair as sent (X12 SLN09/SLN10 .. SLN27/SLN28).' },
        description: { $ref: '#/definitions/text', description: "The sub-line's own PID descriptions, as for a line." },
        characteristics: { type: 'array', minItems: 1, items: { $ref: '#/definitions/characteristic' } },
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
        buyerPartNumber: { $ref: '#/definitions/text', description: "Product id qualified BP, else CB (buyer's catalog number) when no IN is sent." },
        buyerItemNumber: { $ref: '#/definitions/text', description: 'Product id qualified IN.' },
        vendorPartNumber: { $ref: '#/definitions/text', description: "Product id qualified VP, else VN, else VC (vendor's catalog number)." },
        gtin: { $ref: '#/definitions/text', description: 'Product id qualified UK (GTIN-14), else EN (EAN-13), else UA (case code).' },
        upc: { $ref: '#/definitions/text', description: 'Product id qualified UP (UPC-A / UCC-12).' },
        sku: { $ref: '#/definitions/text', description: 'Product id qualified SK.' },
        productIds: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' }, description: 'Every product/service id pair as sent (X12 PO106/PO107 .. PO124/PO125), including those copied to named fields.' },
        description: { $ref: '#/definitions/text', description: 'Free-form description (X12 PID05 of PIDs without characteristic or with 08), joined with spaces.' },
        characteristics: { type: 'array', minItems: 1, items: { $ref: '#/definitions/characteristic' }, description: 'Other free-form PIDs (color, size...).' },
        pricing: { type: 'array', minItems: 1, items: { $ref: '#/definitions/pricing' }, description: 'Pricing information, e.g. retail price or discount multiplier (X12 CTP).' },
        pack: { $ref: '#/definitions/pack', description: 'Pack, size, packaging, weights and dimensions (X12 PO4, the first when several are sent).' },
        dates: { $ref: '#/definitions/dates' },
        otherDates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/otherDate' } },
        schedules: { type: 'array', minItems: 1, items: { $ref: '#/definitions/schedule' }, description: 'Delivery schedule: quantities by date (X12 SCH of the line).' },
        allowancesCharges: { type: 'array', minItems: 1, items: { $ref: '#/definitions/allowanceCharge' }, description: 'Allowances, charges and services of the line (X12 SAC of the line).' },
        parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: "The line's own parties, e.g. its ship-to (role shipTo) (X12 N1 loops inside the PO1 loop)." },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' } },
        notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
        subLines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/subLine' }, description: 'Components of the line, e.g. the items of an assortment (X12 SLN loops of the line).' },
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

export interface OrderShippingTerms {
  methodOfPayment: CodeMeaning;
  locationQualifier?: string;
  location?: string;
  transportationTermsQualifier?: string;
  transportationTerms?: string;
  titlePassageLocationQualifier?: string;
  titlePassageLocation?: string;
  riskOfLossCode?: string;
  riskOfLossDescription?: string;
}

export interface OrderAllowanceCharge {
  indicator: CodeMeaning;
  code?: string;
  agencyQualifier?: string;
  agencyCode?: string;
  /** In currency units (X12 SAC05 is sent with two implied decimals). */
  amount?: number;
  percentQualifier?: string;
  percent?: number;
  rate?: number;
  unitOfMeasure?: string;
  quantity?: number;
  handlingCode?: string;
  reference?: string;
  description?: string;
}

export interface OrderPricing {
  classOfTrade?: string;
  priceQualifier?: string;
  unitPrice?: number;
  quantity?: number;
  unitOfMeasure?: string;
  multiplierQualifier?: string;
  multiplier?: number;
  amount?: number;
  priceBasis?: string;
  conditionValue?: string;
  multiplePriceQuantity?: number;
}

export interface OrderPack {
  pack?: number;
  size?: number;
  unitOfMeasure?: string;
  packagingCode?: string;
  weightQualifier?: string;
  grossWeightPerPack?: number;
  weightUnit?: string;
  grossVolumePerPack?: number;
  volumeUnit?: string;
  length?: number;
  width?: number;
  height?: number;
  dimensionUnit?: string;
  innerPack?: number;
}

export interface OrderSchedule {
  quantity?: number;
  unitOfMeasure?: string;
  dates?: OrderDates;
  otherDates?: OrderOtherDate[];
}

export interface OrderSubLine {
  lineId?: string;
  parentLineId?: string;
  relationshipCode?: string;
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
  pricing?: OrderPricing[];
  pack?: OrderPack;
  dates?: OrderDates;
  otherDates?: OrderOtherDate[];
  schedules?: OrderSchedule[];
  allowancesCharges?: OrderAllowanceCharge[];
  parties?: OrderParty[];
  references?: OrderReference[];
  notes?: OrderNote[];
  subLines?: OrderSubLine[];
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
  acknowledgmentType?: CodeMeaning;
  currency?: string;
  salesRequirements?: CodeMeaning[];
  parties?: OrderParty[];
  contacts?: OrderContact[];
  dates?: OrderDates;
  otherDates?: OrderOtherDate[];
  carriers?: OrderCarrier[];
  paymentTerms?: OrderPaymentTerms[];
  shippingTerms?: OrderShippingTerms[];
  allowancesCharges?: OrderAllowanceCharge[];
  references?: OrderReference[];
  notes?: OrderNote[];
  totals?: OrderTotals;
  lines: OrderLine[];
  extensions?: Record<string, unknown>;
}

/** Schema version of the canonical order this file describes. */
export const ORDER_SCHEMA_VERSION = 1;

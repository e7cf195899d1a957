import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { CANONICAL_TYPES, canonicalTypeNames, orderSchema, validateCanonical, type CanonicalOrder } from '../../src/canonical/index.js';

/** A complete order using every field of the schema (typed: the TS type and the schema must agree). */
const full: CanonicalOrder = {
  purchaseOrderNumber: 'PO-1',
  orderDate: '2024-02-15',
  purpose: { code: '00', meaning: 'Original' },
  orderType: { code: 'SA', meaning: 'Stand-alone Order' },
  releaseNumber: 'R1',
  contractNumber: 'C1',
  acknowledgmentType: { code: 'AC', meaning: 'Acknowledge - With Detail and Change' },
  currency: 'USD',
  salesRequirements: [{ code: 'SC', meaning: 'Ship Complete' }],
  parties: [
    {
      role: 'shipTo',
      entityCode: 'ST',
      name: 'DC 12',
      additionalNames: ['DOCK 4'],
      ids: [{ qualifier: '92', value: '0012' }],
      address: { lines: ['1 MAIN ST'], city: 'TOWN', stateOrProvince: 'OH', postalCode: '44139', country: 'US' },
      contacts: [{ functionCode: 'BD', name: 'JO', phone: '555', fax: '556', email: 'jo@x.example', communications: [{ qualifier: 'EX', value: '12' }] }],
      references: [{ qualifier: 'DP', value: 'DP', description: 'DEPARTMENT 1' }],
    },
  ],
  contacts: [{ functionCode: 'BD', name: 'JO' }],
  dates: {
    requestedDeliveryDate: '2024-03-01', requestedShipDate: '2024-02-25', requestedPickupDate: '2024-02-24', shipNotBefore: '2024-02-20',
    shipNoLater: '2024-02-28', doNotDeliverBefore: '2024-02-29', doNotDeliverAfter: '2024-03-02', requiredBy: '2024-03-03',
    cancelAfter: '2024-03-10', cancelIfNotShippedBy: '2024-03-05', estimatedDeliveryDate: '2024-03-01', scheduledShipDate: '2024-02-26',
    scheduledDeliveryDate: '2024-03-01', effectiveDate: '2024-01-01', expirationDate: '2024-12-31',
  },
  otherDates: [{ qualifier: '196', date: '2024-02-15', time: '1200' }],
  carriers: [{ routingSequence: 'B', scac: 'ABCD', transportationMethod: { code: 'M', meaning: 'Motor (Common Carrier)' }, routing: 'GROUND', serviceLevel: 'ND' }],
  paymentTerms: [{ typeCode: '01', basisDateCode: '3', discountPercent: 2, discountDueDate: '2024-03-10', discountDaysDue: 10, netDueDate: '2024-03-30', netDays: 30, discountAmount: 5.5, description: '2% 10 NET 30', dayOfMonth: 15 }],
  shippingTerms: [{
    methodOfPayment: { code: 'CC', meaning: 'Collect' }, locationQualifier: 'OR', location: 'DOCK', transportationTermsQualifier: '01', transportationTerms: 'FCA',
    titlePassageLocationQualifier: 'DE', titlePassageLocation: 'STORE', riskOfLossCode: 'DE', riskOfLossDescription: 'AT DESTINATION',
  }],
  allowancesCharges: [{
    indicator: { code: 'C', meaning: 'Charge' }, code: 'D240', agencyQualifier: 'VI', agencyCode: 'FR', amount: 125.5, percentQualifier: '3', percent: 2.5, rate: 1.25,
    unitOfMeasure: 'EA', quantity: 100, handlingCode: '06', reference: 'R1', description: 'FREIGHT',
  }],
  references: [{ qualifier: 'DP', value: '038' }],
  notes: [{ qualifier: 'AH', text: 'hello' }, { text: 'plain' }],
  totals: { lineItemCount: 1, hashTotal: 5, weight: 10, weightUnit: 'LB', volume: 2, volumeUnit: 'CF', amounts: [{ qualifier: 'TT', amount: 47.5 }] },
  lines: [
    {
      position: 1, lineNumber: '1', quantity: 5, unitOfMeasure: 'EA', unitPrice: 9.5, priceBasis: 'PE',
      buyerPartNumber: 'BP1', buyerItemNumber: 'IN1', vendorPartNumber: 'VP1', gtin: '00012345678905', upc: '012345678905', sku: 'SK1',
      productIds: [{ qualifier: 'BP', value: 'BP1' }],
      description: 'WIDGET', characteristics: [{ code: '73', text: 'BLUE' }],
      pricing: [{
        classOfTrade: 'RS', priceQualifier: 'RES', unitPrice: 19.99, quantity: 1, unitOfMeasure: 'EA', multiplierQualifier: 'DIS', multiplier: 0.57,
        amount: 1.5, priceBasis: 'PE', conditionValue: 'X', multiplePriceQuantity: 3,
      }],
      pack: {
        pack: 12, size: 16, unitOfMeasure: 'OZ', packagingCode: 'CTN25', weightQualifier: 'G', grossWeightPerPack: 10.5, weightUnit: 'LB',
        grossVolumePerPack: 1.2, volumeUnit: 'CF', length: 12, width: 10, height: 8, dimensionUnit: 'IN', innerPack: 2,
      },
      dates: { requestedDeliveryDate: '2024-03-01' }, otherDates: [{ qualifier: '196', date: '2024-02-15' }],
      schedules: [{ quantity: 5, unitOfMeasure: 'EA', dates: { requestedDeliveryDate: '2024-03-01' }, otherDates: [{ qualifier: '196', date: '2024-03-02', time: '0800' }] }],
      allowancesCharges: [{ indicator: { code: 'A', meaning: 'Allowance' }, code: 'F800', amount: 4.2 }],
      parties: [{ role: 'shipTo', entityCode: 'ST', name: 'STORE 9' }],
      references: [{ qualifier: 'DP', value: '12' }], notes: [{ text: 'line note' }],
      subLines: [{
        lineId: '1', parentLineId: '0', relationshipCode: 'I', quantity: 4, unitOfMeasure: 'EA', unitPrice: 2, priceBasis: 'PE',
        buyerPartNumber: 'BP2', buyerItemNumber: 'IN2', vendorPartNumber: 'VC2', gtin: '00012345678912', upc: '012345678912', sku: 'SK2',
        productIds: [{ qualifier: 'CB', value: 'BP2' }], description: 'PART', characteristics: [{ code: '74', text: 'S' }],
      }],
      extensions: { bin: 'A1' },
    },
  ],
  extensions: { partnerField: 1 },
};

describe('canonical registry', () => {
  it('registers the order with its schema and version', () => {
    expect(canonicalTypeNames()).toContain('order');
    for (const t of ['order_change', 'order_ack', 'warehouse_order', 'inbound_advice', 'inventory_adjustment', 'load_tender', 'tender_response', 'freight_invoice']) {
      expect(canonicalTypeNames()).toContain(t);
    }
    expect(CANONICAL_TYPES.order!.schemaVersion).toBe(1);
    expect(CANONICAL_TYPES.order!.schema).toBe(orderSchema);
  });

  it('accepts a complete order and a minimal one', () => {
    expect(validateCanonical('order', full)).toEqual([]);
    expect(validateCanonical('order', { purchaseOrderNumber: 'X', orderDate: '2024-01-31', lines: [{ position: 1 }] })).toEqual([]);
  });

  it('reports every problem with its JSON pointer', () => {
    const errors = validateCanonical('order', {
      orderDate: '2024-02-30',
      purpose: { code: '' },
      parties: [{ role: 'seller', entityCode: 'SE' }],
      lines: [{ position: 1, quantity: '12', colour: 'red' }],
      dates: {},
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        '/purchaseOrderNumber is required',
        '/orderDate must match format "date"',
        '/purpose/code must NOT have fewer than 1 characters',
        '/parties/0/role must be one of "buyer", "shipTo", "billTo", "vendor", "shipFrom", "other"',
        '/lines/0/quantity must be number',
        '/lines/0 has unknown property "colour"',
        '/dates must NOT have fewer than 1 properties',
      ]),
    );
    expect(errors).toHaveLength(7);
  });

  it('requires the indicator of an allowance or charge and the method of payment of shipping terms', () => {
    const errors = validateCanonical('order', {
      purchaseOrderNumber: 'X', orderDate: '2024-01-31', shippingTerms: [{ location: 'DOCK' }],
      lines: [{ position: 1, allowancesCharges: [{ amount: 5 }], pack: {}, pricing: [{ unitPrice: '1' }] }],
    });
    expect(errors).toEqual(expect.arrayContaining([
      '/shippingTerms/0/methodOfPayment is required',
      '/lines/0/allowancesCharges/0/indicator is required',
      '/lines/0/pack must NOT have fewer than 1 properties',
      '/lines/0/pricing/0/unitPrice must be number',
    ]));
    expect(errors).toHaveLength(4);
  });

  it('rejects empty arrays and an order without lines', () => {
    const errors = validateCanonical('order', { purchaseOrderNumber: 'X', orderDate: '2024-01-31', lines: [], references: [] });
    expect(errors).toEqual(['/references must NOT have fewer than 1 items', '/lines must NOT have fewer than 1 items']);
  });

  it('throws EDIGATE_CANONICAL_INVALID for an unknown type', () => {
    let caught: unknown;
    try {
      validateCanonical('invoyce', {});
    } catch (err) {
      caught = err;
    }
    expect(isGatewayError(caught, 'EDIGATE_CANONICAL_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('unknown canonical message type "invoyce"');
  });
});

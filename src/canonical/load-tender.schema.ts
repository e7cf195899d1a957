/**
 * Canonical "load_tender" (schemaVersion 1): a shipper's offer of a load to a motor carrier
 * (X12 204 Motor Carrier Load Tender): the shipment, its stops in sequence with their parties,
 * dates, references and lading, and the totals. This is the `payload` of a CanonicalMessage of type
 * "load_tender".
 */
import { logisticsDefinitions } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;

/** JSON Schema (draft-07) of the canonical load tender payload. */
export const loadTenderSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:load_tender:1',
  title: 'Canonical load tender (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['shipmentId', 'stops'],
  properties: {
    shipmentId: { ...text, description: "The shipper's shipment (load) identification number (X12 B204)." },
    scac: { ...text, description: 'Standard Carrier Alpha Code of the carrier tendered (X12 B202).' },
    tariffServiceCode: { ...text, description: 'X12 B201.' },
    methodOfPayment: { $ref: '#/definitions/codeMeaning', description: 'Who pays the freight, e.g. PP prepaid, CC collect, TP third party (X12 B206, code list 146).' },
    purpose: { $ref: '#/definitions/codeMeaning', description: 'E.g. 00 Original, 01 Cancellation, 04 Change (X12 B2A01, code list 353).' },
    applicationType: { ...text, description: 'X12 B2A02 (code list 346), e.g. LT.' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 L11 of the heading (value L1101, qualifier L1102, description L1103).' },
    dateTimes: { $ref: '#/definitions/dateTimes' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' }, description: 'X12 NTE.' },
    parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Bill-to and other parties of the whole load (X12 heading N1 loops).' },
    equipment: { type: 'array', minItems: 1, items: { $ref: '#/definitions/equipment' }, description: 'X12 N7.' },
    stops: { type: 'array', minItems: 1, items: { $ref: '#/definitions/stop' }, description: 'Stops in sequence (X12 S5 loops).' },
    totals: { $ref: '#/definitions/totals' },
    extensions: { type: 'object' },
  },
  definitions: {
    ...logisticsDefinitions,
    equipment: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        equipmentInitial: { ...text, description: 'X12 N701.' },
        equipmentNumber: { ...text, description: 'X12 N702.' },
        equipmentDescriptionCode: { ...text, description: 'E.g. TL trailer, TV truck van (X12 N711, code list 40).' },
        length: { ...text, description: 'Equipment length as sent (X12 N715, feet and inches).' },
      },
    },
    lading: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        ladingLineNumber: { ...text, description: 'X12 L501.' },
        description: { ...text, description: 'X12 L502.' },
        commodityCode: { ...text, description: 'X12 L503.' },
        commodityCodeQualifier: { ...text, description: 'E.g. N NMFC, T STCC (X12 L504).' },
        packagingCode: { ...text, description: 'E.g. PLT pallet, ROL roll (X12 L505).' },
        marks: { ...text, description: 'Marks and numbers (X12 L506).' },
        marksQualifier: { ...text, description: 'X12 L507.' },
        weights: { type: 'array', minItems: 1, items: { $ref: '#/definitions/weight' }, description: 'X12 AT8 of the lading.' },
      },
    },
    stop: {
      type: 'object',
      additionalProperties: false,
      required: ['sequence', 'reason'],
      properties: {
        sequence: { type: 'integer', minimum: 0, description: 'Stop sequence number (X12 S501).' },
        reason: { $ref: '#/definitions/codeMeaning', description: 'E.g. CL complete load, CU complete unload, LD load, UL unload, PL part load, PU part unload (X12 S502, code list 163).' },
        weight: { type: 'number', description: 'X12 S503.' },
        weightUnit: { ...text, description: 'X12 S504.' },
        quantity: { type: 'number', description: 'X12 S505.' },
        unitOfMeasure: { ...text, description: 'X12 S506.' },
        volume: { type: 'number', description: 'X12 S507.' },
        volumeUnit: { ...text, description: 'X12 S508.' },
        description: { ...text, description: 'X12 S509.' },
        references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 L11 of the stop.' },
        dateTimes: { $ref: '#/definitions/dateTimes' },
        weights: { type: 'array', minItems: 1, items: { $ref: '#/definitions/weight' }, description: 'X12 AT8 of the stop.' },
        notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' } },
        parties: { type: 'array', minItems: 1, items: { $ref: '#/definitions/party' }, description: 'Ship-from, consignee... of the stop (X12 N1 loops in the S5 loop).' },
        lading: { type: 'array', minItems: 1, items: { $ref: '#/definitions/lading' }, description: 'X12 L5 loops of the stop.' },
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
        rateQualifier: { ...text, description: 'E.g. FR flat rate, PH per hundredweight (X12 L304, code list 122).' },
        charge: { type: 'number', description: 'Total charge in currency units (X12 L305, N2: 55721 is 557.21).' },
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

/** Schema version of the canonical load tender this file describes. */
export const LOAD_TENDER_SCHEMA_VERSION = 1;

/**
 * Canonical "tender_response" (schemaVersion 1): a carrier's answer to a load tender (X12 990
 * Response to a Load Tender): accepted or declined, with the reason when declined. This is the
 * `payload` of a CanonicalMessage of type "tender_response".
 */
import { logisticsDefinitions } from './logistics-definitions.js';

const text = { $ref: '#/definitions/text' } as const;

/** JSON Schema (draft-07) of the canonical tender response payload. */
export const tenderResponseSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:edigate:canonical:tender_response:1',
  title: 'Canonical tender response (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['scac', 'action'],
  properties: {
    scac: { ...text, description: 'Standard Carrier Alpha Code of the responding carrier (X12 B101).' },
    shipmentId: { ...text, description: 'Shipment identification number of the tender answered (X12 B102).' },
    responseDate: { $ref: '#/definitions/date', description: 'X12 B103.' },
    action: { $ref: '#/definitions/codeMeaning', description: 'Reservation action: A reservation accepted, D reservation cancelled (declined), R delete (X12 B104).' },
    accepted: { type: 'boolean', description: 'True when B104 is A, false when D; absent for other actions.' },
    declineReason: { $ref: '#/definitions/codeMeaning', description: 'Why the carrier declines the shipment (X12 B106, 005010 on).' },
    references: { type: 'array', minItems: 1, items: { $ref: '#/definitions/reference' }, description: 'X12 N9.' },
    notes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/note' }, description: 'X12 NTE.' },
    extensions: { type: 'object' },
  },
  definitions: { ...logisticsDefinitions },
} as const;

/** Schema version of the canonical tender response this file describes. */
export const TENDER_RESPONSE_SCHEMA_VERSION = 1;

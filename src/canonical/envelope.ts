/**
 * The canonical message envelope: what ERP and WMS receive (DESIGN.md "Canonical message").
 * `payload` is the business document produced by the partner's map and validated against
 * the JSON Schema of `type` (src/canonical/<type>.schema.ts).
 */
export interface CanonicalSource {
  standard: 'X12' | 'EDIFACT' | 'CSV';
  version: string;
  documentType: string;
  channel: string;
  interchangeControlNumber: string;
  groupControlNumber: string;
  transactionSetControlNumber: string;
  fileName: string;
  /** ISO-8601 UTC time the file was received. */
  receivedAt: string;
}

export interface CanonicalMessage<P = Record<string, unknown>> {
  id: string;
  type: string;
  schemaVersion: number;
  partnerId: string;
  correlationId: string;
  idempotencyKey: string;
  source: CanonicalSource;
  payload: P;
}

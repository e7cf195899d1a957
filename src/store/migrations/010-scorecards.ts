/**
 * Migration 010-scorecards: indexes the partner scorecards read (src/store/scorecards.ts), so every figure is a
 * range search on (partner, time) instead of a scan: documents we generated, deliveries and canonical messages by
 * partner and time (messages also by type); receipts by the shipment they answer (the canonical receipt's shipmentId,
 * read from the message body), for ASN timeliness.
 */
export const sql = `
  CREATE INDEX outbound_documents_partner_created ON outbound_documents(partner_id, created_at);
  CREATE INDEX deliveries_partner_created ON deliveries(partner_id, created_at);
  CREATE INDEX messages_partner_type_created ON messages(partner_id, type, created_at);
  CREATE INDEX messages_receipt_shipment ON messages(json_extract(body, '$.payload.shipmentId')) WHERE type = 'receipt';
`;

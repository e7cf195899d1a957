/**
 * Migration 007-outbound: documents we generate for partners from canonical messages the ERP or WMS posted
 * (POST /api/outbound), with their control numbers and the idempotency key that makes a retried post safe;
 * acknowledgements we expect from partners point at the document they answer.
 */
export const sql = `
  CREATE TABLE outbound_documents (
    id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    message_type TEXT NOT NULL,
    standard TEXT NOT NULL,
    document_type TEXT NOT NULL,
    functional_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    business_reference TEXT,
    interchange_control_number TEXT NOT NULL,
    group_control_number TEXT NOT NULL,
    transaction_set_control_number TEXT NOT NULL,
    file_name TEXT NOT NULL,
    transmission_id INTEGER REFERENCES transmissions(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (partner_id, idempotency_key)
  );
  CREATE INDEX outbound_documents_isa13 ON outbound_documents(partner_id, interchange_control_number);
  CREATE INDEX outbound_documents_gs06 ON outbound_documents(partner_id, functional_id, group_control_number);
  CREATE INDEX outbound_documents_reference ON outbound_documents(business_reference);
  ALTER TABLE acks ADD COLUMN outbound_document_id INTEGER REFERENCES outbound_documents(id);
  ALTER TABLE acks ADD COLUMN received_at TEXT;
  CREATE INDEX acks_outbound_document ON acks(outbound_document_id);
`;

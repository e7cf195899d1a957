/**
 * Migration 006-edifact-csv: EDIFACT and CSV intake. Interchanges, groups, transaction sets (messages,
 * CSV documents), findings and acks are shared with X12 (interchanges.standard tells them apart); an
 * inbound CONTRL is linked to the outbound acknowledgement it answers.
 */
export const sql = `
  ALTER TABLE acks ADD COLUMN answers_ack_id INTEGER;
  ALTER TABLE acks ADD COLUMN answered_status TEXT;
  ALTER TABLE acks ADD COLUMN answered_at TEXT;
  CREATE INDEX acks_control_reference ON acks(partner_id, kind, direction, interchange_control_number);
  CREATE INDEX interchanges_standard ON interchanges(standard, received_at);
`;

/**
 * Migration 011-resume-indexes: the columns a restart's clean-up of an interrupted file deletes by
 * (src/store/resume.ts) and foreign keys check against, so it does not scan the big tables once per row.
 */
export const sql = `
  CREATE INDEX IF NOT EXISTS messages_transaction_set ON messages(transaction_set_id);
  CREATE INDEX IF NOT EXISTS outbound_documents_transmission ON outbound_documents(transmission_id);
  CREATE INDEX IF NOT EXISTS deliveries_interchange ON deliveries(interchange_id);
  CREATE INDEX IF NOT EXISTS findings_transaction_set ON findings(transaction_set_id);
`;

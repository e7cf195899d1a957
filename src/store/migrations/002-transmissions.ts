/**
 * Migration 002-transmissions: files we send to partners (acknowledgements, outbound documents), one row per
 * file and channel, with its state: placed in the outbox folder and picked up, or queued, sent and receipted
 * over a sending channel (SFTP push, AS2).
 */
export const sql = `
  CREATE TABLE transmissions (
    id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    ack_id INTEGER REFERENCES acks(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at INTEGER NOT NULL,
    lease_until INTEGER,
    last_error TEXT,
    message_id TEXT,
    evidence TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    picked_up_at TEXT
  );
  CREATE INDEX transmissions_due ON transmissions(state, run_at);
  CREATE INDEX transmissions_partner ON transmissions(partner_id, created_at);
  CREATE INDEX transmissions_file ON transmissions(partner_id, file_name);
  CREATE INDEX transmissions_ack ON transmissions(ack_id);
  CREATE INDEX transmissions_message ON transmissions(message_id);
`;

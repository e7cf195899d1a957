/**
 * Migration 004-as2: AS2 messages in both directions (RFC 4130), one row per message: its Message-ID, partner,
 * the security applied, the MIC and its algorithm, the MDN asked for, sent or received (kept verbatim as
 * evidence), the disposition, and the intake file (inbound) or the transmission (outbound) it belongs to.
 * Inbound duplicates are found by (as2_from, message_id).
 */
export const sql = `
  CREATE TABLE as2_messages (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    message_id TEXT NOT NULL,
    partner_id TEXT,
    as2_from TEXT NOT NULL,
    as2_to TEXT NOT NULL,
    status TEXT NOT NULL,
    disposition TEXT,
    detail TEXT,
    signed INTEGER NOT NULL DEFAULT 0,
    encrypted INTEGER NOT NULL DEFAULT 0,
    compressed INTEGER NOT NULL DEFAULT 0,
    mic TEXT,
    mic_alg TEXT,
    mdn_mode TEXT NOT NULL DEFAULT 'none',
    mdn_signed INTEGER NOT NULL DEFAULT 0,
    mdn_url TEXT,
    mdn_state TEXT,
    mdn_attempts INTEGER NOT NULL DEFAULT 0,
    mdn_next_at INTEGER,
    mdn_due_at INTEGER,
    mdn_last_error TEXT,
    mdn TEXT,
    raw_sha256 TEXT,
    file_name TEXT,
    file_id INTEGER,
    transmission_id INTEGER,
    duplicate_of INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX as2_messages_message ON as2_messages(direction, message_id, as2_from);
  CREATE INDEX as2_messages_partner ON as2_messages(partner_id, created_at);
  CREATE INDEX as2_messages_status ON as2_messages(direction, status);
  CREATE INDEX as2_messages_mdn_state ON as2_messages(mdn_state, mdn_next_at);
  CREATE UNIQUE INDEX as2_messages_transmission ON as2_messages(transmission_id) WHERE transmission_id IS NOT NULL;
`;

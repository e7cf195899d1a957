/**
 * Migration 005-sftp: SFTP sessions on the hosted server (who logged in from where, what was uploaded), and
 * remote mode: the state of each partner's poller and every file fetched from a partner's server.
 */
export const sql = `
  CREATE TABLE sftp_sessions (
    id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    remote_address TEXT NOT NULL,
    auth_method TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    files_uploaded INTEGER NOT NULL DEFAULT 0,
    bytes_uploaded INTEGER NOT NULL DEFAULT 0,
    files_picked_up INTEGER NOT NULL DEFAULT 0,
    uploads_abandoned INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX sftp_sessions_partner ON sftp_sessions(partner_id, started_at);

  CREATE TABLE sftp_remote_status (
    partner_id TEXT PRIMARY KEY,
    last_poll_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    last_error_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0,
    files_fetched INTEGER NOT NULL DEFAULT 0,
    bytes_fetched INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE sftp_remote_fetches (
    id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    remote_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    file_id INTEGER REFERENCES files(id),
    fetched_at TEXT NOT NULL,
    disposition TEXT,
    disposed_at TEXT,
    error TEXT
  );
  CREATE INDEX sftp_remote_fetches_partner ON sftp_remote_fetches(partner_id, fetched_at);
`;

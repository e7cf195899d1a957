/** Migration 001: the foundation schema (files, interchanges, groups, sets, findings, messages, deliveries, acks, counters, audit). Never edit. */
export const sql = `
  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    channel TEXT NOT NULL,
    file_name TEXT NOT NULL,
    partner_hint TEXT,
    partner_id TEXT,
    format TEXT,
    status TEXT NOT NULL,
    duplicate_of INTEGER REFERENCES files(id),
    detail TEXT,
    correlation_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    processed_at TEXT
  );
  CREATE INDEX files_sha256 ON files(sha256);
  CREATE INDEX files_received ON files(received_at);
  CREATE INDEX files_partner ON files(partner_id, received_at);

  CREATE TABLE interchanges (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    partner_id TEXT,
    standard TEXT NOT NULL,
    sender_qualifier TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    receiver_qualifier TEXT NOT NULL,
    receiver_id TEXT NOT NULL,
    control_number TEXT NOT NULL,
    version TEXT,
    usage TEXT,
    ack_requested TEXT,
    interchange_date TEXT,
    interchange_time TEXT,
    status TEXT NOT NULL,
    ack_code TEXT,
    note_code TEXT,
    duplicate_of INTEGER REFERENCES interchanges(id),
    group_count INTEGER NOT NULL DEFAULT 0,
    set_count INTEGER NOT NULL DEFAULT 0,
    byte_start INTEGER NOT NULL,
    byte_end INTEGER NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX interchanges_control ON interchanges(sender_qualifier, sender_id, control_number);
  CREATE INDEX interchanges_partner ON interchanges(partner_id, received_at);
  CREATE INDEX interchanges_status ON interchanges(status, received_at);
  CREATE INDEX interchanges_file ON interchanges(file_id);
  CREATE INDEX interchanges_received ON interchanges(received_at);
  CREATE INDEX interchanges_control_number ON interchanges(ltrim(control_number, '0'));

  CREATE TABLE functional_groups (
    id INTEGER PRIMARY KEY,
    interchange_id INTEGER NOT NULL REFERENCES interchanges(id),
    functional_id TEXT NOT NULL,
    sender_code TEXT,
    receiver_code TEXT,
    control_number TEXT NOT NULL,
    version TEXT,
    group_date TEXT,
    group_time TEXT,
    declared_set_count TEXT,
    set_count INTEGER NOT NULL,
    accepted_count INTEGER NOT NULL,
    ack_code TEXT NOT NULL,
    byte_start INTEGER NOT NULL,
    byte_end INTEGER NOT NULL
  );
  CREATE INDEX groups_interchange ON functional_groups(interchange_id);
  CREATE INDEX groups_control ON functional_groups(ltrim(control_number, '0'));

  CREATE TABLE transaction_sets (
    id INTEGER PRIMARY KEY,
    interchange_id INTEGER NOT NULL REFERENCES interchanges(id),
    group_id INTEGER REFERENCES functional_groups(id),
    group_control_number TEXT NOT NULL,
    set_id TEXT NOT NULL,
    control_number TEXT NOT NULL,
    implementation_reference TEXT,
    position INTEGER NOT NULL,
    ack_code TEXT NOT NULL,
    segment_count INTEGER NOT NULL,
    business_reference TEXT,
    byte_start INTEGER NOT NULL,
    byte_end INTEGER NOT NULL
  );
  CREATE INDEX sets_interchange ON transaction_sets(interchange_id);
  CREATE INDEX sets_group ON transaction_sets(group_id);
  CREATE INDEX sets_control ON transaction_sets(ltrim(control_number, '0'));
  CREATE INDEX sets_business_reference ON transaction_sets(business_reference);

  CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    interchange_id INTEGER,
    group_control_number TEXT,
    transaction_set_id INTEGER,
    transaction_control_number TEXT,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    detail TEXT,
    byte_offset INTEGER
  );
  CREATE INDEX findings_file ON findings(file_id);
  CREATE INDEX findings_interchange ON findings(interchange_id);
  CREATE INDEX findings_code ON findings(code);

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    interchange_id INTEGER REFERENCES interchanges(id),
    transaction_set_id INTEGER REFERENCES transaction_sets(id),
    partner_id TEXT NOT NULL,
    type TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    business_reference TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX messages_interchange ON messages(interchange_id);
  CREATE INDEX messages_idempotency ON messages(idempotency_key);
  CREATE INDEX messages_business_reference ON messages(business_reference);

  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id),
    interchange_id INTEGER,
    partner_id TEXT,
    destination TEXT NOT NULL,
    message_type TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at INTEGER NOT NULL,
    locked_until INTEGER,
    last_error TEXT,
    last_error_code TEXT,
    last_status INTEGER,
    last_response TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    delivered_at TEXT
  );
  CREATE INDEX deliveries_ready ON deliveries(state, run_at);
  CREATE INDEX deliveries_ready_destination ON deliveries(destination, state, run_at);
  CREATE INDEX deliveries_interchange ON deliveries(interchange_id);
  CREATE INDEX deliveries_message ON deliveries(message_id);
  CREATE UNIQUE INDEX deliveries_message_destination ON deliveries(message_id, destination);

  CREATE TABLE acks (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    partner_id TEXT,
    interchange_id INTEGER REFERENCES interchanges(id),
    group_control_number TEXT,
    ack_code TEXT NOT NULL,
    status TEXT NOT NULL,
    interchange_control_number TEXT,
    group_control_number_sent TEXT,
    file_name TEXT,
    path TEXT,
    content TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX acks_interchange ON acks(interchange_id);
  CREATE INDEX acks_status ON acks(direction, status, created_at);
  CREATE INDEX acks_partner ON acks(partner_id, created_at);

  CREATE TABLE counters (
    partner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (partner_id, name)
  );

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
  );
  `;

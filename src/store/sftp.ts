/**
 * SFTP tables (migration 005-sftp): sessions on the hosted server, and remote-mode poll status and fetches.
 */
import type { Db } from './db.js';
import { isoNow } from './db.js';

/** One authenticated session on the hosted SFTP server. */
export interface SftpSessionRow {
  id: number;
  partnerId: string;
  userName: string;
  remoteAddress: string;
  authMethod: string;
  startedAt: string;
  endedAt: string | null;
  filesUploaded: number;
  bytesUploaded: number;
  filesPickedUp: number;
  uploadsAbandoned: number;
}

const SESSION_COLS = `id, partner_id AS partnerId, user_name AS userName, remote_address AS remoteAddress, auth_method AS authMethod,
  started_at AS startedAt, ended_at AS endedAt, files_uploaded AS filesUploaded, bytes_uploaded AS bytesUploaded,
  files_picked_up AS filesPickedUp, uploads_abandoned AS uploadsAbandoned`;

/** Records the start of a session; returns its id. */
export function insertSftpSession(db: Db, s: { partnerId: string; userName: string; remoteAddress: string; authMethod: string; now?: number }): number {
  return Number(db.prepare(`INSERT INTO sftp_sessions (partner_id, user_name, remote_address, auth_method, started_at) VALUES (?, ?, ?, ?, ?)`)
    .run(s.partnerId, s.userName, s.remoteAddress, s.authMethod, isoNow(s.now)).lastInsertRowid);
}

/** Adds to a session's counters (an upload closed, a file picked up, an upload abandoned). */
export function countSftpSession(db: Db, id: number, c: { filesUploaded?: number; bytesUploaded?: number; filesPickedUp?: number; uploadsAbandoned?: number }): void {
  db.prepare(`UPDATE sftp_sessions SET files_uploaded = files_uploaded + ?, bytes_uploaded = bytes_uploaded + ?, files_picked_up = files_picked_up + ?,
    uploads_abandoned = uploads_abandoned + ? WHERE id = ?`).run(c.filesUploaded ?? 0, c.bytesUploaded ?? 0, c.filesPickedUp ?? 0, c.uploadsAbandoned ?? 0, id);
}

/** Marks a session ended. */
export function endSftpSession(db: Db, id: number, now?: number): void {
  db.prepare(`UPDATE sftp_sessions SET ended_at = ? WHERE id = ?`).run(isoNow(now), id);
}

/** Sessions newest first, optionally of one partner. */
export function listSftpSessions(db: Db, f: { partnerId?: string; limit: number; offset: number }): { items: SftpSessionRow[]; total: number } {
  const w = f.partnerId ? 'WHERE partner_id = @partnerId' : '';
  const params = { partnerId: f.partnerId ?? null, limit: f.limit, offset: f.offset };
  const items = db.prepare(`SELECT ${SESSION_COLS} FROM sftp_sessions ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all(params) as SftpSessionRow[];
  const { n } = db.prepare(`SELECT count(*) AS n FROM sftp_sessions ${w}`).get(params) as { n: number };
  return { items, total: n };
}

/** State of one partner's remote poller. */
export interface SftpRemoteStatusRow {
  partnerId: string;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  polls: number;
  filesFetched: number;
  bytesFetched: number;
}

const STATUS_COLS = `partner_id AS partnerId, last_poll_at AS lastPollAt, last_success_at AS lastSuccessAt, last_error AS lastError,
  last_error_at AS lastErrorAt, consecutive_failures AS consecutiveFailures, polls, files_fetched AS filesFetched, bytes_fetched AS bytesFetched`;

/**
 * Records the outcome of one poll of a partner's server: `error` null for success; `files`/`bytes` fetched in it.
 */
export function recordRemotePoll(db: Db, partnerId: string, r: { error: string | null; files: number; bytes: number; now?: number }): void {
  const at = isoNow(r.now);
  db.prepare(`INSERT INTO sftp_remote_status (partner_id) VALUES (?) ON CONFLICT(partner_id) DO NOTHING`).run(partnerId);
  if (r.error === null) {
    db.prepare(`UPDATE sftp_remote_status SET last_poll_at = ?, last_success_at = ?, consecutive_failures = 0, polls = polls + 1,
      files_fetched = files_fetched + ?, bytes_fetched = bytes_fetched + ? WHERE partner_id = ?`).run(at, at, r.files, r.bytes, partnerId);
  } else {
    db.prepare(`UPDATE sftp_remote_status SET last_poll_at = ?, last_error = ?, last_error_at = ?, consecutive_failures = consecutive_failures + 1,
      polls = polls + 1, files_fetched = files_fetched + ?, bytes_fetched = bytes_fetched + ? WHERE partner_id = ?`).run(at, r.error.slice(0, 2000), at, r.files, r.bytes, partnerId);
  }
}

/** Poll status of every partner polled so far. */
export function listRemoteStatus(db: Db): SftpRemoteStatusRow[] {
  return db.prepare(`SELECT ${STATUS_COLS} FROM sftp_remote_status ORDER BY partner_id`).all() as SftpRemoteStatusRow[];
}

/** One file fetched from a partner's server. */
export interface SftpRemoteFetchRow {
  id: number;
  partnerId: string;
  remotePath: string;
  size: number;
  fileId: number | null;
  fetchedAt: string;
  /** `deleted` or `moved:<path>` once done remotely; null while pending or when it failed (see error). */
  disposition: string | null;
  disposedAt: string | null;
  error: string | null;
}

const FETCH_COLS = `id, partner_id AS partnerId, remote_path AS remotePath, size, file_id AS fileId, fetched_at AS fetchedAt,
  disposition, disposed_at AS disposedAt, error`;

/** Records a fetched file once its bytes are archived and recorded; returns the row id. */
export function insertRemoteFetch(db: Db, f: { partnerId: string; remotePath: string; size: number; now?: number }): number {
  return Number(db.prepare(`INSERT INTO sftp_remote_fetches (partner_id, remote_path, size, fetched_at) VALUES (?, ?, ?, ?)`)
    .run(f.partnerId, f.remotePath, f.size, isoNow(f.now)).lastInsertRowid);
}

/** Sets what happened to a fetched file remotely (`deleted`, `moved:<path>`) or the error that left it in place. */
export function disposeRemoteFetch(db: Db, id: number, r: { disposition: string | null; error?: string | null; now?: number }): void {
  db.prepare(`UPDATE sftp_remote_fetches SET disposition = ?, disposed_at = CASE WHEN ? IS NULL THEN NULL ELSE ? END, error = ? WHERE id = ?`)
    .run(r.disposition, r.disposition, isoNow(r.now), r.error ?? null, id);
}

/** Links a fetch to the file row intake created for it. */
export function linkRemoteFetch(db: Db, id: number, fileId: number): void {
  db.prepare(`UPDATE sftp_remote_fetches SET file_id = ? WHERE id = ?`).run(fileId, id);
}

/** Fetches newest first, optionally of one partner. */
export function listRemoteFetches(db: Db, f: { partnerId?: string; limit: number }): SftpRemoteFetchRow[] {
  const w = f.partnerId ? 'WHERE partner_id = @partnerId' : '';
  return db.prepare(`SELECT ${FETCH_COLS} FROM sftp_remote_fetches ${w} ORDER BY id DESC LIMIT @limit`).all({ partnerId: f.partnerId ?? null, limit: f.limit }) as SftpRemoteFetchRow[];
}

/** Transmissions of channel `sftp` (uploads to partners' servers) by partner and state. */
export function sftpTransmissionCounts(db: Db): Array<{ partnerId: string; state: string; count: number }> {
  return db.prepare(`SELECT partner_id AS partnerId, state, count(*) AS count FROM transmissions WHERE channel = 'sftp' GROUP BY partner_id, state`).all() as Array<{ partnerId: string; state: string; count: number }>;
}

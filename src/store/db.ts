import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GatewayError } from '../errors.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;


/**
 * Opens (creating when missing) the SQLite store at `path` in WAL mode and applies pending migrations.
 * `path` may be ':memory:' for tests of a single module.
 * Throws GatewayError EDIGATE_STORE_FAILED when the file cannot be opened or migrated.
 */
export function openDatabase(path: string): Db {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError('EDIGATE_STORE_FAILED', `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  // Stores created before named migrations recorded only PRAGMA user_version (1 = the foundation).
  if ((db.pragma('user_version', { simple: true }) as number) >= 1) {
    db.prepare('INSERT OR IGNORE INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(MIGRATIONS[0]!.id, isoNow());
  }
  const applied = new Set((db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: string }>).map((r) => r.id));
  for (const m of MIGRATIONS) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      if (m.sql.trim()) db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, isoNow());
    })();
  }
}

/** ISO-8601 timestamp in UTC with milliseconds, as stored in every *_at column. */
export function isoNow(now: number = Date.now()): string {
  return new Date(now).toISOString();
}

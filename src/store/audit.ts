import type { Db } from './db.js';

/** Operator and system actions (table `audit`): who did what, when, to what. */
export function auditRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO audit (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail)`);
  return {
    record(entry: { at: string; actor: string; action: string; target?: string | null; detail?: unknown }): void {
      insert.run({ at: entry.at, actor: entry.actor, action: entry.action, target: entry.target ?? null, detail: entry.detail === undefined ? null : JSON.stringify(entry.detail) });
    },
  };
}

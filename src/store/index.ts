import { openDatabase, type Db } from './db.js';
import { filesRepo } from './files.js';
import { interchangesRepo } from './interchanges.js';
import { transactionsRepo } from './transactions.js';
import { findingsRepo } from './findings.js';
import { messagesRepo } from './messages.js';
import { acksRepo } from './acks.js';
import { countersRepo } from './counters.js';
import { auditRepo } from './audit.js';

/** The gateway's SQLite store: one connection, one repository per table. */
export interface Store {
  db: Db;
  files: ReturnType<typeof filesRepo>;
  interchanges: ReturnType<typeof interchangesRepo>;
  transactions: ReturnType<typeof transactionsRepo>;
  findings: ReturnType<typeof findingsRepo>;
  messages: ReturnType<typeof messagesRepo>;
  acks: ReturnType<typeof acksRepo>;
  counters: ReturnType<typeof countersRepo>;
  audit: ReturnType<typeof auditRepo>;
  close(): void;
}

/**
 * Opens the store at `path` (creating and migrating it).
 * @throws GatewayError EDIGATE_STORE_FAILED
 */
export function openStore(path: string): Store {
  const db = openDatabase(path);
  return {
    db,
    files: filesRepo(db),
    interchanges: interchangesRepo(db),
    transactions: transactionsRepo(db),
    findings: findingsRepo(db),
    messages: messagesRepo(db),
    acks: acksRepo(db),
    counters: countersRepo(db),
    audit: auditRepo(db),
    close: () => { if (db.open) db.close(); },
  };
}

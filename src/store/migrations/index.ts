import { sql as foundation } from './001-foundation.js';
import { sql as transmissions } from './002-transmissions.js';
import { sql as delivery } from './003-delivery.js';
import { sql as as2 } from './004-as2.js';
import { sql as sftp } from './005-sftp.js';
import { sql as edifactCsv } from './006-edifact-csv.js';
import { sql as outbound } from './007-outbound.js';
import { sql as duplicates } from './008-duplicates.js';
import { sql as ackLedger } from './009-ack-ledger.js';
import { sql as scorecards } from './010-scorecards.js';
import { sql as resumeIndexes } from './011-resume-indexes.js';

/**
 * Schema migrations, applied in this order; table `schema_migrations` records which ran (by id).
 * Append new ones in their own file; never edit one that has been released.
 */
export const MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  { id: '001-foundation', sql: foundation },
  { id: '002-transmissions', sql: transmissions },
  { id: '003-delivery', sql: delivery },
  { id: '004-as2', sql: as2 },
  { id: '005-sftp', sql: sftp },
  { id: '006-edifact-csv', sql: edifactCsv },
  { id: '007-outbound', sql: outbound },
  { id: '008-duplicates', sql: duplicates },
  { id: '009-ack-ledger', sql: ackLedger },
  { id: '010-scorecards', sql: scorecards },
  { id: '011-resume-indexes', sql: resumeIndexes },
];

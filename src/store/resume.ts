import type { Db } from './db.js';

/**
 * Removes what an interrupted run of a file wrote before it stopped (interchanges, groups, sets, findings,
 * messages, held deliveries, acknowledgements and their transmissions), so the file can be processed again from
 * the archive. Nothing of it was released: deliveries stay held and acknowledgement files are only placed when
 * the file is finished, in the same transaction (src/pipeline.ts).
 */
export function discardPartialRecords(db: Db, fileId: number): void {
  db.transaction(() => {
    const inFile = 'SELECT id FROM interchanges WHERE file_id = @fileId';
    db.prepare(`DELETE FROM deliveries WHERE interchange_id IN (${inFile})`).run({ fileId });
    db.prepare(`DELETE FROM messages WHERE interchange_id IN (${inFile})`).run({ fileId });
    db.prepare(`DELETE FROM transmissions WHERE ack_id IN (SELECT id FROM acks WHERE interchange_id IN (${inFile}))`).run({ fileId });
    db.prepare(`DELETE FROM acks WHERE interchange_id IN (${inFile})`).run({ fileId });
    db.prepare(`DELETE FROM findings WHERE file_id = @fileId`).run({ fileId });
    db.prepare(`DELETE FROM transaction_sets WHERE interchange_id IN (${inFile})`).run({ fileId });
    db.prepare(`DELETE FROM functional_groups WHERE interchange_id IN (${inFile})`).run({ fileId });
    db.prepare(`DELETE FROM interchanges WHERE file_id = @fileId`).run({ fileId });
  })();
}

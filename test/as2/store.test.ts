/**
 * AS2 message records: duplicate detection by (AS2-From, Message-ID), and messages interrupted by a stop.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { getAs2Message, insertInboundOnce, settleInterruptedInbound, updateAs2Message } from '../../src/store/as2.js';

describe('as2_messages', () => {
  it('a message interrupted before intake becomes error, so the resend is processed rather than a duplicate', () => {
    const store = openStore(join(mkdtempSync(join(tmpdir(), 'edigate-as2-store-')), 'db.sqlite'));
    const m = { messageId: '<m1@p>', partnerId: 'p', as2From: 'P', as2To: 'US' };
    const first = insertInboundOnce(store.db, m);
    expect(first.duplicateOf).toBeNull();
    expect(insertInboundOnce(store.db, m).duplicateOf).toBe(first.id); // still being received: a duplicate
    const other = insertInboundOnce(store.db, { ...m, messageId: '<m2@p>' });
    updateAs2Message(store.db, other.id, { fileId: 7 });
    expect(settleInterruptedInbound(store.db)).toBe(2);
    expect(getAs2Message(store.db, first.id)).toMatchObject({ status: 'error' });
    expect(getAs2Message(store.db, other.id)).toMatchObject({ status: 'processed', fileId: 7 });
    expect(insertInboundOnce(store.db, m).duplicateOf).toBeNull();
    expect(insertInboundOnce(store.db, { ...m, messageId: '<m2@p>' }).duplicateOf).toBe(other.id);
    expect(insertInboundOnce(store.db, { ...m, as2From: 'SOMEONE ELSE' }).duplicateOf).toBeNull();
    store.close();
  });
});

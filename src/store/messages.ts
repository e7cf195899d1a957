import type { Db } from './db.js';

export interface MessageRow {
  id: string;
  interchangeId: number | null;
  transactionSetId: number | null;
  partnerId: string;
  type: string;
  idempotencyKey: string;
  correlationId: string;
  businessReference: string | null;
  body: string;
  createdAt: string;
  /** Message type + business reference + revision (src/validation/duplicates.ts businessKeyOf); null when there is no reference. */
  businessKey?: string | null;
  /** Id of the message this one repeats (a flagged business duplicate). */
  duplicateOf?: string | null;
}

/** Canonical messages (table `messages`); `body` is the canonical JSON exactly as delivered. */
export function messagesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO messages (id, interchange_id, transaction_set_id, partner_id, type, idempotency_key, correlation_id,
    business_reference, body, created_at, business_key, duplicate_of) VALUES (@id, @interchangeId, @transactionSetId, @partnerId, @type, @idempotencyKey, @correlationId,
    @businessReference, @body, @createdAt, @businessKey, @duplicateOf)`);
  const cols = `id, interchange_id AS interchangeId, transaction_set_id AS transactionSetId, partner_id AS partnerId, type,
    idempotency_key AS idempotencyKey, correlation_id AS correlationId, business_reference AS businessReference, body, created_at AS createdAt,
    business_key AS businessKey, duplicate_of AS duplicateOf`;
  const ofInterchange = db.prepare(`SELECT ${cols} FROM messages WHERE interchange_id = ? ORDER BY created_at, id`);
  const byId = db.prepare(`SELECT ${cols} FROM messages WHERE id = ?`);
  const byBusinessKey = db.prepare(`SELECT ${cols} FROM messages WHERE partner_id = ? AND business_key = ? AND id <> ? ORDER BY created_at, rowid LIMIT 1`);
  return {
    insert(row: MessageRow): void {
      insert.run({ ...row, businessKey: row.businessKey ?? null, duplicateOf: row.duplicateOf ?? null });
    },
    /** The first message of `partnerId` with this business key (a business document received before), except `exceptId`. */
    firstWithBusinessKey(partnerId: string, businessKey: string, exceptId: string): MessageRow | undefined {
      return byBusinessKey.get(partnerId, businessKey, exceptId) as MessageRow | undefined;
    },
    ofInterchange(id: number): MessageRow[] {
      return ofInterchange.all(id) as MessageRow[];
    },
    get(id: string): MessageRow | undefined {
      return byId.get(id) as MessageRow | undefined;
    },
  };
}
export type MessagesRepo = ReturnType<typeof messagesRepo>;

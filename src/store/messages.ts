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
}

/** Canonical messages (table `messages`); `body` is the canonical JSON exactly as delivered. */
export function messagesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO messages (id, interchange_id, transaction_set_id, partner_id, type, idempotency_key, correlation_id,
    business_reference, body, created_at) VALUES (@id, @interchangeId, @transactionSetId, @partnerId, @type, @idempotencyKey, @correlationId,
    @businessReference, @body, @createdAt)`);
  const cols = `id, interchange_id AS interchangeId, transaction_set_id AS transactionSetId, partner_id AS partnerId, type,
    idempotency_key AS idempotencyKey, correlation_id AS correlationId, business_reference AS businessReference, body, created_at AS createdAt`;
  const ofInterchange = db.prepare(`SELECT ${cols} FROM messages WHERE interchange_id = ? ORDER BY created_at, id`);
  const byId = db.prepare(`SELECT ${cols} FROM messages WHERE id = ?`);
  return {
    insert(row: MessageRow): void {
      insert.run(row);
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

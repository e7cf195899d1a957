import type { Db } from './db.js';
import type { AckStatus } from './acks.js';

/** An outbound acknowledgement found by the control reference a partner's CONTRL quotes. */
export interface AnsweredAck {
  id: number;
  kind: string;
  interchangeId: number | null;
  status: string;
}

/**
 * The CONTRL side of the acknowledgement ledger (table `acks`, columns of migration 006):
 * an inbound CONTRL is recorded as an inbound row linked (answers_ack_id) to the acknowledgement or
 * document we sent with the UNB 0020 it quotes, and that row gets the answer's status.
 */
export function contrlLedger(db: Db) {
  const findOutbound = db.prepare(`SELECT id, kind, interchange_id AS interchangeId, status FROM acks
    WHERE partner_id = ? AND direction = 'outbound' AND interchange_control_number = ? AND kind IN ('CONTRL') ORDER BY id DESC LIMIT 1`);
  const insertInbound = db.prepare(`INSERT INTO acks (direction, kind, partner_id, interchange_id, group_control_number, ack_code, status,
    interchange_control_number, group_control_number_sent, file_name, path, content, created_at, answers_ack_id)
    VALUES ('inbound', 'CONTRL', @partnerId, @interchangeId, NULL, @ackCode, @status, @controlReference, @messageReference, @fileName, NULL, @content, @createdAt, @answersAckId)`);
  const markAnswered = db.prepare(`UPDATE acks SET answered_status = ?, answered_at = ? WHERE id = ?`);
  return {
    /** The latest outbound EDIFACT acknowledgement to `partnerId` whose UNB 0020 is `controlReference`. */
    findSent(partnerId: string, controlReference: string): AnsweredAck | undefined {
      return findOutbound.get(partnerId, controlReference) as AnsweredAck | undefined;
    },
    /** Records a partner's CONTRL (UCI action as ack code) and marks what it answers; returns the row id. */
    recordReceived(row: { partnerId: string; interchangeId: number; ackCode: string; status: AckStatus; controlReference: string; messageReference: string;
      fileName: string; content: string | null; createdAt: string; answersAckId: number | null }): number {
      const id = Number(insertInbound.run(row).lastInsertRowid);
      if (row.answersAckId !== null) markAnswered.run(row.status, row.createdAt, row.answersAckId);
      return id;
    },
  };
}

import type { Db } from './db.js';

export interface GroupRow {
  id: number;
  interchangeId: number;
  functionalId: string;
  senderCode: string | null;
  receiverCode: string | null;
  controlNumber: string;
  version: string | null;
  groupDate: string | null;
  groupTime: string | null;
  declaredSetCount: string | null;
  setCount: number;
  acceptedCount: number;
  ackCode: string;
  byteStart: number;
  byteEnd: number;
}

export interface TransactionSetRow {
  id: number;
  interchangeId: number;
  groupId: number | null;
  groupControlNumber: string;
  setId: string;
  controlNumber: string;
  implementationReference: string | null;
  position: number;
  ackCode: string;
  segmentCount: number;
  businessReference: string | null;
  byteStart: number;
  byteEnd: number;
}

/** Functional groups (table `functional_groups`) and transaction sets (table `transaction_sets`). */
export function transactionsRepo(db: Db) {
  const insertGroup = db.prepare(`INSERT INTO functional_groups (interchange_id, functional_id, sender_code, receiver_code, control_number, version,
    group_date, group_time, declared_set_count, set_count, accepted_count, ack_code, byte_start, byte_end)
    VALUES (@interchangeId, @functionalId, @senderCode, @receiverCode, @controlNumber, @version, @groupDate, @groupTime, @declaredSetCount,
    @setCount, @acceptedCount, @ackCode, @byteStart, @byteEnd)`);
  const linkSets = db.prepare(`UPDATE transaction_sets SET group_id = ? WHERE interchange_id = ? AND group_control_number = ? AND group_id IS NULL`);
  const insertSet = db.prepare(`INSERT INTO transaction_sets (interchange_id, group_id, group_control_number, set_id, control_number,
    implementation_reference, position, ack_code, segment_count, business_reference, byte_start, byte_end)
    VALUES (@interchangeId, NULL, @groupControlNumber, @setId, @controlNumber, @implementationReference, @position, @ackCode, @segmentCount,
    @businessReference, @byteStart, @byteEnd)`);
  const setAck = db.prepare(`UPDATE transaction_sets SET ack_code = ? WHERE id = ?`);
  const groupsOf = db.prepare(`SELECT id, interchange_id AS interchangeId, functional_id AS functionalId, sender_code AS senderCode,
    receiver_code AS receiverCode, control_number AS controlNumber, version, group_date AS groupDate, group_time AS groupTime,
    declared_set_count AS declaredSetCount, set_count AS setCount, accepted_count AS acceptedCount, ack_code AS ackCode,
    byte_start AS byteStart, byte_end AS byteEnd FROM functional_groups WHERE interchange_id = ? ORDER BY id`);
  const setsOf = db.prepare(`SELECT id, interchange_id AS interchangeId, group_id AS groupId, group_control_number AS groupControlNumber,
    set_id AS setId, control_number AS controlNumber, implementation_reference AS implementationReference, position, ack_code AS ackCode,
    segment_count AS segmentCount, business_reference AS businessReference, byte_start AS byteStart, byte_end AS byteEnd
    FROM transaction_sets WHERE interchange_id = ? ORDER BY id`);
  return {
    /** Records a group after its trailer and links the sets already recorded under its GS06. */
    insertGroup(row: Omit<GroupRow, 'id'>): number {
      const id = Number(insertGroup.run(row).lastInsertRowid);
      linkSets.run(id, row.interchangeId, row.controlNumber);
      return id;
    },
    insertSet(row: Omit<TransactionSetRow, 'id' | 'groupId'>): number {
      return Number(insertSet.run(row).lastInsertRowid);
    },
    setAckCode(id: number, ackCode: string): void {
      setAck.run(ackCode, id);
    },
    groupsOf(interchangeId: number): GroupRow[] {
      return groupsOf.all(interchangeId) as GroupRow[];
    },
    setsOf(interchangeId: number): TransactionSetRow[] {
      return setsOf.all(interchangeId) as TransactionSetRow[];
    },
  };
}
export type TransactionsRepo = ReturnType<typeof transactionsRepo>;

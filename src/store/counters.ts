import type { Db } from './db.js';

/**
 * Per-partner control number counters (table `counters`), e.g. our ISA13 and GS06 for the
 * acknowledgements we send. Values run 1..max and wrap to 1 (X12: ISA13 is 9 digits, GS06 up to 9).
 * Call inside a transaction so a number is never handed out twice, across restarts too.
 */
export function countersRepo(db: Db) {
  const bump = db.prepare(`INSERT INTO counters (partner_id, name, value) VALUES (@partnerId, @name, 1)
    ON CONFLICT (partner_id, name) DO UPDATE SET value = CASE WHEN value >= @max THEN 1 ELSE value + 1 END
    RETURNING value`);
  return {
    /** Next value of a counter (1 on first use). */
    next(partnerId: string, name: string, max = 999_999_999): number {
      return (bump.get({ partnerId, name, max }) as { value: number }).value;
    },
  };
}
export type CountersRepo = ReturnType<typeof countersRepo>;

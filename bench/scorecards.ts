/**
 * Partner scorecard latency (bench stage `scorecards`): a store holding a year of history for one partner
 * (BENCH_SCORECARD_FILES_PER_DAY files a day, default 60, each an interchange of two sets with its 997, a canonical
 * message and a delivery; 8 documents sent a day with the partner's 997s; ship notices with warehouse receipts,
 * orders and invoices) among four other partners of the same size, then buildScorecard over the whole year, timed
 * five times (the first run is cold). Target: under one second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const src = async <T>(m: string): Promise<T> => (await import(pathToFileURL(join(ROOT, 'src', m)).href)) as T;

export async function scorecardsBench(): Promise<Record<string, unknown>> {
  const perDay = Number(process.env.BENCH_SCORECARD_FILES_PER_DAY ?? 60);
  const { openStore } = await src<typeof import('../src/store/index.js')>('store/index.js');
  const { buildScorecard, parsePeriod } = await src<typeof import('../src/scorecards/index.js')>('scorecards/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'edigate-bench-scorecards-'));
  const store = openStore(join(dir, 'edigate.db'));
  const db = store.db;
  const partners = ['p0', 'p1', 'p2', 'p3', 'p4'];
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  const t0 = performance.now();
  const file = db.prepare(`INSERT INTO files (sha256, size, channel, file_name, partner_id, format, status, correlation_id, received_at, processed_at)
    VALUES (?, 1000, 'sftp', ?, ?, 'x12', ?, 'c', ?, ?)`);
  const ic = db.prepare(`INSERT INTO interchanges (file_id, partner_id, standard, sender_qualifier, sender_id, receiver_qualifier, receiver_id, control_number, status, byte_start, byte_end, received_at)
    VALUES (?, ?, 'X12', 'ZZ', ?, 'ZZ', 'US', ?, ?, 0, 1000, ?)`);
  const grp = db.prepare(`INSERT INTO functional_groups (interchange_id, functional_id, control_number, set_count, accepted_count, ack_code, byte_start, byte_end) VALUES (?, 'PO', ?, 2, 2, ?, 0, 900)`);
  const set = db.prepare(`INSERT INTO transaction_sets (interchange_id, group_id, group_control_number, set_id, control_number, position, ack_code, segment_count, byte_start, byte_end)
    VALUES (?, ?, ?, ?, ?, ?, ?, 20, 0, 400)`);
  const finding = db.prepare(`INSERT INTO findings (file_id, interchange_id, transaction_set_id, code, severity, level, message) VALUES (?, ?, ?, ?, ?, 'transaction', 'm')`);
  const msg = db.prepare(`INSERT INTO messages (id, interchange_id, transaction_set_id, partner_id, type, idempotency_key, correlation_id, business_reference, body, created_at)
    VALUES (?, ?, ?, ?, ?, ?, 'c', ?, ?, ?)`);
  const del = db.prepare(`INSERT INTO deliveries (message_id, interchange_id, partner_id, destination, message_type, state, max_attempts, run_at, created_at, updated_at)
    VALUES (?, ?, ?, 'erp', ?, ?, 8, 0, ?, ?)`);
  const ack = db.prepare(`INSERT INTO acks (direction, kind, partner_id, interchange_id, group_control_number, ack_code, status, file_name, created_at) VALUES ('outbound', '997', ?, ?, ?, 'A', 'accepted', ?, ?)`);
  const tx = db.prepare(`INSERT INTO transmissions (partner_id, channel, kind, ack_id, file_name, sha256, size, state, run_at, created_at) VALUES (?, 'outbox', ?, ?, ?, 's', 100, ?, 0, ?)`);
  const out = db.prepare(`INSERT INTO outbound_documents (partner_id, message_type, standard, document_type, functional_id, idempotency_key, request_sha256, interchange_control_number,
    group_control_number, transaction_set_control_number, file_name, body, created_at) VALUES (?, 'shipment', 'X12', '856', 'SH', ?, 'r', ?, ?, '0001', ?, 'x', ?)`);
  const expected = db.prepare(`INSERT INTO acks (direction, kind, partner_id, ack_code, status, interchange_control_number, created_at, outbound_document_id, received_at)
    VALUES ('inbound', '997', ?, 'A', ?, ?, ?, ?, ?)`);
  let n = 0;
  let rows = 0;
  for (let day = 0; day < 365; day++) {
    db.transaction(() => {
      for (const p of partners) {
        for (let k = 0; k < perDay; k++) {
          n++;
          const at = start + day * 86_400_000 + k * 60_000;
          const status = n % 50 === 0 ? 'rejected' : 'accepted';
          const fid = Number(file.run(`h${n}`, `f${n}.edi`, p, status, iso(at), iso(at + 5000)).lastInsertRowid);
          const iid = Number(ic.run(fid, p, p, String(n), status, iso(at)).lastInsertRowid);
          const gid = Number(grp.run(iid, String(n), status === 'rejected' ? 'R' : 'A').lastInsertRowid);
          const kind = ['850', '856', '810'][n % 3]!;
          const type = kind === '850' ? 'order' : kind === '856' ? 'shipment' : 'invoice';
          for (let pos = 1; pos <= 2; pos++) {
            const sid = Number(set.run(iid, gid, String(n), kind, String(pos), pos, status === 'rejected' ? 'R' : 'A').lastInsertRowid);
            if (status === 'rejected') finding.run(fid, iid, sid, 'X12_ELEMENT_INVALID', 'error');
            if (n % 97 === 0) finding.run(fid, iid, sid, 'BUSINESS_DOCUMENT_DUPLICATE', 'warning');
            if (pos === 2 || status === 'rejected') continue;
            const po = `PO${Math.floor(n / 3)}`;
            const payload = type === 'order' ? { purchaseOrderNumber: po, lines: [{ lineNumber: '1', quantity: 10, unitPrice: 2.5, gtin: `0${n}` }] }
              : type === 'shipment' ? { shipmentId: `S${n}`, orders: [{ purchaseOrderNumber: po }] }
                : { invoiceNumber: `I${n}`, purchaseOrderNumber: `PO${Math.floor(n / 3) - 1}`, lines: [{ quantity: 10, unitPrice: 2.5, product: { gtin: `0${n}` } }] };
            const mid = `m${n}`;
            msg.run(mid, iid, sid, p, type, `k${n}`, type === 'shipment' ? `S${n}` : type === 'invoice' ? `I${n}` : po, JSON.stringify({ id: mid, type, payload }), iso(at));
            del.run(mid, iid, p, type, n % 40 === 0 ? 'dead' : 'delivered', iso(at), iso(at));
            if (type === 'shipment') {
              const rid = `r${n}`;
              msg.run(rid, null, null, 'warehouse', 'receipt', `kr${n}`, po, JSON.stringify({ id: rid, type: 'receipt', payload: { receiptNumber: `R${n}`, shipmentId: `S${n}`, purchaseOrderNumber: po, receiptDate: iso(at + 86_400_000).slice(0, 10), lines: [] } }), iso(at + 86_400_000));
            }
          }
          const aid = Number(ack.run(p, iid, String(n), `997_${n}.x12`, iso(at + 60_000)).lastInsertRowid);
          tx.run(p, '997', aid, `997_${n}.x12`, n % 3 ? 'picked_up' : 'placed', iso(at + 60_000));
          rows += 12;
        }
        for (let k = 0; k < 8; k++) {
          n++;
          const at = start + day * 86_400_000 + k * 3_600_000;
          const did = Number(out.run(p, `o${n}`, String(n), String(n), `856_${n}.x12`, iso(at)).lastInsertRowid);
          const got = n % 10 !== 0;
          expected.run(p, got ? 'accepted' : 'pending', String(n), iso(at), did, got ? iso(at + (n % 7) * 1_800_000) : null);
          tx.run(p, '856', null, `856_${n}.x12`, 'placed', iso(at));
        }
      }
    })();
  }
  db.exec('ANALYZE');
  if (process.env.BENCH_SCORECARD_CACHE_KB) db.pragma(`cache_size = -${Number(process.env.BENCH_SCORECARD_CACHE_KB)}`);
  const loadSeconds = (performance.now() - t0) / 1000;
  const period = parsePeriod({ from: '2025-01-01', to: '2025-12-31' }, new Date('2026-01-01T00:00:00Z'));
  const times: number[] = [];
  let card: ReturnType<typeof buildScorecard> | undefined;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    card = buildScorecard(db, { id: 'p0', name: 'P0' }, period, new Date('2026-01-01T00:00:00Z'));
    times.push((performance.now() - t) / 1000);
  }
  if (process.env.BENCH_SCORECARD_DETAIL) {
    const q = await src<typeof import('../src/store/scorecards.js')>('store/scorecards.js');
    const r = { partnerId: 'p0', from: period.from, to: period.to };
    for (const [name, fn] of Object.entries({
      files: () => q.filesByDay(db, r), sets: () => q.setsByDay(db, r), errors: () => q.errorCodes(db, r, 5), dups: () => q.duplicatesByDay(db, r),
      tx: () => q.transmissionsByDay(db, r), out: () => q.outboundWithAcks(db, r), ours: () => q.ourAcks(db, r), del: () => q.deliveriesByDay(db, r),
      ship: () => q.messagesOfType(db, r, 'shipment'), inv: () => q.messagesOfType(db, r, 'invoice'),
      rcptById: () => q.receiptsByShipmentId(db, Array.from({ length: 7000 }, (_v, i) => `S${i * 3}`)),
      rcptByPo: () => q.messagesByReference(db, 'receipt', Array.from({ length: 7000 }, (_v, i) => `PO${i}`)),
      ordByPo: () => q.messagesByReference(db, 'order', Array.from({ length: 7000 }, (_v, i) => `PO${i}`)),
    })) { const t = performance.now(); fn(); console.error(name, ((performance.now() - t) / 1000).toFixed(3)); }
  }
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const sorted = [...times].sort((a, b) => a - b);
  const problems: string[] = [];
  if (times[0]! >= 1) problems.push(`cold scorecard took ${times[0]!.toFixed(3)} s (target < 1 s)`);
  return {
    problems, partners: partners.length, filesPerPartner: (card?.received.files ?? 0), setsPerPartner: card?.received.transactionSets, rowsLoaded: rows, loadSeconds,
    coldSeconds: times[0], medianSeconds: sorted[2], weeks: card?.weekly.length, asns: card?.asnTimeliness.shipments, invoices: card?.invoiceMatch.invoices,
  };
}

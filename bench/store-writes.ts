/**
 * The store writes of the inbound path alone: `npx tsx bench/store-writes.ts [sets] [variant...]`.
 *
 * Per transaction set the pipeline inserts a transaction_sets row, a messages row (the canonical JSON,
 * about 4.4 KB for a ten-line 850) and a held deliveries row, in one transaction per 256 KiB chunk of the
 * file (about 230 sets), then releases the deliveries at the end. This replays that with the store's own
 * repositories on a fresh database, so the cost of the schema and its settings can be compared:
 *   as-is                 the store as opened by the gateway
 *   no-fk                 foreign_keys = OFF
 *   no-dup-index          without deliveries_message (its column leads the unique deliveries_message_destination)
 *   checkpoint-at-end     wal_autocheckpoint = 0 and one checkpoint after the last commit (counted)
 *   sync-off              synchronous = OFF (what the fsyncs cost; not a setting to ship)
 * Figures vary with the host and its load; compare variants of one run only.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, createHash } from 'node:crypto';
import { openStore } from '../src/store/index.js';
import { enqueueDelivery, releaseHeld } from '../src/store/deliveries.js';

const sets = Number(process.argv[2] ?? 45_000);
const variants = process.argv.slice(3);
if (variants.length === 0) variants.push('as-is', 'no-fk', 'no-dup-index', 'checkpoint-at-end', 'sync-off');
const PER_TX = 230;

/** A canonical message body shaped like the ten-line 850 order (about 4.4 KB of JSON). */
function body(i: number, id: string, key: string): string {
  const lines = Array.from({ length: 10 }, (_, l) => ({
    position: l + 1, lineNumber: String(l + 1), quantity: (l + 1) * 12, unitOfMeasure: 'EA', unitPrice: (l + 1) * 1.25, priceBasis: 'PE',
    buyerPartNumber: `BUYER-${l + 1}`, vendorPartNumber: `SKU-${l + 1}-${i % 13}`, upc: `0${12345678900 + l + 1}`,
    productIds: [{ qualifier: 'UP', value: `0${12345678900 + l + 1}` }, { qualifier: 'VN', value: `SKU-${l + 1}-${i % 13}` }, { qualifier: 'BP', value: `BUYER-${l + 1}` }],
    description: `ITEM NUMBER ${l + 1} DESCRIPTION`,
  }));
  return JSON.stringify({
    id, type: 'order', schemaVersion: 1, partnerId: 'bench', correlationId: 'c', idempotencyKey: key,
    source: { standard: 'X12', version: '004010', documentType: '850', channel: 'bench', interchangeControlNumber: '000000001', groupControlNumber: '1', transactionSetControlNumber: String(i).padStart(4, '0'), fileName: 'x.x12', receivedAt: new Date().toISOString() },
    payload: {
      purchaseOrderNumber: `PO1-${i}`, orderDate: '2026-01-01', purpose: { code: '00', meaning: 'Original' }, orderType: { code: 'SA', meaning: 'Stand-alone Order' },
      parties: [{ role: 'shipTo', entityCode: 'ST', name: `BENCH STORE ${i % 97}`, ids: [{ qualifier: '92', value: String(1000 + (i % 97)) }], address: { lines: ['100 MAIN STREET'], city: 'SPRINGFIELD', stateOrProvince: 'IL', postalCode: '62701', country: 'US' } }],
      dates: { requestedDeliveryDate: '2026-01-15' }, references: [{ qualifier: 'DP', value: '042' }], totals: { lineItemCount: 10 }, lines,
    },
  });
}

function run(variant: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'edigate-store-bench-'));
  const store = openStore(join(dir, 'edigate.db'));
  const db = store.db;
  if (variant === 'no-fk') db.pragma('foreign_keys = OFF');
  if (variant === 'no-dup-index') db.exec('DROP INDEX deliveries_message');
  if (variant === 'checkpoint-at-end') db.pragma('wal_autocheckpoint = 0');
  if (variant === 'sync-off') db.pragma('synchronous = OFF');
  const fileId = store.files.insert({ sha256: 'x', size: 0, channel: 'bench', fileName: 'x.x12', partnerHint: null, correlationId: 'c', receivedAt: new Date().toISOString() });
  const now = Date.now();
  const bodies = Array.from({ length: 64 }, (_, i) => body(i, randomUUID(), 'k'));
  let interchangeId = 0;
  const t0 = performance.now();
  for (let start = 0; start < sets; start += PER_TX) {
    db.transaction(() => {
      for (let i = start; i < Math.min(sets, start + PER_TX); i++) {
        if (i % 1000 === 0) {
          interchangeId = store.interchanges.insert({
            fileId, partnerId: 'bench', standard: 'X12', senderQualifier: 'ZZ', senderId: 'BENCHSENDER', receiverQualifier: 'ZZ', receiverId: 'EDIGATE',
            controlNumber: String(i / 1000 + 1).padStart(9, '0'), version: '00401', usage: 'P', ackRequested: '0', interchangeDate: '260101', interchangeTime: '1200',
            duplicateOf: null, byteStart: 0, receivedAt: new Date(now).toISOString(),
          });
        }
        const setRowId = store.transactions.insertSet({
          interchangeId, groupControlNumber: '1', setId: '850', controlNumber: String(i % 1000 + 1).padStart(4, '0'), implementationReference: null,
          position: i % 1000 + 1, ackCode: 'A', segmentCount: 29, businessReference: `PO1-${i}`, byteStart: i * 1130, byteEnd: i * 1130 + 1130,
        });
        const id = randomUUID();
        const key = createHash('sha256').update(`bench|${i}`).digest('hex');
        store.messages.insert({
          id, interchangeId, transactionSetId: setRowId, partnerId: 'bench', type: 'order', idempotencyKey: key, correlationId: 'c',
          businessReference: `PO1-${i}`, body: bodies[i % bodies.length]!, createdAt: new Date(now).toISOString(),
        });
        enqueueDelivery(db, { messageId: id, interchangeId, partnerId: 'bench', destination: 'erp', messageType: 'order', maxAttempts: 8, state: 'held', now });
      }
    })();
  }
  db.transaction(() => { for (let ic = 1; ic <= interchangeId; ic++) releaseHeld(db, ic, now); })();
  if (variant === 'checkpoint-at-end') db.pragma('wal_checkpoint(TRUNCATE)');
  const s = (performance.now() - t0) / 1000;
  const size = statSync(join(dir, 'edigate.db')).size;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`${variant.padEnd(18)} ${sets} sets in ${s.toFixed(2)} s = ${Math.round(sets / s)} sets/s, ${((s / sets) * 1e6).toFixed(0)} µs per set, database ${(size / 1e6).toFixed(0)} MB`);
}

for (const v of variants) run(v);

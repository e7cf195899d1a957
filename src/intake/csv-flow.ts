/**
 * The CSV path of the inbound pipeline, for a file that came through the channel of a partner with a
 * CSV map (partners/<id>.yaml `csv.map`): the file is read with the map's settings (csv-parse), its rows
 * grouped into documents, each mapped to a canonical message and enqueued HELD.
 *
 * In the store the file is one interchange (standard CSV, sender = the partner id, control number =
 * the file id) and each document one transaction set (set id = the map's documentType, control number =
 * the group key, segment count = its rows). A bad row is a finding with its line number. With
 * `csv.badRows: reject-file` one bad row rejects the whole file (nothing is delivered); with
 * `accept-good-rows` the other rows go on and the file is accepted with errors. No acknowledgement is
 * sent for CSV; the outcome is in the ops API.
 */
import { createReadStream } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import type { Finding } from '../validation/finding.js';
import { makeFinding } from '../validation/codes.js';
import { CsvReader, buildCsvMapInput, type CsvDocument } from '../formats/csv/reader.js';
import type { CanonicalMessage } from '../canonical/envelope.js';
import { enqueueDelivery, releaseHeldForFile, cancelHeld } from '../store/deliveries.js';
import type { InterchangeStatus } from '../store/interchanges.js';
import { isoNow } from '../store/db.js';
import { GatewayError } from '../errors.js';
import { businessReferenceOf, noteFinding, SUMMARY_LIST_MAX, type FlowContext } from './flow-context.js';

const CHUNK_SIZE = 256 * 1024;

/**
 * Processes an archived CSV file of `ctx.file.partnerHint`'s partner (see the module comment).
 * @returns the file summary; bad rows are findings, never exceptions.
 * @throws GatewayError EDIGATE_STOPPING when the gateway stops mid-file.
 */
export async function runCsvFlow(ctx: FlowContext): Promise<ReturnType<FlowContext['finishFile']>> {
  const { store, config, partners, maps, mapPool } = ctx.deps;
  const { summary, fileId, file } = ctx;
  const partner = partners.get(file.partnerHint!)!;
  const settings = partner.csv!;
  summary.partnerId = partner.id;
  const map = maps.get(settings.map);
  if (!map || !map.csv) {
    const f = makeFinding('CSV_MAP_MISSING', `partner ${partner.id} names the CSV map "${settings.map}", which is not a loaded CSV map`);
    store.findings.insert({ fileId }, f);
    noteFinding(summary, f);
    return ctx.finishFile('unreadable', 'csv', f.message);
  }
  const rowId = store.interchanges.insert({
    fileId, partnerId: partner.id, standard: 'CSV', senderQualifier: 'CSV', senderId: partner.id, receiverQualifier: '', receiverId: '',
    controlNumber: String(fileId), version: map.name, usage: 'P', ackRequested: null, interchangeDate: null, interchangeTime: null,
    duplicateOf: null, byteStart: 0, receivedAt: isoNow(ctx.receivedAt.getTime()),
  });
  let docs: CsvDocument[] = [];
  let bad = 0;
  let position = 0;
  const reader = new CsvReader(map.csv, {
    onDocument: (d) => docs.push(d),
    onBadRow: (b) => {
      bad++;
      const f = makeFinding('CSV_ROW_INVALID', `line ${b.line}: ${b.reason}`, { line: b.line });
      store.findings.insert({ fileId, interchangeId: rowId }, f);
      noteFinding(summary, f);
    },
  });

  const drain = async (): Promise<void> => {
    if (!docs.length) return;
    const batch = docs;
    docs = [];
    const jobs = batch.map((d) => ({ map: map.name, input: buildCsvMapInput(d) }));
    const results = await mapPool.mapMany(jobs);
    store.db.transaction(() => {
      batch.forEach((d, i) => {
        position++;
        const r = results[i]!;
        const findings: Finding[] = [];
        let message: CanonicalMessage | undefined;
        let reference: string | null = null;
        if (r.error !== undefined || !r.payload) {
          findings.push({ code: 'MAP_FAILED', severity: 'error', level: 'transaction', line: d.rows[0]?.line, message: `map "${map.name}" failed on the rows from line ${d.rows[0]?.line}: ${r.error ?? 'no output'}` });
        } else if (r.errors?.length) {
          findings.push({ code: 'CANONICAL_INVALID', severity: 'error', level: 'transaction', line: d.rows[0]?.line, message: `map "${map.name}" produced a ${map.messageType} that does not match its schema (rows from line ${d.rows[0]?.line}): ${r.errors.slice(0, 5).join('; ')}` });
        } else {
          reference = businessReferenceOf(r.payload);
          const key = d.key || String(position);
          message = {
            id: randomUUID(), type: map.messageType, schemaVersion: map.schemaVersion, partnerId: partner.id, correlationId: ctx.correlationId,
            idempotencyKey: createHash('sha256').update([partner.id, 'CSV', ctx.archived.sha256, position, key].join('|')).digest('hex'),
            source: {
              standard: 'CSV', version: map.name, documentType: map.documentType, channel: file.channel, interchangeControlNumber: String(fileId),
              groupControlNumber: '', transactionSetControlNumber: key, fileName: file.fileName, receivedAt: ctx.receivedAt.toISOString(),
            },
            payload: r.payload,
          };
        }
        summary.transactionSets++;
        const setId = store.transactions.insertSet({
          interchangeId: rowId, groupControlNumber: '', setId: map.documentType, controlNumber: d.key || String(position), implementationReference: map.name,
          position, ackCode: message ? 'A' : 'R', segmentCount: d.rows.length, businessReference: reference, byteStart: 0, byteEnd: 0,
        });
        for (const f of findings) { store.findings.insert({ fileId, interchangeId: rowId, transactionSetId: setId, transactionControlNumber: d.key || String(position) }, f); noteFinding(summary, f); }
        if (message) {
          store.messages.insert({
            id: message.id, interchangeId: rowId, transactionSetId: setId, partnerId: partner.id, type: message.type, idempotencyKey: message.idempotencyKey,
            correlationId: message.correlationId, businessReference: reference, body: JSON.stringify(message), createdAt: ctx.receivedAt.toISOString(),
          });
          for (const destination of settings.destinations) {
            enqueueDelivery(store.db, {
              messageId: message.id, interchangeId: rowId, partnerId: partner.id, destination, messageType: message.type,
              maxAttempts: config.destinations[destination]?.retry.maxAttempts ?? 8, state: 'held', now: ctx.now().getTime(),
            });
          }
          summary.messagesEnqueued++;
        }
      });
    })();
  };

  const stream = createReadStream(ctx.archived.path, { highWaterMark: CHUNK_SIZE });
  for await (const chunk of stream) {
    if (ctx.stopping()) {
      stream.destroy();
      throw new GatewayError('EDIGATE_STOPPING', `${file.fileName} interrupted; processed again at the next start`);
    }
    reader.write(chunk as Buffer);
    await drain();
  }
  await reader.end();
  await drain();

  const sets = store.transactions.setsOf(rowId);
  const good = sets.filter((s) => s.ackCode === 'A').length;
  let status: InterchangeStatus;
  const extra: Finding[] = [];
  if (reader.rows === 0) {
    extra.push(makeFinding('CSV_FILE_EMPTY', `the file holds no data row${map.csv.header ? ' (only a header, or nothing)' : ''}`));
    status = 'rejected';
  } else if (bad > 0 && settings.badRows === 'reject-file') {
    extra.push(makeFinding('CSV_FILE_REJECTED', `${bad} bad row(s) of ${reader.rows}: the whole file is rejected (partner policy csv.badRows: reject-file); nothing was delivered`));
    status = 'rejected';
  } else if (good === 0) status = 'rejected';
  else if (bad > 0 || good < sets.length) status = good < sets.length ? 'partially_accepted' : 'accepted_with_errors';
  else status = 'accepted';
  const ok = status === 'accepted' || status === 'accepted_with_errors' || status === 'partially_accepted';
  let released = 0;
  store.db.transaction(() => {
    for (const f of extra) { store.findings.insert({ fileId, interchangeId: rowId }, f); noteFinding(summary, f); }
    if (!ok) {
      const cancelled = cancelHeld(store.db, rowId, `CSV file ${status}`, ctx.now().getTime());
      if (cancelled > 0) summary.messagesEnqueued = 0;
    }
    store.interchanges.finish({ id: rowId, status, ackCode: null, noteCode: null, groupCount: 0, setCount: sets.length, byteEnd: ctx.archived.size });
    if (summary.interchanges.length < SUMMARY_LIST_MAX) summary.interchanges.push({ id: rowId, controlNumber: String(fileId), status, ackCode: null, noteCode: null, groups: [] });
    released = releaseHeldForFile(store.db, fileId, ctx.now().getTime());
    ctx.finishFile(status, 'csv');
  })();
  if (released > 0) ctx.deps.onReleased?.();
  return summary;
}

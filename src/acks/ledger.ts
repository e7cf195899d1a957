/**
 * The acknowledgement ledger: for every document, in each direction, each acknowledgement owed for it and where
 * it stands (expected, received, accepted, accepted_with_errors, partially_accepted, rejected, overdue, late).
 *
 * Levels and kinds:
 * - transport: `pickup` (the partner collected our file from its outbox), `upload` (our push to its SFTP server
 *   completed), `MDN` (AS2, RFC 4130 §7.4: the partner's for a message we sent, ours for one it sent);
 * - interchange: `TA1` (X12.5), functional: `997`, `999` (X12 005010X231), `CONTRL` (UN/EDIFACT);
 * - business: a reply document named in the partner file's `slas` (e.g. our 855 to its 850; its 824 or APERAK
 *   to our 810), matched by business reference (PO number, invoice number...).
 *
 * The ledger is derived from what the store already records (acks, outbound documents and their transmissions,
 * inbound transaction sets, AS2 messages), so no intake or sending path changes: syncLedger reads new source rows
 * (by id, from per-source cursors) and settles waiting entries whose source changed. The background check
 * (AckLedger) also marks overdue entries and sends one alert per entry to the log and, when configured, a webhook
 * (JSON POST, retried with the queue's backoff).
 */
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import type { Partner } from '../partners/partner.js';
import { DEFAULT_SLAS, businessRepliesFor, levelOfKind, slaFor } from '../partners/sla-settings.js';
import type { LedgerConfig } from './ledger-config.js';
import { retryDelayMs } from '../queue/backoff.js';
import {
  acksAfter, advanceLedgerCursor, as2InboundAfter, dueLedgerAlerts, findReceivedReply, findSentReply, inboundSetsAfter, insertLedgerEntry,
  markOverdue, openLedgerRows, outboundDocumentsAfter, readLedgerCursor, recordLedgerAlert, settleLedgerEntry,
  type LedgerEntry, type LedgerState, type NewLedgerEntry, type OpenLedgerRow, type OverdueRow,
} from '../store/ledger.js';

/** Partners by id (the directory the gateway holds). */
export interface PartnerLookup {
  get(id: string): Partner | undefined;
}

const PAGE = 500;

function ms(iso: string): number {
  return Date.parse(iso);
}

function plus(iso: string, delta: number): string {
  return new Date(ms(iso) + delta).toISOString();
}

/** The SLA-derived fields of a new entry. */
function due(expectedAt: string, sla: number | null | undefined): { slaMs: number | null; dueAt: string | null } {
  return typeof sla === 'number' ? { slaMs: sla, dueAt: plus(expectedAt, sla) } : { slaMs: null, dueAt: null };
}

/** State of an acknowledgement that came at `receivedAt`: late when past its due time (or already overdue), else its outcome. */
function settledState(outcome: string, receivedAt: string, dueAt: string | null, wasOverdue = false): LedgerState {
  if (wasOverdue || (dueAt !== null && ms(receivedAt) > ms(dueAt))) return 'late';
  return outcome as LedgerState;
}

/**
 * Outcome of an 855 we sent, from its BAK02 (X12 element 587, Acknowledgment Type): AT accepted, AD and AK
 * acknowledged without change -> accepted; AC (with changes), AE (with exceptions) -> accepted_with_errors;
 * RD, RF, RJ, RO -> rejected; anything else (AH on hold...) -> received. Other reply types: received.
 * `body` is the X12 interchange text (element separator at ISA byte 4, segment terminator after ISA16).
 */
export function businessOutcome(kind: string, body: string): string {
  if (kind !== '855' || !body.startsWith('ISA') || body.length < 106) return 'received';
  const el = body[3]!;
  const term = body[105]!;
  const bak = body.split(term).map((s) => s.trim()).find((s) => s.startsWith(`BAK${el}`));
  const code = bak?.split(el)[2] ?? '';
  if (['AT', 'AD', 'AK'].includes(code)) return 'accepted';
  if (['AC', 'AE'].includes(code)) return 'accepted_with_errors';
  if (['RD', 'RF', 'RJ', 'RO'].includes(code)) return 'rejected';
  return 'received';
}

/** Reads new rows of one source, page by page, and advances its cursor. */
function readSource<T extends { id: number }>(db: Db, source: string, read: (after: number, limit: number) => T[], each: (row: T) => void): number {
  let after = readLedgerCursor(db, source);
  let n = 0;
  for (;;) {
    const rows = read(after, PAGE);
    for (const r of rows) each(r);
    n += rows.length;
    if (rows.length) { after = rows[rows.length - 1]!.id; advanceLedgerCursor(db, source, after); }
    if (rows.length < PAGE) return n;
  }
}

/** Entries added by one discovery pass. */
function discover(db: Db, partners: PartnerLookup, defaults: Readonly<Record<string, number | null>>): number {
  let added = 0;
  const add = (e: NewLedgerEntry) => { if (insertLedgerEntry(db, e) !== null) added++; };

  // Functional and interchange acknowledgements, both directions (table acks).
  readSource(db, 'ack', (a, l) => acksAfter(db, a, l), (r) => {
    const partner = r.partnerId ? partners.get(r.partnerId) : undefined;
    const level = levelOfKind(r.kind) === 'interchange' ? 'interchange' : 'functional';
    const settled = r.status !== 'pending' && r.status !== 'overdue';
    if (r.direction === 'inbound') {
      // An expectation recorded with our document, or an acknowledgement that answered nothing we were waiting for.
      const expectedAt = r.outboundDocumentId !== null && (r.receivedAt === null || r.createdAt <= r.receivedAt) ? r.createdAt : (r.receivedAt ?? r.createdAt);
      const d = r.outboundDocumentId !== null ? due(expectedAt, slaFor(partner, r.documentType, r.kind, defaults)) : due(expectedAt, null);
      const receivedAt = settled ? (r.receivedAt ?? r.createdAt) : null;
      add({
        direction: 'inbound', level, kind: r.kind, partnerId: r.partnerId, documentType: r.documentType, businessReference: r.businessReference,
        source: 'ack', sourceId: r.id, ackId: r.id, outboundDocumentId: r.outboundDocumentId, transmissionId: r.transmissionId,
        state: receivedAt ? settledState(r.status, receivedAt, d.dueAt) : 'expected', outcome: settled ? r.status : null,
        expectedAt, ...d, receivedAt, elapsedMs: receivedAt ? ms(receivedAt) - ms(expectedAt) : null,
      });
    } else {
      // Ours: owed from the moment the partner's file was received; given when we created it.
      const expectedAt = r.documentReceivedAt ?? r.createdAt;
      const d = due(expectedAt, slaFor(partner, r.documentType, r.kind, defaults));
      add({
        direction: 'outbound', level, kind: r.kind, partnerId: r.partnerId, documentType: r.documentType, businessReference: null,
        source: 'ack', sourceId: r.id, ackId: r.id, interchangeId: r.interchangeId, fileId: r.fileId,
        state: settledState(r.status, r.createdAt, d.dueAt), outcome: r.status, expectedAt, ...d, receivedAt: r.createdAt,
        elapsedMs: Math.max(0, ms(r.createdAt) - ms(expectedAt)),
      });
    }
  });

  // Documents we sent: the transport receipt of their channel, and business replies the partner file names.
  readSource(db, 'outbound_document', (a, l) => outboundDocumentsAfter(db, a, l), (r) => {
    const partner = partners.get(r.partnerId);
    const kind = r.channel === 'as2' ? 'MDN' : r.channel === 'sftp' ? 'upload' : r.channel === 'outbox' ? 'pickup' : null;
    const base = { direction: 'inbound' as const, partnerId: r.partnerId, documentType: r.documentType, businessReference: r.businessReference,
      source: 'outbound_document' as const, sourceId: r.id, outboundDocumentId: r.id, transmissionId: r.transmissionId,
      state: 'expected' as const, outcome: null, expectedAt: r.createdAt, receivedAt: null, elapsedMs: null };
    if (kind) add({ ...base, level: 'transport', kind, ...due(r.createdAt, slaFor(partner, r.documentType, kind, defaults)) });
    for (const reply of businessRepliesFor(partner, r.documentType)) add({ ...base, level: 'business', kind: reply, ...due(r.createdAt, slaFor(partner, r.documentType, reply, defaults)) });
  });

  // Documents the partner sent that the partner file says we answer with a business reply (e.g. 850 -> 855).
  readSource(db, 'transaction_set', (a, l) => inboundSetsAfter(db, a, l), (r) => {
    if (!r.partnerId || r.ackCode === 'R' || r.interchangeStatus === 'duplicate' || r.interchangeStatus === 'rejected') return;
    const partner = partners.get(r.partnerId);
    for (const reply of businessRepliesFor(partner, r.setId)) {
      add({
        direction: 'outbound', level: 'business', kind: reply, partnerId: r.partnerId, documentType: r.setId, businessReference: r.businessReference,
        source: 'transaction_set', sourceId: r.id, interchangeId: r.interchangeId, transactionSetId: r.id, fileId: r.fileId,
        state: 'expected', outcome: null, expectedAt: r.receivedAt, ...due(r.receivedAt, slaFor(partner, r.setId, reply, defaults)), receivedAt: null, elapsedMs: null,
      });
    }
  });

  // AS2 messages the partner sent asking for an MDN: the MDN we owe.
  readSource(db, 'as2_in', (a, l) => as2InboundAfter(db, a, l), (r) => {
    if (r.mdnMode === 'none' || r.status === 'duplicate') return;
    const partner = r.partnerId ? partners.get(r.partnerId) : undefined;
    add({
      direction: 'outbound', level: 'transport', kind: 'MDN', partnerId: r.partnerId, documentType: null, businessReference: null,
      source: 'as2_in', sourceId: r.id, as2MessageId: r.id, fileId: r.fileId,
      state: 'expected', outcome: null, expectedAt: r.createdAt, ...due(r.createdAt, slaFor(partner, null, 'MDN', defaults)), receivedAt: null, elapsedMs: null,
    });
  });
  return added;
}

/** What a waiting entry's source says now: the outcome and when it came, or null while it is still owed. */
function settlement(db: Db, r: OpenLedgerRow, nowIso: string): { outcome: string; at: string; kind?: string; replyDocumentId?: number; replySetId?: number } | null {
  if (r.level === 'functional' || r.level === 'interchange') {
    if (r.ackStatus && r.ackStatus !== 'pending' && r.ackStatus !== 'overdue' && r.ackAt) return { outcome: r.ackStatus, at: r.ackAt, ...(r.ackKind ? { kind: r.ackKind } : {}) };
    return null;
  }
  if (r.level === 'transport') {
    if (r.kind === 'pickup') return r.transmissionState === 'picked_up' && r.pickedUpAt ? { outcome: 'received', at: r.pickedUpAt } : null;
    if (r.kind === 'upload') {
      if (r.transmissionState === 'sent' && r.sentAt) return { outcome: 'accepted', at: r.sentAt };
      return r.transmissionState === 'dead' ? { outcome: 'rejected', at: nowIso } : null;
    }
    if (r.direction === 'inbound') {
      // The partner's MDN for our AS2 message: delivered (processed disposition, signature and MIC verified) or failed.
      if (r.as2Status === 'delivered' && r.as2At) return { outcome: 'accepted', at: r.as2At };
      if (r.as2Status === 'failed' && r.as2At) return { outcome: 'rejected', at: r.as2At };
      return r.transmissionState === 'dead' ? { outcome: 'rejected', at: nowIso } : null;
    }
    // Our MDN: returned in the response (sync) once the message is processed or refused, or delivered later (async).
    const given = r.mdnMode === 'async' ? r.mdnState === 'sent' : r.as2Status === 'processed' || r.as2Status === 'error';
    if (given && r.as2At) return { outcome: r.as2Status === 'error' ? 'rejected' : 'accepted', at: r.as2At };
    return null;
  }
  if (!r.partnerId || !r.businessReference) return null;
  if (r.direction === 'outbound') {
    const reply = findSentReply(db, r.partnerId, r.kind, r.businessReference);
    return reply ? { outcome: businessOutcome(r.kind, reply.body), at: reply.createdAt, replyDocumentId: reply.id } : null;
  }
  const reply = findReceivedReply(db, r.partnerId, r.kind, r.businessReference);
  return reply ? { outcome: 'received', at: reply.receivedAt, replySetId: reply.id } : null;
}

/**
 * Brings the ledger up to date with the store: records entries for acknowledgements, outbound documents, inbound
 * sets owing a business reply and AS2 messages recorded since the last pass, and settles waiting entries whose
 * acknowledgement has come (an entry already overdue, or settled after its due time, becomes `late`, with
 * `outcome` saying what the acknowledgement said). One store transaction; safe to call at any time.
 * @param now the clock (ISO time used when a failure has no time of its own, e.g. a transmission gone dead).
 * @returns how many entries were added and settled.
 */
export function syncLedger(db: Db, partners: PartnerLookup, opts: { defaults?: Readonly<Record<string, number | null>>; now?: Date } = {}): { added: number; settled: number } {
  const defaults = opts.defaults ?? DEFAULT_SLAS;
  const nowIso = (opts.now ?? new Date()).toISOString();
  return db.transaction(() => {
    const added = discover(db, partners, defaults);
    let settled = 0;
    for (const r of openLedgerRows(db)) {
      const s = settlement(db, r, nowIso);
      if (!s) continue;
      settleLedgerEntry(db, r.id, {
        state: settledState(s.outcome, s.at, r.dueAt, r.state === 'overdue'), outcome: s.outcome, receivedAt: s.at, elapsedMs: ms(s.at) - ms(r.expectedAt),
        ...(s.kind ? { kind: s.kind } : {}), ...(s.replyDocumentId ? { replyDocumentId: s.replyDocumentId } : {}), ...(s.replySetId ? { replySetId: s.replySetId } : {}),
      });
      settled++;
    }
    return { added, settled };
  })();
}

/** Links of an entry to the document, its interchange and the acknowledgement that answered it (ops API paths). */
export function ledgerLinks(e: Pick<LedgerEntry, 'id' | 'level' | 'kind' | 'direction' | 'outboundDocumentId' | 'interchangeId' | 'fileId' | 'transmissionId'
  | 'as2MessageId' | 'replyDocumentId' | 'replyInterchangeId' | 'receivedAt'>): { document: string | null; interchange: string | null; ack: string | null } {
  const document = e.outboundDocumentId ? `/api/outbound/${e.outboundDocumentId}` : e.interchangeId ? `/api/interchanges/${e.interchangeId}` : e.fileId ? `/api/files/${e.fileId}` : null;
  // Our document's interchange is the one we generated (its ISA13 is on the document).
  const interchange = e.interchangeId ? `/api/interchanges/${e.interchangeId}` : e.outboundDocumentId ? `/api/outbound/${e.outboundDocumentId}` : null;
  let ack: string | null = null;
  if (e.id !== null && e.receivedAt) ack = `/api/acks/${e.id}`;
  else if (e.level === 'transport' && e.receivedAt) ack = e.direction === 'outbound' && e.as2MessageId ? `/api/as2/messages/${e.as2MessageId}` : e.transmissionId ? `/api/transmissions/${e.transmissionId}` : null;
  else if (e.replyDocumentId) ack = `/api/outbound/${e.replyDocumentId}`;
  else if (e.replyInterchangeId) ack = `/api/interchanges/${e.replyInterchangeId}`;
  return { document, interchange, ack };
}

/** Order in which a document's entries decide its one status: the first state present wins. */
const ROLLUP: readonly LedgerState[] = ['overdue', 'rejected', 'partially_accepted', 'accepted_with_errors', 'expected', 'late', 'received', 'accepted'];

/**
 * One status for a document in one direction across its acknowledgements: overdue if any is overdue, else
 * rejected if any rejected, then partially_accepted, accepted_with_errors, expected (still waiting), late,
 * received, accepted (all acknowledgements accepted). null when it has no entries.
 */
export function documentStatus(entries: ReadonlyArray<Pick<LedgerEntry, 'state'>>): LedgerState | null {
  for (const s of ROLLUP) if (entries.some((e) => e.state === s)) return s;
  return null;
}

/** The JSON body POSTed to the webhook for an overdue acknowledgement. */
export function overdueAlert(r: OverdueRow & { overdueAt: string }): Record<string, unknown> {
  const links = ledgerLinks({ id: null, level: r.level, kind: r.kind, direction: r.direction as 'inbound' | 'outbound', outboundDocumentId: r.outboundDocumentId,
    interchangeId: r.interchangeId, fileId: r.fileId, transmissionId: null, as2MessageId: null, replyDocumentId: null, replyInterchangeId: null, receivedAt: null });
  return {
    event: 'acknowledgement.overdue', ledgerId: r.id, partnerId: r.partnerId, direction: r.direction, level: r.level, kind: r.kind,
    documentType: r.documentType, businessReference: r.businessReference, expectedAt: r.expectedAt, dueAt: r.dueAt, overdueAt: r.overdueAt,
    document: links.document, interchange: links.interchange, entry: `/api/acks?ledgerId=${r.id}`,
  };
}

/** Dependencies of the background check. */
export interface AckLedgerDeps {
  db: Db;
  partners: PartnerLookup;
  config: LedgerConfig | undefined;
  logger: Logger;
  /** Clock (tests advance it); default the system clock. */
  now?: () => Date;
  /** Random source of the retry jitter (tests pin it). */
  random?: () => number;
}

/**
 * The background check: every `config.checkIntervalMs` it syncs the ledger, marks entries past their due time
 * overdue (once each: the log gets one warning per entry) and sends their alerts to the webhook, retrying a
 * failed POST with the queue's backoff (src/queue/backoff.ts) up to the policy's attempts.
 */
export class AckLedger {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private readonly now: () => Date;

  constructor(private readonly deps: AckLedgerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Starts the periodic check (the first one after one interval). */
  start(): void {
    this.stopped = false;
    this.schedule(this.deps.config?.checkIntervalMs ?? 60_000);
  }

  /** Stops the timer and waits for a check in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.check().catch((err) => this.deps.logger.error({ err }, 'acknowledgement ledger check failed')).finally(() => this.schedule(this.deps.config?.checkIntervalMs ?? 60_000));
    }, delay);
    this.timer.unref?.();
  }

  /**
   * One check at the clock's time: sync, mark overdue, send due alerts. Concurrent calls share one run.
   * @returns the entries marked overdue and the alerts attempted by this run.
   */
  check(): Promise<{ overdue: number; alerts: number }> {
    if (this.running) return this.running.then(() => this.check());
    const run = this.runCheck().finally(() => { this.running = null; });
    this.running = run;
    return run;
  }

  private async runCheck(): Promise<{ overdue: number; alerts: number }> {
    const { db, logger } = this.deps;
    const now = this.now();
    syncLedger(db, this.deps.partners, { defaults: this.deps.config?.defaults ?? DEFAULT_SLAS, now });
    const marked = markOverdue(db, now.toISOString(), now.getTime());
    for (const r of marked) {
      logger.warn({ ledgerId: r.id, partner: r.partnerId, direction: r.direction, kind: r.kind, documentType: r.documentType, businessReference: r.businessReference,
        outboundDocumentId: r.outboundDocumentId, interchangeId: r.interchangeId, expectedAt: r.expectedAt, dueAt: r.dueAt }, 'acknowledgement overdue');
    }
    let alerts = 0;
    for (const a of dueLedgerAlerts(db, now.getTime(), 100)) {
      alerts++;
      await this.sendAlert(a, now);
    }
    return { overdue: marked.length, alerts };
  }

  private async sendAlert(a: OverdueRow & { alertAttempts: number; overdueAt: string }, now: Date): Promise<void> {
    const { db, logger } = this.deps;
    const hook = this.deps.config?.webhook;
    if (!hook) { recordLedgerAlert(db, a.id, { state: 'logged', at: now.toISOString() }); return; }
    const attempt = a.alertAttempts + 1;
    let error: string | null = null;
    try {
      const res = await fetch(hook.url, {
        method: 'POST', headers: { 'content-type': 'application/json', ...hook.headers }, body: JSON.stringify(overdueAlert(a)),
        signal: AbortSignal.timeout(hook.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status} from ${hook.url}`;
    } catch (err) {
      error = `POST ${hook.url}: ${(err as Error).message}`;
    }
    if (!error) { recordLedgerAlert(db, a.id, { state: 'sent', at: now.toISOString() }); return; }
    if (attempt >= hook.retry.maxAttempts) {
      recordLedgerAlert(db, a.id, { state: 'failed', at: now.toISOString(), error });
      logger.error({ ledgerId: a.id, attempts: attempt, error }, 'overdue alert not delivered to the webhook; attempts used up');
      return;
    }
    const retryAt = now.getTime() + retryDelayMs(hook.retry, attempt, undefined, this.deps.random);
    recordLedgerAlert(db, a.id, { state: 'pending', at: now.toISOString(), error, retryAt });
    logger.warn({ ledgerId: a.id, attempt, error, retryAt: new Date(retryAt).toISOString() }, 'overdue alert webhook failed; retrying');
  }
}

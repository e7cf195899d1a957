/**
 * The whole inbound flow on one page (DESIGN.md "The flow"):
 *
 *   archive raw bytes + record the file  ->  content-hash duplicate?  ->  stream through the X12 reader
 *   -> per interchange: find the partner (inbox folder / hint, cross-checked with ISA05/ISA06), ISA13 duplicate?
 *   -> per transaction set: record it with its findings; accepted sets of a routed document type are mapped to a
 *      canonical message and enqueued, one delivery per destination, HELD until the interchange trailer is valid
 *   -> per interchange end: release (or cancel) the held deliveries, write the 997s and TA1 the partner's policy asks for
 *   -> summarise the file.
 *
 * Partners' bad data becomes findings and negative acknowledgements, never an exception escaping.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config-types.js';
import type { Store } from './store/index.js';
import type { FileStatus } from './store/files.js';
import type { InterchangeStatus } from './store/interchanges.js';
import { ackStatusOf, type AckRow } from './store/acks.js';
import { archiveBuffer, archiveFile, archivePath } from './store/archive.js';
import { isoNow } from './store/db.js';
import { discardPartialRecords } from './store/resume.js';
import type { PartnerDirectory } from './partners/load.js';
import type { DocumentRoute, Partner } from './partners/partner.js';
import type { Finding } from './validation/finding.js';
import { X12Reader } from './formats/x12/reader.js';
import type {
  X12GroupResult, X12InterchangeHeader, X12InterchangeResult, X12Segment, X12SetSummary, X12TransactionSet,
} from './formats/x12/types.js';
import { build997 } from './acks/x12-997.js';
import { build999 } from './acks/x12-999.js';
import { reconcileFunctionalAck, reconcileTa1 } from './acks/reconcile.js';
import { applyControlNumberPolicy, businessKeyOf } from './validation/duplicates.js';
import { setAckCodeOf } from './formats/x12/reader.js';
import { buildTa1, shouldSendTa1 } from './acks/ta1.js';
import { buildX12MapInput } from './mapping/x12-input.js';
import type { LoadedMap, MapRegistry } from './mapping/maps.js';
import type { MapPool, MapJobResult } from './mapping/map-pool.js';
import { enqueueDelivery, releaseHeldForFile, cancelHeld, cancelHeldForGroup } from './store/deliveries.js';
import { laneOf, orderingKeyOf } from './queue/lanes.js';
import type { CanonicalMessage } from './canonical/envelope.js';
import { writeFileAtomic } from './fs-atomic.js';
import { placeOutbox, submitOutbound } from './transports/outbound.js';
import { GatewayError, isGatewayError } from './errors.js';
import type { FlowContext } from './intake/flow-context.js';
import { runEdifactFlow } from './intake/edifact-flow.js';
import { runCsvFlow } from './intake/csv-flow.js';
import { applyImplementationGuide } from './validation/guides/index.js';

/** A file handed to intake by a transport (folder watcher, CLI, SFTP, AS2). Exactly one of path/bytes. */
export interface ReceivedFile {
  path?: string;
  bytes?: Buffer;
  fileName: string;
  /** folder, cli, sftp, as2, http */
  channel: string;
  /** Partner id the channel vouches for (inbox folder, SFTP user, --partner), or null. */
  partnerHint?: string | null;
  receivedAt?: Date;
}

/** JSON summary of one ingested file (printed by `edigate ingest`). */
export interface IngestSummary {
  fileId: number;
  fileName: string;
  sha256: string;
  status: FileStatus;
  partnerId: string | null;
  duplicateOf: number | null;
  interchanges: Array<{
    id: number;
    controlNumber: string;
    status: InterchangeStatus;
    /** TA104 outcome; null when no partner could be found (nothing acknowledged). */
    ackCode: string | null;
    noteCode: string | null;
    groups: Array<{ controlNumber: string; functionalId: string; ackCode: string; sets: number; accepted: number }>;
  }>;
  transactionSets: number;
  findings: Array<Pick<Finding, 'code' | 'severity' | 'level' | 'message'>>;
  /** Findings not listed in `findings` (over 1000); every finding is in the store. */
  findingsOmitted?: number;
  /** Interchanges and acks not listed (over 1000 each). */
  interchangesOmitted?: number;
  acksOmitted?: number;
  acks: Array<{ kind: string; fileName: string; path: string; ackCode: string }>;
  messagesEnqueued: number;
}

export interface PipelineDeps {
  config: GatewayConfig;
  store: Store;
  partners: PartnerDirectory;
  maps: MapRegistry;
  /** Runs the maps (on worker threads, or inline with size 0). */
  mapPool: MapPool;
  logger: Logger;
  /** Called after deliveries were released, so workers can start at once. */
  onReleased?: () => void;
  /** Called after a file's acknowledgements were recorded for sending (wakes the outbound dispatcher). */
  onOutbound?: () => void;
  now?: () => Date;
}

/** Max attempts given to each delivery at enqueue (from its destination's retry policy). */
const CHUNK_SIZE = 256 * 1024;

interface InterchangeContext {
  rowId: number;
  header: X12InterchangeHeader;
  partner: Partner | undefined;
  /** Sets inside may be mapped and delivered. */
  processable: boolean;
  duplicateOf: number | null;
  rejectDuplicate: boolean;
  senderMismatch: boolean;
  groups: X12GroupResult[];
  /** Per group control number: set summaries as adjusted by routing. */
  adjusted: Map<string, X12SetSummary[]>;
  findings: Finding[];
  setCount: number;
  /** Groups of this interchange whose trailer was read so far (the next group's ordinal is this + 1). */
  groupsSeen: number;
  /** Messages mapped from the current group's sets (cancelled with it when the group is rejected). */
  messagesInGroup: number;
}

type ReaderEvent =
  | { kind: 'interchangeStart'; header: X12InterchangeHeader; ctx?: InterchangeContext }
  | { kind: 'set'; set: X12TransactionSet; mapped?: MappedSet }
  | { kind: 'groupEnd'; group: X12GroupResult }
  | { kind: 'interchangeEnd'; interchange: X12InterchangeResult }
  | { kind: 'fileFinding'; finding: Finding }
  | { kind: 'service'; segment: X12Segment; header: X12InterchangeHeader };

/** An acknowledgement built at its interchange's end (recorded at once, its file written when the file is done). */
interface PendingAck {
  text: string;
  row: Omit<AckRow, 'id' | 'content'>;
}

interface PreparedSet {
  route: DocumentRoute;
  findings: Finding[];
  map?: LoadedMap;
  partnerId?: string;
  idempotencyKey?: string;
  job?: { map: string; input: Record<string, unknown> };
}

interface MappedSet {
  message?: CanonicalMessage;
  destinations: string[];
  businessReference: string | null;
  findings: Finding[];
}

/** The inbound pipeline; one instance per gateway, files processed one at a time (SQLite has one writer). */
export class Pipeline {
  private readonly deps: PipelineDeps;
  private readonly now: () => Date;
  private chain: Promise<unknown> = Promise.resolve();
  /** Files being archived and recorded at once (each holds a source file open and a copy in flight). */
  private readonly recordSlots = new Slots(RECORD_CONCURRENCY);
  private stopping = false;

  /**
   * Stops taking files: the file being processed is abandoned at its next chunk (left unfinished, so
   * it is processed again at the next start) and files still waiting are refused.
   * @returns once the file in progress has stopped.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.chain.catch(() => undefined);
  }

  constructor(deps: PipelineDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Ingests one file end to end: raw bytes archived and recorded first, then parsed, validated,
   * acknowledged, mapped and enqueued. Recording happens at once (up to RECORD_CONCURRENCY files at a
   * time), so a transport can confirm receipt (an AS2 MDN, an SFTP close) without waiting for the files
   * ahead; processing is serialised, in the order the calls were made. A file recorded but not processed
   * when the gateway stops is processed at the next start (resumeUnfinished).
   * @param onRecorded called once the raw bytes are archived and the file row is written (the folder
   *   watcher removes the inbox file there).
   * @returns the summary; partner data problems are findings in it, not exceptions.
   * @throws GatewayError EDIGATE_FILE_UNREADABLE / EDIGATE_ARCHIVE_FAILED when the bytes cannot be kept
   *   (the source is then left where it was); EDIGATE_STOPPING when the gateway is stopping.
   */
  ingest(file: ReceivedFile, onRecorded?: (archived: { size: number; sourceMtimeMs?: number }) => Promise<void> | void): Promise<IngestSummary> {
    const recorded = this.recordSlots.run(() => this.record(file, onRecorded));
    const run = this.chain.then(async () => {
      const r = await recorded;
      if (this.stopping) {
        r.log.warn('file recorded but not processed before the stop; it will be processed at the next start');
        throw new GatewayError('EDIGATE_STOPPING', `${file.fileName} recorded, processing deferred to the next start`);
      }
      return this.processRecorded(file, r);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Files recorded but never finished (the process stopped mid-file): their partial records are removed
   * (none of their deliveries was released, see below) and they are processed again from the archive.
   */
  async resumeUnfinished(): Promise<IngestSummary[]> {
    const out: IngestSummary[] = [];
    for (const f of this.deps.store.files.unfinished()) {
      this.deps.logger.warn({ fileId: f.id, fileName: f.fileName }, 'resuming a file whose processing was interrupted');
      discardPartialRecords(this.deps.store.db, f.id);
      const log = this.deps.logger.child({ fileId: f.id, fileName: f.fileName, correlationId: f.correlationId });
      const run = this.chain.then(async () => {
        const summary = await this.process(f.id, { fileName: f.fileName, channel: f.channel, partnerHint: f.partnerHint },
          { sha256: f.sha256, size: f.size, path: archivePath(this.deps.config.archiveDir, f.sha256) }, f.correlationId, new Date(f.receivedAt), log);
        this.placeAcknowledgements();
        return summary;
      });
      this.chain = run.catch(() => undefined);
      out.push(await run);
    }
    return out;
  }

  /**
   * Writes the acknowledgements the file's committed transaction recorded for the outbox (and any a crash left
   * unwritten) into outbox/<partner>/ (src/transports/outbound.ts placeOutbox).
   */
  private placeAcknowledgements(): void {
    const n = placeOutbox(this.deps.store.db, this.deps.config, this.now().getTime());
    if (n > 0) this.deps.onOutbound?.();
  }

  /** Archives the raw bytes and writes the file row (status received): the file can no longer be lost. */
  private async record(file: ReceivedFile, onRecorded?: (archived: { size: number; sourceMtimeMs?: number }) => Promise<void> | void): Promise<RecordedFile> {
    if (this.stopping) throw new GatewayError('EDIGATE_STOPPING', `${file.fileName} not taken`);
    const { store, config, logger } = this.deps;
    const receivedAt = file.receivedAt ?? this.now();
    const archived = file.bytes ? await archiveBuffer(config.archiveDir, file.bytes) : await archiveFile(config.archiveDir, file.path!);
    const correlationId = randomUUID();
    const fileId = store.files.insert({
      sha256: archived.sha256, size: archived.size, channel: file.channel, fileName: file.fileName,
      partnerHint: file.partnerHint ?? null, correlationId, receivedAt: isoNow(receivedAt.getTime()),
    });
    if (onRecorded) await onRecorded(archived);
    const log = logger.child({ fileId, fileName: file.fileName, correlationId });
    log.info({ sha256: archived.sha256, size: archived.size, channel: file.channel }, 'file received');
    return { fileId, archived, correlationId, receivedAt, log };
  }

  private async processRecorded(file: ReceivedFile, r: RecordedFile): Promise<IngestSummary> {
    const { store } = this.deps;
    const { fileId, archived, correlationId, receivedAt, log } = r;
    try {
      const summary = await this.process(fileId, file, archived, correlationId, receivedAt, log);
      this.placeAcknowledgements();
      return summary;
    } catch (err) {
      if (isGatewayError(err, 'EDIGATE_STOPPING')) {
        log.warn('file interrupted by stop; it will be processed again at the next start');
        throw err;
      }
      log.error({ err }, 'file processing failed');
      store.files.finish({ id: fileId, status: 'failed', partnerId: file.partnerHint ?? null, format: null, detail: (err as Error).message, processedAt: isoNow(this.now().getTime()) });
      throw err;
    }
  }

  private async process(
    fileId: number, file: ReceivedFile, archived: { sha256: string; size: number; path: string },
    correlationId: string, receivedAt: Date, log: Logger,
  ): Promise<IngestSummary> {
    const { store, config } = this.deps;
    const summary: IngestSummary = {
      fileId, fileName: file.fileName, sha256: archived.sha256, status: 'received', partnerId: null, duplicateOf: null,
      interchanges: [], transactionSets: 0, findings: [], acks: [], messagesEnqueued: 0,
    };
    const finishFile = (status: FileStatus, format: string | null, detail: string | null = null) => {
      summary.status = status;
      const firstError = summary.findings.find((f) => f.severity === 'error')?.message ?? null;
      const why = detail ?? (status === 'accepted' ? null : firstError);
      store.files.finish({ id: fileId, status, partnerId: summary.partnerId, format, duplicateOf: summary.duplicateOf, detail: why, processedAt: isoNow(this.now().getTime()) });
      const fields = { status, interchanges: summary.interchanges.length, sets: summary.transactionSets, acks: summary.acks.length, messages: summary.messagesEnqueued };
      if (status === 'accepted') log.info(fields, 'file processed');
      else log.warn({ ...fields, findings: summary.findings.filter((f) => f.severity === 'error').slice(0, 5).map((f) => `${f.code}: ${f.message}`) }, `file ${status}`);
      return summary;
    };

    const earlier = store.files.firstWithSameContent(archived.sha256, fileId);
    // Duplicate layer 1, the file (src/validation/duplicates.ts): policy of the partner whose channel brought it.
    const filePolicy = (file.partnerHint ? this.deps.partners.get(file.partnerHint)?.duplicates.file : undefined) ?? 'reject';
    if (earlier) {
      summary.duplicateOf = earlier.id;
      const seen = `the same bytes (sha256 ${archived.sha256.slice(0, 16)}...) were received before as file ${earlier.id} "${earlier.fileName}" on ${earlier.receivedAt}`;
      if (filePolicy === 'reject') {
        summary.partnerId = earlier.partnerId;
        const finding: Finding = { code: 'FILE_DUPLICATE_CONTENT', severity: 'error', level: 'file', message: `${seen}; not processed again`, duplicateOf: { kind: 'file', id: earlier.id } };
        store.findings.insert({ fileId }, finding);
        noteFinding(summary, finding);
        return finishFile('duplicate', earlier.format, finding.message);
      }
      if (filePolicy === 'flag') {
        const finding: Finding = {
          code: 'FILE_DUPLICATE_CONTENT', severity: 'warning', level: 'file', duplicateOf: { kind: 'file', id: earlier.id },
          message: `${seen}; processed again and flagged (partner policy duplicates.file: flag)`,
        };
        store.findings.insert({ fileId }, finding);
        noteFinding(summary, finding);
      }
    }

    const head = await readHead(archived.path, HEAD_BYTES);
    const format = detectFormat(head);
    // EDIFACT, and CSV from a partner with a CSV map, have their own flows (src/intake/) on the same store, maps, queue and acks.
    const csvPartner = format === 'unknown' && file.partnerHint ? this.deps.partners.get(file.partnerHint)?.csv : undefined;
    if (format === 'edifact' || csvPartner) {
      const flow: FlowContext = {
        deps: this.deps, now: this.now, stopping: () => this.stopping, fileId, file, archived, correlationId, receivedAt, log, summary, finishFile,
        writeAcks: (id, s, l) => this.writeAcks(id, s, l),
      };
      return format === 'edifact' ? runEdifactFlow(flow) : runCsvFlow(flow);
    }
    if (format === 'empty' || format === 'unknown') {
      const finding: Finding = format === 'empty'
        ? { code: 'FILE_EMPTY', severity: 'error', level: 'file', message: 'the file is empty (0 bytes or only white space)' }
        : { code: 'FILE_NOT_EDI', severity: 'error', level: 'file', message: `not an X12 interchange: the file starts with ${JSON.stringify(head.toString('latin1').slice(0, 24))} instead of "ISA" (nor UNA/UNB/UNH, and the file's partner has no CSV map)` };
      store.findings.insert({ fileId }, finding);
      noteFinding(summary, finding);
      const hinted = file.partnerHint ? this.deps.partners.get(file.partnerHint) : undefined;
      summary.partnerId = hinted?.id ?? null;
      return finishFile('unreadable', null, finding.message);
    }

    /** Interchange outcomes of this file by status, and the partners met (the file's outcome needs no more). */
    const statusCounts = new Map<InterchangeStatus, number>();
    const partnersMet = new Set<string>();
    let current: InterchangeContext | undefined;
    let events: ReaderEvent[] = [];
    /** ISA05/ISA06/ISA13 of the interchanges met so far in this file (a repeat inside one file is a duplicate too). */
    const seenInFile = new Map<string, number>();
    const reader = new X12Reader({
      onInterchangeStart: (header) => events.push({ kind: 'interchangeStart', header }),
      onTransactionSet: (set) => events.push({ kind: 'set', set }),
      onGroupEnd: (group) => events.push({ kind: 'groupEnd', group }),
      onInterchangeEnd: (interchange) => events.push({ kind: 'interchangeEnd', interchange }),
      onFileFinding: (finding) => events.push({ kind: 'fileFinding', finding }),
      onServiceSegment: (segment, header) => events.push({ kind: 'service', segment, header }),
    }, { maxSegmentLength: config.intake.maxSegmentLength });

    const drain = async () => {
      if (!events.length) return;
      const batch = events;
      events = [];
      // First pass (no writes): open interchange contexts, prepare the map jobs of accepted sets; then run
      // the maps on the pool (JSONata, async, on every core); then write the whole batch in one transaction.
      // Earlier batches' interchanges are finished in the store (findPrevious sees them); only this batch's
      // need remembering here, so nothing per interchange outlives its batch.
      seenInFile.clear();
      let ctx = current;
      const jobs: Array<{ ev: Extract<ReaderEvent, { kind: 'set' }>; prep: PreparedSet }> = [];
      for (const ev of batch) {
        if (ev.kind === 'interchangeStart') {
          ctx = this.openInterchange(ev.header, file, seenInFile);
          ev.ctx = ctx;
        } else if (ev.kind === 'set' && ctx) {
          // Duplicate layer 3, control numbers: a repeated ST02 per the partner's policy, before the set is mapped.
          if (ctx.partner && applyControlNumberPolicy(ev.set.findings, ctx.partner.duplicates.controlNumbers)) ev.set.ackCode = setAckCodeOf(ev.set.findings);
          // Implementation-guide checks (src/validation/guides/): findings and the set's AK5 code, before the set is mapped.
          applyImplementationGuide(ev.set, ctx.processable ? ctx.partner : undefined);
          const prep = this.prepareSet(ev.set, ctx);
          if (prep?.job) jobs.push({ ev, prep });
          else if (prep) ev.mapped = { destinations: prep.route.destinations, businessReference: null, findings: prep.findings };
        } else if (ev.kind === 'groupEnd' && ctx) {
          ctx.groupsSeen++;
          if (ctx.partner) relaxGroupControlNumbers(ev.group, ctx.partner.duplicates.controlNumbers);
        }
      }
      const results = await this.deps.mapPool.mapMany(jobs.map((j) => j.prep.job!));
      jobs.forEach((j, i) => { j.ev.mapped = this.finishSet(j.ev.set, j.prep, results[i]!, file, correlationId, receivedAt, log); });
      store.db.transaction(() => {
        for (const ev of batch) {
          switch (ev.kind) {
            case 'interchangeStart':
              current = ev.ctx!;
              this.recordInterchange(current, fileId, receivedAt);
              if (current.partner) partnersMet.add(current.partner.id);
              break;
            case 'set':
              if (current) this.onSet(ev.set, ev.mapped, current, fileId, summary, receivedAt);
              break;
            case 'groupEnd':
              if (current) this.onGroupEnd(ev.group, current, fileId, summary);
              break;
            case 'interchangeEnd':
              if (current) {
                const ctxEnd = current;
                const st = this.onInterchangeEnd(ev.interchange, ctxEnd, fileId, summary);
                statusCounts.set(st, (statusCounts.get(st) ?? 0) + 1);
                this.recordAcks(this.buildAcks(ev.interchange, ctxEnd));
                ctxEnd.groups = []; // the group results are in the acks and the store now
                current = undefined;
              }
              break;
            case 'fileFinding':
              store.findings.insert({ fileId }, ev.finding);
              noteFinding(summary, ev.finding);
              break;
            case 'service':
              // A TA1 answering an interchange we sent (src/acks/reconcile.ts).
              if (ev.segment.tag === 'TA1' && current?.partner && current.processable) {
                const r = reconcileTa1(store.db, current.partner.id, ev.segment, ev.header.delimiters, file.fileName, receivedAt.toISOString());
                log.info({ ta1: r }, r.documentId ? 'TA1 received for an outbound document' : 'TA1 received that answers no document we sent');
              }
              break;
          }
        }
      })();
    };

    const stream = createReadStream(archived.path, { highWaterMark: CHUNK_SIZE });
    for await (const chunk of stream) {
      // Stopping: leave the file unfinished (nothing of it was released); it is processed again at start.
      if (this.stopping) {
        stream.destroy();
        throw new GatewayError('EDIGATE_STOPPING', `${file.fileName} interrupted; processed again at the next start`);
      }
      reader.push(chunk as Buffer);
      await drain();
    }
    reader.end();
    await drain();

    // File outcome over its interchanges.
    const total = [...statusCounts.values()].reduce((a, b) => a + b, 0);
    const only = (...ok: InterchangeStatus[]) => [...statusCounts.keys()].every((k) => ok.includes(k));
    let status: FileStatus;
    if (total === 0) status = 'unreadable';
    else if (only('accepted')) status = 'accepted';
    else if (only('duplicate')) status = 'duplicate';
    else if (only('unknown_partner')) status = 'unknown_partner';
    else if (only('rejected', 'duplicate', 'unknown_partner')) status = 'rejected';
    else if (only('accepted', 'accepted_with_errors')) status = 'accepted_with_errors';
    else status = 'partially_accepted';
    summary.partnerId = partnersMet.size === 1 ? [...partnersMet][0]! : summary.partnerId ?? (file.partnerHint && this.deps.partners.get(file.partnerHint) ? file.partnerHint : null);
    // Deliveries stay held and acknowledgements unwritten until the whole file is recorded: a crash mid-file
    // releases and sends nothing, and the file is processed again at start. Both are read back from the
    // store here, so memory does not grow with the number of interchanges in the file.
    let released = 0;
    store.db.transaction(() => {
      this.writeAcks(fileId, summary, log);
      released = releaseHeldForFile(store.db, fileId, this.now().getTime());
      finishFile(status, 'x12');
    })();
    if (released > 0) this.deps.onReleased?.();
    if (summary.acks.length > 0 || summary.acksOmitted) this.deps.onOutbound?.();
    return summary;
  }

  /**
   * Opens the context of an interchange before its sets are mapped: the partner (channel hint
   * cross-checked with ISA05/ISA06) and whether its ISA13 repeats an accepted one. Reads, never writes.
   */
  private openInterchange(header: X12InterchangeHeader, file: ReceivedFile, seenInFile: Map<string, number>): InterchangeContext {
    const r = resolvePartner(this.deps.partners, header, file.partnerHint ?? null);
    const ctx: InterchangeContext = {
      rowId: 0, header, partner: r.partner, processable: !!r.partner && !r.mismatch, duplicateOf: null, rejectDuplicate: false,
      senderMismatch: r.mismatch, groups: [], adjusted: new Map(), findings: r.finding ? [r.finding] : [], setCount: 0, groupsSeen: 0, messagesInGroup: 0,
    };
    const key = `${header.senderQualifier}/${header.senderId}/${header.controlNumber}`;
    if (ctx.partner && !ctx.senderMismatch) {
      // Duplicate layer 2, the interchange: same ISA13 from the same sender to the same receiver within the window.
      const policy = ctx.partner.duplicates;
      const since = new Date(this.now().getTime() - policy.interchangeWindowDays * 86_400_000).toISOString();
      const prev = this.deps.store.interchanges.findPreviousWithin({
        senderQualifier: header.senderQualifier, senderId: header.senderId, receiverQualifier: header.receiverQualifier, receiverId: header.receiverId,
        controlNumber: header.controlNumber, since,
      });
      const prevInFile = seenInFile.has(key);
      if (prev || prevInFile) {
        ctx.duplicateOf = prev?.id ?? null;
        ctx.rejectDuplicate = policy.interchange === 'reject';
        const where = prev ? `in interchange ${prev.id} on ${prev.receivedAt}` : 'earlier in the same file';
        if (policy.interchange !== 'accept') {
          ctx.findings.push({
            code: 'X12_DUPLICATE_INTERCHANGE', severity: ctx.rejectDuplicate ? 'error' : 'warning', level: 'interchange', ta1: '025',
            ...(prev ? { duplicateOf: { kind: 'interchange' as const, id: prev.id } } : {}),
            message: `ISA13 ${header.controlNumber} from ${header.senderQualifier}/${header.senderId} to ${header.receiverQualifier}/${header.receiverId} was already received ${where}` +
              (ctx.rejectDuplicate ? '; rejected as a duplicate (partner policy duplicates.interchange: reject)' : '; processed again and flagged (partner policy duplicates.interchange: flag)'),
          });
        }
        if (ctx.rejectDuplicate) ctx.processable = false;
      }
    }
    seenInFile.set(key, (seenInFile.get(key) ?? 0) + 1);
    return ctx;
  }

  /** Writes the interchange row of an opened context (status receiving until its trailer). */
  private recordInterchange(ctx: InterchangeContext, fileId: number, receivedAt: Date): void {
    const h = ctx.header;
    ctx.rowId = this.deps.store.interchanges.insert({
      fileId, partnerId: ctx.partner?.id ?? null, standard: 'X12', senderQualifier: h.senderQualifier, senderId: h.senderId,
      receiverQualifier: h.receiverQualifier, receiverId: h.receiverId, controlNumber: h.controlNumber, version: h.version,
      usage: h.usage, ackRequested: h.ackRequested, interchangeDate: h.date, interchangeTime: h.time,
      duplicateOf: ctx.duplicateOf, byteStart: h.offset, receivedAt: isoNow(receivedAt.getTime()),
    });
  }

  /**
   * Decides whether a set is mapped and builds its map input (main thread); undefined when the set is
   * not to be mapped (rejected, not routed, an acknowledgement, interchange not processable).
   */
  private prepareSet(set: X12TransactionSet, ctx: InterchangeContext): PreparedSet | undefined {
    const partner = ctx.partner;
    if (!partner || !ctx.processable || set.ackCode === 'R' || set.group.functionalId === 'FA') return undefined;
    const route = partner.documents[set.setId];
    if (!route) return undefined;
    const map = this.deps.maps.get(route.map);
    if (!map) {
      return { route, findings: [{ code: 'MAP_NOT_FOUND', severity: 'error', level: 'transaction', message: `map "${route.map}" named by partner ${partner.id} for ${set.setId} is not loaded` }] };
    }
    const input = buildX12MapInput({ setId: set.setId, controlNumber: set.controlNumber, version: set.group.version, segments: set.segments, delimiters: set.interchange.delimiters });
    const h = set.interchange;
    // Partner + source control numbers; the group's ordinal and the set's position keep sets apart when a
    // partner repeats GS06 or ST02 inside one interchange. The same interchange received twice gets the same keys.
    const idempotencyKey = createHash('sha256')
      .update([partner.id, 'X12', h.senderQualifier, h.senderId, h.controlNumber, ctx.groupsSeen + 1, set.group.controlNumber, set.index, set.controlNumber].join('|'))
      .digest('hex');
    return { route, findings: [], map, partnerId: partner.id, idempotencyKey, job: { map: map.name, input } };
  }

  /** Turns a map result into the canonical message (or findings when the map failed or its output is invalid). */
  private finishSet(set: X12TransactionSet, prep: PreparedSet, result: MapJobResult, file: ReceivedFile, correlationId: string, receivedAt: Date, log: Logger): MappedSet {
    const map = prep.map!;
    const findings: Finding[] = [];
    if (result.error !== undefined || !result.payload) {
      log.warn({ err: result.error, set: set.controlNumber }, 'map failed');
      findings.push({ code: 'MAP_FAILED', severity: 'error', level: 'transaction', message: `map "${map.name}" failed on ST02 ${set.controlNumber}: ${result.error ?? 'no output'}` });
      return { destinations: prep.route.destinations, businessReference: null, findings };
    }
    if (result.errors?.length) {
      findings.push({ code: 'CANONICAL_INVALID', severity: 'error', level: 'transaction', message: `map "${map.name}" produced a ${map.messageType} that does not match its schema: ${result.errors.slice(0, 5).join('; ')}` });
      return { destinations: prep.route.destinations, businessReference: null, findings };
    }
    const payload = result.payload;
    const h = set.interchange;
    const message: CanonicalMessage = {
      id: randomUUID(),
      type: map.messageType,
      schemaVersion: map.schemaVersion,
      partnerId: prep.partnerId!,
      correlationId,
      idempotencyKey: prep.idempotencyKey!,
      source: {
        standard: 'X12', version: set.group.version, documentType: set.setId, channel: file.channel,
        interchangeControlNumber: h.controlNumber, groupControlNumber: set.group.controlNumber,
        transactionSetControlNumber: set.controlNumber, fileName: file.fileName, receivedAt: receivedAt.toISOString(),
      },
      payload,
    };
    return { message, destinations: prep.route.destinations, businessReference: businessReferenceOf(payload), findings };
  }

  private onSet(set: X12TransactionSet, mapped: MappedSet | undefined, ctx: InterchangeContext, fileId: number, summary: IngestSummary, receivedAt: Date): void {
    const { store, config } = this.deps;
    const findings = [...set.findings];
    let ackCode = set.ackCode;
    const partner = ctx.partner;
    if (partner && ctx.processable && ackCode !== 'R' && set.group.functionalId !== 'FA' && !partner.documents[set.setId]) {
      findings.push({
        code: 'X12_SET_NOT_SUPPORTED', severity: 'error', level: 'transaction', ak5: '1',
        message: `transaction set ${set.setId} (ST02 ${set.controlNumber}) is not configured for partner ${partner.id} (partners/${partner.id}.yaml documents)`,
      });
      ackCode = 'R';
    }
    // A 997 or 999 answering a document we sent (src/acks/reconcile.ts).
    if (partner && ctx.processable && set.ackCode !== 'R' && set.group.functionalId === 'FA' && (set.setId === '997' || set.setId === '999')) {
      const r = reconcileFunctionalAck(store.db, partner.id, set.setId, set.segments, set.interchange.delimiters, summary.fileName, receivedAt.toISOString());
      if (r) this.deps.logger.info({ partner: partner.id, ack: r }, r.documentId ? `${set.setId} received for an outbound document` : `${set.setId} received that answers no document we sent`);
    }
    const summaries = ctx.adjusted.get(set.group.controlNumber) ?? [];
    summaries.push({ setId: set.setId, controlNumber: set.controlNumber, implementationReference: set.implementationReference, ackCode, findings });
    ctx.adjusted.set(set.group.controlNumber, summaries);
    ctx.setCount++;
    summary.transactionSets++;

    const setRowId = store.transactions.insertSet({
      interchangeId: ctx.rowId, groupControlNumber: set.group.controlNumber, setId: set.setId, controlNumber: set.controlNumber,
      implementationReference: set.implementationReference ?? null, position: set.index, ackCode, segmentCount: set.segments.length,
      businessReference: mapped?.businessReference ?? null, byteStart: set.offsetStart, byteEnd: set.offsetEnd,
    });
    // Duplicate layer 4, the business document: same type, business reference and revision as a message received before.
    // Its acknowledgement is not affected (a 997 is about syntax); a rejected one is recorded but not delivered.
    let businessKey: string | null = null;
    let original: string | null = null;
    const dupFindings: Finding[] = [];
    if (partner && mapped?.message && ackCode !== 'R' && ctx.processable) {
      const m = mapped.message;
      businessKey = businessKeyOf(m.type, mapped.businessReference, m.payload as Record<string, unknown>);
      const prev = businessKey ? store.messages.firstWithBusinessKey(partner.id, businessKey, m.id) : undefined;
      original = prev?.id ?? null;
      const policy = partner.duplicates.businessDocument;
      if (prev && policy !== 'accept') {
        dupFindings.push({
          code: 'BUSINESS_DOCUMENT_DUPLICATE', severity: 'warning', level: 'transaction', duplicateOf: { kind: 'message', id: prev.id },
          message: `${m.type} ${mapped.businessReference} (revision "${businessKey!.split('|')[2]}") was received before as message ${prev.id} on ${prev.createdAt}` +
            (policy === 'reject' ? '; not delivered again (partner policy duplicates.businessDocument: reject)' : '; delivered and flagged (partner policy duplicates.businessDocument: flag)'),
        });
      }
    }
    const suppressed = dupFindings.length > 0 && partner?.duplicates.businessDocument === 'reject';
    const where = { fileId, interchangeId: ctx.rowId, groupControlNumber: set.group.controlNumber, transactionSetId: setRowId, transactionControlNumber: set.controlNumber };
    for (const f of [...findings, ...(mapped?.findings ?? []), ...dupFindings]) {
      store.findings.insert(where, f);
      noteFinding(summary, f);
    }
    if (mapped?.message && ackCode !== 'R' && ctx.processable && !suppressed) {
      const m = mapped.message;
      const now = receivedAt.toISOString();
      store.messages.insert({
        id: m.id, interchangeId: ctx.rowId, transactionSetId: setRowId, partnerId: m.partnerId, type: m.type, idempotencyKey: m.idempotencyKey,
        correlationId: m.correlationId, businessReference: mapped.businessReference, body: JSON.stringify(m), createdAt: now, businessKey, duplicateOf: original,
      });
      for (const destination of mapped.destinations) {
        const dest = config.destinations[destination];
        enqueueDelivery(store.db, {
          messageId: m.id, interchangeId: ctx.rowId, partnerId: m.partnerId, destination, messageType: m.type,
          maxAttempts: dest?.retry.maxAttempts ?? 8, state: 'held', now: this.now().getTime(),
          priority: laneOf(m.type, dest?.limits?.lanes), orderingKey: orderingKeyOf(m.partnerId, mapped.businessReference),
        });
      }
      summary.messagesEnqueued++;
      ctx.messagesInGroup++;
    }
  }

  private onGroupEnd(group: X12GroupResult, ctx: InterchangeContext, fileId: number, summary: IngestSummary): void {
    const { store } = this.deps;
    const adjusted = ctx.adjusted.get(group.header.controlNumber);
    let g = group;
    if (adjusted && adjusted.length === group.sets.length && adjusted.some((s, i) => s.ackCode !== group.sets[i]!.ackCode)) {
      const acceptedCount = adjusted.filter((s) => s.ackCode !== 'R').length;
      // Keep what only the reader's summaries carry (the 999 CTX business units).
      const sets = adjusted.map((a, i) => (group.sets[i]?.businessUnits ? { ...a, businessUnits: group.sets[i]!.businessUnits } : a));
      g = { ...group, sets, acceptedCount, ackCode: groupAckCode(group, sets) };
    }
    ctx.adjusted.delete(group.header.controlNumber);
    const messagesInGroup = ctx.messagesInGroup;
    ctx.messagesInGroup = 0;
    ctx.groups.push(g);
    const h = g.header;
    const groupId = store.transactions.insertGroup({
      interchangeId: ctx.rowId, functionalId: h.functionalId, senderCode: h.senderCode, receiverCode: h.receiverCode, controlNumber: h.controlNumber,
      version: h.version, groupDate: h.date, groupTime: h.time, declaredSetCount: g.declaredSetCount, setCount: g.sets.length,
      acceptedCount: g.acceptedCount, ackCode: g.ackCode, byteStart: g.offsetStart, byteEnd: g.offsetEnd,
    });
    if (g.ackCode === 'R') {
      const cancelled = cancelHeldForGroup(store.db, groupId, `functional group ${h.controlNumber} rejected (AK9 R)`, this.now().getTime());
      if (cancelled > 0) summary.messagesEnqueued -= messagesInGroup;
    }
    for (const f of g.findings) {
      store.findings.insert({ fileId, interchangeId: ctx.rowId, groupControlNumber: h.controlNumber }, f);
      noteFinding(summary, f);
    }
  }

  private onInterchangeEnd(ic: X12InterchangeResult, ctx: InterchangeContext, fileId: number, summary: IngestSummary): InterchangeStatus {
    const { store } = this.deps;
    const now = this.now().getTime();
    for (const f of [...ctx.findings, ...ic.findings]) {
      store.findings.insert({ fileId, interchangeId: ctx.rowId }, f);
      noteFinding(summary, f);
    }
    let status: InterchangeStatus;
    if (!ctx.partner) status = 'unknown_partner';
    else if (ctx.senderMismatch || ic.ackCode === 'R') status = 'rejected';
    else if (ctx.rejectDuplicate) status = 'duplicate';
    else status = interchangeStatusOf(ctx.groups);
    const ok = status === 'accepted' || status === 'accepted_with_errors' || status === 'partially_accepted';
    if (!ok) cancelHeld(store.db, ctx.rowId, `interchange ${status}`, now);
    // No partner: nothing can be acknowledged, so no TA1 outcome is recorded either.
    const ackCode = !ctx.partner ? null : ctx.senderMismatch || ctx.rejectDuplicate ? 'R' : ic.ackCode;
    const noteCode = !ctx.partner ? null : ctx.senderMismatch ? '006' : ctx.rejectDuplicate ? '025' : ic.noteCode;
    store.interchanges.finish({ id: ctx.rowId, status, ackCode, noteCode, groupCount: ctx.groups.length, setCount: ctx.setCount, byteEnd: ic.offsetEnd });
    if (summary.interchanges.length < SUMMARY_LIST_MAX) {
      summary.interchanges.push({
        id: ctx.rowId, controlNumber: ic.header.controlNumber, status, ackCode, noteCode,
        groups: ctx.groups.map((g) => ({ controlNumber: g.header.controlNumber, functionalId: g.header.functionalId, ackCode: g.ackCode, sets: g.sets.length, accepted: g.acceptedCount })),
      });
    } else {
      summary.interchangesOmitted = (summary.interchangesOmitted ?? 0) + 1;
    }
    return status;
  }

  /**
   * Builds the TA1 and 997s the partner's policy asks for (control numbers taken from the per-partner
   * counters, in the caller's transaction). Only the texts are kept, so memory does not grow with the
   * number of sets in the file; they are written and recorded when the file is done (writeAcks).
   */
  private buildAcks(ic: X12InterchangeResult, ctx: InterchangeContext): PendingAck[] {
    const partner = ctx.partner;
    if (!partner) return [];
    const { store, config } = this.deps;
    const now = this.now();
    const dir = join(config.outboxDir, partner.id);
    const out: PendingAck[] = [];
    const outcome: X12InterchangeResult = ctx.senderMismatch || ctx.rejectDuplicate
      ? { ...ic, ackCode: 'R', noteCode: ctx.senderMismatch ? '006' : '025' }
      : ic;
    if (shouldSendTa1(partner.acknowledgements.ta1, outcome, ctx.rejectDuplicate) || ctx.senderMismatch && partner.acknowledgements.ta1 !== 'never') {
      const isa13 = pad9(store.counters.next(partner.id, 'isa13'));
      const fileName = `TA1_${isa13}.x12`;
      out.push({
        text: buildTa1(outcome, { interchangeControlNumber: isa13, now, duplicate: ctx.rejectDuplicate }),
        row: {
          direction: 'outbound', kind: 'TA1', partnerId: partner.id, interchangeId: ctx.rowId, groupControlNumber: null, ackCode: outcome.ackCode,
          status: ackStatusOf(outcome.ackCode), interchangeControlNumber: isa13, groupControlNumberSent: null, fileName, path: join(dir, fileName), createdAt: now.toISOString(),
        },
      });
    }
    if (!partner.acknowledgements.functional || outcome.ackCode === 'R' || !ctx.processable && !ctx.duplicateOf) return out;
    for (const group of ctx.groups) {
      if (group.header.functionalId === 'FA') continue; // never acknowledge an acknowledgement
      const isa13 = pad9(store.counters.next(partner.id, 'isa13'));
      const gs06 = String(store.counters.next(partner.id, 'gs06'));
      const kind = partner.acknowledgements.functionalType;
      const fileName = `${kind}_${isa13}.x12`;
      const params = { interchange: ic.header, interchangeControlNumber: isa13, groupControlNumber: gs06, now };
      out.push({
        text: kind === '999' ? build999(group, params) : build997(group, params),
        row: {
          direction: 'outbound', kind, partnerId: partner.id, interchangeId: ctx.rowId, groupControlNumber: group.header.controlNumber,
          ackCode: group.ackCode, status: ackStatusOf(group.ackCode), interchangeControlNumber: isa13, groupControlNumberSent: gs06,
          fileName, path: join(dir, fileName), createdAt: now.toISOString(),
        },
      });
    }
    return out;
  }

  /** Records built acknowledgements (with their text) in the store; the files are written when the file is done. */
  private recordAcks(acks: PendingAck[]): void {
    for (const a of acks) this.deps.store.acks.insert({ ...a.row, content: a.text });
  }

  /** Writes every acknowledgement recorded for the file atomically into outbox/<partner>/. */
  private writeAcks(fileId: number, summary: IngestSummary, log: Logger): void {
    const { store, config, partners } = this.deps;
    for (const a of store.acks.iterateForFile(fileId)) {
      // Placed in outbox/<partner-id>/, or queued for the partner's sending channel (SFTP push, AS2).
      const partner = a.partnerId ? partners.get(a.partnerId) : undefined;
      let path = a.path!;
      if (partner) {
        path = submitOutbound(store.db, config, partner, { kind: a.kind, fileName: a.fileName!, bytes: Buffer.from(a.content ?? '', 'latin1'), ackId: a.id, now: this.now().getTime() }).path;
      } else {
        writeFileAtomic(path, a.content ?? '');
      }
      if (summary.acks.length < SUMMARY_LIST_MAX) summary.acks.push({ kind: a.kind, fileName: a.fileName!, path, ackCode: a.ackCode });
      else summary.acksOmitted = (summary.acksOmitted ?? 0) + 1;
      log.info({ ack: a.fileName, code: a.ackCode, ...(a.groupControlNumber ? { group: a.groupControlNumber } : {}) }, `${a.kind} written`);
    }
  }
}

/** Partner of an interchange: the channel's hint cross-checked with ISA05/ISA06. */
function resolvePartner(partners: PartnerDirectory, h: X12InterchangeHeader, hint: string | null): { partner?: Partner; mismatch: boolean; finding?: Finding } {
  const bySender = partners.byX12(h.senderQualifier, h.senderId);
  const hinted = hint ? partners.get(hint) : undefined;
  if (hinted) {
    if (bySender === hinted) return { partner: hinted, mismatch: false };
    return {
      partner: hinted, mismatch: true,
      finding: {
        code: 'X12_SENDER_MISMATCH', severity: 'error', level: 'interchange', ta1: '006',
        message: `ISA05/ISA06 ${h.senderQualifier}/${h.senderId} is not an interchange id of partner ${hinted.id} (file arrived through ${hinted.id}'s channel` +
          (bySender ? `; the id belongs to partner ${bySender.id})` : ')') + '; not processed',
      },
    };
  }
  if (bySender) return { partner: bySender, mismatch: false };
  return {
    mismatch: false,
    finding: {
      code: 'X12_PARTNER_UNKNOWN', severity: 'error', level: 'interchange',
      message: `no trading partner has the interchange id ${h.senderQualifier}/${h.senderId} (ISA05/ISA06)` + (hint ? ` and the channel hint "${hint}" is not a partner` : '') +
        '; the file is kept and recorded: add the partner with "edigate partners add", then POST /api/files/<id>/reprocess',
    },
  };
}

/**
 * Duplicate layer 3 at a group's end: a repeated GS06 (and the ST02 repeats of its sets) per the partner's
 * controlNumbers policy; the sets' AK5 and the group's AK9 codes are worked out again when a finding was relaxed.
 */
function relaxGroupControlNumbers(group: X12GroupResult, policy: Partner['duplicates']['controlNumbers']): void {
  if (policy === 'reject') return;
  let changed = applyControlNumberPolicy(group.findings, policy);
  for (const s of group.sets) {
    const code = setAckCodeOf(s.findings);
    if (code !== s.ackCode) { s.ackCode = code; changed = true; }
  }
  if (!changed) return;
  group.acceptedCount = group.sets.filter((s) => s.ackCode !== 'R').length;
  const code = groupAckCode(group, group.sets);
  // A flagged GS06 repeat is an error noted but accepted: AK9 E with its code 19.
  group.ackCode = code === 'A' && group.findings.some((f) => f.severity === 'warning') ? 'E' : code;
}

/** AK9 code after routing adjusted some sets (X12.5 997 AK901). */
function groupAckCode(group: X12GroupResult, sets: X12SetSummary[]): X12GroupResult['ackCode'] {
  if (group.findings.some((f) => f.severity === 'error')) return 'R';
  const accepted = sets.filter((s) => s.ackCode !== 'R').length;
  if (accepted === 0) return 'R';
  if (accepted < sets.length) return 'P';
  return sets.some((s) => s.ackCode === 'E') ? 'E' : 'A';
}

function interchangeStatusOf(groups: X12GroupResult[]): InterchangeStatus {
  if (groups.length === 0 || groups.every((g) => g.ackCode === 'A')) return 'accepted';
  if (groups.every((g) => g.ackCode === 'R')) return 'rejected';
  if (groups.every((g) => g.ackCode === 'A' || g.ackCode === 'E')) return 'accepted_with_errors';
  return 'partially_accepted';
}

function businessReferenceOf(payload: Record<string, unknown>): string | null {
  for (const k of ['purchaseOrderNumber', 'shipmentId', 'invoiceNumber', 'reference']) {
    const v = payload[k];
    if (typeof v === 'string' && v) return v;
  }
  return null;
}

/** Findings, interchanges and acks listed in a summary (all of them are in the store). */
const SUMMARY_FINDINGS_MAX = 1000;
const SUMMARY_LIST_MAX = 1000;

/** Adds a finding to the summary, up to SUMMARY_FINDINGS_MAX (then counts the rest in `findingsOmitted`). */
function noteFinding(summary: IngestSummary, f: Finding): void {
  if (summary.findings.length < SUMMARY_FINDINGS_MAX) summary.findings.push(pick(f));
  else summary.findingsOmitted = (summary.findingsOmitted ?? 0) + 1;
}

function pick(f: Finding): Pick<Finding, 'code' | 'severity' | 'level' | 'message'> {
  return { code: f.code, severity: f.severity, level: f.level, message: f.message };
}

function pad9(n: number): string {
  return String(n).padStart(9, '0');
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await fsp.open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Files archived and recorded at the same time by ingest (processing stays one file at a time). */
const RECORD_CONCURRENCY = 4;

interface RecordedFile {
  fileId: number;
  archived: { sha256: string; size: number; path: string; sourceMtimeMs?: number };
  correlationId: string;
  receivedAt: Date;
  log: Logger;
}

/** A counting semaphore: at most `size` tasks run at once, the others wait their turn in call order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) { this.free = size; }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Bytes read to tell the format (a file of white space only up to this size is empty). */
export const HEAD_BYTES = 4096;

/** Format by the first bytes after a BOM and white space: ISA (X12), UNA/UNB (EDIFACT, or UNH for a message sent without envelope). */
export function detectFormat(head: Buffer): 'x12' | 'edifact' | 'empty' | 'unknown' {
  let s = head.toString('latin1');
  if (s.startsWith('\xef\xbb\xbf')) s = s.slice(3);
  s = s.replace(/^[\s\0]+/, '');
  if (s.length === 0) return head.length < HEAD_BYTES ? 'empty' : 'unknown';
  if (s.startsWith('ISA')) return 'x12';
  if (s.startsWith('UNA') || s.startsWith('UNB') || s.startsWith('UNH')) return 'edifact';
  return 'unknown';
}

/** Removes every record under a file whose processing stopped midway (its deliveries were all still held). */

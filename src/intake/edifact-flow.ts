/**
 * The EDIFACT path of the inbound pipeline (after archive, record and content-hash duplicate check):
 *
 *   stream the archived file through the EDIFACT reader (src/formats/edifact/reader.ts)
 *   -> per interchange: the partner by UNB sender (S002 0004/0007), cross-checked with the channel's hint;
 *      a repeated UNB 0020 from the same sender is a duplicate (partner policy duplicates.interchange)
 *   -> per message: recorded with its findings; an accepted message of a routed type (documents.ORDERS...)
 *      is mapped on the map pool and enqueued HELD, one delivery per destination; a message type the
 *      partner has no route for is rejected (UCM 4, 0085 17 "no agreement"); a CONTRL from the partner is
 *      recorded against the CONTRL of ours it answers
 *   -> per interchange end: held deliveries of a rejected interchange cancelled; the CONTRL the partner's
 *      policy asks for is built and recorded
 *   -> at the end of the file: acknowledgements written, deliveries released, file finished.
 */
import { createReadStream } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Partner, DocumentRoute } from '../partners/partner.js';
import type { Finding } from '../validation/finding.js';
import { makeFinding } from '../validation/codes.js';
import { EdifactReader } from '../formats/edifact/reader.js';
import type { EdifactGroupResult, EdifactInterchangeHeader, EdifactInterchangeResult, EdifactMessage } from '../formats/edifact/types.js';
import { buildContrl, contrlHasErrors, shouldSendContrl } from '../acks/contrl.js';
import { buildEdifactMapInput } from '../mapping/edifact-input.js';
import type { MapJobResult } from '../mapping/map-pool.js';
import type { LoadedMap } from '../mapping/maps.js';
import type { CanonicalMessage } from '../canonical/envelope.js';
import { enqueueDelivery, releaseHeldForFile, cancelHeld, cancelHeldForGroup } from '../store/deliveries.js';
import { contrlLedger } from '../store/contrl-ledger.js';
import type { AckStatus } from '../store/acks.js';
import type { InterchangeStatus } from '../store/interchanges.js';
import { isoNow } from '../store/db.js';
import { GatewayError } from '../errors.js';
import { businessReferenceOf, fileStatusOf, noteFinding, SUMMARY_LIST_MAX, type FlowContext } from './flow-context.js';

const CHUNK_SIZE = 256 * 1024;

interface IcCtx {
  rowId: number;
  header: EdifactInterchangeHeader;
  partner: Partner | undefined;
  processable: boolean;
  senderMismatch: boolean;
  duplicateOf: number | null;
  rejectDuplicate: boolean;
  findings: Finding[];
  setCount: number;
  groupCount: number;
  /** Messages that are CONTRL (the interchange is then not answered with a CONTRL when it holds only those). */
  contrlOnly: boolean;
  messagesInGroup: number;
  /** Inbound CONTRLs to record once the file's acknowledgements are written. */
  received: Array<{ partnerId: string; interchangeId: number; controlReference: string; messageReference: string; action: string; content: string }>;
}

type Ev =
  | { kind: 'start'; header: EdifactInterchangeHeader; ctx?: IcCtx }
  | { kind: 'message'; message: EdifactMessage; mapped?: Mapped; route?: DocumentRoute }
  | { kind: 'group'; group: EdifactGroupResult }
  | { kind: 'end'; interchange: EdifactInterchangeResult }
  | { kind: 'file'; finding: Finding };

interface Mapped {
  message?: CanonicalMessage;
  destinations: string[];
  businessReference: string | null;
  findings: Finding[];
}

interface Prepared {
  route: DocumentRoute;
  map: LoadedMap;
  partnerId: string;
  idempotencyKey: string;
  job: { map: string; input: Record<string, unknown> };
}

const ackStatus = (action: string, partial: boolean): AckStatus => (action === '4' ? 'rejected' : partial ? 'partially_accepted' : 'accepted');

/** Partner of an interchange: the channel's hint cross-checked with the UNB sender. */
function resolvePartner(ctx: FlowContext, h: EdifactInterchangeHeader): { partner?: Partner; mismatch: boolean; finding?: Finding } {
  const partners = ctx.deps.partners;
  const hint = ctx.file.partnerHint ?? null;
  const hinted = hint ? partners.get(hint) : undefined;
  if (!h.enveloped) {
    if (hinted) return { partner: hinted, mismatch: false };
    return { mismatch: false, finding: makeFinding('EDIFACT_PARTNER_UNKNOWN', 'the message has no UNB, so its sender is only known from the channel, and the file came with no partner (inbox folder, SFTP user or --partner)') };
  }
  const bySender = partners.byEdifact(h.senderId, h.senderQualifier);
  const who = `${h.senderId}${h.senderQualifier ? ':' + h.senderQualifier : ''}`;
  if (hinted) {
    if (bySender === hinted) return { partner: hinted, mismatch: false };
    return {
      partner: hinted, mismatch: true,
      finding: makeFinding('EDIFACT_SENDER_MISMATCH', `UNB sender ${who} is not an EDIFACT id of partner ${hinted.id} (file arrived through ${hinted.id}'s channel` +
        (bySender ? `; the id belongs to partner ${bySender.id})` : ')') + '; not processed'),
    };
  }
  if (bySender) return { partner: bySender, mismatch: false };
  return {
    mismatch: false,
    finding: makeFinding('EDIFACT_PARTNER_UNKNOWN', `no trading partner has the EDIFACT sender id ${who} (UNB S002)` + (hint ? ` and the channel hint "${hint}" is not a partner` : '') +
      '; the file is kept and recorded: add the partner with "edigate partners add ID --edifact ID[:QUAL]", then POST /api/files/<id>/reprocess'),
  };
}

/**
 * Processes an archived EDIFACT file end to end (see the module comment).
 * @returns the file summary; partners' bad data are findings and CONTRLs, never exceptions.
 * @throws GatewayError EDIGATE_STOPPING when the gateway stops mid-file (nothing of it was released).
 */
export async function runEdifactFlow(ctx: FlowContext): Promise<ReturnType<FlowContext['finishFile']>> {
  const { store, config, partners, maps, mapPool } = ctx.deps;
  const { summary, fileId, file, log } = ctx;
  const ledger = contrlLedger(store.db);
  const statusCounts = new Map<InterchangeStatus, number>();
  const partnersMet = new Set<string>();
  const received: IcCtx['received'] = [];
  let current: IcCtx | undefined;
  let events: Ev[] = [];
  const reader = new EdifactReader({
    onInterchangeStart: (header) => events.push({ kind: 'start', header }),
    onMessage: (message) => events.push({ kind: 'message', message: { ...message, segments: [...message.segments] } }),
    onGroupEnd: (group) => events.push({ kind: 'group', group }),
    onInterchangeEnd: (interchange) => events.push({ kind: 'end', interchange }),
    onFileFinding: (finding) => events.push({ kind: 'file', finding }),
  }, {
    maxSegmentLength: config.intake.maxSegmentLength,
    characterSetFor: (h) => {
      const p = h.enveloped ? partners.byEdifact(h.senderId, h.senderQualifier) : undefined;
      return (p ?? (file.partnerHint ? partners.get(file.partnerHint) : undefined))?.edifact.characterSet;
    },
  });

  const open = (header: EdifactInterchangeHeader): IcCtx => {
    const r = resolvePartner(ctx, header);
    const c: IcCtx = {
      rowId: 0, header, partner: r.partner, processable: !!r.partner && !r.mismatch, senderMismatch: r.mismatch, duplicateOf: null, rejectDuplicate: false,
      findings: r.finding ? [r.finding] : [], setCount: 0, groupCount: 0, contrlOnly: true, messagesInGroup: 0, received: [],
    };
    if (c.partner && !c.senderMismatch && header.enveloped) {
      const prev = store.interchanges.findPrevious(header.senderQualifier, header.senderId, header.controlReference, -1);
      if (prev) {
        c.duplicateOf = prev.id;
        c.rejectDuplicate = c.partner.duplicates.interchange === 'reject';
        c.findings.push(makeFinding('EDIFACT_DUPLICATE_INTERCHANGE', `UNB 0020 ${header.controlReference} from ${header.senderId} was already received in interchange ${prev.id} on ${prev.receivedAt}` +
          (c.rejectDuplicate ? '; rejected as a duplicate (partner policy duplicates.interchange: reject)' : '; processed again (partner policy duplicates.interchange: accept)'),
        c.rejectDuplicate ? {} : { severity: 'warning' }));
        if (c.rejectDuplicate) c.processable = false;
      }
    }
    return c;
  };

  const prepare = (m: EdifactMessage, c: IcCtx): { prep?: Prepared; route?: DocumentRoute; findings: Finding[] } => {
    const p = c.partner;
    if (!p || !c.processable || m.action === '4' || m.type === 'CONTRL') return { findings: [] };
    const route = p.documents[m.type];
    if (!route) return { findings: [] };
    const map = maps.get(route.map);
    if (!map) return { route, findings: [makeFinding('MAP_NOT_FOUND', `map "${route.map}" named by partner ${p.id} for ${m.type} is not loaded`)] };
    const h = c.header;
    const idempotencyKey = createHash('sha256')
      .update([p.id, 'EDIFACT', h.senderQualifier, h.senderId, h.controlReference, m.groupReference, m.index, m.reference].join('|')).digest('hex');
    const input = buildEdifactMapInput({ ...m, decimalMark: h.syntax.delimiters.decimal });
    return { route, prep: { route, map, partnerId: p.id, idempotencyKey, job: { map: map.name, input } }, findings: [] };
  };

  const finish = (m: EdifactMessage, prep: Prepared, result: MapJobResult, c: IcCtx): Mapped => {
    const findings: Finding[] = [];
    if (result.error !== undefined || !result.payload) {
      findings.push({ code: 'MAP_FAILED', severity: 'error', level: 'transaction', message: `map "${prep.map.name}" failed on UNH ${m.reference}: ${result.error ?? 'no output'}` });
      return { destinations: prep.route.destinations, businessReference: null, findings };
    }
    if (result.errors?.length) {
      findings.push({ code: 'CANONICAL_INVALID', severity: 'error', level: 'transaction', message: `map "${prep.map.name}" produced a ${prep.map.messageType} that does not match its schema: ${result.errors.slice(0, 5).join('; ')}` });
      return { destinations: prep.route.destinations, businessReference: null, findings };
    }
    const h = c.header;
    const message: CanonicalMessage = {
      id: randomUUID(), type: prep.map.messageType, schemaVersion: prep.map.schemaVersion, partnerId: prep.partnerId, correlationId: ctx.correlationId,
      idempotencyKey: prep.idempotencyKey,
      source: {
        standard: 'EDIFACT', version: [m.version, m.release, m.agency, m.associationCode].filter(Boolean).join(':'), documentType: m.type, channel: file.channel,
        interchangeControlNumber: h.controlReference, groupControlNumber: m.groupReference, transactionSetControlNumber: m.reference,
        fileName: file.fileName, receivedAt: ctx.receivedAt.toISOString(),
      },
      payload: result.payload,
    };
    return { message, destinations: prep.route.destinations, businessReference: businessReferenceOf(result.payload), findings };
  };

  const onMessage = (ev: Extract<Ev, { kind: 'message' }>, c: IcCtx): void => {
    const m = ev.message;
    const findings = [...m.findings, ...(ev.mapped?.findings ?? [])];
    if (m.type !== 'CONTRL') c.contrlOnly = false;
    const p = c.partner;
    if (p && c.processable && m.action !== '4' && m.type !== 'CONTRL' && !ev.route) {
      findings.push(makeFinding('EDIFACT_MESSAGE_NOT_SUPPORTED', `message ${m.type} (UNH ${m.reference}) is not configured for partner ${p.id} (partners/${p.id}.yaml documents)`));
      m.action = '4';
      if (m.summary) { m.summary.action = '4'; m.summary.syntaxError = { code: '17', tag: 'UNH', element: 2, component: 1 }; }
    }
    if (p && c.processable && m.action !== '4' && m.type === 'CONTRL') {
      const uci = m.segments.find((s) => s.tag === 'UCI');
      if (uci) {
        const text = m.segments.map((s) => s.tag + s.elements.map((e) => '+' + e.join(':')).join('')).join("'\n") + "'";
        c.received.push({ partnerId: p.id, interchangeId: c.rowId, controlReference: uci.elements[0]?.[0] ?? '', messageReference: m.reference, action: uci.elements[3]?.[0] ?? '', content: text });
      }
    }
    c.setCount++;
    summary.transactionSets++;
    const setRowId = store.transactions.insertSet({
      interchangeId: c.rowId, groupControlNumber: m.groupReference, setId: m.type, controlNumber: m.reference,
      implementationReference: [m.version, m.release, m.agency, m.associationCode].filter(Boolean).join(':') || null, position: m.index, ackCode: m.action,
      segmentCount: m.segments.length, businessReference: ev.mapped?.businessReference ?? null, byteStart: c.header.offset, byteEnd: c.header.offset,
    });
    const where = { fileId, interchangeId: c.rowId, groupControlNumber: m.groupReference || null, transactionSetId: setRowId, transactionControlNumber: m.reference };
    for (const f of findings) { store.findings.insert(where, f); noteFinding(summary, f); }
    const msg = ev.mapped?.message;
    if (msg && m.action !== '4' && c.processable) {
      store.messages.insert({
        id: msg.id, interchangeId: c.rowId, transactionSetId: setRowId, partnerId: msg.partnerId, type: msg.type, idempotencyKey: msg.idempotencyKey,
        correlationId: msg.correlationId, businessReference: ev.mapped!.businessReference, body: JSON.stringify(msg), createdAt: ctx.receivedAt.toISOString(),
      });
      for (const destination of ev.mapped!.destinations) {
        enqueueDelivery(store.db, {
          messageId: msg.id, interchangeId: c.rowId, partnerId: msg.partnerId, destination, messageType: msg.type,
          maxAttempts: config.destinations[destination]?.retry.maxAttempts ?? 8, state: 'held', now: ctx.now().getTime(),
        });
      }
      summary.messagesEnqueued++;
      c.messagesInGroup++;
    }
  };

  const onGroup = (g: EdifactGroupResult, c: IcCtx): void => {
    c.groupCount++;
    const h = g.header;
    const messagesInGroup = c.messagesInGroup;
    c.messagesInGroup = 0;
    const accepted = g.messages.filter((m) => m.action !== '4').length;
    const groupId = store.transactions.insertGroup({
      interchangeId: c.rowId, functionalId: h.groupId, senderCode: h.senderId || null, receiverCode: h.recipientId || null, controlNumber: h.reference,
      version: h.version || null, groupDate: h.date || null, groupTime: h.time || null, declaredSetCount: g.declaredCount, setCount: g.messages.length,
      acceptedCount: accepted, ackCode: g.action, byteStart: c.header.offset, byteEnd: c.header.offset,
    });
    if (g.action === '4') {
      const cancelled = cancelHeldForGroup(store.db, groupId, `group ${h.reference} rejected (UCF 4)`, ctx.now().getTime());
      if (cancelled > 0) summary.messagesEnqueued -= messagesInGroup;
    }
    for (const f of g.findings) { store.findings.insert({ fileId, interchangeId: c.rowId, groupControlNumber: h.reference }, f); noteFinding(summary, f); }
  };

  const onEnd = (ic: EdifactInterchangeResult, c: IcCtx): InterchangeStatus => {
    const now = ctx.now();
    for (const f of [...c.findings, ...ic.findings]) { store.findings.insert({ fileId, interchangeId: c.rowId }, f); noteFinding(summary, f); }
    // the partner-level outcome decides the UCI too
    if (c.senderMismatch || c.rejectDuplicate) {
      ic.action = '4';
      ic.syntaxError ??= { code: c.senderMismatch ? '23' : '26', tag: 'UNB', element: c.senderMismatch ? 2 : 5 };
    }
    const all = [...ic.messages, ...ic.groups.flatMap((g) => g.messages)];
    const acceptedMsgs = all.filter((m) => m.action !== '4').length;
    let status: InterchangeStatus;
    if (!c.partner) status = 'unknown_partner';
    else if (c.senderMismatch || ic.action === '4') status = 'rejected';
    else if (c.rejectDuplicate) status = 'duplicate';
    else if (acceptedMsgs === all.length) status = 'accepted';
    else if (acceptedMsgs === 0) status = 'rejected';
    else status = 'partially_accepted';
    const ok = status === 'accepted' || status === 'partially_accepted';
    if (!ok) cancelHeld(store.db, c.rowId, `interchange ${status}`, now.getTime());
    store.interchanges.finish({ id: c.rowId, status, ackCode: c.partner ? ic.action : null, noteCode: ic.syntaxError?.code ?? null, groupCount: c.groupCount, setCount: c.setCount, byteEnd: ic.offsetEnd });
    if (summary.interchanges.length < SUMMARY_LIST_MAX) {
      summary.interchanges.push({
        id: c.rowId, controlNumber: ic.header.controlReference, status, ackCode: c.partner ? ic.action : null, noteCode: ic.syntaxError?.code ?? null,
        groups: ic.groups.map((g) => ({ controlNumber: g.header.reference, functionalId: g.header.groupId, ackCode: g.action, sets: g.messages.length, accepted: g.messages.filter((m) => m.action !== '4').length })),
      });
    } else summary.interchangesOmitted = (summary.interchangesOmitted ?? 0) + 1;
    const p = c.partner;
    // A CONTRL mirrors the UNB: without its syntax identifier, sender and recipient it could not be addressed (it
    // would go out with an empty envelope). The interchange stays rejected with its findings in the ops API.
    const addressable = !!(ic.header.syntaxId && ic.header.senderId && ic.header.recipientId);
    if (p && !addressable) log.warn({ interchange: c.rowId }, 'no CONTRL: the UNB has no syntax identifier, sender or recipient to answer to');
    if (p && addressable && shouldSendContrl(c.senderMismatch || c.rejectDuplicate ? (p.edifact.contrl === 'never' ? 'never' : 'always') : p.edifact.contrl, ic, c.contrlOnly && ic.messageCount > 0)) {
      const ref = String(store.counters.next(p.id, 'unb0020', 99_999_999_999_999));
      const text = buildContrl(ic, { controlReference: ref, messageReference: ref, now, level: p.edifact.contrlLevel });
      const fileName = `CONTRL_${ref}.edi`;
      const partial = contrlHasErrors(ic) && ic.action !== '4';
      store.acks.insert({
        direction: 'outbound', kind: 'CONTRL', partnerId: p.id, interchangeId: c.rowId, groupControlNumber: null,
        ackCode: p.edifact.contrlLevel === 'received' && ic.action !== '4' ? '8' : ic.action, status: ackStatus(ic.action, partial),
        interchangeControlNumber: ref, groupControlNumberSent: ref, fileName, path: join(config.outboxDir, p.id, fileName), content: text, createdAt: now.toISOString(),
      });
    }
    received.push(...c.received);
    return status;
  };

  const drain = async (): Promise<void> => {
    if (!events.length) return;
    const batch = events;
    events = [];
    let c = current;
    const jobs: Array<{ ev: Extract<Ev, { kind: 'message' }>; prep: Prepared; c: IcCtx }> = [];
    for (const ev of batch) {
      if (ev.kind === 'start') { c = open(ev.header); ev.ctx = c; }
      else if (ev.kind === 'message' && c) {
        const r = prepare(ev.message, c);
        if (r.route) ev.route = r.route;
        if (r.prep) jobs.push({ ev, prep: r.prep, c });
        else if (r.findings.length) ev.mapped = { destinations: [], businessReference: null, findings: r.findings };
      }
    }
    const results = await mapPool.mapMany(jobs.map((j) => j.prep.job));
    jobs.forEach((j, i) => { j.ev.mapped = finish(j.ev.message, j.prep, results[i]!, j.c); });
    store.db.transaction(() => {
      for (const ev of batch) {
        switch (ev.kind) {
          case 'start': {
            current = ev.ctx!;
            const h = current.header;
            current.rowId = store.interchanges.insert({
              fileId, partnerId: current.partner?.id ?? null, standard: 'EDIFACT', senderQualifier: h.senderQualifier, senderId: h.senderId,
              receiverQualifier: h.recipientQualifier, receiverId: h.recipientId, controlNumber: h.controlReference,
              version: h.syntaxId ? `${h.syntaxId}:${h.syntaxVersion}` : null, usage: h.testIndicator === '1' ? 'T' : 'P', ackRequested: h.ackRequest || null,
              interchangeDate: h.date || null, interchangeTime: h.time || null, duplicateOf: current.duplicateOf, byteStart: h.offset, receivedAt: isoNow(ctx.receivedAt.getTime()),
            });
            if (current.partner) partnersMet.add(current.partner.id);
            break;
          }
          case 'message': if (current) onMessage(ev, current); break;
          case 'group': if (current) onGroup(ev.group, current); break;
          case 'end':
            if (current) {
              const st = onEnd(ev.interchange, current);
              statusCounts.set(st, (statusCounts.get(st) ?? 0) + 1);
              current = undefined;
            }
            break;
          case 'file': store.findings.insert({ fileId }, ev.finding); noteFinding(summary, ev.finding); break;
        }
      }
    })();
  };

  const stream = createReadStream(ctx.archived.path, { highWaterMark: CHUNK_SIZE });
  for await (const chunk of stream) {
    if (ctx.stopping()) {
      stream.destroy();
      throw new GatewayError('EDIGATE_STOPPING', `${file.fileName} interrupted; processed again at the next start`);
    }
    reader.push(chunk as Buffer);
    await drain();
  }
  reader.end();
  await drain();

  let status = fileStatusOf(statusCounts);
  if (statusCounts.size === 0) {
    const f = makeFinding('EDIFACT_NOT_EDIFACT', 'no EDIFACT interchange (UNA/UNB) or message (UNH) could be read in the file');
    store.findings.insert({ fileId }, f);
    noteFinding(summary, f);
    status = 'unreadable';
  }
  summary.partnerId = partnersMet.size === 1 ? [...partnersMet][0]! : (file.partnerHint && partners.get(file.partnerHint) ? file.partnerHint : null);
  let released = 0;
  store.db.transaction(() => {
    ctx.writeAcks(fileId, summary, log);
    // the partner's CONTRLs, recorded against the CONTRL of ours each answers (after ours were written)
    for (const r of received) {
      const sent = ledger.findSent(r.partnerId, r.controlReference);
      const st: AckStatus = r.action === '4' ? 'rejected' : 'accepted';
      ledger.recordReceived({
        partnerId: r.partnerId, interchangeId: r.interchangeId, ackCode: r.action, status: st, controlReference: r.controlReference, messageReference: r.messageReference,
        fileName: file.fileName, content: r.content, createdAt: ctx.now().toISOString(), answersAckId: sent?.id ?? null,
      });
      const f = !sent
        ? makeFinding('EDIFACT_CONTRL_UNMATCHED', `CONTRL ${r.messageReference} answers interchange ${r.controlReference}, which is not an interchange we recorded sending to ${r.partnerId}; recorded unmatched`)
        : r.action === '4' ? makeFinding('EDIFACT_CONTRL_RECEIVED', `CONTRL ${r.messageReference}: partner ${r.partnerId} rejected our interchange ${r.controlReference} (UCI action 4)`) : null;
      if (f) { store.findings.insert({ fileId, interchangeId: r.interchangeId }, f); noteFinding(summary, f); }
    }
    released = releaseHeldForFile(store.db, fileId, ctx.now().getTime());
    ctx.finishFile(status, 'edifact');
  })();
  if (released > 0) ctx.deps.onReleased?.();
  if (summary.acks.length > 0) ctx.deps.onOutbound?.();
  return summary;
}

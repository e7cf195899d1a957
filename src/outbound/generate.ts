/**
 * Outbound documents: a canonical message posted by the ERP or WMS becomes an X12 interchange for the partner,
 * with our own control numbers, recorded as awaiting the partner's functional acknowledgement, and handed to the
 * partner's outbound channel (outbox folder, SFTP push, AS2) in the same store transaction.
 */
import { createHash } from 'node:crypto';
import type { GatewayConfig } from '../config-types.js';
import type { Store } from '../store/index.js';
import type { PartnerDirectory } from '../partners/load.js';
import type { X12EnvelopeSettings } from '../partners/x12-envelope.js';
import { buildIsa, gsDateTime, isaDateTime, writeSegment, type X12OutSegment } from '../formats/x12/writer.js';
import { validateCanonical, isCanonicalType } from '../canonical/index.js';
import {
  findOutboundByIdempotencyKey, insertExpectedAck, insertOutboundDocument, setOutboundTransmission, type OutboundDocumentRow,
} from '../store/outbound.js';
import { getTransmission } from '../store/transmissions.js';
import { placeOutbox, submitOutbound } from '../transports/outbound.js';
import { x12BuilderFor, x12OutboundTypes } from './x12-builder.js';
import { GatewayError } from '../errors.js';
import './x12/index.js';

/** A canonical message to send (POST /api/outbound). */
export interface OutboundRequest {
  partnerId: string;
  /** Canonical message type, e.g. "shipment". */
  type: string;
  payload: Record<string, unknown>;
  /** The caller's key: the same key again returns the first document instead of sending a second one. */
  idempotencyKey: string;
}

/** Outcome of generateOutbound. */
export interface OutboundResult {
  /** false when the idempotency key was seen before and the first document is returned. */
  created: boolean;
  document: OutboundDocumentRow;
  transmission: { id: number; channel: string; state: string } | null;
}

export interface OutboundDeps {
  store: Store;
  config: Pick<GatewayConfig, 'outboxDir' | 'archiveDir'>;
  partners: PartnerDirectory;
  now?: () => Date;
}

function pad9(n: number): string {
  return String(n).padStart(9, '0');
}

/** Refuses a value that holds one of the envelope's delimiters (X12.5: delimiters must not occur in data). */
function checkValues(segments: X12OutSegment[], d: X12EnvelopeSettings['delimiters']): void {
  const bad = [d.element, d.segment, d.component, d.repetition];
  for (const seg of segments) {
    seg.elements.forEach((v, i) => {
      // Composites and repeats are built by the builder with the separators on purpose; only the element
      // and segment separators can never appear inside a value.
      // eslint-disable-next-line no-control-regex
      if (/[^\x20-\x7e\xa0-\xff]/.test(v)) {
        throw new GatewayError('EDIGATE_INVALID_REQUEST', `${seg.tag}${String(i + 1).padStart(2, '0')} "${v.slice(0, 40)}" holds a character X12 cannot carry here (control characters, or outside Latin-1)`);
      }
      if (v.includes(bad[0]!) || v.includes(bad[1]!)) {
        throw new GatewayError('EDIGATE_INVALID_REQUEST', `${seg.tag}${String(i + 1).padStart(2, '0')} "${v}" holds a delimiter of the partner's envelope (${JSON.stringify(d)})`);
      }
    });
  }
}

/** The interchange text for one set (ISA, GS, ST, body, SE, GE, IEA), a line feed after each terminator unless it is CR/LF. */
function interchangeText(env: X12EnvelopeSettings, setId: string, functionalId: string, body: X12OutSegment[], isa13: string, gs06: string, st02: string, now: Date): string {
  const d = { element: env.delimiters.element, component: env.delimiters.component, segment: env.delimiters.segment, repetition: env.version >= '00402' ? env.delimiters.repetition : null };
  const nl = d.segment === '\n' || d.segment === '\r' ? '' : '\n';
  const { date, time } = isaDateTime(now);
  const gs = gsDateTime(now);
  const isa = buildIsa({
    senderQualifier: env.sender.qualifier, senderId: env.sender.id, receiverQualifier: env.receiver.qualifier, receiverId: env.receiver.id,
    date, time, version: env.version, controlNumber: isa13, ackRequested: env.ackRequested ? '1' : '0', usage: env.usage,
  }, d, nl);
  const st: X12OutSegment = { tag: 'ST', elements: env.groupVersion >= '005010' && env.groupVersion.length > 6 ? [setId, st02, env.groupVersion] : [setId, st02] };
  const segs: X12OutSegment[] = [
    { tag: 'GS', elements: [functionalId, env.applicationSender, env.applicationReceiver, env.groupVersion < '004010' ? gs.date.slice(2) : gs.date, gs.time, gs06, 'X', env.groupVersion] },
    st, ...body, { tag: 'SE', elements: [String(body.length + 2), st02] },
    { tag: 'GE', elements: ['1', gs06] }, { tag: 'IEA', elements: ['1', isa13] },
  ];
  return isa + segs.map((s) => writeSegment(s, d, nl)).join('');
}

/**
 * Generates the X12 document for a posted canonical message and queues it for the partner.
 *
 * In one store transaction: the idempotency key is looked up (same key and same request: the first document is
 * returned, `created: false`; same key, other request: EDIGATE_IDEMPOTENCY_CONFLICT); our ISA13 and GS06 come from
 * the partner's counters (shared with our acknowledgements, so they never repeat, across restarts too), ST02 is
 * 0001 (one set per interchange); the document, the acknowledgement we expect (997 or 999; and a TA1 when the
 * envelope asks for one: ISA14 = 1) and the transmission are recorded; the file goes to the partner's channel as
 * `<set id>_<ISA13>.x12`.
 * @throws GatewayError EDIGATE_PARTNER_UNKNOWN, EDIGATE_OUTBOUND_UNSUPPORTED (no builder for the type, or the partner
 *   has no x12.envelope), EDIGATE_CANONICAL_INVALID (payload against the type's JSON Schema, every problem listed),
 *   EDIGATE_INVALID_REQUEST (a value holding a delimiter, or missing what the set requires), EDIGATE_IDEMPOTENCY_CONFLICT.
 */
export function generateOutbound(deps: OutboundDeps, req: OutboundRequest): OutboundResult {
  const partner = deps.partners.get(req.partnerId);
  if (!partner) throw new GatewayError('EDIGATE_PARTNER_UNKNOWN', req.partnerId);
  const builder = x12BuilderFor(req.type);
  if (!builder) {
    const known = x12OutboundTypes().map((t) => `${t.messageType} (${t.setId})`).join(', ') || 'none';
    throw new GatewayError('EDIGATE_OUTBOUND_UNSUPPORTED', `no X12 document is generated from "${req.type}" (types sent: ${known})`);
  }
  const env = partner.x12.envelope;
  if (!env) throw new GatewayError('EDIGATE_OUTBOUND_UNSUPPORTED', `partner ${partner.id} has no x12.envelope (our sender id and its receiver id) in partners/${partner.id}.yaml`);
  if (!isCanonicalType(req.type)) throw new GatewayError('EDIGATE_CANONICAL_INVALID', `unknown canonical type "${req.type}"`);
  const problems = validateCanonical(req.type, req.payload);
  if (problems.length) throw new GatewayError('EDIGATE_CANONICAL_INVALID', problems.slice(0, 20).join('; '), { details: { problems } });

  const { store } = deps;
  const now = deps.now?.() ?? new Date();
  const requestSha256 = createHash('sha256').update(JSON.stringify({ type: req.type, payload: req.payload })).digest('hex');
  const body = builder.build(req.payload, { groupVersion: env.groupVersion, component: env.delimiters.component, repetition: env.delimiters.repetition, now });
  checkValues(body, env.delimiters);

  const result = store.db.transaction((): OutboundResult => {
    const existing = findOutboundByIdempotencyKey(store.db, partner.id, req.idempotencyKey);
    if (existing) {
      if (existing.requestSha256 !== requestSha256) {
        throw new GatewayError('EDIGATE_IDEMPOTENCY_CONFLICT', `key "${req.idempotencyKey}" was used for document ${existing.id} (${existing.documentType} ISA13 ${existing.interchangeControlNumber}) with another request`);
      }
      const t = existing.transmissionId ? getTransmission(store.db, existing.transmissionId) : undefined;
      return { created: false, document: existing, transmission: t ? { id: t.id, channel: t.channel, state: t.state } : null };
    }
    const isa13 = pad9(store.counters.next(partner.id, 'isa13'));
    const gs06 = String(store.counters.next(partner.id, 'gs06'));
    const st02 = '0001';
    const text = interchangeText(env, builder.setId, builder.functionalId, body, isa13, gs06, st02, now);
    const fileName = `${builder.setId}_${isa13}.x12`;
    const createdAt = now.toISOString();
    const doc: Omit<OutboundDocumentRow, 'id'> = {
      partnerId: partner.id, messageType: req.type, standard: 'X12', documentType: builder.setId, functionalId: builder.functionalId,
      idempotencyKey: req.idempotencyKey, requestSha256, businessReference: builder.businessReference(req.payload),
      interchangeControlNumber: isa13, groupControlNumber: gs06, transactionSetControlNumber: st02, fileName, transmissionId: null, body: text, createdAt,
    };
    const id = insertOutboundDocument(store.db, doc);
    insertExpectedAck(store.db, { partnerId: partner.id, kind: '997', documentId: id, interchangeControlNumber: isa13, groupControlNumber: gs06, createdAt });
    if (env.ackRequested) insertExpectedAck(store.db, { partnerId: partner.id, kind: 'TA1', documentId: id, interchangeControlNumber: isa13, groupControlNumber: gs06, createdAt });
    const sent = submitOutbound(store.db, deps.config, partner, { kind: builder.setId, fileName, bytes: Buffer.from(text, 'latin1'), now: now.getTime() });
    setOutboundTransmission(store.db, id, sent.id);
    return { created: true, document: { ...doc, id, transmissionId: sent.id }, transmission: null };
  })();
  // The file reaches the outbox only once its record has committed (placeOutbox); then its state is read back.
  placeOutbox(store.db, deps.config, now.getTime());
  const t = result.document.transmissionId ? getTransmission(store.db, result.document.transmissionId) : undefined;
  return { ...result, transmission: t ? { id: t.id, channel: t.channel, state: t.state } : null };
}

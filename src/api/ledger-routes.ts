/**
 * Acknowledgement ledger routes of the ops API: `GET /api/acks` (every acknowledgement owed, sent and received,
 * with its ledger state and links), `GET /api/acks/documents` (one status per document and direction) and
 * `GET /api/acks/:id` (one acknowledgement with its content).
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { GatewayConfig } from '../config-types.js';
import type { PartnerDirectory } from '../partners/load.js';
import { GatewayError } from '../errors.js';
import { DEFAULT_SLAS, parseDuration } from '../partners/sla-settings.js';
import { documentStatus, ledgerLinks, syncLedger } from '../acks/ledger.js';
import { LEDGER_STATES, ledgerEntriesOfAck, ledgerEntriesOfDocument, listLedger, type LedgerEntry } from '../store/ledger.js';

export interface LedgerRouteDeps {
  store: Store;
  partners: PartnerDirectory;
  config: Pick<GatewayConfig, 'ledger'>;
  /** Clock of `olderThan` and ages (tests pin it). */
  now?: () => Date;
}

const idParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } } as const;

/**
 * An age: whole minutes (`120`) or a duration (`PT2H`, `2h`, `90m`, ISO 8601 or number + unit).
 * @throws GatewayError EDIGATE_INVALID_REQUEST when unreadable.
 */
function ageMs(text: string): number {
  const v = /^[0-9]+$/.test(text) ? Number(text) * 60_000 : parseDuration(text);
  if (typeof v !== 'number') throw new GatewayError('EDIGATE_INVALID_REQUEST', `olderThan "${text}" is not an age (minutes, or a duration such as PT2H or 30m)`);
  return v;
}

/** Registers the ledger routes on the ops API. */
export function registerLedgerRoutes(app: FastifyInstance, deps: LedgerRouteDeps): void {
  const { store, partners } = deps;
  const now = deps.now ?? (() => new Date());
  const sync = () => syncLedger(store.db, partners, { defaults: deps.config.ledger?.defaults ?? DEFAULT_SLAS, now: now() });
  const view = (e: LedgerEntry, at: number) => ({
    ...e,
    ageMs: e.state === 'expected' || e.state === 'overdue' ? Math.max(0, at - Date.parse(e.expectedAt)) : null,
    links: ledgerLinks(e),
  });

  app.get('/api/acks', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          direction: { enum: ['inbound', 'outbound'] },
          status: { enum: ['pending', 'accepted', 'accepted_with_errors', 'partially_accepted', 'rejected', 'overdue'] },
          state: { enum: LEDGER_STATES },
          level: { enum: ['transport', 'interchange', 'functional', 'business'] },
          partner: { type: 'string' }, kind: { type: 'string' }, documentType: { type: 'string' },
          olderThan: { type: 'string', minLength: 1, maxLength: 32 },
          outboundDocument: { type: 'integer', minimum: 1 }, interchange: { type: 'integer', minimum: 1 }, ledgerId: { type: 'integer', minimum: 1 },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          offset: { type: 'integer', minimum: 0, maximum: 2_147_483_647, default: 0 },
        },
      },
    },
  }, async (req) => {
    const q = req.query as { direction?: string; status?: string; state?: string; level?: string; partner?: string; kind?: string; documentType?: string;
      olderThan?: string; outboundDocument?: number; interchange?: number; ledgerId?: number; limit: number; offset: number };
    const at = now().getTime();
    const expectedBefore = q.olderThan !== undefined ? new Date(at - ageMs(q.olderThan)).toISOString() : undefined;
    sync();
    const { items, total } = listLedger(store.db, {
      direction: q.direction, status: q.status, state: q.state, level: q.level, partnerId: q.partner, kind: q.kind, documentType: q.documentType,
      outboundDocumentId: q.outboundDocument, interchangeId: q.interchange, ledgerId: q.ledgerId, expectedBefore, limit: q.limit, offset: q.offset,
    });
    return { items: items.map((e) => view(e, at)), total, limit: q.limit, offset: q.offset };
  });

  app.get('/api/acks/documents', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { outboundDocument: { type: 'integer', minimum: 1 }, interchange: { type: 'integer', minimum: 1 } },
      },
    },
  }, async (req) => {
    const q = req.query as { outboundDocument?: number; interchange?: number };
    if ((q.outboundDocument === undefined) === (q.interchange === undefined)) throw new GatewayError('EDIGATE_INVALID_REQUEST', 'give one of outboundDocument (a document we sent) or interchange (one the partner sent)');
    sync();
    const at = now().getTime();
    const entries = ledgerEntriesOfDocument(store.db, q.outboundDocument !== undefined ? { outboundDocumentId: q.outboundDocument } : { interchangeId: q.interchange! });
    // A document we sent is acknowledged by the partner (inbound); one it sent, by us (outbound).
    const direction = q.outboundDocument !== undefined ? 'inbound' : 'outbound';
    return { direction, status: documentStatus(entries), entries: entries.map((e) => view(e, at)) };
  });

  app.get('/api/acks/:id', { schema: { params: idParams } }, async (req) => {
    const id = Number((req.params as { id: string }).id);
    sync();
    const entries = ledgerEntriesOfAck(store.db, id);
    if (!entries.length) throw new GatewayError('EDIGATE_NOT_FOUND', `acknowledgement ${id}`);
    const at = now().getTime();
    return view(entries[0]!, at);
  });
}

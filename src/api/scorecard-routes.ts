import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { PartnerDirectory } from '../partners/load.js';
import { GatewayError } from '../errors.js';
import { buildScorecard, parsePeriod, scorecardCsv } from '../scorecards/index.js';

/**
 * Partner scorecards (src/scorecards/): `GET /api/partners/:id/scorecard?from=&to=` (JSON) and
 * `GET /api/partners/:id/scorecard.csv?from=&to=` (or `?format=csv` on the first), with `from`/`to` as dates
 * (YYYY-MM-DD, `to` inclusive) or ISO-8601 times; default the last 91 days. Errors: EDIGATE_PARTNER_UNKNOWN (404),
 * EDIGATE_INVALID_REQUEST (400: a bad time, `from` not before `to`, a period over 3 years).
 */
export function registerScorecardRoutes(app: FastifyInstance, deps: { store: Store; partners: PartnerDirectory; now?: () => Date }): void {
  const now = deps.now ?? (() => new Date());
  const schema = {
    params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1 } } },
    querystring: {
      type: 'object', additionalProperties: false,
      properties: { from: { type: 'string' }, to: { type: 'string' }, format: { enum: ['json', 'csv'] } },
    },
  } as const;
  const compute = (id: string, q: { from?: string; to?: string }) => {
    const partner = deps.partners.get(id);
    if (!partner) throw new GatewayError('EDIGATE_PARTNER_UNKNOWN', id);
    const at = now();
    return buildScorecard(deps.store.db, { id: partner.id, name: partner.name }, parsePeriod(q, at), at);
  };
  const csv = (card: ReturnType<typeof compute>, reply: { header: (k: string, v: string) => unknown; type: (t: string) => { send: (b: string) => unknown } }) => {
    reply.header('content-disposition', `attachment; filename="scorecard-${card.partnerId.replace(/[^A-Za-z0-9._-]/g, '_')}-${card.from.slice(0, 10)}-${card.to.slice(0, 10)}.csv"`);
    return reply.type('text/csv; charset=utf-8').send(scorecardCsv(card));
  };
  app.get('/api/partners/:id/scorecard', { schema }, async (req, reply) => {
    const q = req.query as { from?: string; to?: string; format?: string };
    const card = compute((req.params as { id: string }).id, q);
    return q.format === 'csv' ? csv(card, reply) : card;
  });
  app.get('/api/partners/:id/scorecard.csv', { schema }, async (req, reply) => {
    const card = compute((req.params as { id: string }).id, req.query as { from?: string; to?: string });
    return csv(card, reply);
  });
}

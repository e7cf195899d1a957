import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import { DUPLICATE_LAYERS, listDuplicateFindings } from '../store/duplicates.js';

/**
 * `GET /api/duplicates` (filters `partner`, `layer` = file | interchange | controlNumbers | businessDocument;
 * paginated): every duplicate the layers rejected or flagged, newest first, each with `original`, the link to what it
 * repeats (`/api/files/:id`, `/api/interchanges/:id`, or the interchange of the original message).
 */
export function registerDuplicateRoutes(app: FastifyInstance, deps: { store: Store }): void {
  const { store } = deps;
  app.get('/api/duplicates', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          partner: { type: 'string' }, layer: { enum: Object.keys(DUPLICATE_LAYERS) },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 },
        },
      },
    },
  }, async (req) => {
    const q = req.query as { partner?: string; layer?: string; limit: number; offset: number };
    const { items, total } = listDuplicateFindings(store.db, { partnerId: q.partner, layer: q.layer, limit: q.limit, offset: q.offset });
    return {
      items: items.map((f) => {
        const dup = (f.detail?.duplicateOf ?? null) as { kind: string; id: number | string } | null;
        let original: { kind: string; id: number | string; href: string } | null = null;
        if (dup?.kind === 'file') original = { ...dup, href: `/api/files/${dup.id}` };
        else if (dup?.kind === 'interchange') original = { ...dup, href: `/api/interchanges/${dup.id}` };
        else if (dup?.kind === 'message') {
          const m = store.messages.get(String(dup.id));
          original = { ...dup, href: m?.interchangeId ? `/api/interchanges/${m.interchangeId}` : '' };
        }
        return { ...f, layer: Object.entries(DUPLICATE_LAYERS).find(([, codes]) => codes.includes(f.code))?.[0] ?? null, original };
      }),
      total, limit: q.limit, offset: q.offset,
    };
  });
}

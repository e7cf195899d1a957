import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { IngestSummary, ReceivedFile } from '../pipeline.js';
import { readArchived } from '../store/archive.js';
import { GatewayError } from '../errors.js';

/**
 * `POST /api/files/:id/reprocess` (body optional: `{ "partner": "<id>" }`): the archived raw bytes of a received file
 * go through intake again as a new file (channel `reprocess`), e.g. after the partner of an `unknown_partner` file was
 * added. Answers the new file's summary (201); the original stays as it was, and the audit log records who asked
 * (`X-Edigate-Actor`) with both file ids. The layers of duplicate detection apply to the new file as to any other.
 * Errors: EDIGATE_NOT_FOUND (404) for an unknown file or a partner that does not exist.
 */
export function registerReprocessRoutes(app: FastifyInstance, deps: { store: Store; archiveDir: string; ingest: (file: ReceivedFile) => Promise<IngestSummary>; partnerExists: (id: string) => boolean }): void {
  app.post('/api/files/:id/reprocess', {
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
      body: { type: ['object', 'null'], additionalProperties: false, properties: { partner: { type: 'string', minLength: 1 } } },
    },
  }, async (req, reply) => {
    const id = (req.params as { id: number }).id;
    const original = deps.store.files.get(id);
    if (!original) throw new GatewayError('EDIGATE_NOT_FOUND', `file ${id}`);
    const partner = (req.body as { partner?: string } | null)?.partner ?? original.partnerHint ?? null;
    if (partner && !deps.partnerExists(partner)) throw new GatewayError('EDIGATE_NOT_FOUND', `partner ${partner}`);
    const bytes = await readArchived(deps.archiveDir, original.sha256);
    const summary = await deps.ingest({ bytes, fileName: original.fileName, channel: 'reprocess', partnerHint: partner });
    deps.store.audit.record({ at: new Date().toISOString(), actor: String(req.headers['x-edigate-actor'] ?? 'ops-api'), action: 'file.reprocess', target: `file:${id}`, detail: { newFileId: summary.fileId, partner } });
    return reply.status(201).send(summary);
  });
}

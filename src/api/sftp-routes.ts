import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { PartnerDirectory } from '../partners/load.js';
import { listRemoteFetches, listRemoteStatus, listSftpSessions, sftpTransmissionCounts } from '../store/sftp.js';

/**
 * SFTP routes of the ops API:
 * - `GET /api/sftp/remote`: per partner with `sftp.remote`, its server settings (never credentials), the state of
 *   its poller (last poll, last success, last error, consecutive failures, files fetched), the last fetched files
 *   and what became of them remotely, and its uploads (transmissions of channel sftp) by state.
 * - `GET /api/sftp/sessions`: sessions on the hosted server (filter `partner`; paginated), newest first.
 */
export function registerSftpRoutes(app: FastifyInstance, deps: { store: Store; partners: PartnerDirectory }): void {
  const { store, partners } = deps;
  app.get('/api/sftp/remote', async () => {
    const status = new Map(listRemoteStatus(store.db).map((s) => [s.partnerId, s]));
    const sends = sftpTransmissionCounts(store.db);
    const items = partners.list().filter((p) => p.sftp?.remote).map((p) => {
      const r = p.sftp!.remote!;
      const { partnerId: _id, ...poll } = status.get(p.id) ?? { partnerId: p.id, lastPollAt: null, lastSuccessAt: null, lastError: null, lastErrorAt: null, consecutiveFailures: 0, polls: 0, filesFetched: 0, bytesFetched: 0 };
      return {
        partnerId: p.id,
        server: { host: r.host, port: r.port, user: r.user, hostKeyFingerprint: r.hostKeyFingerprint, inboundDir: r.inboundDir, outboundDir: r.outboundDir, pollIntervalMs: r.pollIntervalMs, afterFetch: r.afterFetch, archiveDir: r.archiveDir ?? null },
        poll,
        recentFetches: listRemoteFetches(store.db, { partnerId: p.id, limit: 20 }),
        uploads: Object.fromEntries(sends.filter((s) => s.partnerId === p.id).map((s) => [s.state, s.count])),
      };
    });
    return { items };
  });
  app.get('/api/sftp/sessions', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { partner: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 } },
      },
    },
  }, async (req) => {
    const q = req.query as { partner?: string; limit: number; offset: number };
    const { items, total } = listSftpSessions(store.db, { ...(q.partner ? { partnerId: q.partner } : {}), limit: q.limit, offset: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  });
}

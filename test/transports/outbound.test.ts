import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore, type Store } from '../../src/store/index.js';
import { OutboundDispatcher, placeOutbox, submitOutbound, type OutboundFile } from '../../src/transports/outbound.js';
import { getTransmission, listTransmissions, markPickedUp, insertTransmission, claimDueTransmissions } from '../../src/store/transmissions.js';
import { archivePath } from '../../src/store/archive.js';
import { partnerDirectory, readPartners } from '../../src/partners/load.js';
import type { Partner } from '../../src/partners/partner.js';
import { GatewayError } from '../../src/errors.js';
import { waitFor } from '../helpers/home.js';

/** A partner as the gateway loads it from partners/<id>.yaml (the real loader fills every default). */
function partner(id: string, channel: Partner['outbound']['channel'], retry: Partner['outbound']['retry'] = {}): Partner {
  const dir = mkdtempSync(join(tmpdir(), 'edigate-partner-'));
  writeFileSync(join(dir, `${id}.yaml`), stringify({ id, name: id, x12: { interchangeIds: [{ qualifier: 'ZZ', id: id.toUpperCase() }] }, outbound: { channel, retry } }));
  const { partners, problems } = readPartners(dir, { mapNames: new Set(), destinationNames: new Set() });
  rmSync(dir, { recursive: true, force: true });
  // Channel-specific settings (SFTP remote, AS2) are not under test here: only the dispatcher's handling.
  if (!partners[0]) throw new Error(problems.join('; '));
  return partners[0];
}

const logger = pino({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

function setup(): { dir: string; store: Store; dirs: { outboxDir: string; archiveDir: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'edigate-outbound-'));
  const store = openStore(join(dir, 'edigate.db'));
  cleanups.push(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
  return { dir, store, dirs: { outboxDir: join(dir, 'outbox'), archiveDir: join(dir, 'archive') } };
}

/** A sending channel that fails `failures` times (with `error`), then keeps the files it was given. */
function flakySender(failures: number, error: () => Error = () => new Error('connection refused')) {
  const received: OutboundFile[] = [];
  let calls = 0;
  return {
    received,
    get calls() { return calls; },
    sender: {
      channel: 'sftp' as const,
      async send(_p: Partner, f: OutboundFile) {
        calls++;
        if (calls <= failures) throw error();
        received.push(f);
        return { state: 'sent' as const };
      },
    },
  };
}

describe('outbound transmissions', () => {
  it('the outbox channel writes the file under outbox/<partner>/ and records it placed, then picked up', () => {
    const { store, dirs } = setup();
    const p = partner('acme', 'outbox');
    const r = submitOutbound(store.db, dirs, p, { kind: '997', fileName: '997_000000007.x12', bytes: Buffer.from('ISA*00~') });
    expect(r).toEqual({ id: r.id, channel: 'outbox', path: join(dirs.outboxDir, 'acme', '997_000000007.x12') });
    // Nothing reaches the outbox until the record has committed and placeOutbox runs (a crash between the two
    // leaves a `placing` row that the next start writes, under the same name).
    expect(existsSync(r.path)).toBe(false);
    expect(getTransmission(store.db, r.id)).toMatchObject({ state: 'placing' });
    expect(placeOutbox(store.db, dirs)).toBe(1);
    expect(placeOutbox(store.db, dirs)).toBe(0);
    expect(readFileSync(r.path, 'latin1')).toBe('ISA*00~');
    expect(getTransmission(store.db, r.id)).toMatchObject({ state: 'placed', channel: 'outbox', kind: '997', size: 7, pickedUpAt: null });
    expect(markPickedUp(store.db, 'acme', 'other.x12')).toBe(0);
    expect(markPickedUp(store.db, 'acme', '997_000000007.x12', Date.parse('2026-03-04T05:06:07.000Z'))).toBe(1);
    expect(getTransmission(store.db, r.id)).toMatchObject({ state: 'picked_up', pickedUpAt: '2026-03-04T05:06:07.000Z' });
    expect(markPickedUp(store.db, 'acme', '997_000000007.x12')).toBe(0);
  });

  it('a sending channel gets the archived bytes, retried with backoff until it succeeds', async () => {
    const { store, dirs } = setup();
    const p = partner('carrier', 'sftp', { maxAttempts: 5, initialBackoffMs: 5, maxBackoffMs: 20 });
    const r = submitOutbound(store.db, dirs, p, { kind: 'TA1', fileName: 'TA1_000000001.x12', bytes: Buffer.from('TA1 bytes') });
    expect(r.channel).toBe('sftp');
    expect(existsSync(join(dirs.outboxDir, 'carrier'))).toBe(false);
    expect(r.path).toBe(archivePath(dirs.archiveDir, getTransmission(store.db, r.id)!.sha256));
    const flaky = flakySender(2);
    const d = new OutboundDispatcher({ db: store.db, archiveDir: dirs.archiveDir, partners: partnerDirectory([p]), logger, pollMs: 5 });
    d.register(flaky.sender);
    d.start();
    cleanups.unshift(() => d.stop());
    const row = await waitFor(() => { const t = getTransmission(store.db, r.id)!; return t.state === 'sent' ? t : null; }, 'the transmission sent');
    expect(flaky.calls).toBe(3);
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    expect(flaky.received.map((f) => [f.fileName, f.kind, f.bytes.toString(), f.attempt])).toEqual([['TA1_000000001.x12', 'TA1', 'TA1 bytes', 3]]);
  });

  it('dead after the partner\'s attempts (or at once when not retryable), visible, and replayable', async () => {
    const { store, dirs } = setup();
    const p = partner('carrier', 'sftp', { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 5 });
    const a = submitOutbound(store.db, dirs, p, { kind: '997', fileName: 'a.x12', bytes: Buffer.from('a') });
    const flaky = flakySender(2);
    const d = new OutboundDispatcher({ db: store.db, archiveDir: dirs.archiveDir, partners: partnerDirectory([p]), logger, pollMs: 5 });
    d.register(flaky.sender);
    d.start();
    cleanups.unshift(() => d.stop());
    await waitFor(() => getTransmission(store.db, a.id)!.state === 'dead', 'dead after two attempts');
    expect(getTransmission(store.db, a.id)).toMatchObject({ attempts: 2, lastError: 'connection refused' });
    expect(listTransmissions(store.db, { state: 'dead', limit: 10, offset: 0 }).total).toBe(1);

    const { replayTransmission } = await import('../../src/store/transmissions.js');
    expect(replayTransmission(store.db, a.id, 'ops-jane')).toBe(true);
    d.kick();
    await waitFor(() => getTransmission(store.db, a.id)!.state === 'sent', 'sent after the replay');
    expect(store.db.prepare("SELECT actor, action, target FROM audit WHERE action = 'transmission.replay'").all()).toEqual([{ actor: 'ops-jane', action: 'transmission.replay', target: `transmission:${a.id}` }]);

    const fatal = flakySender(1, () => new GatewayError('EDIGATE_INVALID_REQUEST', 'the partner refused the file', { retryable: false }));
    const d2 = new OutboundDispatcher({ db: store.db, archiveDir: dirs.archiveDir, partners: partnerDirectory([partner('carrier', 'sftp', { maxAttempts: 9 })]), logger, pollMs: 5 });
    await d.stop();
    d2.register(fatal.sender);
    const b = submitOutbound(store.db, dirs, p, { kind: '997', fileName: 'b.x12', bytes: Buffer.from('b') });
    d2.start();
    cleanups.unshift(() => d2.stop());
    await waitFor(() => getTransmission(store.db, b.id)!.state === 'dead', 'dead at once');
    expect(getTransmission(store.db, b.id)!.attempts).toBe(1);
  });

  it('a send interrupted by a crash (row left sending) is sent again at the next start', async () => {
    const { store, dirs } = setup();
    const p = partner('carrier', 'sftp');
    const r = submitOutbound(store.db, dirs, p, { kind: '997', fileName: 'c.x12', bytes: Buffer.from('c') });
    expect(claimDueTransmissions(store.db, ['sftp'], Date.now(), 600_000, 10).map((t) => t.id)).toEqual([r.id]);
    expect(getTransmission(store.db, r.id)!.state).toBe('sending');
    const ok = flakySender(0);
    const d = new OutboundDispatcher({ db: store.db, archiveDir: dirs.archiveDir, partners: partnerDirectory([p]), logger, pollMs: 5 });
    d.register(ok.sender);
    d.start();
    cleanups.unshift(() => d.stop());
    await waitFor(() => getTransmission(store.db, r.id)!.state === 'sent', 'sent after restart');
    expect(ok.received).toHaveLength(1);
    // Rows of a channel with no sender registered stay queued, never dropped.
    const id = insertTransmission(store.db, { partnerId: 'carrier', channel: 'as2', kind: '997', fileName: 'd.x12', sha256: 'x', size: 1, state: 'pending' });
    await new Promise((res) => setTimeout(res, 50));
    expect(getTransmission(store.db, id)!.state).toBe('pending');
  });
});

describe('ops API: GET/POST /api/transmissions', () => {
  it('lists, shows with evidence, and replays only dead transmissions', async () => {
    const { buildOpsApi } = await import('../../src/api/server.js');
    const { loadConfig } = await import('../../src/config.js');
    const { completeTransmission, failTransmission } = await import('../../src/store/transmissions.js');
    const { store, dirs, dir } = setup();
    const config = loadConfig({ home: dir, env: {} });
    const api = buildOpsApi({ config, store, partners: partnerDirectory([]), logger });
    cleanups.unshift(() => api.close());
    const p = partner('carrier', 'as2');
    const sent = submitOutbound(store.db, dirs, p, { kind: '997', fileName: 's.x12', bytes: Buffer.from('s') });
    completeTransmission(store.db, sent.id, { state: 'sent', messageId: '<m1@edigate>', evidence: 'MDN text' });
    const dead = submitOutbound(store.db, dirs, p, { kind: '997', fileName: 'd.x12', bytes: Buffer.from('d') });
    failTransmission(store.db, dead.id, 'MDN disposition processed/error: decryption-failed', null);

    const list = (await api.inject({ url: '/api/transmissions?partner=carrier&state=dead' })).json();
    expect(list).toMatchObject({ total: 1, items: [{ id: dead.id, channel: 'as2', state: 'dead', lastError: 'MDN disposition processed/error: decryption-failed', hasEvidence: false }] });
    expect(list.items[0]).not.toHaveProperty('evidence');
    expect((await api.inject({ url: `/api/transmissions/${sent.id}` })).json()).toMatchObject({ state: 'sent', messageId: '<m1@edigate>', evidence: 'MDN text' });
    expect((await api.inject({ url: '/api/transmissions?state=nope' })).statusCode).toBe(400);
    expect((await api.inject({ url: '/api/transmissions/999' })).json()).toMatchObject({ error: { code: 'EDIGATE_NOT_FOUND' } });

    const notDead = await api.inject({ method: 'POST', url: `/api/transmissions/${sent.id}/replay` });
    expect(notDead.statusCode).toBe(400);
    const replayed = await api.inject({ method: 'POST', url: `/api/transmissions/${dead.id}/replay`, headers: { 'x-edigate-actor': 'ops-sam' } });
    expect(replayed.json()).toMatchObject({ id: dead.id, state: 'pending', attempts: 0, lastError: null });
    expect(store.db.prepare("SELECT actor FROM audit WHERE action = 'transmission.replay'").all()).toEqual([{ actor: 'ops-sam' }]);
  });
});

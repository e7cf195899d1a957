import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makeHome, startTestGateway, waitFor } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
import type { Gateway } from '../../src/app.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12');
const NOW = new Date('2026-01-02T03:04:05Z');
// node-x12 test-data/850.edi: one 850, PO 08292233294, ISA13 000003438, from 12/4405197800.
const PO = readFileSync(join(FIX, 'nodex12__850.edi'), 'latin1');
/** The same purchase order in another interchange (ISA13 and IEA02 changed). */
const resent = (isa13: string) => PO.replace('*000003438*', `*${isa13}*`).replace('IEA*1*000003438', `IEA*1*${isa13}`);
// bots: two GS groups in one interchange, both GS06 5, each with ST02 000000001 twice.
const REPEATS = readFileSync(join(FIX, 'botsplugins__850-004010-02.x12'), 'latin1');

type Policies = Record<string, string | number>;

describe('duplicate detection in layers, each with the partner\'s policy', () => {
  let gw: Gateway | undefined;
  let erp: Receiver | undefined;
  let home = '';
  afterEach(async () => {
    await gw?.stop();
    await erp?.close();
    gw = undefined;
    erp = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  async function start(duplicates: Policies): Promise<Gateway> {
    home = makeHome([{ id: 'xyz', ids: [['12', '4405197800']] }, { id: 'widgets', ids: [['01', '0011223456']] }]);
    for (const id of ['xyz', 'widgets']) {
      const file = join(home, 'partners', `${id}.yaml`);
      const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      doc.duplicates = duplicates;
      writeFileSync(file, stringify(doc));
    }
    erp = await startReceiver();
    ({ gw } = await startTestGateway(home, erp.url, { now: NOW, watch: false }));
    return gw;
  }
  const ingest = (text: string, name: string, partner = 'xyz') => gw!.pipeline.ingest({ bytes: Buffer.from(text, 'latin1'), fileName: name, channel: 'folder', partnerHint: partner });
  const codes = (s: { findings: Array<{ code: string; severity: string }> }) => s.findings.map((f) => `${f.code}:${f.severity}`);
  const dups = async (layer: string) => (await gw!.api.inject({ url: `/api/duplicates?layer=${layer}` })).json();
  const delivered = async (n: number) => { await waitFor(() => erp!.requests.length >= n, `${n} deliveries`); return erp!.requests.length; };

  it('file layer: reject (default) stops the same bytes; flag processes them with a linked finding; accept says nothing', async () => {
    await start({ file: 'reject' });
    const first = await ingest(PO, 'a.edi');
    const again = await ingest(PO, 'b.edi');
    expect(again.status).toBe('duplicate');
    expect(codes(again)).toEqual(['FILE_DUPLICATE_CONTENT:error']);
    expect((await dups('file')).items).toMatchObject([{ code: 'FILE_DUPLICATE_CONTENT', fileId: again.fileId, original: { kind: 'file', id: first.fileId, href: `/api/files/${first.fileId}` } }]);
    await gw!.stop(); gw = undefined; await erp!.close(); rmSync(home, { recursive: true, force: true });

    // flag at the file layer, accept at the interchange layer (the same bytes repeat the ISA13 too)
    await start({ file: 'flag', interchange: 'accept', businessDocument: 'accept' });
    await ingest(PO, 'a.edi');
    const flagged = await ingest(PO, 'b.edi');
    expect(flagged.status).toBe('accepted');
    expect(codes(flagged)).toEqual(['FILE_DUPLICATE_CONTENT:warning']);
    expect(await delivered(2)).toBe(2);
    await gw!.stop(); gw = undefined; await erp!.close(); rmSync(home, { recursive: true, force: true });

    await start({ file: 'accept', interchange: 'accept', businessDocument: 'accept' });
    await ingest(PO, 'a.edi');
    const silent = await ingest(PO, 'b.edi');
    expect(silent).toMatchObject({ status: 'accepted', duplicateOf: 1 });
    expect(codes(silent)).toEqual([]);
    expect((await dups('file')).total).toBe(0);
  });

  it('interchange layer: same ISA13 from the same sender to the same receiver, only within the window', async () => {
    await start({ interchange: 'flag', businessDocument: 'accept' });
    await ingest(PO, 'a.edi');
    const flagged = await ingest(`${PO}\n`, 'b.edi'); // other bytes, same interchange
    expect(flagged.status).toBe('accepted');
    expect(codes(flagged)).toEqual(['X12_DUPLICATE_INTERCHANGE:warning']);
    expect(flagged.acks.map((a) => a.kind)).toEqual(['997']); // flagged, not rejected: no TA1 025
    expect((await dups('interchange')).items[0]).toMatchObject({ original: { kind: 'interchange', id: 1, href: '/api/interchanges/1' } });

    // Older than interchangeWindowDays (365): ISA13 has wrapped or been reused, not a duplicate.
    gw!.store.db.prepare("UPDATE interchanges SET received_at = '2024-12-01T00:00:00.000Z'").run();
    const later = await ingest(`${PO}\n\n`, 'c.edi');
    expect(codes(later)).toEqual([]);
    // The same ISA13 to another receiver is another interchange.
    const other = await ingest(PO.replace('*01*999999999      *101127', '*01*888888888      *101127'), 'd.edi');
    expect(codes(other)).toEqual([]);
  });

  it('interchange layer: accept processes the repeat silently but keeps the link; reject answers TA1 R 025', async () => {
    await start({ interchange: 'accept', businessDocument: 'accept' });
    await ingest(PO, 'a.edi');
    const silent = await ingest(`${PO}\n`, 'b.edi');
    expect(codes(silent)).toEqual([]);
    expect(gw!.store.interchanges.get(silent.interchanges[0]!.id)!.duplicateOf).toBe(1);
    await gw!.stop(); gw = undefined; await erp!.close(); rmSync(home, { recursive: true, force: true });

    await start({});
    await ingest(PO, 'a.edi');
    const rejected = await ingest(`${PO}\n`, 'b.edi');
    expect(rejected.status).toBe('duplicate');
    expect(rejected.acks.map((a) => [a.kind, a.ackCode])).toEqual([['TA1', 'R']]);
  });

  it('control-number layer: repeated GS06 and ST02 rejected (default), flagged (AK5 E 23, AK9 E 19) or accepted', async () => {
    const ack = (home: string, n: string) => readFileSync(join(home, 'outbox', 'widgets', `997_00000000${n}.x12`), 'latin1').split('\n').filter((l) => /^AK[259]/.test(l));
    await start({ businessDocument: 'accept' });
    await ingest(REPEATS, 'r.x12', 'widgets');
    expect(ack(home, '2')).toEqual(['AK2*850*000000001~', 'AK5*A~', 'AK2*850*000000001~', 'AK5*R*23~', 'AK9*R*2*2*0*19~']);
    await gw!.stop(); gw = undefined; await erp!.close(); rmSync(home, { recursive: true, force: true });

    await start({ controlNumbers: 'flag', businessDocument: 'accept' });
    const flagged = await ingest(REPEATS, 'r.x12', 'widgets');
    expect(ack(home, '1')).toEqual(['AK2*850*000000001~', 'AK5*A~', 'AK2*850*000000001~', 'AK5*E*23~', 'AK9*E*2*2*2~']);
    expect(ack(home, '2')).toEqual(['AK2*850*000000001~', 'AK5*A~', 'AK2*850*000000001~', 'AK5*E*23~', 'AK9*E*2*2*2*19~']);
    expect(flagged.messagesEnqueued).toBe(4);
    expect(await delivered(4)).toBe(4);
    expect((await dups('controlNumbers')).total).toBe(3);
    await gw!.stop(); gw = undefined; await erp!.close(); rmSync(home, { recursive: true, force: true });

    await start({ controlNumbers: 'accept', businessDocument: 'accept' });
    await ingest(REPEATS, 'r.x12', 'widgets');
    expect(ack(home, '2')).toEqual(['AK2*850*000000001~', 'AK5*A~', 'AK2*850*000000001~', 'AK5*A~', 'AK9*A*2*2*2~']);
  });

  it('business layer: the same purchase order in another interchange is flagged (default), rejected, or accepted', async () => {
    await start({});
    const first = await ingest(PO, 'a.edi');
    const flagged = await ingest(resent('000003439'), 'b.edi');
    expect(flagged.status).toBe('accepted');
    expect(codes(flagged)).toEqual(['BUSINESS_DOCUMENT_DUPLICATE:warning']);
    expect(flagged.findings[0]!.message).toMatch(/^order 08292233294 \(revision "00"\) was received before as message .+; delivered and flagged/);
    expect(await delivered(2)).toBe(2);
    const list = (await dups('businessDocument')).items;
    expect(list).toMatchObject([{ code: 'BUSINESS_DOCUMENT_DUPLICATE', original: { kind: 'message', href: `/api/interchanges/${first.interchanges[0]!.id}` } }]);
    // A replacement (BEG01 05) is another revision: not a duplicate.
    const replaced = await ingest(resent('000003440').replace('BEG*00*SA*', 'BEG*05*SA*'), 'c.edi');
    expect(codes(replaced)).toEqual([]);
    await gw!.stop(); gw = undefined; await erp!.close(); rmSync(home, { recursive: true, force: true });

    await start({ businessDocument: 'reject' });
    await ingest(PO, 'a.edi');
    const rejected = await ingest(resent('000003439'), 'b.edi');
    expect(rejected.messagesEnqueued).toBe(0);
    expect(rejected.acks.map((a) => [a.kind, a.ackCode])).toEqual([['997', 'A']]); // a 997 is about syntax: still accepted
    expect(codes(rejected)).toEqual(['BUSINESS_DOCUMENT_DUPLICATE:warning']);
    expect(rejected.findings[0]!.message).toMatch(/not delivered again/);
    await new Promise((r) => setTimeout(r, 300));
    expect(erp!.requests).toHaveLength(1);
    await gw!.stop(); gw = undefined; await erp!.close(); rmSync(home, { recursive: true, force: true });

    await start({ businessDocument: 'accept' });
    await ingest(PO, 'a.edi');
    const silent = await ingest(resent('000003439'), 'b.edi');
    expect(codes(silent)).toEqual([]);
    const row = gw!.store.db.prepare('SELECT duplicate_of AS duplicateOf, business_key AS businessKey FROM messages ORDER BY rowid DESC LIMIT 1').get() as { duplicateOf: string; businessKey: string };
    expect(row.businessKey).toBe('order|08292233294|00');
    expect(row.duplicateOf).toMatch(/^[0-9a-f-]{36}$/);
  });
});

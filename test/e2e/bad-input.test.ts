/**
 * Bad input end to end: every broken file gets a clear finding, the right negative acknowledgement
 * (TA1 or 997), an entry ops can see, its raw bytes kept; good sets next to bad ones are still
 * delivered, and the gateway keeps running. Duplicates (same bytes, same ISA13) are recognised.
 * Broken variants are made by editing a real corpus 850 (x12types__004010_850.edi).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Gateway } from '../../src/app.js';
import { makeHome, startTestGateway, waitFor } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12');
const BASE = readFileSync(join(FIX, 'x12types__004010_850.edi'), 'latin1');
const NOW = new Date('2026-01-02T03:04:05Z');

/** The base file with ISA13/IEA02 set to `n` (so each variant is a new interchange), then edited. */
function variant(n: number, edit: (s: string) => string = (s) => s): string {
  const ctl = String(n).padStart(9, '0');
  return edit(BASE.replace('*000000001*0*T*>~', `*${ctl}*0*T*>~`).replace('IEA*1*000000001~', `IEA*1*${ctl}~`));
}

/** The mirrored envelope of our acks to SENDERISA (sender/receiver swapped, version 00401, usage T). */
const ourIsa = (isa13: string) => `ISA*00*          *00*          *14*0073268795005  *ZZ*SENDERISA      *260102*0304*U*00401*${isa13}*0*T*>`;
const join997 = (segs: string[]) => segs.join('~\n') + '~\n';

describe('bad input and duplicates', () => {
  let home: string;
  let gw: Gateway;
  let erp: Awaited<ReturnType<typeof startReceiver>>;
  let api: string;
  let dropped = 0;

  beforeAll(async () => {
    erp = await startReceiver();
    home = makeHome([
      { id: 'snacks', ids: [['ZZ', 'SENDERISA']] },
      { id: 'other', ids: [['ZZ', 'OTHERPARTNER']] },
      { id: 'lenient', ids: [['ZZ', 'LENIENT']], duplicates: 'accept' },
    ]);
    ({ gw, api } = await startTestGateway(home, erp.url, { now: NOW, intake: { settleMs: 20, maxSegmentLength: 64 * 1024 } }));
  });

  afterAll(async () => {
    await gw?.stop();
    await erp?.close();
  });

  const getJson = async (path: string) => {
    const r = await fetch(api + path);
    expect(r.status).toBe(200);
    return r.json() as Promise<any>;
  };
  const outbox = (partner = 'snacks') => (existsSync(join(home, 'outbox', partner)) ? readdirSync(join(home, 'outbox', partner)).filter((f) => !f.startsWith('.')).sort() : []);
  const ack = (file: string, partner = 'snacks') => readFileSync(join(home, 'outbox', partner, file), 'latin1');

  /** Drops `content` into inbox/<partner>/ (temp name then rename) and waits until the gateway has recorded the file's outcome. */
  async function drop(name: string, content: string | Buffer, partner = 'snacks'): Promise<any> {
    const before = (await getJson('/api/files?limit=1')).total as number;
    const path = join(home, 'inbox', partner, name);
    writeFileSync(`${path}.part`, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
    renameSync(`${path}.part`, path);
    dropped++;
    await waitFor(async () => {
      const list = await getJson('/api/files?limit=1');
      return list.total > before && list.items[0].status !== 'received';
    }, `file ${name} processed`);
    const list = await getJson('/api/files?limit=1');
    const file = await getJson(`/api/files/${list.items[0].id}`);
    expect(file.fileName).toBe(name);
    // The raw bytes are kept, byte for byte.
    const raw = Buffer.from(await (await fetch(`${api}/api/files/${file.id}/raw`)).arrayBuffer());
    expect(raw.equals(typeof content === 'string' ? Buffer.from(content, 'latin1') : content)).toBe(true);
    expect(existsSync(path)).toBe(false);
    return file;
  }

  it('an empty file and a file that is not EDI: recorded as unreadable with a finding, no acknowledgement', async () => {
    const empty = await drop('empty.edi', '');
    expect(empty).toMatchObject({ status: 'unreadable', size: 0 });
    expect(empty.findings.map((f: any) => f.code)).toEqual(['FILE_EMPTY']);
    const blanks = await drop('blanks.edi', ' '.repeat(300) + '\r\n\n\t');
    expect(blanks.findings.map((f: any) => f.code)).toEqual(['FILE_EMPTY']);
    const text = await drop('invoice.pdf.txt', 'Dear supplier, please find attached our order.\n');
    expect(text.status).toBe('unreadable');
    expect(text.findings[0]).toMatchObject({ code: 'FILE_NOT_EDI', severity: 'error', level: 'file' });
    expect(text.findings[0].message).toContain('Dear supplier');
    expect(outbox()).toEqual([]);
  });

  it('a truncated interchange (no SE, GE, IEA): TA1 R 023, nothing delivered', async () => {
    const cut = variant(2).split('~\n').slice(0, 20).join('~\n') + '~\n';
    const file = await drop('truncated.edi', cut);
    expect(file.status).toBe('rejected');
    expect(outbox()).toEqual(['TA1_000000001.x12']);
    expect(ack('TA1_000000001.x12')).toBe(join997([ourIsa('000000001'), 'TA1*000000002*020226*1534*R*023', 'IEA*0*000000001']));
    const ic = (await getJson(`/api/interchanges/${file.interchanges[0].id}`));
    expect(ic).toMatchObject({ status: 'rejected', ackCode: 'R', noteCode: '023' });
    expect(ic.findings.map((f: any) => f.code)).toEqual(expect.arrayContaining(['X12_SE_MISSING', 'X12_GE_MISSING', 'X12_IEA_MISSING']));
    expect(ic.deliveries.every((d: any) => d.status === 'cancelled')).toBe(true);
  });

  it('a wrong SE01 segment count: 997 AK5 R 4 and AK9 R, nothing delivered', async () => {
    const file = await drop('se-count.edi', variant(3, (s) => s.replace('SE*35*000000001', 'SE*34*000000001')));
    expect(file.status).toBe('rejected');
    expect(outbox()).toEqual(['997_000000002.x12', 'TA1_000000001.x12']);
    expect(ack('997_000000002.x12')).toBe(join997([
      ourIsa('000000002'), 'GS*FA*007326879*SENDERGS*20260102*0304*1*X*004010', 'ST*997*0001', 'AK1*PO*1', 'AK2*850*000000001', 'AK5*R*4', 'AK9*R*1*1*0',
      'SE*6*0001', 'GE*1*1', 'IEA*1*000000002',
    ]));
    const ic = await getJson(`/api/interchanges/${file.interchanges[0].id}`);
    expect(ic.findings.map((f: any) => f.code)).toEqual(['X12_SE_COUNT_MISMATCH']);
    expect(ic.findings[0].detail).toEqual({ ak5: '4' });
    expect(ic.messages).toEqual([]);
  });

  it('wrong control numbers: SE02 (AK5 R 3), GE02 (AK9 R 4), IEA02 (TA1 R 001)', async () => {
    await drop('se02.edi', variant(4, (s) => s.replace('SE*35*000000001', 'SE*35*000000009')));
    expect(ack('997_000000003.x12')).toContain('AK2*850*000000001~\nAK5*R*3~\nAK9*R*1*1*0~\n');
    await drop('ge02.edi', variant(5, (s) => s.replace('GE*1*1~', 'GE*1*7~')));
    expect(ack('997_000000004.x12')).toContain('AK5*A~\nAK9*R*1*1*0*4~\n');
    const iea = await drop('iea02.edi', variant(6, (s) => s.replace('IEA*1*000000006', 'IEA*1*000000066')));
    expect(iea.status).toBe('rejected');
    expect(ack('TA1_000000005.x12')).toBe(join997([ourIsa('000000005'), 'TA1*000000006*020226*1534*R*001', 'IEA*0*000000005']));
    expect(outbox().filter((f) => f.startsWith('997'))).toHaveLength(3); // no 997 for a rejected interchange
  });

  it('wrong group and interchange counts: GE01 (AK9 R 5) and IEA01 (TA1 R 021)', async () => {
    await drop('ge01.edi', variant(7, (s) => s.replace('GE*1*1~', 'GE*2*1~')));
    expect(ack('997_000000006.x12')).toContain('AK9*R*2*1*0*5~\n');
    await drop('iea01.edi', variant(8, (s) => s.replace('IEA*1*000000008', 'IEA*2*000000008')));
    expect(ack('TA1_000000007.x12')).toContain('TA1*000000008*020226*1534*R*021~\n');
  });

  it('a segment without terminator running to the end of the file: finding, TA1 R 023, memory bounded', async () => {
    const head = variant(9).split('BEG*')[0]!;
    const file = await drop('runaway.edi', head + 'BEG*00*SA*' + 'A'.repeat(300 * 1024));
    expect(file.status).toBe('rejected');
    const ic = await getJson(`/api/interchanges/${file.interchanges[0].id}`);
    expect(ic.findings.map((f: any) => f.code)).toEqual(expect.arrayContaining(['X12_SEGMENT_TOO_LONG', 'X12_IEA_MISSING']));
    expect(ic).toMatchObject({ ackCode: 'R', noteCode: '023' });
    expect(ack('TA1_000000008.x12')).toContain('TA1*000000009*020226*1534*R*023~\n');
  });

  it('a bad element in one set of a two-set group: AK3/AK4 detail, AK9 P, the good set delivered', async () => {
    const base = variant(10);
    const set1 = base.slice(base.indexOf('ST*850'), base.indexOf('GE*'));
    const set2 = set1.replaceAll('000000001', '000000002').replace('BEG*00*SA*A99999-01**19970214', 'BEG*00*SA*A99999-02**19971332');
    const file = await drop('two-sets.edi', base.replace(set1, set1 + set2).replace('GE*1*1~', 'GE*2*1~'));
    expect(file.status).toBe('partially_accepted');
    expect(ack('997_000000009.x12')).toBe(join997([
      ourIsa('000000009'), 'GS*FA*007326879*SENDERGS*20260102*0304*5*X*004010', 'ST*997*0001', 'AK1*PO*1',
      'AK2*850*000000001', 'AK5*A', 'AK2*850*000000002', 'AK3*BEG*2**8', 'AK4*5*373*8*19971332', 'AK5*R*5', 'AK9*P*2*2*1',
      'SE*10*0001', 'GE*1*5', 'IEA*1*000000009',
    ]));
    await waitFor(() => erp.requests.some((r) => (r.json as any).payload.purchaseOrderNumber === 'A99999-01' && (r.json as any).source.interchangeControlNumber === '000000010'), 'good set delivered');
    expect(erp.requests.some((r) => (r.json as any).payload.purchaseOrderNumber === 'A99999-02')).toBe(false);
  });

  it('an unknown sender is kept, recorded and reported; a sender in another partner\'s folder is refused with TA1 R 006', async () => {
    const unknown = await drop('stranger.edi', variant(11, (s) => s.replace('ZZ*SENDERISA      ', 'ZZ*NOBODYKNOWSME  ')), 'snacks');
    // Dropped in snacks' folder but sent as NOBODYKNOWSME: the channel's partner gets the TA1.
    expect(unknown.status).toBe('rejected');
    expect(ack('TA1_000000010.x12')).toContain('TA1*000000011*020226*1534*R*006~\n');
    // Dropped at the top of inbox/: no partner at all.
    const before = (await getJson('/api/files?limit=1')).total;
    const path = join(home, 'inbox', 'orphan.edi');
    writeFileSync(path, variant(12, (s) => s.replace('ZZ*SENDERISA      ', 'ZZ*NOBODYKNOWSME  ')));
    await waitFor(async () => (await getJson('/api/files?limit=1')).total > before && (await getJson('/api/files?limit=1')).items[0].status !== 'received', 'orphan processed');
    const orphans = await getJson('/api/files?status=unknown_partner');
    expect(orphans.items[0]).toMatchObject({ fileName: 'orphan.edi', partnerId: null, channel: 'folder' });
    const ics = await getJson('/api/interchanges?status=unknown_partner');
    expect(ics.items[0]).toMatchObject({ senderId: 'NOBODYKNOWSME', controlNumber: '000000012', partnerId: null });
    const detail = await getJson(`/api/interchanges/${ics.items[0].id}`);
    expect(detail.findings.map((f: any) => f.code)).toEqual(['X12_PARTNER_UNKNOWN']);
    expect(detail.acks).toEqual([]);

    // The partner is added (live reload), then ops reprocess the kept file from the archive.
    writeFileSync(join(home, 'partners', 'stranger.yaml'), 'id: stranger\nname: Stranger\nx12:\n  interchangeIds: [{ qualifier: ZZ, id: NOBODYKNOWSME }]\ndocuments:\n  "850": { map: x12-850-order, destinations: [erp] }\n');
    await waitFor(async () => (await getJson('/api/partners')).items.some((p: any) => p.id === 'stranger'), 'the new partner loaded');
    const re = await fetch(`${api}/api/files/${orphans.items[0].id}/reprocess`, { method: 'POST', headers: { 'x-edigate-actor': 'ops-kim' } });
    expect(re.status).toBe(201);
    const again = (await re.json()) as { fileId: number };
    expect(again).toMatchObject({ status: 'accepted', partnerId: 'stranger', fileName: 'orphan.edi' });
    expect(again.fileId).not.toBe(orphans.items[0].id);
    expect((await getJson(`/api/files/${again.fileId}`))).toMatchObject({ channel: 'reprocess', status: 'accepted' });
    expect(gw.store.db.prepare(`SELECT actor, target FROM audit WHERE action = 'file.reprocess'`).all()).toEqual([{ actor: 'ops-kim', target: `file:${orphans.items[0].id}` }]);
    expect((await fetch(`${api}/api/files/999999/reprocess`, { method: 'POST' })).status).toBe(404);
  });

  it('the same bytes twice: recognised by content hash, not processed again', async () => {
    const good = variant(20);
    const first = await drop('po-20.edi', good);
    expect(first.status).toBe('accepted');
    const acksBefore = outbox().length;
    await waitFor(() => erp.requests.some((r) => (r.json as any).source.interchangeControlNumber === '000000020'), 'first delivery');
    const again = await drop('po-20-resent.edi', good);
    expect(again).toMatchObject({ status: 'duplicate', duplicateOf: first.id });
    expect(again.findings[0].code).toBe('FILE_DUPLICATE_CONTENT');
    expect(outbox().length).toBe(acksBefore);
    await new Promise((r) => setTimeout(r, 200));
    expect(erp.requests.filter((r) => (r.json as any).source.interchangeControlNumber === '000000020')).toHaveLength(1);
  });

  it('the same ISA13 from the same sender in other bytes: rejected as duplicate with TA1 R 025, not delivered twice', async () => {
    const file = await drop('po-20-again.edi', variant(20) + '\n');
    expect(file.status).toBe('duplicate');
    const ic = await getJson(`/api/interchanges/${file.interchanges[0].id}`);
    expect(ic).toMatchObject({ status: 'duplicate', ackCode: 'R', noteCode: '025' });
    expect(ic.duplicateOf).toBeGreaterThan(0);
    const ta1 = outbox().filter((f) => f.startsWith('TA1')).sort().at(-1)!;
    expect(ack(ta1)).toContain('TA1*000000020*020226*1534*R*025~\n');
    await new Promise((r) => setTimeout(r, 200));
    expect(erp.requests.filter((r) => (r.json as any).source.interchangeControlNumber === '000000020')).toHaveLength(1);
  });

  it('a partner whose policy accepts repeated ISA13s: processed again, with the same idempotency key', async () => {
    const lenient = (extra: string) => variant(30, (s) => s.replace('ZZ*SENDERISA      ', 'ZZ*LENIENT        ')) + extra;
    await drop('l1.edi', lenient(''), 'lenient');
    await drop('l2.edi', lenient('\n'), 'lenient');
    await waitFor(() => erp.requests.filter((r) => (r.json as any).partnerId === 'lenient').length === 2, 'both delivered');
    const keys = erp.requests.filter((r) => (r.json as any).partnerId === 'lenient').map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBe(keys[1]);
    expect(outbox('lenient')).toEqual(['997_000000001.x12', '997_000000002.x12']);
  });

  it('keeps running: a good file after all of that is accepted and delivered', async () => {
    const file = await drop('good-after.edi', variant(99));
    expect(file.status).toBe('accepted');
    await waitFor(() => erp.requests.some((r) => (r.json as any).source.interchangeControlNumber === '000000099'), 'delivered');
    expect(dropped).toBeGreaterThan(15);
  });
});

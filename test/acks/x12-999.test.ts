import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { build999 } from '../../src/acks/x12-999.js';
import { makeHome, startTestGateway } from '../helpers/home.js';
import type { Gateway } from '../../src/app.js';
import type { X12GroupResult } from '../../src/formats/x12/types.js';

// apimeister/x12-types test-data/005010_837.edi: a clean 005010X222A1 professional claim (one CLM).
const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12', 'x12types__005010_837.edi');
const clean = readFileSync(FIX, 'latin1');
const NOW = new Date('2026-01-02T03:04:05Z');
const ENVELOPE = [
  'ISA*00*          *00*          *ZZ*000000010000000*ZZ*000000060000000*260102*0304*^*00501*000000007*0*T*:~',
  'GS*FA*00000001*00000006*20260102*0304*7*X*005010X231A1~',
];
const lines = (a: string[]) => a.map((l) => `${l}\n`).join('');

function ack999(text: string): string {
  const r = parseX12Buffer(Buffer.from(text, 'latin1'));
  const ic = r.interchanges[0]!;
  return build999(ic.groups[0]!, { interchange: ic.header, interchangeControlNumber: '7', groupControlNumber: '7', now: NOW });
}

describe('999 implementation acknowledgment (005010X231A1)', () => {
  it('a clean 837 is accepted: AK2 with ST03, IK5 A, AK9 A, the 999 in its own X231A1 group', () => {
    expect(ack999(clean)).toBe(lines([
      ...ENVELOPE, 'ST*999*0001*005010X231A1~', 'AK1*HC*110705001*005010X222A1~', 'AK2*837*0021*005010X222~', 'IK5*A~', 'AK9*A*1*1*1~',
      'SE*6*0001~', 'GE*1*7~', 'IEA*1*000000007~',
    ]));
  });

  it('element errors give IK3/IK4; the error after the claim names it in CTX (CLM01), the one before it does not', () => {
    const bad = clean
      .replace('N4*MIAMI*FL*33111', 'N4*MIAMI BEACH NORTH SHORE DISTRICT*FL*33111') // N401 longer than 30: before the CLM
      .replace('REF*D9*17312345600006351', 'REF*D9XX*17312345600006351'); // REF01 longer than 3: inside claim 26463774
    expect(ack999(bad)).toBe(lines([
      ...ENVELOPE, 'ST*999*0001*005010X231A1~', 'AK1*HC*110705001*005010X222A1~', 'AK2*837*0021*005010X222~',
      'IK3*N4*10**8~', 'IK4*1*19*5*MIAMI BEACH NORTH SHORE DISTRICT~',
      'IK3*REF*28**8~', 'CTX*CLM01:26463774~', 'IK4*1*128*5*D9XX~',
      'IK5*R*5~', 'AK9*R*1*1*0~', 'SE*11*0001~', 'GE*1*7~', 'IEA*1*000000007~',
    ]));
  });

  it('a wrong SE01 gives IK5 R 4; a group count error AK9 R 5', () => {
    const bad = clean.replace(/SE\*(\d+)\*0021/, (_m, n: string) => `SE*${Number(n) + 1}*0021`).replace(/GE\*1\*110705001/, 'GE*2*110705001');
    const text = ack999(bad);
    expect(text).toContain('AK2*837*0021*005010X222~\nIK5*R*4~\nAK9*R*2*1*0*5~\n');
  });

  it('no CTX when the business unit identifier itself is in error (it is not known: X12 RFI 2293)', () => {
    const group: X12GroupResult = {
      header: { functionalId: 'PO', senderCode: 'S', receiverCode: 'R', date: '20260102', time: '0304', controlNumber: '5', agency: 'X', version: '005010', offset: 0 } as X12GroupResult['header'],
      sets: [{
        setId: '850', controlNumber: '0001', ackCode: 'R',
        findings: [{
          code: 'X12_ELEMENT_TOO_LONG', severity: 'error', level: 'element', message: 'BEG03 too long', ak5: '5',
          segment: { tag: 'BEG', position: 2, code: '8' }, element: { position: 3, reference: '324', code: '5', badValue: 'X'.repeat(23) },
        }, {
          code: 'X12_ELEMENT_TOO_LONG', severity: 'error', level: 'element', message: 'PO102 too long', ak5: '5',
          segment: { tag: 'PO1', position: 5, code: '8' }, element: { position: 2, reference: '330', code: '5', badValue: '1234567890123456' },
        }],
        businessUnits: [{ element: 'BEG03', value: 'X'.repeat(23), position: 2 }],
      }],
      declaredSetCount: '1', findings: [], ackCode: 'R', acceptedCount: 0, offsetStart: 0, offsetEnd: 0,
    };
    const r = parseX12Buffer(Buffer.from(clean, 'latin1'));
    const text = build999(group, { interchange: r.interchanges[0]!.header, interchangeControlNumber: '8', groupControlNumber: '8', now: NOW });
    expect(text).toContain(`IK3*BEG*2**8~\nIK4*3*324*5*${'X'.repeat(23)}~\nIK3*PO1*5**8~\nCTX*BEG03:${'X'.repeat(23)}~\nIK4*2*330*5*1234567890123456~\n`);
  });
});

describe('partner policy acknowledgements.functionalType: 999', () => {
  let gw: Gateway | undefined;
  afterEach(async () => { await gw?.stop(); gw = undefined; });

  it('the gateway writes 999_<ISA13>.x12 instead of the 997 and records it', async () => {
    const home = makeHome([{ id: 'clinic', ids: [['ZZ', '000000060000000']], documents: {} }]);
    const file = join(home, 'partners', 'clinic.yaml');
    const doc = parse(readFileSync(file, 'utf8')) as { acknowledgements: Record<string, unknown> };
    doc.acknowledgements.functionalType = '999';
    writeFileSync(file, stringify(doc));
    ({ gw } = await startTestGateway(home, 'http://127.0.0.1:9', { now: NOW, watch: false }));
    const summary = await gw.pipeline.ingest({ path: FIX, fileName: '837.edi', channel: 'cli', partnerHint: 'clinic' });
    // The 837 is not routed for this partner (no map): AK5/IK5 R 1, acknowledged with a 999.
    expect(summary.acks.map((a) => [a.kind, a.fileName, a.ackCode])).toEqual([['999', '999_000000001.x12', 'R']]);
    expect(readdirSync(join(home, 'outbox', 'clinic'))).toEqual(['999_000000001.x12']);
    const text = readFileSync(join(home, 'outbox', 'clinic', '999_000000001.x12'), 'latin1');
    expect(text).toContain('ST*999*0001*005010X231A1~\nAK1*HC*110705001*005010X222A1~\nAK2*837*0021*005010X222~\nIK5*R*1~\nAK9*R*1*1*0~\n');
    expect(gw.store.acks.list({ kind: '999', limit: 5, offset: 0 }).items[0]).toMatchObject({ direction: 'outbound', status: 'rejected', fileName: '999_000000001.x12' });
    rmSync(home, { recursive: true, force: true });
  });
});

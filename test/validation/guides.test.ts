/**
 * Implementation-guide checks (src/validation/guides/) on real corpus files and small edits of them: every
 * rule class (mandatory segment, mandatory element, length, code list, CTT01/CTT02/TDS01 totals) with the
 * exact 997 segments it produces under each partner severity (error, warning, ignore), a 999 case with the
 * X231 I-codes, and the pipeline hook: at error the set is neither mapped nor delivered, at warning it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { X12Reader } from '../../src/formats/x12/reader.js';
import type { X12GroupResult, X12InterchangeHeader } from '../../src/formats/x12/types.js';
import type { Partner } from '../../src/partners/partner.js';
import { applyImplementationGuide, type GuideSeverity } from '../../src/validation/guides/index.js';
import { build997 } from '../../src/acks/x12-997.js';
import { build999 } from '../../src/acks/x12-999.js';
import type { Gateway } from '../../src/app.js';
import { makeHome, startTestGateway, waitFor } from '../helpers/home.js';
import { startReceiver } from '../helpers/receiver.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12');
const read = (name: string) => readFileSync(join(FIX, name), 'latin1');
const NOW = new Date('2026-01-02T03:04:05Z');

function partnerWith(guide: GuideSeverity): Partner {
  const route = { map: 'm', destinations: ['erp'] };
  return { id: 'p', documents: { '850': route, '855': route, '856': route, '810': route }, validation: { guide } } as unknown as Partner;
}

/**
 * Reads `text` with the X12 reader, applies the guide checks as the pipeline does (before the set's AK5 code is
 * settled, group code recomputed from the sets' codes) and returns the body of the acknowledgement of the first
 * group, from the AK1 to the AK9.
 */
function acknowledge(text: string, guide: GuideSeverity, kind: '997' | '999' = '997'): string[] {
  const partner = partnerWith(guide);
  let header: X12InterchangeHeader | undefined;
  let codes: string[] = [];
  const groups: X12GroupResult[] = [];
  const reader = new X12Reader({
    onInterchangeStart: (h) => { header = h; },
    onTransactionSet: (set) => { applyImplementationGuide(set, partner); codes.push(set.ackCode); },
    onGroupEnd: (g) => {
      const sets = g.sets.map((s, i) => ({ ...s, ackCode: codes[i] as 'A' | 'E' | 'R' }));
      const accepted = sets.filter((s) => s.ackCode !== 'R').length;
      const ackCode = g.findings.some((f) => f.severity === 'error') || accepted === 0 ? 'R' : accepted < sets.length ? 'P' : sets.some((s) => s.ackCode === 'E') ? 'E' : 'A';
      groups.push({ ...g, sets, ackCode, acceptedCount: ackCode === 'R' ? 0 : accepted });
      codes = [];
    },
  });
  reader.push(Buffer.from(text, 'latin1'));
  reader.end();
  const params = { interchange: header!, interchangeControlNumber: '1', groupControlNumber: '1', now: NOW };
  const ack = kind === '999' ? build999(groups[0]!, params) : build997(groups[0]!, params);
  const d = header!.delimiters;
  const segs = ack.split(d.segment).map((s) => s.trim().split(d.element).join('*')).filter(Boolean);
  return segs.slice(segs.findIndex((s) => s.startsWith('AK1')), segs.findIndex((s) => s.startsWith('AK9')) + 1);
}

/** `text` with SE01 recomputed for its single set (segment terminator "~"). */
function withSe01(text: string): string {
  const segs = text.split('~');
  const st = segs.findIndex((x) => x.trim().startsWith('ST*'));
  const se = segs.findIndex((x) => x.trim().startsWith('SE*'));
  segs[se] = segs[se]!.replace(/SE\*\d+\*/, `SE*${se - st + 1}*`);
  return segs.join('~');
}

/** The first set of a file only (its ISA/GS kept, later sets dropped, GE01 set to 1). */
function firstSetOnly(text: string, term = '~'): string {
  const segs = text.split(term);
  const end = segs.findIndex((s) => s.trim().startsWith('SE'));
  const trailer = segs.filter((s) => /^\s*(GE|IEA)/.test(s)).map((s) => s.replace(/GE\*\d+\*/, 'GE*1*'));
  return [...segs.slice(0, end + 1), ...trailer].join(term) + term;
}

describe('implementation-guide checks on real files', () => {
  it('a clean real 850 passes every rule at severity error', () => {
    expect(acknowledge(read('nodex12__850.edi'), 'error')).toEqual(['AK1*PO*1421', 'AK2*850*000000010', 'AK5*A', 'AK9*A*1*1*1']);
    expect(acknowledge(read('x12types__004010_850.edi'), 'error')).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK5*A', 'AK9*A*1*1*1']);
  });

  it('CTT02 hash total: a real file whose CTT02 is not the sum of PO102 (error, warning, ignore)', () => {
    const text = firstSetOnly(read('botsplugins__850-004010-12.x12'));
    expect(acknowledge(text, 'warning')).toEqual(['AK1*PO*150', 'AK2*850*000000001', 'AK3*CTT*30**8', 'AK4*2*347*7*456', 'AK5*E*5', 'AK9*E*1*1*1']);
    expect(acknowledge(text, 'error')).toEqual(['AK1*PO*150', 'AK2*850*000000001', 'AK3*CTT*30**8', 'AK4*2*347*7*456', 'AK5*R*5', 'AK9*R*1*1*0']);
    expect(acknowledge(text, 'ignore')).toEqual(['AK1*PO*150', 'AK2*850*000000001', 'AK5*A', 'AK9*A*1*1*1']);
  });

  it('CTT01 line count: an edit of a real 850 declaring 8 lines for 7 PO1', () => {
    const text = read('x12types__004010_850.edi').replace('CTT*7', 'CTT*8');
    expect(text).not.toBe(read('x12types__004010_850.edi'));
    expect(acknowledge(text, 'error')).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK3*CTT*34**8', 'AK4*1*354*7*8', 'AK5*R*5', 'AK9*R*1*1*0']);
  });

  it('a mandatory segment missing: BEG removed from a real 850 (AK304 3 where it was expected)', () => {
    const text = read('x12types__004010_850.edi').replace(/BEG\*[^~]*~\s*/, '').replace('SE*35*', 'SE*34*');
    expect(acknowledge(text, 'error')).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK3*BEG*2**3', 'AK5*R*5', 'AK9*R*1*1*0']);
    expect(acknowledge(text, 'warning')).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK3*BEG*2**3', 'AK5*E*5', 'AK9*E*1*1*1']);
  });

  it('a mandatory loop missing: every PO1 removed (AK303 loop id, reported where the summary starts)', () => {
    const text = read('x12types__004010_850.edi').replace(/CTT\*7/, 'CTT*0').replace(/PO1\*[^~]*~\s*(P(ID|O4)\*[^~]*~\s*)*/g, '');
    expect(withSe01(text)).toContain('SE*14*');
    expect(acknowledge(withSe01(text), 'error')).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK3*PO1*13*PO1*3', 'AK5*R*5', 'AK9*R*1*1*0']);
  });

  it('a code not in the X12 list: N101 "Q0" (98) and PO103 "XX" (355) in a real 850', () => {
    const text = read('x12types__004010_850.edi').replace('N1*BT*', 'N1*Q0*').replace('PO1**16*CA*', 'PO1**16*XX*');
    expect(acknowledge(text, 'error')).toEqual([
      'AK1*PO*1', 'AK2*850*000000001', 'AK3*N1*7**8', 'AK4*1*98*7*Q0', 'AK3*PO1*13**8', 'AK4*3*355*7*XX', 'AK5*R*5', 'AK9*R*1*1*0',
    ]);
  });

  it('HL03 hierarchical level code (735) in a real 856, and BSN01 purpose code (353)', () => {
    const text = read('oopfactory__856_Example1.txt').replace('HL~2~1~O*', 'HL~2~1~OO*').replace('BSN~00~', 'BSN~99~');
    expect(acknowledge(read('oopfactory__856_Example1.txt'), 'error')).toEqual(['AK1*SH*1', 'AK2*856*0001', 'AK5*A', 'AK9*A*1*1*1']);
    expect(acknowledge(text, 'warning')).toEqual([
      'AK1*SH*1', 'AK2*856*0001', 'AK3*BSN*2**8', 'AK4*1*353*7*99', 'AK3*HL*13**8', 'AK4*3*735*7*OO', 'AK5*E*5', 'AK9*E*1*1*1',
    ]);
  });

  it('element length and requirement in a real 855: BAK03 of 23 characters, BAK02 empty', () => {
    const base = read('stupidedi__004010_X358-SC855_pass_basic-po-ack-accepted.edi');
    expect(acknowledge(base, 'error')).toEqual(['AK1*SC*20213', 'AK2*855*0001', 'AK5*A', 'AK9*A*1*1*1']);
    expect(acknowledge(base.replace('BAK*11*AT*XX-1234*', 'BAK*11*AT*XX-1234-ABCDEFGHIJKLMNO*'), 'error'))
      .toEqual(['AK1*SC*20213', 'AK2*855*0001', 'AK3*BAK*2**8', 'AK4*3*324*5*XX-1234-ABCDEFGHIJKLMNO', 'AK5*R*5', 'AK9*R*1*1*0']);
    expect(acknowledge(base.replace('BAK*11*AT*', 'BAK*11**'), 'error'))
      .toEqual(['AK1*SC*20213', 'AK2*855*0001', 'AK3*BAK*2**8', 'AK4*2*587*1', 'AK5*R*5', 'AK9*R*1*1*0']);
  });

  it('810 TDS01: a real file whose second invoice repeats the first one\'s total (one set rejected, AK9 P)', () => {
    expect(acknowledge(read('staedi__simple810.edi'), 'error')).toEqual([
      'AK1*IN*1', 'AK2*810*000000001', 'AK5*A', 'AK2*810*000000002', 'AK3*TDS*18**8', 'AK4*1*610*7*255438', 'AK5*R*5', 'AK9*P*2*2*1',
    ]);
    expect(acknowledge(read('staedi__simple810.edi'), 'ignore')).toEqual(['AK1*IN*1', 'AK2*810*000000001', 'AK5*A', 'AK2*810*000000002', 'AK5*A', 'AK9*A*2*2*2']);
  });

  it('999: the X231 I-codes for a totals mismatch (IK403 I12, IK502 I5) next to a standard code (IK304 3)', () => {
    const text = withSe01(read('x12types__004010_850.edi').replace('CTT*7', 'CTT*8').replace(/BEG\*[^~]*~\s*/, ''));
    expect(acknowledge(text, 'error', '999')).toEqual([
      'AK1*PO*1*004010', 'AK2*850*000000001', 'IK3*BEG*2**3', 'IK3*CTT*33**8', 'IK4*1*354*I12*8', 'IK5*R*5*I5', 'AK9*R*1*1*0',
    ]);
    // The same findings in a 997: AK403 7 and AK502 5 (the 997 has no I-codes).
    expect(acknowledge(text, 'error')).toEqual(['AK1*PO*1', 'AK2*850*000000001', 'AK3*BEG*2**3', 'AK3*CTT*33**8', 'AK4*1*354*7*8', 'AK5*R*5', 'AK9*R*1*1*0']);
  });
});

describe('the pipeline hook, end to end', () => {
  let home: string;
  let gw: Gateway;
  let api: string;
  let erp: Awaited<ReturnType<typeof startReceiver>>;
  const outbox = (partner: string) => (existsSync(join(home, 'outbox', partner)) ? readdirSync(join(home, 'outbox', partner)).filter((f) => !f.startsWith('.')).sort() : []);

  beforeAll(async () => {
    erp = await startReceiver();
    home = makeHome([{ id: 'strict', ids: [['ZZ', 'SENDERISA']] }, { id: 'lenient', ids: [['ZZ', 'SENDERISB']] }]);
    for (const [id, guide] of [['strict', 'error'], ['lenient', 'warning']] as const) {
      const file = join(home, 'partners', `${id}.yaml`);
      const { parse } = await import('yaml');
      writeFileSync(file, stringify({ ...parse(readFileSync(file, 'utf8')), validation: { guide } }));
    }
    ({ gw, api } = await startTestGateway(home, erp.url, { now: NOW }));
  });

  afterAll(async () => {
    await gw?.stop();
    await erp?.close();
  });

  it('at error the set is rejected and not delivered; at warning it is acknowledged E and delivered', async () => {
    const bad = read('x12types__004010_850.edi').replace('CTT*7', 'CTT*8');
    const drop = (partner: string, text: string) => {
      const target = join(home, 'inbox', partner, 'po.edi');
      writeFileSync(`${target}.part`, text, 'latin1');
      renameSync(`${target}.part`, target);
    };
    drop('strict', bad);
    await waitFor(() => outbox('strict').length === 1, '997 for the strict partner');
    const strict = readFileSync(join(home, 'outbox', 'strict', outbox('strict')[0]!), 'latin1');
    expect(strict).toContain('AK2*850*000000001~\nAK3*CTT*34**8~\nAK4*1*354*7*8~\nAK5*R*5~\nAK9*R*1*1*0~\n');

    drop('lenient', bad.replace('ZZ*SENDERISA      ', 'ZZ*SENDERISB      '));
    await waitFor(() => outbox('lenient').length === 1, '997 for the lenient partner');
    const lenient = readFileSync(join(home, 'outbox', 'lenient', outbox('lenient')[0]!), 'latin1');
    expect(lenient).toContain('AK2*850*000000001~\nAK3*CTT*34**8~\nAK4*1*354*7*8~\nAK5*E*5~\nAK9*E*1*1*1~\n');
    await waitFor(() => erp.requests.length === 1, 'the lenient partner\'s order at the ERP');
    expect((erp.requests[0]!.json as { partnerId: string }).partnerId).toBe('lenient');
    // The strict partner's set was neither mapped nor enqueued: its interchange holds no message and no delivery.
    const list = await (await fetch(`${api}/api/interchanges?partner=strict`)).json() as { items: Array<{ id: number }> };
    const detail = await (await fetch(`${api}/api/interchanges/${list.items[0]!.id}`)).json() as { messages: unknown[]; deliveries: unknown[]; groups: Array<{ transactionSets: Array<{ ackCode: string }> }> };
    expect(detail.groups[0]!.transactionSets[0]!.ackCode).toBe('R');
    expect(detail.messages).toEqual([]);
    expect(detail.deliveries).toEqual([]);
  });
});

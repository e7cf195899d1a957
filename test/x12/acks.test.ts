import { describe, expect, it } from 'vitest';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { build997 } from '../../src/acks/x12-997.js';
import { buildTa1, shouldSendTa1 } from '../../src/acks/ta1.js';
import { buildIsa, writeSegment, writeSegments } from '../../src/formats/x12/writer.js';
import type { X12InterchangeResult } from '../../src/formats/x12/types.js';
import { edit, fixture } from './helpers.js';

const NOW = new Date('2026-11-29T12:34:00Z');

function first(name: string): X12InterchangeResult {
  const ic = parseX12Buffer(fixture(name)).interchanges[0];
  if (!ic) throw new Error('no interchange');
  return ic;
}

describe('997 for a clean real file (nodex12__850.edi, 004010VICS)', () => {
  const ic = first('nodex12__850.edi');
  const group = ic.groups[0];
  if (!group) throw new Error('no group');
  const text = build997(group, { interchange: ic.header, interchangeControlNumber: '42', groupControlNumber: '42', now: NOW });

  it('is one interchange mirroring the inbound envelope, segment by segment', () => {
    expect(text.split('~\n')).toEqual([
      // inbound: ISA*01*0000000000*01*ABCCO     *12*4405197800     *01*999999999      *101127*1719*U*00400*000003438*0*P*>
      'ISA*00*          *00*          *01*999999999      *12*4405197800     *261129*1234*U*00400*000000042*0*P*>',
      // inbound: GS*PO*4405197800*999999999*20101127*1719*1421*X*004010VICS
      'GS*FA*999999999*4405197800*20261129*1234*42*X*004010VICS',
      'ST*997*0001',
      'AK1*PO*1421',
      'AK2*850*000000010',
      'AK5*A',
      'AK9*A*1*1*1',
      'SE*6*0001',
      'GE*1*42',
      'IEA*1*000000042',
      '',
    ]);
  });

  it('has a 106-character ISA and parses back cleanly with our own reader', () => {
    expect(text.indexOf('~')).toBe(105);
    const back = parseX12Buffer(Buffer.from(text, 'latin1'));
    expect(back.fileFindings).toEqual([]);
    expect(back.interchanges).toHaveLength(1);
    const b = back.interchanges[0];
    expect(b?.ackCode).toBe('A');
    expect(b?.findings).toEqual([]);
    expect(b?.header.senderId).toBe('999999999');
    expect(b?.header.receiverId).toBe('4405197800');
    expect(b?.groups[0]?.ackCode).toBe('A');
    expect(back.sets.map((s) => [s.setId, s.controlNumber, s.ackCode, s.segments.length])).toEqual([['997', '0001', 'A', 6]]);
  });
});

describe('997 details', () => {
  it('005010: AK103 = GS08, AK203 = ST03, repetition separator copied', () => {
    const ic = first('stupidedi__005010_X186A1-AG824_pass_positive-acknowledgment.edi');
    const text = build997(ic.groups[0]!, { interchange: ic.header, interchangeControlNumber: '42', groupControlNumber: '42', now: NOW });
    expect(text.split('~\n')).toEqual([
      'ISA*00*          *00*          *ZZ*123456789012346*ZZ*123456789012345*261129*1234*>*00501*000000042*0*T*:',
      'GS*FA*2345678901*1234567890*20261129*1234*42*X*005010X186A1',
      'ST*997*0001',
      'AK1*AG*20213*005010X186A1',
      'AK2*824*021390001*005010X186A1',
      'AK5*A',
      'AK9*A*1*1*1',
      'SE*6*0001',
      'GE*1*42',
      'IEA*1*000000042',
      '',
    ]);
  });

  it('keeps the inbound delimiters: NAK terminator followed by a newline; CR terminator alone', () => {
    const nak = first('botsplugins__850-004030-01.x12');
    const t1 = build997(nak.groups[0]!, { interchange: nak.header, interchangeControlNumber: '42', groupControlNumber: '42', now: NOW });
    expect(t1.split('\x15\n').slice(1, 4)).toEqual(['GS*FA*2222222*1111111122*20261129*1234*42*X*004030', 'ST*997*0001', 'AK1*PO*1000034']);
    const cr = first('botsplugins__850-004010.13.x12');
    const t2 = build997(cr.groups[0]!, { interchange: cr.header, interchangeControlNumber: '42', groupControlNumber: '42', now: NOW });
    expect(t2.split('\r')).toHaveLength(11);
    expect(t2).not.toContain('\n');
    expect(parseX12Buffer(Buffer.from(t2, 'latin1')).interchanges[0]?.ackCode).toBe('A');
  });

  it('writes GS04 as YYMMDD for groups before 004010', () => {
    const ic = first('stupidedi__003050_PO850_fail_1.edi');
    const text = build997(ic.groups[0]!, { interchange: ic.header, interchangeControlNumber: '7', groupControlNumber: '7', now: NOW });
    const gs = text.split('!\n')[1];
    expect(gs).toBe('GS*FA*123456789*54481205*261129*1234*7*X*003050');
  });

  it('AK9 for a group without GE uses the received count; bad values never break the envelope', () => {
    const buf = edit('x12types__004010_850.edi', (t) => t.replace('GE*1*1~\n', '').replace('N4*TEMPLE*TX*76503', 'N4*TEMPLE*T>X*76503'));
    const ic = parseX12Buffer(buf).interchanges[0]!;
    const text = build997(ic.groups[0]!, { interchange: ic.header, interchangeControlNumber: '42', groupControlNumber: '42', now: NOW });
    const lines = text.split('~\n');
    expect(lines).toContain('AK4*2*156*5*TX'); // the component separator is removed from the copy of the bad value
    expect(lines).toContain('AK9*R*1*1*0*3');
    const back = parseX12Buffer(Buffer.from(text, 'latin1'));
    expect(back.interchanges[0]?.ackCode).toBe('A');
    expect(back.sets[0]?.ackCode).toBe('A');
  });

  it('rejects control numbers that are not 1 to 9 digits', () => {
    const ic = first('nodex12__850.edi');
    expect(() => build997(ic.groups[0]!, { interchange: ic.header, interchangeControlNumber: '42', groupControlNumber: 'X', now: NOW })).toThrow(RangeError);
    expect(() => build997(ic.groups[0]!, { interchange: ic.header, interchangeControlNumber: '1234567890', groupControlNumber: '1', now: NOW })).toThrow(
      RangeError,
    );
  });
});

describe('TA1', () => {
  it('mirrors the envelope and reports TA104/TA105', () => {
    const ic = first('nodex12__850.edi');
    expect(buildTa1(ic, { interchangeControlNumber: '43', now: NOW }).split('~\n')).toEqual([
      'ISA*00*          *00*          *01*999999999      *12*4405197800     *261129*1234*U*00400*000000043*0*P*>',
      'TA1*000003438*101127*1719*A*000',
      'IEA*0*000000043',
      '',
    ]);
    expect(buildTa1(ic, { interchangeControlNumber: '43', now: NOW, duplicate: true }).split('~\n')[1]).toBe('TA1*000003438*101127*1719*R*025');
  });

  it('reproduces the TA1 code of a real broken file (pyx12 ele.txt: ISA10 3339 -> R 015)', () => {
    const ic = first('pyx12__ele.txt');
    expect(buildTa1(ic, { interchangeControlNumber: '1', now: NOW }).split('~\n')[1]).toBe('TA1*000484889*040709*3339*R*015');
    // and the set-level codes pyx12 expects (AK5*R*3*7: ST02 with a trailing space)
    const text = build997(ic.groups[0]!, { interchange: ic.header, interchangeControlNumber: '1', groupControlNumber: '1', now: NOW });
    expect(text.split('~\n').filter((l) => l.startsWith('AK'))).toEqual(['AK1*HC*1', 'AK2*837*300145997 ', 'AK5*R*3*7', 'AK9*R*1*1*0']);
  });

  it('reproduces pyx12 fail_no_IEA: TA1 R 023, AK5 R 4 on the set', () => {
    const ic = first('pyx12__fail_no_IEA.txt');
    expect(ic.ackCode).toBe('R');
    expect(ic.noteCode).toBe('023');
    expect(ic.groups[0]?.sets[0]?.findings.map((f) => f.ak5)).toEqual(['4']);
  });

  it('shouldSendTa1 follows the partner policy', () => {
    const ok = first('nodex12__850.edi'); // ISA14 0, accepted
    const bad = first('pyx12__ele.txt'); // ISA14 1, rejected
    expect([shouldSendTa1('never', bad, true), shouldSendTa1('always', ok, false)]).toEqual([false, true]);
    expect([shouldSendTa1('as-requested', ok, false), shouldSendTa1('as-requested', bad, false)]).toEqual([false, true]);
    expect([shouldSendTa1('on-error', ok, false), shouldSendTa1('on-error', ok, true), shouldSendTa1('on-error', bad, false)]).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe('writer', () => {
  const d = { element: '*', component: ':', repetition: '^', segment: '~' };

  it('drops trailing empty elements and keeps inner ones', () => {
    expect(writeSegment({ tag: 'AK3', elements: ['N1', '7', '', '8'] }, d)).toBe('AK3*N1*7**8~');
    expect(writeSegment({ tag: 'AK4', elements: ['2', '', '1', ''] }, d, '\n')).toBe('AK4*2**1~\n');
    expect(writeSegments([{ tag: 'SE', elements: ['2', '0001'] }, { tag: 'GE', elements: ['1', '5'] }], d)).toBe('SE*2*0001~GE*1*5~');
  });

  it('builds a fixed-width ISA of 106 characters and refuses values that do not fit', () => {
    const isa = buildIsa(
      { senderQualifier: 'ZZ', senderId: 'US', receiverQualifier: '01', receiverId: '123456789', date: '261129', time: '1234', version: '00501', controlNumber: '7', ackRequested: '0', usage: 'T' },
      d,
    );
    expect(isa).toBe('ISA*00*          *00*          *ZZ*US             *01*123456789      *261129*1234*^*00501*000000007*0*T*:~');
    expect(isa).toHaveLength(106);
    expect(() =>
      buildIsa(
        { senderQualifier: 'ZZ', senderId: 'A-SENDER-ID-THAT-IS-TOO-LONG', receiverQualifier: '01', receiverId: 'R', date: '261129', time: '1234', version: '00401', controlNumber: '1', ackRequested: '0', usage: 'P' },
        d,
      ),
    ).toThrow(RangeError);
    const old = buildIsa(
      { senderQualifier: 'ZZ', senderId: 'US', receiverQualifier: '01', receiverId: 'R', date: '261129', time: '1234', version: '00401', controlNumber: '1', ackRequested: '0', usage: 'P' },
      d,
    );
    expect(old.split('*')[11]).toBe('U');
  });
});

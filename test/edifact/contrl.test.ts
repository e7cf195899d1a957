/**
 * CONTRL for each case the standard names, compared as exact text: envelope mirrored (sender and
 * recipient swapped, syntax identifier and version kept, the inbound UNA kept), UCI action 7/4,
 * UCM per message, UCS/UCD positions, and the 0085 syntax error codes (UN/EDIFACT code list 0085).
 */
import { describe, expect, it } from 'vitest';
import { contrlsOf } from './helpers.js';
import { parseEdifactBuffer } from '../../src/formats/edifact/reader.js';
import { buildContrl, shouldSendContrl } from '../../src/acks/contrl.js';

const unb = (syntax = 'UNOA:3', ref = 'REF1') => `UNB+${syntax}+SENDER:14+RECEIVER:14+260102:0304+${ref}'`;
const ORDER = "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'DTM+137:20260102:102'UNT+4+1'";
const HEAD3 = "UNB+UNOA:3+RECEIVER:14+SENDER:14+260102:0304+7'UNH+7+CONTRL:2:2:UN'";
const HEAD = (syntax: string) => `UNB+${syntax}+RECEIVER:14+SENDER:14+260102:0304+7'UNH+7+CONTRL:2:2:UN'`;

describe('CONTRL', () => {
  it('acknowledges a valid interchange: UCI 7 and UCM 7 per message', () => {
    expect(contrlsOf(unb() + ORDER + ORDER.replaceAll('+1\'', '+2\'').replace('UNH+1+', 'UNH+2+') + "UNZ+2+REF1'")).toEqual([
      HEAD3 + "UCI+REF1+SENDER:14+RECEIVER:14+7'UCM+1+ORDERS:D:96A:UN+7'UCM+2+ORDERS:D:96A:UN+7'UNT+5+7'UNZ+1+7'",
    ]);
  });

  it('wrong UNT count: the message is rejected with 29 on UNT element 1', () => {
    expect(contrlsOf(unb() + ORDER.replace('UNT+4+1', 'UNT+9+1') + "UNZ+1+REF1'")).toEqual([
      HEAD3 + "UCI+REF1+SENDER:14+RECEIVER:14+7'UCM+1+ORDERS:D:96A:UN+4+29+UNT+1'UNT+4+7'UNZ+1+7'",
    ]);
  });

  it('wrong UNT reference: 28 on UNT element 2', () => {
    expect(contrlsOf(unb() + ORDER.replace('UNT+4+1', 'UNT+4+X') + "UNZ+1+REF1'")[0]).toContain("UCM+1+ORDERS:D:96A:UN+4+28+UNT+2'");
  });

  it('wrong UNZ reference: the interchange is rejected with 28 on UNZ element 2', () => {
    expect(contrlsOf(unb() + ORDER + "UNZ+1+OTHER'")).toEqual([
      HEAD3 + "UCI+REF1+SENDER:14+RECEIVER:14+4+28+UNZ+2'UNT+3+7'UNZ+1+7'",
    ]);
  });

  it('wrong UNZ count: 29 on UNZ element 1', () => {
    expect(contrlsOf(unb() + ORDER + "UNZ+3+REF1'")[0]).toContain("UCI+REF1+SENDER:14+RECEIVER:14+4+29+UNZ+1'");
  });

  it('missing segment terminator after UNB: the interchange is rejected with 13 on UNB', () => {
    const text = "UNB+UNOA:3+SENDER:14+RECEIVER:14+260102:0304+REF1UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'DTM+137:20260102:102'UNT+4+1'UNZ+1+REF1'";
    expect(contrlsOf(text)).toEqual([
      HEAD3 + "UCI+REF1UNH+SENDER:14+RECEIVER:14+4+13+UNB'UNT+3+7'UNZ+1+7'",
    ]);
  });

  it('UNOA with lowercase: rejected at the element (UCS position 3, UCD 21 at element 4 component 1); UNOB and UNOC accept it', () => {
    const body = "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'FTX+AAI+++Fragile'DTM+137:20260102:102'UNT+5+1'UNZ+1+REF1'";
    expect(contrlsOf(unb('UNOA:3') + body)).toEqual([
      HEAD3 + "UCI+REF1+SENDER:14+RECEIVER:14+7'UCM+1+ORDERS:D:96A:UN+4'UCS+3'UCD+21+4:1'UNT+6+7'UNZ+1+7'",
    ]);
    expect(contrlsOf(unb('UNOB:3') + body)).toEqual([HEAD('UNOB:3') + "UCI+REF1+SENDER:14+RECEIVER:14+7'UCM+1+ORDERS:D:96A:UN+7'UNT+4+7'UNZ+1+7'"]);
    expect(contrlsOf(unb('UNOC:3') + body)[0]).toContain("UCM+1+ORDERS:D:96A:UN+7'");
    // in the envelope itself the interchange is rejected (UCI 21 with S011)
    expect(contrlsOf(unb('UNOA:3').replace('SENDER:14', 'Sender:14') + ORDER + "UNZ+1+REF1'")[0]).toContain("UCI+REF1+Sender:14+RECEIVER:14+4+21+UNB+2:1'");
    // and a partner may ask for leniency: the same file accepted, the character kept
    expect(contrlsOf(unb('UNOA:3') + body, { characterSet: 'lenient' })[0]).toContain("UCM+1+ORDERS:D:96A:UN+7'");
  });

  it('a custom UNA is mirrored, values are released, syntax 4 dates are CCYYMMDD and its CONTRL is 4:1', () => {
    const text = "UNA|*,! ~UNB*UNOC|4*S!*1|14*R|14*20260102|0304*X1~UNH*1*ORDERS|D|96A|UN~BGM*220*PO1*9~DTM*137|20260102|102~UNT*9*1~UNZ*1*X1~";
    expect(contrlsOf(text)).toEqual([
      "UNA|*,! ~UNB*UNOC|4*R|14*S!*1|14*20260102|0304*7~UNH*7*CONTRL|4|1|UN~UCI*X1*S!*1|14*R|14*7~UCM*1*ORDERS|D|96A|UN*4*29*UNT*1~UNT*4*7~UNZ*1*7~",
    ]);
  });

  it('groups: UCF per group with its messages; UNE count mismatch rejects the group with 29', () => {
    const text = unb() + "UNG+ORDERS+GS:14+GR:14+260102:0304+G1+UN+D:96A'" + ORDER + "UNE+2+G1'UNZ+1+REF1'";
    expect(contrlsOf(text)).toEqual([
      HEAD3 + "UCI+REF1+SENDER:14+RECEIVER:14+7'UCF+G1+GS:14+GR:14+4+29+UNE+1'UNT+4+7'UNZ+1+7'",
    ]);
  });

  it('missing UNZ: 13; interchange holding no message: 32; unsupported syntax identifier: 2', () => {
    expect(contrlsOf(unb() + ORDER)[0]).toContain("UCI+REF1+SENDER:14+RECEIVER:14+4+13+UNZ'");
    expect(contrlsOf(unb() + "UNZ+0+REF1'")[0]).toContain("UCI+REF1+SENDER:14+RECEIVER:14+4+32'");
    expect(contrlsOf(unb('XXXA:1') + ORDER + "UNZ+1+REF1'")[0]).toContain("UCI+REF1+SENDER:14+RECEIVER:14+4+2+UNB+1:1'");
  });

  it('policy: never, on-error, always, as-requested (UNB 0031); a received-only CONTRL has UCI 8', () => {
    const ok = parseEdifactBuffer(Buffer.from(unb() + ORDER + "UNZ+1+REF1'")).interchanges[0]!;
    const asks = parseEdifactBuffer(Buffer.from(unb().replace("+REF1'", "+REF1++++1'") + ORDER + "UNZ+1+REF1'")).interchanges[0]!;
    const bad = parseEdifactBuffer(Buffer.from(unb() + ORDER + "UNZ+1+X'")).interchanges[0]!;
    expect(['never', 'on-error', 'always', 'as-requested'].map((p) => [shouldSendContrl(p as never, ok, false), shouldSendContrl(p as never, asks, false), shouldSendContrl(p as never, bad, false)]))
      .toEqual([[false, false, false], [false, false, true], [true, true, true], [false, true, false]]);
    expect(shouldSendContrl('always', ok, true)).toBe(false);
    expect(buildContrl(ok, { controlReference: '7', messageReference: '7', now: new Date('2026-01-02T03:04:05Z'), level: 'received' }))
      .toBe(HEAD3 + "UCI+REF1+SENDER:14+RECEIVER:14+8'UNT+3+7'UNZ+1+7'");
  });
});

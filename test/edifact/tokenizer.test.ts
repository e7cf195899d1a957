/**
 * The EDIFACT tokenizer (the `edifact` package's Parser behind our wrapper): release characters in runs,
 * custom and repeated UNAs, BOM and white space, character sets decoded once per interchange, the
 * repetition separator of syntax 4, and the same segments whatever the chunk boundaries.
 */
import { describe, expect, it } from 'vitest';
import { tokenize } from './helpers.js';

const env = (body: string, ref = 'REF1', syntax = 'UNOA:3') => `UNB+${syntax}+SENDER:14+RECEIVER:14+260102:0304+${ref}'${body}UNZ+1+${ref}'`;

describe('EDIFACT tokenizer', () => {
  it('resolves release characters in runs: ??, ?\' and ???\'', () => {
    const text = env("UNH+1+ORDERS:D:96A:UN'BGM+220+PO??1+9'FTX+AAI+++A?'B:C???'D'UNT+4+1'");
    const { segments, problems } = tokenize(Buffer.from(text));
    expect(problems).toEqual([]);
    expect(segments.map((s) => s.tag)).toEqual(['UNB', 'UNH', 'BGM', 'FTX', 'UNT', 'UNZ']);
    expect(segments[2]!.elements).toEqual([['220'], ['PO?1'], ['9']]);
    expect(segments[3]!.elements).toEqual([['AAI'], [''], [''], ["A'B", "C?'D"]]);
  });

  it('gives the same segments for every chunk size, a release character or a multi-byte character at a chunk end included', () => {
    const text = Buffer.concat([Buffer.from('\ufeff  \r\n', 'utf8'), Buffer.from(env("UNH+1+ORDERS:D:96A:UN'FTX+AAI+++x?'y???'z:\u00e9?+?:'UNT+3+1'", 'R', 'UNOW:4'), 'utf8')]);
    const whole = JSON.stringify(tokenize(text));
    for (let size = 1; size <= 23; size++) expect(JSON.stringify(tokenize(text, size))).toBe(whole);
    expect(tokenize(text).segments[2]!.elements[3]).toEqual(["x'y?'z", '\u00e9+:']);
  });

  it('reads a custom UNA (any service characters, "^" and "\\\\" included) and writes nothing else into data', () => {
    const text = "UNA|*,! ~UNB*UNOC|3*S|14*R|14*260102|0304*X1~UNH*1*ORDERS|D|96A|UN~BGM*220*P!*O!~1*9~UNT*3*1~UNZ*1*X1~";
    const { segments, opens, problems } = tokenize(Buffer.from(text));
    expect(problems).toEqual([]);
    expect(opens[0]!.delimiters).toEqual({ component: '|', element: '*', decimal: ',', release: '!', repetition: '', segment: '~' });
    expect(opens[0]!.una).toBe('UNA|*,! ~');
    expect(segments[2]!.elements).toEqual([['220'], ['P*O~1'], ['9']]);
    const odd = tokenize(Buffer.from("UNA^+.\\ 'UNB+UNOA^1+S+R+260102^0304+1'UNH+1+X^1^1^UN'BGM+1+A\\^B\\\\'UNT+3+1'UNZ+1+1'"));
    expect(odd.segments[2]!.elements).toEqual([['1'], ['A^B\\']]);
  });

  it('reads two interchanges with different UNAs (and character sets) in one file', () => {
    const a = "UNA:+.? 'UNB+UNOC:3+S:14+R:14+260102:0304+A1'UNH+1+ORDERS:D:96A:UN'BGM+220+Caf\xe9?'s+9'UNT+3+1'UNZ+1+A1'\r\n";
    const b = "UNA=*.? ~UNB*UNOD=3*S=14*R=14*260102=0304*B1~UNH*1*ORDERS=D=96A=UN~BGM*220*\xb1\xe6*9~UNT*3*1~UNZ*1*B1~";
    const { segments, opens, closes } = tokenize(Buffer.from(a + b, 'latin1'));
    expect(opens.map((o) => [o.una, o.charset.id, o.offset])).toEqual([["UNA:+.? '", 'UNOC', 0], ['UNA=*.? ~', 'UNOD', a.length]]);
    expect(closes).toEqual([a.length - 2, a.length + b.length]);
    expect(segments.filter((s) => s.tag === 'BGM').map((s) => s.elements[1]![0])).toEqual(["Café's", 'ąć']);
  });

  it('decodes UNOC bytes as Latin-1 once (é, ü, ß, ¿) and UNOE as ISO 8859-5', () => {
    const latin = Buffer.from("UNB+UNOC:3+S+R+260102:0304+1'UNH+1+ORDERS:D:96A:UN'NAD+BY+++Caf\xe9 M\xfcller Stra\xdfe \xbf?''UNT+3+1'UNZ+1+1'", 'latin1');
    expect(tokenize(latin).segments[2]!.elements[3]).toEqual(['Café Müller Straße ¿\'']);
    const cyr = Buffer.concat([Buffer.from("UNB+UNOE:3+S+R+260102:0304+1'UNH+1+X:1:1:UN'FTX+AAI+++", 'latin1'), Buffer.from([0xbc, 0xde, 0xe1, 0xda, 0xd2, 0xd0]), Buffer.from("'UNT+3+1'UNZ+1+1'")]);
    expect(tokenize(cyr).segments[2]!.elements[3]).toEqual(['Москва']);
  });

  it('flags characters outside level A (UNOA lowercase) but not under level B (UNOB) or UNOC', () => {
    const body = "UNH+1+ORDERS:D:96A:UN'FTX+AAI+++Fragile'UNT+3+1'";
    expect(tokenize(Buffer.from(env(body, 'R', 'UNOA:3'))).segments[2]!.invalid).toEqual({ element: 4, component: 1, char: 'r' });
    expect(tokenize(Buffer.from(env(body, 'R', 'UNOB:3'))).segments[2]!.invalid).toBeUndefined();
    expect(tokenize(Buffer.from(env(body, 'R', 'UNOC:3'))).segments[2]!.invalid).toBeUndefined();
    expect(tokenize(Buffer.from(env("UNH+1+ORDERS:D:96A:UN'FTX+AAI+++A#B'UNT+3+1'", 'R', 'UNOB:3'))).segments[2]!.invalid).toEqual({ element: 4, component: 1, char: '#' });
  });

  it('splits syntax 4 repetitions only from version 4, and only on unreleased separators', () => {
    const v4 = "UNA:+.?*'UNB+UNOC:4+S+R+20260102:0304+1'UNH+1+X:1:1:UN'COM+a:TE*b:EM*c?*d:FX'UNT+3+1'UNZ+1+1'";
    const seg = tokenize(Buffer.from(v4)).segments[2]!;
    expect(seg.elements[0]).toEqual(['a', 'TE']);
    expect(seg.repetitions).toEqual({ 0: [['a', 'TE'], ['b', 'EM'], ['c*d', 'FX']] });
    const v3 = tokenize(Buffer.from(v4.replace('UNOC:4', 'UNOC:3'))).segments[2]!;
    expect(v3.elements[0]).toEqual(['a', 'TE*b', 'EM*c*d', 'FX']);
  });

  it('ignores line breaks inside and between segments, and reports data outside interchanges', () => {
    const wrapped = "UNB+UNOA:3+S+R+260102:0304+1'\nUNH+1+OR\nDERS:D:96A:UN'\r\nBGM+220+P\nO1+9'UNT+3+1'UNZ+1+1'\nGARBAGE";
    const { segments, problems } = tokenize(Buffer.from(wrapped));
    expect(segments[1]!.elements[1]).toEqual(['ORDERS', 'D', '96A', 'UN']);
    expect(segments[2]!.elements[1]).toEqual(['PO1']);
    expect(problems.map((p) => [p.kind, p.code])).toEqual([['data-outside', '33']]);
  });
});

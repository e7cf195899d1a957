import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes an X12 file of ten-line 850 purchase orders of at least `targetBytes`:
 * interchanges of one functional group with `setsPerGroup` sets each, `~` terminator and a newline
 * after every segment, every count and control number right. Sender ZZ/BENCHSENDER.
 * @returns bytes written and the number of transaction sets.
 */
export async function generate850File(path: string, targetBytes: number, setsPerGroup = 1000): Promise<{ bytes: number; sets: number; interchanges: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  let sets = 0;
  let interchanges = 0;
  const write = async (s: string) => {
    bytes += s.length;
    if (!out.write(s)) await once(out, 'drain');
  };
  while (bytes < targetBytes) {
    interchanges++;
    const isa13 = String(interchanges).padStart(9, '0');
    await write(`ISA*00*          *00*          *ZZ*BENCHSENDER    *ZZ*EDIGATE        *260101*1200*U*00401*${isa13}*0*P*>~\n`);
    await write(`GS*PO*BENCHSENDER*EDIGATE*20260101*1200*${interchanges}*X*004010~\n`);
    let block = '';
    for (let i = 1; i <= setsPerGroup; i++) {
      sets++;
      const st02 = String(i).padStart(4, '0');
      const po = `PO${interchanges}-${i}`;
      const segs = [
        `ST*850*${st02}`,
        `BEG*00*SA*${po}**20260101`,
        `REF*DP*042`,
        `DTM*002*20260115`,
        `N1*ST*BENCH STORE ${i % 97}*92*${1000 + (i % 97)}`,
        `N3*100 MAIN STREET`,
        `N4*SPRINGFIELD*IL*62701*US`,
      ];
      for (let l = 1; l <= 10; l++) {
        segs.push(`PO1*${l}*${l * 12}*EA*${(l * 1.25).toFixed(2)}*PE*UP*0${String(12345678900 + l)}*VN*SKU-${l}-${i % 13}*BP*BUYER-${l}`);
        segs.push(`PID*F****ITEM NUMBER ${l} DESCRIPTION`);
      }
      segs.push(`CTT*10`);
      segs.push(`SE*${segs.length + 1}*${st02}`);
      block += segs.join('~\n') + '~\n';
      if (block.length > 1 << 20) { await write(block); block = ''; }
    }
    await write(block);
    await write(`GE*${setsPerGroup}*${interchanges}~\nIEA*1*${isa13}~\n`);
  }
  out.end();
  await once(out, 'finish');
  return { bytes, sets, interchanges };
}

/**
 * X12 tokenizer and reader throughput on a generated file of 850s (~50 MB, 64 KiB chunks).
 * Run: npx tsx bench/x12-tokenizer.ts [sizeMB]   (default 50)
 */
import { X12Tokenizer } from '../src/formats/x12/tokenizer.js';
import { X12Reader } from '../src/formats/x12/reader.js';

/** A generated interchange stream of 850s, 1000 sets per group, `~` terminator (+ optional newline). */
export function generate850s(targetBytes: number, newline = ''): Buffer {
  const parts: string[] = [];
  let size = 0;
  let icn = 0;
  const t = `~${newline}`;
  while (size < targetBytes) {
    icn++;
    const ctl = String(icn).padStart(9, '0');
    let s = `ISA*00*          *00*          *ZZ*BUYER          *ZZ*SELLER         *240101*1200*^*00501*${ctl}*0*P*:${t}`;
    s += `GS*PO*BUYER*SELLER*20240101*1200*${icn}*X*005010${t}`;
    for (let k = 1; k <= 1000; k++) {
      const st = String(k).padStart(4, '0');
      let body = `BEG*00*SA*PO${icn}-${k}**20240101${t}REF*DP*038${t}DTM*002*20240115${t}N1*ST*ACME WAREHOUSE*92*0042${t}N3*100 MAIN STREET${t}N4*SPRINGFIELD*IL*62701*US${t}`;
      for (let l = 1; l <= 5; l++) body += `PO1*${l}*12*EA*9.95**UP*0123456789${l}*VN*SKU-${l}${t}PID*F****WIDGET NUMBER ${l}${t}`;
      body += `CTT*5${t}`;
      const count = body.split(t).length - 1 + 2;
      s += `ST*850*${st}${t}${body}SE*${count}*${st}${t}`;
    }
    s += `GE*1000*${icn}${t}IEA*1*${ctl}${t}`;
    parts.push(s);
    size += s.length;
  }
  return Buffer.from(parts.join(''), 'latin1');
}

function run(label: string, buf: Buffer, make: () => { push(b: Buffer): void; end(): void }, chunk = 65536): void {
  for (let rep = 0; rep < 3; rep++) {
    const t0 = process.hrtime.bigint();
    const p = make();
    for (let i = 0; i < buf.length; i += chunk) p.push(buf.subarray(i, i + chunk));
    p.end();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`${label}: ${(buf.length / 1e6 / s).toFixed(1)} MB/s (${(buf.length / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s)`);
  }
}

function main(): void {
  const mb = Number(process.argv[2] ?? 50);
  for (const nl of ['', '\n']) {
    const buf = generate850s(mb * 1e6, nl);
    let segments = 0;
    run(`tokenizer${nl ? ' (~\\n)' : ''}`, buf, () => new X12Tokenizer({ onIsa: () => segments++, onSegment: () => segments++, onProblem: () => {} }));
    let sets = 0;
    run(`reader + validation${nl ? ' (~\\n)' : ''}`, buf, () => new X12Reader({ onTransactionSet: () => sets++ }));
    console.log(`segments seen: ${segments}, sets: ${sets}`);
  }
}

// Run when executed directly (not when imported for its generator).
if (!process.env.BENCH_NO_MAIN) main();

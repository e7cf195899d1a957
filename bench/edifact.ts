/**
 * EDIFACT benchmark stages (run by bench/stages.ts in their own process, like the X12 stages):
 *
 *   edifact-tokenizer  our EdifactTokenizer (the `edifact` package's Parser behind the UNA / charset /
 *                      chunk-carry wrapper) over the file in 64 KiB chunks, counting segments
 *   edifact-parser     the `edifact` package's Parser alone on the same file (callbacks assigned
 *                      directly, no validator, a trailing release character held back between chunks,
 *                      as research/libraries.md measured it), counting segments
 *   edifact-path       createGateway on a temp home, then pipeline.ingest(): archive, parse, validate,
 *                      CONTRL, map (edifact-orders-order) and enqueue
 *
 * generateOrdersFile writes the file: UNOC interchanges of D.96A ORDERS of ten lines each, every count
 * and reference right, with release characters in free text.
 */
import { forEachChunk } from './chunks.js';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';

const mb = (bytes: number) => bytes / 1e6;

/** Writes ORDERS interchanges (100 messages each) up to `targetBytes`; returns bytes and message count. */
export async function generateOrdersFile(path: string, targetBytes: number, perInterchange = 100): Promise<{ bytes: number; sets: number; interchanges: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  let sets = 0;
  let interchanges = 0;
  while (bytes < targetBytes) {
    interchanges++;
    const ref = `B${interchanges}`;
    let block = `${interchanges === 1 ? "UNA:+.? '" : ''}UNB+UNOC:3+BENCHSENDER:14+EDIGATE:14+260101:1200+${ref}'\n`;
    for (let m = 1; m <= perInterchange; m++) {
      sets++;
      const segs = [`UNH+${m}+ORDERS:D:96A:UN:EAN008`, `BGM+220+PO${interchanges}-${m}+9`, 'DTM+137:20260101:102', 'DTM+2:20260115:102',
        'NAD+BY+5412345000013::9', 'NAD+DP+5412345000020::9++Markt Nord+Hauptstra?+e 1+K?:ln++50667+DE', 'CUX+2:EUR:9'];
      for (let l = 1; l <= 10; l++) {
        segs.push(`LIN+${l}++${String(5412345678900 + l)}:EN`, `PIA+1+SKU-${l}:SA`, `IMD+F++:::Artikel ${l} ?'Spezial?'`, `QTY+21:${l * 12}:PCE`, `PRI+AAA:${(l * 1.25).toFixed(2)}`);
      }
      segs.push('UNS+S', 'CNT+2:10');
      segs.push(`UNT+${segs.length + 1}+${m}`);
      block += segs.join("'\n") + "'\n";
    }
    block += `UNZ+${perInterchange}+${ref}'\n`;
    bytes += Buffer.byteLength(block, 'latin1');
    if (!out.write(block, 'latin1')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, sets, interchanges };
}

export async function edifactTokenizer(p: { file: string; sets?: number }): Promise<Record<string, unknown>> {
  const { EdifactTokenizer } = await import('../src/formats/edifact/tokenizer.js');
  let segments = 0;
  let problems = 0;
  let interchanges = 0;
  const tok = new EdifactTokenizer({ onInterchangeOpen: () => { interchanges++; }, onSegment: () => { segments++; }, onInterchangeClose: () => undefined, onProblem: () => { problems++; } });
  const t0 = performance.now();
  const bytes = forEachChunk(p.file, (c) => tok.push(c));
  tok.end();
  const s = (performance.now() - t0) / 1000;
  return { bytes, seconds: s, mbPerSec: mb(bytes) / s, segments, segmentsPerSec: segments / s, interchanges, tokenizerProblems: problems, setsPerSec: p.sets ? p.sets / s : undefined, ...(problems ? { problems: [`${problems} tokenizer problems`] } : {}) };
}

export async function edifactParser(p: { file: string; sets?: number }): Promise<Record<string, unknown>> {
  const { default: edifact } = await import('edifact');
  const parser = new edifact.Parser();
  parser.encoding('UNOC');
  let segments = 0;
  parser.onopensegment = () => { segments++; };
  parser.onelement = () => undefined;
  parser.oncomponent = () => undefined;
  parser.onclosesegment = () => undefined;
  let carry = '';
  const t0 = performance.now();
  const bytes = forEachChunk(p.file, (c) => {
    let text = carry + c.toString('latin1');
    carry = '';
    let n = 0;
    for (let i = text.length - 1; i >= 0 && text[i] === '?'; i--) n++;
    if (n % 2 === 1) { carry = '?'; text = text.slice(0, -1); }
    parser.write(text);
  });
  const s = (performance.now() - t0) / 1000;
  return { bytes, seconds: s, mbPerSec: mb(bytes) / s, segments, segmentsPerSec: segments / s, setsPerSec: p.sets ? p.sets / s : undefined };
}

export async function edifactPath(p: { file: string; sets?: number }): Promise<Record<string, unknown>> {
  const { pino } = await import('pino');
  const { loadConfig } = await import('../src/config.js');
  const { createGateway } = await import('../src/app.js');
  const home = mkdtempSync(join(tmpdir(), 'edigate-bench-edifact-'));
  process.send?.({ home });
  mkdirSync(join(home, 'partners'), { recursive: true });
  writeFileSync(join(home, 'partners', 'bench.yaml'), stringifyYaml({
    id: 'bench', name: 'bench',
    edifact: { interchangeIds: [{ id: 'BENCHSENDER', qualifier: '14' }], contrl: 'always' },
    documents: { ORDERS: { map: 'edifact-orders-order', destinations: ['erp'] } },
  }));
  const config = loadConfig({ home, env: {}, overrides: { logLevel: 'silent', ops: { port: 0 } } as never });
  const gateway = await createGateway(config, { watch: false, listen: false, deliver: false, logger: pino({ level: 'silent' }) });
  try {
    await gateway.start();
    const t0 = performance.now();
    const summary = await gateway.pipeline.ingest({ path: p.file, fileName: basename(p.file), channel: 'bench' });
    const s = (performance.now() - t0) / 1000;
    const bytes = summary.sha256 ? (await import('node:fs')).statSync(p.file).size : 0;
    const problems = summary.status === 'accepted' && summary.messagesEnqueued === p.sets ? [] : [`status ${summary.status}, ${summary.messagesEnqueued} messages for ${p.sets} sets: ${summary.findings.slice(0, 3).map((f) => f.message).join('; ')}`];
    return { bytes, seconds: s, mbPerSec: mb(bytes) / s, setsPerSec: summary.transactionSets / s, sets: summary.transactionSets, messagesEnqueued: summary.messagesEnqueued, contrls: summary.acks.length + (summary.acksOmitted ?? 0), problems };
  } finally {
    await gateway.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

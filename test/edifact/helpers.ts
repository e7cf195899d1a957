import { EdifactTokenizer, type EdifactTokenSegment, type EdifactTokenProblem } from '../../src/formats/edifact/tokenizer.js';
import { parseEdifactBuffer, type EdifactReaderOptions } from '../../src/formats/edifact/reader.js';
import { buildContrl } from '../../src/acks/contrl.js';
import type { EdifactSyntax } from '../../src/formats/edifact/types.js';

/** Segments, interchange openings and problems of `bytes` read in chunks of `chunk` bytes. */
export function tokenize(bytes: Buffer, chunk = 1 << 20): { segments: EdifactTokenSegment[]; opens: EdifactSyntax[]; closes: number[]; problems: EdifactTokenProblem[] } {
  const segments: EdifactTokenSegment[] = [];
  const opens: EdifactSyntax[] = [];
  const closes: number[] = [];
  const problems: EdifactTokenProblem[] = [];
  const t = new EdifactTokenizer({ onInterchangeOpen: (s) => opens.push(s), onSegment: (s) => segments.push(s), onInterchangeClose: (o) => closes.push(o), onProblem: (p) => problems.push(p) });
  for (let i = 0; i < bytes.length; i += chunk) t.push(Buffer.from(bytes.subarray(i, i + chunk)));
  t.end();
  return { segments, opens, closes, problems };
}

export const NOW = new Date('2026-01-02T03:04:05Z');

/** The CONTRL of each interchange of `text`, with our reference "7" and NOW. */
export function contrlsOf(bytes: Buffer | string, options: EdifactReaderOptions = {}): string[] {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  return parseEdifactBuffer(buf, options).interchanges.map((ic) => buildContrl(ic, { controlReference: '7', messageReference: '7', now: NOW }));
}

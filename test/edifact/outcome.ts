import type { parseEdifactBuffer } from '../../src/formats/edifact/reader.js';

/**
 * A short text of a file's CONTRL outcome: per interchange its UCI action (/0085 code), then its
 * messages' UCM actions (/0085, "s" when UCS/UCD detail follows) in brackets; "none" without interchange.
 */
export function outcomeOf(r: ReturnType<typeof parseEdifactBuffer>): string {
  const ics = r.interchanges.map((i) => `${i.action}${i.syntaxError ? '/' + i.syntaxError.code : ''}[${[...i.messages, ...i.groups.flatMap((g) => g.messages)]
    .map((m) => m.action + (m.syntaxError ? '/' + m.syntaxError.code : '') + (m.segmentErrors.length ? 's' : '')).join(',')}]`);
  return ics.join(' ') || 'none';
}

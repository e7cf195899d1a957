/**
 * Writing EDIFACT segments (ISO 9735-1 section 7): service characters inside values are preceded by
 * the release character; trailing empty components and elements are left out.
 */
import type { EdifactDelimiters } from './types.js';

/** A value written with every service character released (the release character itself included). */
export function escapeValue(value: string, d: EdifactDelimiters): string {
  let out = '';
  for (const ch of value) {
    if (d.release && (ch === d.release || ch === d.component || ch === d.element || ch === d.segment || (d.repetition && ch === d.repetition))) out += d.release;
    out += ch;
  }
  return out;
}

/**
 * One segment: `tag` then elements, each a value or a list of components.
 * @example writeSegment('UCI', ['1', ['SENDER', '14'], ['RECV', '14'], '7'], d) === "UCI+1+SENDER:14+RECV:14+7'"
 */
export function writeSegment(tag: string, elements: ReadonlyArray<string | ReadonlyArray<string>>, d: EdifactDelimiters): string {
  const els = elements.map((e) => {
    const comps = (typeof e === 'string' ? [e] : [...e]).map((c) => escapeValue(c, d));
    while (comps.length > 1 && comps[comps.length - 1] === '') comps.pop();
    return comps.join(d.component);
  });
  while (els.length > 0 && els[els.length - 1] === '') els.pop();
  return tag + (els.length ? d.element + els.join(d.element) : '') + d.segment;
}

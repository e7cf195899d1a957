/**
 * The UNA service string advice (ISO 9735-1 section 7.1, syntax 4 part 1 clause 8): "UNA" followed by
 * six characters: component data element separator, data element separator, decimal mark, release
 * character, repetition separator (syntax 4; reserved, normally a space, before), segment terminator.
 */
import { DEFAULT_DELIMITERS, type EdifactDelimiters } from './types.js';

/** UNA read from its nine characters, with the problems that make it unusable (syntax error 20). */
export interface UnaResult {
  delimiters: EdifactDelimiters;
  /** Why a service character is invalid, or null. */
  problem: string | null;
}

/**
 * Reads a UNA from its 9 characters `una` ("UNA:+.? '"). A space as release character means none; a
 * space as repetition separator means none (syntax 4), and any character at that position is only
 * taken as a repetition separator from syntax version 4 on (the caller passes the version once known).
 * @returns the delimiters and, when two service characters are equal, one is a letter or digit, or the
 *   decimal mark is neither "." nor ",", a problem sentence (CONTRL 0085 code 20, "Character invalid as
 *   service character"); the delimiters are still returned so the interchange can be read.
 */
export function readUna(una: string): UnaResult {
  const c = (i: number) => una.charAt(i);
  const delimiters: EdifactDelimiters = {
    component: c(3), element: c(4), decimal: c(5), release: c(6) === ' ' ? '' : c(6),
    repetition: c(7) === ' ' ? '' : c(7), segment: c(8),
  };
  const named: Array<[string, string]> = [
    ['component separator', delimiters.component], ['element separator', delimiters.element],
    ['release character', delimiters.release], ['segment terminator', delimiters.segment],
  ];
  if (delimiters.repetition) named.push(['repetition separator', delimiters.repetition]);
  let problem: string | null = null;
  for (const [name, ch] of named) {
    if (!ch) continue;
    if (/[A-Za-z0-9]/.test(ch)) problem ??= `UNA ${name} "${ch}" is a letter or digit`;
    else if (ch === ' ' && name !== 'release character') problem ??= `UNA ${name} is a space`;
  }
  const seen = new Map<string, string>();
  for (const [name, ch] of named) {
    if (!ch) continue;
    const other = seen.get(ch);
    if (other) problem ??= `UNA ${name} "${ch}" is also the ${other}`;
    seen.set(ch, name);
  }
  if (delimiters.decimal !== '.' && delimiters.decimal !== ',') problem ??= `UNA decimal mark "${delimiters.decimal}" is neither "." nor ","`;
  return { delimiters, problem };
}

/** The UNA text for `d` ("UNA:+.? '"). */
export function unaText(d: EdifactDelimiters): string {
  return `UNA${d.component}${d.element}${d.decimal}${d.release || ' '}${d.repetition || ' '}${d.segment}`;
}

/** True when `d` are the defaults (no UNA needed to write them). */
export function isDefaultDelimiters(d: EdifactDelimiters): boolean {
  return d.component === DEFAULT_DELIMITERS.component && d.element === DEFAULT_DELIMITERS.element && d.decimal === DEFAULT_DELIMITERS.decimal &&
    d.release === DEFAULT_DELIMITERS.release && d.segment === DEFAULT_DELIMITERS.segment && !d.repetition;
}

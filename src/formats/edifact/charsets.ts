/**
 * EDIFACT character sets named by the UNB syntax identifier (S001 0001), ISO 9735-1 section 6 and
 * UN/EDIFACT service code list 0001: how the bytes of an interchange are decoded to Unicode (once,
 * as they are read) and which characters its data may hold.
 *
 * - UNOA, UNOB (and IATA's IATA, IATB): the level A and level B repertoires of ISO 9735 (subsets of
 *   ISO 646); level A has no lowercase letters. Bytes are read as ASCII; any other character is a
 *   syntax error 21 "Invalid character(s)" (code list 0085).
 * - UNOC: ISO 8859-1 (Latin-1); UNOD ISO 8859-2, UNOE 8859-5, UNOF 8859-7, UNOG 8859-3, UNOH 8859-4,
 *   UNOI 8859-6, UNOJ 8859-8, UNOK 8859-9, UNOL 8859-15, UNOM 8859-10 (code list 0001).
 * - UNOW (ISO 10646 in UTF-8, syntax 4) and UNOY (ISO 10646-1): UTF-8.
  */
import { TextDecoder } from 'node:util';
import { isUtf8 } from 'node:buffer';

/** How one syntax identifier's bytes are read. */
export interface EdifactCharset {
  /** The syntax identifier, e.g. "UNOC". */
  id: string;
  /**
   * WHATWG encoding label for TextDecoder, or 'latin1' / 'utf-8' (decoded natively), or 'ascii' for the
   * levels A and B: their bytes are ASCII; bytes beyond (invalid there) are shown as UTF-8 when they form
   * valid UTF-8, else as Latin-1, so a finding or a lenient read names the character the sender meant.
   */
  encoding: string;
  /**
   * Characters allowed in data for the strict levels (A and B); undefined when every character the
   * encoding can hold is allowed. Tested on decoded component values.
   */
  invalid?: RegExp;
}

// ISO 9735 level A: A-Z 0-9 space . , - ( ) / = ' + : ? ! " % & * ; < >  (node-edifact uses the same ranges)
// eslint-disable-next-line no-control-regex
const LEVEL_A_INVALID = /[^ !"%-?A-Z]/;
// level B adds the lowercase letters
// eslint-disable-next-line no-control-regex
const LEVEL_B_INVALID = /[^ !"%-?A-Za-z]/;

const CHARSETS: Record<string, EdifactCharset> = {
  UNOA: { id: 'UNOA', encoding: 'ascii', invalid: LEVEL_A_INVALID },
  UNOB: { id: 'UNOB', encoding: 'ascii', invalid: LEVEL_B_INVALID },
  IATA: { id: 'IATA', encoding: 'ascii', invalid: LEVEL_A_INVALID },
  IATB: { id: 'IATB', encoding: 'ascii', invalid: LEVEL_B_INVALID },
  UNOC: { id: 'UNOC', encoding: 'latin1' },
  UNOD: { id: 'UNOD', encoding: 'iso-8859-2' },
  UNOE: { id: 'UNOE', encoding: 'iso-8859-5' },
  UNOF: { id: 'UNOF', encoding: 'iso-8859-7' },
  UNOG: { id: 'UNOG', encoding: 'iso-8859-3' },
  UNOH: { id: 'UNOH', encoding: 'iso-8859-4' },
  UNOI: { id: 'UNOI', encoding: 'iso-8859-6' },
  UNOJ: { id: 'UNOJ', encoding: 'iso-8859-8' },
  UNOK: { id: 'UNOK', encoding: 'iso-8859-9' },
  UNOL: { id: 'UNOL', encoding: 'iso-8859-15' },
  UNOM: { id: 'UNOM', encoding: 'iso-8859-10' },
  UNOW: { id: 'UNOW', encoding: 'utf-8' },
  UNOY: { id: 'UNOY', encoding: 'utf-8' },
};

/** The charset of a syntax identifier, or undefined when the gateway does not support it (error 2). */
export function charsetOf(syntaxId: string): EdifactCharset | undefined {
  return Object.prototype.hasOwnProperty.call(CHARSETS, syntaxId) ? CHARSETS[syntaxId] : undefined;
}

/** Used before the UNB is read, and for a message sent without UNB: Latin-1, nothing refused. */
export const FALLBACK_CHARSET: EdifactCharset = { id: 'UNOC', encoding: 'latin1' };

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

/**
 * Decodes `bytes` (whole segments: never a partial multi-byte character) with the charset's encoding.
 * Latin-1 and UTF-8 use Buffer's native decoders; the other ISO 8859 parts a TextDecoder (Node's ICU).
 */
export function decodeBytes(bytes: Buffer, charset: EdifactCharset): string {
  if (charset.encoding === 'latin1') return bytes.toString('latin1');
  if (charset.encoding === 'ascii') return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
  if (charset.encoding === 'utf-8') return bytes.toString('utf8');
  let d = decoders.get(charset.encoding);
  if (!d) {
    d = new TextDecoder(charset.encoding);
    decoders.set(charset.encoding, d);
  }
  return d.decode(bytes);
}

/** Encodes text written in an interchange of `charset` (acknowledgements mirror the inbound one). */
export function encodeText(text: string, charset: EdifactCharset | undefined): Buffer {
  if (charset?.encoding === 'utf-8') return Buffer.from(text, 'utf8');
  return Buffer.from(text, 'latin1');
}

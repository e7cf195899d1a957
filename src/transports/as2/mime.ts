/**
 * MIME entities on raw bytes (RFC 2045, RFC 2046), as AS2 needs them: every entity and every part of a
 * multipart keeps the exact bytes it arrived with, because signatures and MICs (RFC 4130 §7.3.1) are over
 * those bytes and never over re-serialised MIME.
 */
import { basename } from 'node:path';

/** One header field, unfolded (RFC 5322 §2.2.3); `name` as received. */
export interface MimeHeader {
  name: string;
  value: string;
}

/** A parsed Content-Type / Content-Disposition value: lowercased token and its parameters (names lowercased). */
export interface HeaderValue {
  value: string;
  params: Record<string, string>;
}

/** A MIME entity: its exact bytes, its header fields and its (still transfer-encoded) body. */
export interface MimeEntity {
  /** The entity exactly as received: header fields, the blank line, the body. */
  raw: Buffer;
  headers: MimeHeader[];
  /** The body bytes as received (before Content-Transfer-Encoding is undone). */
  body: Buffer;
  /** Content-Type, lowercased (`text/plain` when absent, RFC 2045 §5.2). */
  contentType: HeaderValue;
}

/** The first value of header `name` (case-insensitive), or undefined. */
export function headerOf(headers: MimeHeader[], name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === n)?.value;
}

/**
 * Splits `raw` into header fields and body at the first empty line (CRLF CRLF, or bare LF LF as
 * some tools write). An entity that starts with an empty line has no header fields.
 * @returns the entity; never throws (malformed header lines without a colon are skipped).
 */
export function parseEntity(raw: Buffer): MimeEntity {
  let headerEnd = -1;
  let bodyStart = 0;
  if (raw[0] === 0x0d && raw[1] === 0x0a) { headerEnd = 0; bodyStart = 2; } else if (raw[0] === 0x0a) { headerEnd = 0; bodyStart = 1; } else {
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] !== 0x0a) continue;
      if (raw[i + 1] === 0x0a) { headerEnd = i + 1; bodyStart = i + 2; break; }
      if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) { headerEnd = i + 1; bodyStart = i + 3; break; }
    }
  }
  if (headerEnd < 0) { headerEnd = raw.length; bodyStart = raw.length; }
  const headers = parseHeaderBlock(raw.subarray(0, headerEnd).toString('latin1'));
  const body = raw.subarray(bodyStart);
  return { raw, headers, body, contentType: parseHeaderValue(headerOf(headers, 'content-type') ?? 'text/plain') };
}

/**
 * Builds an entity from header fields carried outside the bytes (AS2 puts the outer MIME headers in the
 * HTTP request headers, RFC 4130 §5.2) and the body bytes.
 */
export function entityFromParts(headers: MimeHeader[], body: Buffer): MimeEntity {
  const head = headers.map((h) => `${h.name}: ${h.value}\r\n`).join('') + '\r\n';
  return { raw: Buffer.concat([Buffer.from(head, 'latin1'), body]), headers, body, contentType: parseHeaderValue(headerOf(headers, 'content-type') ?? 'text/plain') };
}

/** Parses a block of header lines, unfolding continuation lines (RFC 5322 §2.2.3). */
export function parseHeaderBlock(text: string): MimeHeader[] {
  const out: MimeHeader[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && out.length) {
      out[out.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return out;
}

/**
 * Parses `token; name=value; name="quoted value"` (RFC 2045 §5.1) and RFC 2231 `name*=charset''%xx`
 * parameters. The token and parameter names are lowercased; values keep their case.
 */
export function parseHeaderValue(text: string): HeaderValue {
  const params: Record<string, string> = {};
  let i = text.indexOf(';');
  const value = (i < 0 ? text : text.slice(0, i)).trim().toLowerCase();
  while (i >= 0 && i < text.length) {
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const name = text.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    let v = '';
    if (text[j] === '"') {
      j++;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        v += text[j];
        j++;
      }
      j = text.indexOf(';', j);
    } else {
      const end = text.indexOf(';', j);
      v = (end < 0 ? text.slice(j) : text.slice(j, end)).trim();
      j = end;
    }
    if (name.endsWith('*')) {
      const m = /^([^']*)'[^']*'(.*)$/.exec(v);
      const charset = (m?.[1] || 'utf-8').toLowerCase();
      const bytes = Buffer.from((m ? m[2]! : v).replace(/%([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      params[name.slice(0, -1)] = bytes.toString(charset === 'iso-8859-1' || charset === 'us-ascii' ? 'latin1' : 'utf8');
    } else if (name) {
      params[name] = v;
    }
    i = j;
  }
  return { value, params };
}

/**
 * Splits a multipart body into its parts (RFC 2046 §5.1.1). The line break before a delimiter belongs to
 * the delimiter; CRLF and bare LF line breaks are both accepted (OpenSSL writes its own lines with LF).
 * Each part's `raw` is exactly the bytes between the delimiters, so a signed part verifies over them.
 * @returns the parts, in order (empty when the boundary never occurs).
 */
export function splitMultipart(body: Buffer, boundary: string): MimeEntity[] {
  const dash = Buffer.from(`--${boundary}`, 'latin1');
  const parts: MimeEntity[] = [];
  let pos = -1;
  // The first delimiter may open the body without a preceding line break.
  if (body.subarray(0, dash.length).equals(dash)) pos = 0;
  else {
    const j = findDelimiter(body, dash, 0);
    if (!j) return parts;
    pos = j.start + j.lead;
  }
  for (;;) {
    let after = pos + dash.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) break; // close delimiter
    // transport padding, then the line break ending the delimiter line
    while (body[after] === 0x20 || body[after] === 0x09) after++;
    if (body[after] === 0x0d && body[after + 1] === 0x0a) after += 2; else if (body[after] === 0x0a) after += 1;
    const next = findDelimiter(body, dash, after);
    if (!next) {
      parts.push(parseEntity(body.subarray(after)));
      break;
    }
    parts.push(parseEntity(body.subarray(after, next.start)));
    pos = next.start + next.lead;
  }
  return parts;
}

/** Finds the next `<CR>LF--boundary` at or after `from`: start of the line break and its length. */
function findDelimiter(body: Buffer, dash: Buffer, from: number): { start: number; lead: number } | undefined {
  let i = from;
  for (;;) {
    const j = body.indexOf(dash, i);
    if (j < 0) return undefined;
    if (j > 0 && body[j - 1] === 0x0a) {
      const crlf = j > 1 && body[j - 2] === 0x0d;
      // The delimiter must be a whole line: followed by "--", white space or a line break.
      const c = body[j + dash.length];
      if (c === undefined || c === 0x2d || c === 0x0d || c === 0x0a || c === 0x20 || c === 0x09) {
        return { start: j - (crlf ? 2 : 1), lead: crlf ? 2 : 1 };
      }
    }
    i = j + 1;
  }
}

/**
 * The body with its Content-Transfer-Encoding undone (RFC 2045 §6): base64 and quoted-printable are
 * decoded; 7bit, 8bit, binary and an absent header leave the bytes as they are.
 * @throws Error for an unknown encoding (the caller answers with a processing-error receipt).
 */
export function decodedBody(entity: MimeEntity): Buffer {
  const cte = (headerOf(entity.headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  return decodeTransferEncoding(entity.body, cte);
}

/** Undoes one Content-Transfer-Encoding (RFC 2045 §6). @throws Error for an unknown encoding. */
export function decodeTransferEncoding(body: Buffer, cte: string): Buffer {
  switch (cte) {
    case '7bit': case '8bit': case 'binary': case '':
      return body;
    case 'base64':
      return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      throw new Error(`unknown Content-Transfer-Encoding "${cte}"`);
  }
}

/** Decodes quoted-printable (RFC 2045 §6.7): `=XX` octets, `=` soft line breaks, trailing blanks dropped. */
export function decodeQuotedPrintable(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/[ \t]+(\r?\n)/g, '$1').replace(/=\r?\n/g, '');
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

/**
 * Decodes RFC 2047 encoded-words (`=?charset?B|Q?text?=`) in a header value or a filename parameter
 * (many AS2 products write the filename that way); other text is left as it is.
 */
export function decodeEncodedWords(text: string): string {
  return text.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(\s+(?==\?))?/g, (_m, charset: string, enc: string, data: string) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    const cs = charset.toLowerCase().split('*')[0]!;
    return bytes.toString(cs === 'utf-8' || cs === 'utf8' ? 'utf8' : 'latin1');
  });
}

/**
 * The filename of an entity's Content-Disposition (or Content-Type `name`), RFC 2047/2231 decoded and made
 * safe for the file system: no directories, no control characters, no leading dots, at most 200 characters.
 * @returns the safe name, or undefined when the entity names no file (the caller generates one).
 */
export function safeFileName(entity: MimeEntity): string | undefined {
  const disposition = headerOf(entity.headers, 'content-disposition');
  const raw = (disposition ? parseHeaderValue(disposition).params.filename : undefined) ?? entity.contentType.params.name;
  if (!raw) return undefined;
  const decoded = decodeEncodedWords(raw);
  const name = basename(decoded.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return name || undefined;
}

/** A fresh boundary for multiparts we build (RFC 2046 §5.1.1: at most 70 characters). */
export function newBoundary(prefix: string): string {
  return `----=_${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * The `slas` block of a partner file (partners/<id>.yaml): how long each acknowledgement of a document may take,
 * per document type (X12 transaction set id, EDIFACT message type, or `*` for any other type) and kind of
 * acknowledgement. Read by the acknowledgement ledger (src/acks/ledger.ts).
 *
 * ```yaml
 * slas:
 *   "856": { "997": 30m, pickup: 2h }   # the partner's 997 for an ASN we send: 30 minutes; collecting it: 2 hours
 *   "850": { "855": 24h }               # our 855 for the partner's 850: 24 hours (a business reply we owe)
 *   "810": { "824": 2d }                # the partner's 824 application advice for our invoice: 2 days
 *   "*": { "997": 4h, TA1: off }        # any other type; `off` tracks the acknowledgement without a deadline
 * ```
 *
 * Kinds: transport `pickup` (outbox file collected), `upload` (pushed to the partner's SFTP server), `MDN`
 * (AS2); interchange `TA1`; functional `997`, `999`, `CONTRL`; any other code (3 to 6 letters or digits:
 * `855`, `824`, `APERAK`) is a business reply, expected only where a partner file names it. Durations: a number
 * with a unit (`90s`, `30m`, `24h`, `2d`) or ISO 8601 (`PT30M`, `P1D`), or `off`.
 */
import type { Partner } from './partner.js';

/** Kinds of acknowledgement the ledger knows, by level. Any other kind is a business reply. */
export const ACK_KIND_LEVELS: Readonly<Record<string, 'transport' | 'interchange' | 'functional'>> = {
  pickup: 'transport', upload: 'transport', MDN: 'transport', TA1: 'interchange', '997': 'functional', '999': 'functional', CONTRL: 'functional',
};

/** Level of an acknowledgement kind (transport, interchange, functional; anything else a business reply). */
export function levelOfKind(kind: string): 'transport' | 'interchange' | 'functional' | 'business' {
  return ACK_KIND_LEVELS[kind] ?? 'business';
}

/**
 * SLA per document type, then per acknowledgement kind, in milliseconds; null: tracked without a deadline.
 * Business reply kinds appear only here (a reply is expected only where a partner file names it).
 */
export type SlaSettings = Record<string, Record<string, number | null>>;

/** Default SLAs when neither the document type nor `*` names the kind (ms; null: no deadline). */
export const DEFAULT_SLAS: Readonly<Record<string, number | null>> = {
  TA1: 24 * 3_600_000, '997': 24 * 3_600_000, '999': 24 * 3_600_000, CONTRL: 24 * 3_600_000,
  pickup: 24 * 3_600_000, upload: 3_600_000, MDN: 3_600_000,
};

/**
 * JSON Schema of the `slas` block (checked by src/partners/load.ts with the rest of the file): its shape only;
 * names and durations are checked by normaliseSlas, which words each problem for the partner file's author.
 */
export const slaSchema = {
  type: 'object',
  additionalProperties: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
} as const;

const DOCUMENT_TYPE = /^(\*|[0-9A-Za-z]{3,6})$/;
const KIND = /^(pickup|upload|MDN|TA1|[0-9A-Za-z]{3,6})$/;

/**
 * Parses a duration: `90s`, `30m`, `24h`, `2d`, `500ms`, ISO 8601 `PT2H30M` / `P1DT2H` (days of 24 hours;
 * ISO 8601-1 §5.5.2.4 designators D, H, M, S; years and months are refused, having no fixed length), or `off`
 * (returns null). Never throws.
 * @returns milliseconds, null for `off`, undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | null | undefined {
  const t = text.trim();
  if (t === 'off') return null;
  const short = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)$/.exec(t);
  if (short) return Math.round(Number(short[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[short[2] as 'ms' | 's' | 'm' | 'h' | 'd']);
  const iso = /^P(?:([0-9.]+)D)?(?:T(?:([0-9.]+)H)?(?:([0-9.]+)M)?(?:([0-9.]+)S)?)?$/.exec(t);
  if (!iso || t === 'P' || t.endsWith('T')) return undefined;
  const [d, h, m, s] = [iso[1], iso[2], iso[3], iso[4]].map((v) => (v === undefined ? 0 : Number(v)));
  if ([d, h, m, s].some((v) => !Number.isFinite(v))) return undefined;
  return Math.round(d! * 86_400_000 + h! * 3_600_000 + m! * 60_000 + s! * 1000);
}

/**
 * Turns the partner file's `slas` block into SlaSettings, reporting every problem (each naming the file and
 * field): an unreadable duration, a business reply kind named for `*` (a reply is owed for named types only).
 * The block's shape was already checked against slaSchema.
 */
export function normaliseSlas(block: Record<string, Record<string, string | number>> | undefined, where: string): { slas?: SlaSettings; problems: string[] } {
  if (!block) return { problems: [] };
  const problems: string[] = [];
  const slas: SlaSettings = {};
  for (const [docType, kinds] of Object.entries(block)) {
    if (!DOCUMENT_TYPE.test(docType)) { problems.push(`${where}: /slas/${docType}: not a document type (an X12 set id such as 856, an EDIFACT type such as ORDERS, or *)`); continue; }
    const out: Record<string, number | null> = {};
    for (const [kind, text] of Object.entries(kinds)) {
      const ms = parseDuration(String(text));
      if (!KIND.test(kind)) problems.push(`${where}: /slas/${docType}/${kind}: not a kind of acknowledgement (pickup, upload, MDN, TA1, 997, 999, CONTRL, or a reply document type such as 855)`);
      else if (ms === undefined) problems.push(`${where}: /slas/${docType}/${kind} "${text}" is not a duration (e.g. 30m, 24h, 2d, PT2H, off)`);
      else if (ms !== null && ms <= 0) problems.push(`${where}: /slas/${docType}/${kind} "${text}" must be longer than zero (or off)`);
      else if (docType === '*' && levelOfKind(kind) === 'business') problems.push(`${where}: /slas/*/${kind}: a business reply (${kind}) is expected for named document types only, e.g. /slas/850/${kind}`);
      else if (docType === kind) problems.push(`${where}: /slas/${docType}/${kind}: a document does not answer itself`);
      else out[kind] = ms;
    }
    slas[docType] = out;
  }
  return { slas, problems };
}

/**
 * The SLA for acknowledgement `kind` of a document of type `documentType` from/to `partner`, in ms:
 * the partner's `slas[documentType][kind]`, else `slas['*'][kind]`, else `defaults[kind]` (business replies: none).
 * @returns ms; null: tracked without a deadline; undefined: not expected at all (a business reply not configured).
 */
export function slaFor(partner: Pick<Partner, 'slas'> | undefined, documentType: string | null, kind: string, defaults: Readonly<Record<string, number | null>> = DEFAULT_SLAS): number | null | undefined {
  const s = partner?.slas;
  if (s && documentType && s[documentType] && kind in s[documentType]!) return s[documentType]![kind];
  if (levelOfKind(kind) === 'business') return undefined;
  if (s?.['*'] && kind in s['*']) return s['*'][kind];
  return kind in defaults ? defaults[kind] : null;
}

/** Business reply kinds a partner expects for documents of `documentType` (e.g. 850 -> ['855']). */
export function businessRepliesFor(partner: Pick<Partner, 'slas'> | undefined, documentType: string): string[] {
  const kinds = partner?.slas?.[documentType];
  return kinds ? Object.keys(kinds).filter((k) => levelOfKind(k) === 'business') : [];
}

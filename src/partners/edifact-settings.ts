/**
 * The `edifact` and `csv` blocks of a partner file (partners/<id>.yaml):
 *
 *   edifact:
 *     interchangeIds:          # UNB S002 sender identification (0004) and its code qualifier (0007, optional)
 *       - { id: "5412345000013", qualifier: "14" }
 *     contrl: as-requested     # never | on-error | always | as-requested (UNB 0031 = 1)
 *     contrlLevel: syntax      # syntax: UCI 7/4 with UCF/UCM/UCS/UCD detail | received: UCI 8 only
 *     characterSet: strict     # strict (ISO 9735: characters outside UNOA/UNOB rejected) | lenient (warning)
 *   csv:
 *     map: csv-orders-order    # a CSV map in maps/ (delimiter, quote, encoding, columns, grouping, JSONata)
 *     badRows: reject-file     # reject-file | accept-good-rows
 *     destinations: [erp]
 *
 * EDIFACT messages route by message type under `documents` (ORDERS, DESADV...), like X12 sets by ST01.
 */

/** CONTRL policy: when a CONTRL goes back for an interchange (UNB 0031 is the partner's request). */
export type ContrlPolicy = 'never' | 'on-error' | 'always' | 'as-requested';

/** A UNB sender: S002 0004 and, when the partner sends one, 0007. */
export interface EdifactInterchangeId {
  id: string;
  /** '' when any qualifier (or none) is accepted. */
  qualifier: string;
}

export interface EdifactPartnerSettings {
  interchangeIds: EdifactInterchangeId[];
  contrl: ContrlPolicy;
  contrlLevel: 'syntax' | 'received';
  characterSet: 'strict' | 'lenient';
}

export interface CsvPartnerSettings {
  map: string;
  badRows: 'reject-file' | 'accept-good-rows';
  destinations: string[];
}

/** JSON Schema of the `edifact` block. */
export const edifactSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    interchangeIds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: { id: { type: 'string', minLength: 1, maxLength: 35 }, qualifier: { type: 'string', maxLength: 4 } },
      },
    },
    contrl: { enum: ['never', 'on-error', 'always', 'as-requested'] },
    contrlLevel: { enum: ['syntax', 'received'] },
    characterSet: { enum: ['strict', 'lenient'] },
  },
} as const;

/** JSON Schema of the `csv` block. */
export const csvSchema = {
  type: 'object',
  required: ['map'],
  additionalProperties: false,
  properties: {
    map: { type: 'string', minLength: 1 },
    badRows: { enum: ['reject-file', 'accept-good-rows'] },
    destinations: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
} as const;

type EdifactBlock = { interchangeIds?: Array<{ id: string; qualifier?: string }>; contrl?: ContrlPolicy; contrlLevel?: 'syntax' | 'received'; characterSet?: 'strict' | 'lenient' };
type CsvBlock = { map: string; badRows?: CsvPartnerSettings['badRows']; destinations?: string[] };

/** The `edifact` block with its defaults (no ids, CONTRL as requested, syntax level, strict characters). */
export function normaliseEdifact(raw: unknown): EdifactPartnerSettings {
  const b = (raw ?? {}) as EdifactBlock;
  return {
    interchangeIds: (b.interchangeIds ?? []).map((x) => ({ id: x.id.trim(), qualifier: (x.qualifier ?? '').trim() })),
    contrl: b.contrl ?? 'as-requested',
    contrlLevel: b.contrlLevel ?? 'syntax',
    characterSet: b.characterSet ?? 'strict',
  };
}

/**
 * The `csv` block with its defaults, and the problems of its names (map and destinations that exist).
 * @returns undefined settings when the block is absent.
 */
export function normaliseCsv(raw: unknown, file: string, ctx: { mapNames: Set<string>; destinationNames: Set<string> }): { csv?: CsvPartnerSettings; problems: string[] } {
  if (raw === undefined) return { problems: [] };
  const b = raw as CsvBlock;
  const problems: string[] = [];
  if (!ctx.mapNames.has(b.map)) problems.push(`${file}: /csv/map "${b.map}" is not a known map`);
  const destinations = b.destinations ?? ['erp'];
  destinations.forEach((d, i) => { if (!ctx.destinationNames.has(d)) problems.push(`${file}: /csv/destinations/${i} "${d}" is not a configured destination`); });
  return { csv: { map: b.map, badRows: b.badRows ?? 'reject-file', destinations }, problems };
}

/** Problems across partners: an EDIFACT sender id claimed twice. */
export function edifactProblemsAcross(partners: ReadonlyArray<{ id: string; file: string; edifact: EdifactPartnerSettings }>): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const p of partners) {
    for (const x of p.edifact.interchangeIds) {
      const key = `${x.id}:${x.qualifier}`;
      const owner = seen.get(key);
      if (owner && owner !== p.id) problems.push(`${p.file}: /edifact/interchangeIds ${x.id}${x.qualifier ? ':' + x.qualifier : ''} is also claimed by partner ${owner}`);
      seen.set(key, p.id);
    }
  }
  return problems;
}

/** Lookup of partners by UNB sender: an exact id+qualifier entry first, then an id entry without qualifier. */
export function edifactIndex<P extends { edifact: EdifactPartnerSettings }>(partners: readonly P[]): (id: string, qualifier: string) => P | undefined {
  const exact = new Map<string, P>();
  for (const p of partners) for (const x of p.edifact.interchangeIds) exact.set(`${x.id}\u0000${x.qualifier}`, p);
  return (id, qualifier) => exact.get(`${id.trim()}\u0000${qualifier.trim()}`) ?? exact.get(`${id.trim()}\u0000`);
}

import { readdirSync, readFileSync, existsSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { Ajv } from 'ajv';
import { GatewayError } from '../errors.js';
import type { Partner, X12InterchangeId } from './partner.js';
import { X12_ENVELOPE_SCHEMA, normaliseEnvelope } from './x12-envelope.js';
import { normaliseSftp, sftpProblemsAcross, sftpSchema, type SftpFileBlock } from './sftp-settings.js';
import { as2ProblemsAcross, as2Schema, normaliseAs2, type As2FileBlock } from './as2-settings.js';
import { dirname } from 'node:path';
import { DEFAULT_GUIDE_SEVERITY, NEW_PARTNER_GUIDE_SEVERITY } from '../validation/guides/index.js';
import { csvSchema, edifactIndex, edifactProblemsAcross, edifactSchema, normaliseCsv, normaliseEdifact } from './edifact-settings.js';
import { normaliseSlas, slaSchema } from './sla-settings.js';

const partnerSchema = {
  type: 'object',
  required: ['id', 'name'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    name: { type: 'string', minLength: 1 },
    x12: {
      type: 'object',
      required: ['interchangeIds'],
      additionalProperties: false,
      properties: {
        interchangeIds: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['qualifier', 'id'],
            additionalProperties: false,
            properties: {
              qualifier: { type: 'string', pattern: '^[A-Za-z0-9]{2}$' },
              id: { type: 'string', minLength: 1, maxLength: 15 },
            },
          },
        },
        envelope: X12_ENVELOPE_SCHEMA,
      },
    },
    acknowledgements: {
      type: 'object',
      additionalProperties: false,
      properties: {
        functional: { type: 'boolean' },
        functionalType: { enum: ['997', '999'] },
        ta1: { enum: ['never', 'on-error', 'always', 'as-requested'] },
      },
    },
    duplicates: {
      type: 'object',
      additionalProperties: false,
      properties: {
        file: { enum: ['reject', 'flag', 'accept'] },
        interchange: { enum: ['reject', 'flag', 'accept'] },
        interchangeWindowDays: { type: 'integer', minimum: 1, maximum: 3650 },
        controlNumbers: { enum: ['reject', 'flag', 'accept'] },
        businessDocument: { enum: ['reject', 'flag', 'accept'] },
      },
    },
    validation: {
      type: 'object',
      additionalProperties: false,
      properties: { guide: { enum: ['error', 'warning', 'ignore'] } },
    },
    sftp: sftpSchema,
    as2: as2Schema,
    outbound: {
      type: 'object',
      additionalProperties: false,
      properties: {
        channel: { enum: ['outbox', 'sftp', 'as2'] },
        retry: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxAttempts: { type: 'integer', minimum: 1, maximum: 100 },
            initialBackoffMs: { type: 'integer', minimum: 0 },
            maxBackoffMs: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    edifact: edifactSchema,
    csv: csvSchema,
    slas: slaSchema,
    documents: {
      type: 'object',
      propertyNames: { pattern: '^[0-9A-Za-z]{3,6}$' },
      additionalProperties: {
        type: 'object',
        required: ['map'],
        additionalProperties: false,
        properties: {
          map: { type: 'string', minLength: 1 },
          destinations: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validatePartner = ajv.compile(partnerSchema);

/** What loadPartners checks against: names of the maps and destinations that exist. */
export interface PartnerCheckContext {
  mapNames: Set<string>;
  destinationNames: Set<string>;
}

/** Partners by id plus a lookup by X12 interchange id. */
export interface PartnerDirectory {
  list(): Partner[];
  get(id: string): Partner | undefined;
  /** The partner that sends with ISA05/ISA06 = qualifier/id (ids compared trimmed, case-sensitive as X12 says). */
  byX12(qualifier: string, id: string): Partner | undefined;
  /** The partner that sends with UNB S002 0004/0007 = id/qualifier (an entry without qualifier matches any). */
  byEdifact(id: string, qualifier: string): Partner | undefined;
}

/**
 * Reads every `*.yaml`/`*.yml` in `dir` as a trading partner and validates it: schema, id equal to
 * the file name, ids unique across partners, maps and destinations that exist.
 * Every problem in every file is collected, each naming its file and field.
 * @returns the partners and the problems; the caller decides whether problems are fatal.
 */
export function readPartners(dir: string, ctx: PartnerCheckContext): { partners: Partner[]; problems: string[] } {
  const problems: string[] = [];
  const partners: Partner[] = [];
  if (!existsSync(dir)) return { partners, problems };
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.')).sort();
  const seenIds = new Map<string, string>();
  const seenX12 = new Map<string, string>();
  for (const f of files) {
    const path = join(dir, f);
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(path, 'utf8'));
    } catch (err) {
      problems.push(`partners/${f}: cannot be parsed: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!validatePartner(raw)) {
      for (const e of validatePartner.errors ?? []) {
        const extra = e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as string[]).join(', ')})` : '';
        problems.push(`partners/${f}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`);
      }
      continue;
    }
    const p = raw as Omit<Partner, 'file' | 'outbound'> & Partial<Pick<Partner, 'acknowledgements' | 'duplicates' | 'documents'>> & { outbound?: Partial<Partner['outbound']> };
    const stem = basename(f).replace(/\.ya?ml$/, '');
    if (p.id !== stem) problems.push(`partners/${f}: /id "${p.id}" must equal the file name "${stem}"`);
    const other = seenIds.get(p.id);
    if (other) problems.push(`partners/${f}: /id "${p.id}" is also used by partners/${other}`);
    seenIds.set(p.id, f);
    if (!p.x12 && !(raw as { edifact?: unknown }).edifact && !(raw as { csv?: unknown }).csv) problems.push(`partners/${f}: needs at least one of x12, edifact or csv (the ids or files the partner sends)`);
    (p.x12?.interchangeIds ?? []).forEach((x, i) => {
      const key = `${x.qualifier}/${x.id.trim()}`;
      const owner = seenX12.get(key);
      if (owner) problems.push(`partners/${f}: /x12/interchangeIds/${i} ${key} is also claimed by partners/${owner}`);
      seenX12.set(key, f);
    });
    const documents = p.documents ?? {};
    for (const [doc, route] of Object.entries(documents)) {
      if (!ctx.mapNames.has(route.map)) problems.push(`partners/${f}: /documents/${doc}/map "${route.map}" is not a known map (known: ${[...ctx.mapNames].sort().join(', ') || 'none'})`);
      for (const [i, d] of (route.destinations ?? []).entries()) {
        if (!ctx.destinationNames.has(d)) problems.push(`partners/${f}: /documents/${doc}/destinations/${i} "${d}" is not a configured destination (known: ${[...ctx.destinationNames].sort().join(', ')})`);
      }
    }
    const { sftp, problems: sftpProblems } = normaliseSftp((raw as { sftp?: SftpFileBlock }).sftp, p.outbound?.channel, `partners/${f}`);
    problems.push(...sftpProblems);
    const { as2, problems: as2Problems } = normaliseAs2((raw as { as2?: As2FileBlock }).as2, p.outbound?.channel, `partners/${f}`, dirname(dir));
    problems.push(...as2Problems);
    const { csv, problems: csvProblems } = normaliseCsv((raw as { csv?: unknown }).csv, `partners/${f}`, ctx);
    problems.push(...csvProblems);
    const { slas, problems: slaProblems } = normaliseSlas((raw as { slas?: Record<string, Record<string, string | number>> }).slas, `partners/${f}`);
    problems.push(...slaProblems);
    const x12Ids = (p.x12?.interchangeIds ?? []).map((x) => ({ qualifier: x.qualifier, id: x.id.trim() }));
    const { envelope, problems: envelopeProblems } = normaliseEnvelope((p.x12 as { envelope?: Parameters<typeof normaliseEnvelope>[0] } | undefined)?.envelope, x12Ids, `partners/${f}`);
    problems.push(...envelopeProblems);
    partners.push({
      id: p.id,
      name: p.name,
      x12: { interchangeIds: x12Ids, ...(envelope ? { envelope } : {}) },
      edifact: normaliseEdifact((raw as { edifact?: unknown }).edifact),
      ...(csv ? { csv } : {}),
      acknowledgements: { functional: p.acknowledgements?.functional ?? true, functionalType: p.acknowledgements?.functionalType ?? '997', ta1: p.acknowledgements?.ta1 ?? 'on-error' },
      duplicates: {
        file: p.duplicates?.file ?? 'reject', interchange: p.duplicates?.interchange ?? 'reject', interchangeWindowDays: p.duplicates?.interchangeWindowDays ?? 365,
        controlNumbers: p.duplicates?.controlNumbers ?? 'reject', businessDocument: p.duplicates?.businessDocument ?? 'flag',
      },
      validation: { guide: p.validation?.guide ?? DEFAULT_GUIDE_SEVERITY },
      documents: Object.fromEntries(Object.entries(documents).map(([k, v]) => [k, { map: v.map, destinations: v.destinations ?? ['erp'] }])),
      outbound: { channel: p.outbound?.channel ?? 'outbox', retry: { ...(p.outbound?.retry ?? {}) } },
      ...(sftp ? { sftp } : {}),
      ...(as2 ? { as2 } : {}),
      ...(slas ? { slas } : {}),
      file: path,
    });
  }
  problems.push(...sftpProblemsAcross(partners));
  problems.push(...as2ProblemsAcross(partners));
  problems.push(...edifactProblemsAcross(partners));
  return { partners, problems };
}

/**
 * Loads and validates the partners; used at start.
 * @throws GatewayError EDIGATE_PARTNER_INVALID with details.problems when any file has a problem.
 */
export function loadPartners(dir: string, ctx: PartnerCheckContext): PartnerDirectory {
  const { partners, problems } = readPartners(dir, ctx);
  if (problems.length) throw new GatewayError('EDIGATE_PARTNER_INVALID', problems.join('; '), { details: { problems } });
  return partnerDirectory(partners);
}

/** Builds the in-memory directory over already validated partners. */
export function partnerDirectory(partners: Partner[]): PartnerDirectory {
  const byId = new Map(partners.map((p) => [p.id, p]));
  const byX12 = new Map<string, Partner>();
  for (const p of partners) for (const x of p.x12.interchangeIds) byX12.set(`${x.qualifier}/${x.id}`, p);
  const byEdifact = edifactIndex(partners);
  return {
    list: () => [...byId.values()],
    get: (id) => byId.get(id),
    byX12: (qualifier, id) => byX12.get(`${qualifier.trim()}/${id.trim()}`),
    byEdifact,
  };
}

/**
 * Writes a new partner file `partners/<id>.yaml` with the defaults a retailer needs:
 * 997 on, TA1 on error, duplicate interchanges rejected, 850 mapped to `order` and delivered to the ERP.
 * Written atomically (temp then rename).
 * @throws GatewayError EDIGATE_PARTNER_EXISTS when the file exists, EDIGATE_PARTNER_INVALID for a bad id.
 */
export function writeNewPartner(dir: string, input: { id: string; name?: string; x12: X12InterchangeId[]; edifact?: Array<{ id: string; qualifier: string }> }): string {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(input.id)) {
    throw new GatewayError('EDIGATE_PARTNER_INVALID', `id "${input.id}" must be lowercase letters, digits, ".", "_" or "-" (at most 64)`);
  }
  for (const x of input.x12) {
    if (!/^[A-Za-z0-9]{2}$/.test(x.qualifier) || x.id.length < 1 || x.id.length > 15) {
      throw new GatewayError('EDIGATE_PARTNER_INVALID', `X12 id "${x.qualifier}:${x.id}" must be QUAL:ID with a 2-character qualifier and an id of 1 to 15 characters`);
    }
  }
  const edifact = input.edifact ?? [];
  for (const x of edifact) {
    if (x.id.length < 1 || x.id.length > 35 || x.qualifier.length > 4) {
      throw new GatewayError('EDIGATE_PARTNER_INVALID', `EDIFACT id "${x.id}${x.qualifier ? ':' + x.qualifier : ''}" must be ID[:QUAL], the UNB S002 0004 id (1 to 35 characters) and its 0007 qualifier (up to 4)`);
    }
  }
  if (input.x12.length === 0 && edifact.length === 0) throw new GatewayError('EDIGATE_PARTNER_INVALID', 'give at least one --x12 or --edifact id');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${input.id}.yaml`);
  if (existsSync(path)) throw new GatewayError('EDIGATE_PARTNER_EXISTS', path);
  const doc = {
    id: input.id,
    name: input.name ?? input.id,
    ...(input.x12.length ? { x12: { interchangeIds: input.x12 } } : {}),
    ...(edifact.length ? { edifact: { interchangeIds: edifact.map((x) => (x.qualifier ? { id: x.id, qualifier: x.qualifier } : { id: x.id })), contrl: 'as-requested' } } : {}),
    acknowledgements: { functional: true, ta1: 'on-error' },
    duplicates: { file: 'reject', interchange: 'reject', interchangeWindowDays: 365, controlNumbers: 'reject', businessDocument: 'flag' },
    validation: { guide: NEW_PARTNER_GUIDE_SEVERITY },
    documents: {
      ...(input.x12.length ? { '850': { map: 'x12-850-order', destinations: ['erp'] } } : {}),
      ...(edifact.length ? { ORDERS: { map: 'edifact-orders-order', destinations: ['erp'] } } : {}),
    },
  };
  const header = `# Trading partner ${input.id}. Checked by "edigate partners check".\n` +
    `# acknowledgements.ta1: never | on-error | always | as-requested (ISA14)\n` +
    `# duplicates.<layer>: reject | flag | accept; layers: file (same bytes), interchange (same ISA13 from the same sender\n` +
    `#   to the same receiver within interchangeWindowDays), controlNumbers (GS06/ST02 repeated inside an interchange),\n` +
    `#   businessDocument (same document type + business reference + revision; default flag)\n` +
    `# validation.guide: error | warning | ignore (implementation-guide findings reject the set, are noted in the 997 as\n` +
    `#   AK5 E while the document is delivered, or are not checked; ignore when the key is absent)\n` +
    (edifact.length ? `# edifact.contrl: never | on-error | always | as-requested (UNB 0031)\n` : '');
  const tmp = join(dir, `.${input.id}.yaml.tmp`);
  writeFileSync(tmp, header + stringifyYaml(doc));
  renameSync(tmp, path);
  return path;
}

/** A partner directory whose contents can be replaced while the gateway runs (partners/ edited live). */
export interface ReloadablePartnerDirectory extends PartnerDirectory {
  /** Replaces the partners; lookups made after this call see the new set. */
  replace(partners: Partner[]): void;
}

/** Wraps validated partners in a directory that `replace` can swap atomically. */
export function reloadablePartnerDirectory(initial: Partner[]): ReloadablePartnerDirectory {
  let current = partnerDirectory(initial);
  return {
    list: () => current.list(),
    get: (id) => current.get(id),
    byX12: (q, id) => current.byX12(q, id),
    byEdifact: (id, q) => current.byEdifact(id, q),
    replace(partners) {
      current = partnerDirectory(partners);
    },
  };
}

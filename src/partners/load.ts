import { readdirSync, readFileSync, existsSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { Ajv } from 'ajv';
import { GatewayError } from '../errors.js';
import type { Partner, X12InterchangeId } from './partner.js';

const partnerSchema = {
  type: 'object',
  required: ['id', 'name', 'x12'],
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
      },
    },
    acknowledgements: {
      type: 'object',
      additionalProperties: false,
      properties: {
        functional: { type: 'boolean' },
        ta1: { enum: ['never', 'on-error', 'always', 'as-requested'] },
      },
    },
    duplicates: {
      type: 'object',
      additionalProperties: false,
      properties: { interchange: { enum: ['reject', 'accept'] } },
    },
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
    const p = raw as Omit<Partner, 'file'> & Partial<Pick<Partner, 'acknowledgements' | 'duplicates' | 'documents'>>;
    const stem = basename(f).replace(/\.ya?ml$/, '');
    if (p.id !== stem) problems.push(`partners/${f}: /id "${p.id}" must equal the file name "${stem}"`);
    const other = seenIds.get(p.id);
    if (other) problems.push(`partners/${f}: /id "${p.id}" is also used by partners/${other}`);
    seenIds.set(p.id, f);
    p.x12.interchangeIds.forEach((x, i) => {
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
    partners.push({
      id: p.id,
      name: p.name,
      x12: { interchangeIds: p.x12.interchangeIds.map((x) => ({ qualifier: x.qualifier, id: x.id.trim() })) },
      acknowledgements: { functional: p.acknowledgements?.functional ?? true, ta1: p.acknowledgements?.ta1 ?? 'on-error' },
      duplicates: { interchange: p.duplicates?.interchange ?? 'reject' },
      documents: Object.fromEntries(Object.entries(documents).map(([k, v]) => [k, { map: v.map, destinations: v.destinations ?? ['erp'] }])),
      file: path,
    });
  }
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
  return {
    list: () => [...byId.values()],
    get: (id) => byId.get(id),
    byX12: (qualifier, id) => byX12.get(`${qualifier.trim()}/${id.trim()}`),
  };
}

/**
 * Writes a new partner file `partners/<id>.yaml` with the defaults a retailer needs:
 * 997 on, TA1 on error, duplicate interchanges rejected, 850 mapped to `order` and delivered to the ERP.
 * Written atomically (temp then rename).
 * @throws GatewayError EDIGATE_PARTNER_EXISTS when the file exists, EDIGATE_PARTNER_INVALID for a bad id.
 */
export function writeNewPartner(dir: string, input: { id: string; name?: string; x12: X12InterchangeId[] }): string {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(input.id)) {
    throw new GatewayError('EDIGATE_PARTNER_INVALID', `id "${input.id}" must be lowercase letters, digits, ".", "_" or "-" (at most 64)`);
  }
  for (const x of input.x12) {
    if (!/^[A-Za-z0-9]{2}$/.test(x.qualifier) || x.id.length < 1 || x.id.length > 15) {
      throw new GatewayError('EDIGATE_PARTNER_INVALID', `X12 id "${x.qualifier}:${x.id}" must be QUAL:ID with a 2-character qualifier and an id of 1 to 15 characters`);
    }
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${input.id}.yaml`);
  if (existsSync(path)) throw new GatewayError('EDIGATE_PARTNER_EXISTS', path);
  const doc = {
    id: input.id,
    name: input.name ?? input.id,
    x12: { interchangeIds: input.x12 },
    acknowledgements: { functional: true, ta1: 'on-error' },
    duplicates: { interchange: 'reject' },
    documents: { '850': { map: 'x12-850-order', destinations: ['erp'] } },
  };
  const header = `# Trading partner ${input.id}. Checked by "edigate partners check".\n` +
    `# acknowledgements.ta1: never | on-error | always | as-requested (ISA14)\n` +
    `# duplicates.interchange: reject | accept (same ISA13 from the same sender)\n`;
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
    replace(partners) {
      current = partnerDirectory(partners);
    },
  };
}

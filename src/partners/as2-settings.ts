/**
 * The `as2` block of a partner file (RFC 4130 trading-partner agreement): the partner's AS2 id, its
 * certificates, where and how we send to it, and what we require of what it sends.
 *
 *   as2:
 *     id: "ACME AS2"                    # AS2-From of its messages, AS2-To of ours (quoted ids with spaces allowed)
 *     url: https://as2.acme.example/as2 # where we POST (needed when outbound.channel is as2)
 *     certificates:
 *       signing: [partners/certs/acme.pem]      # verifies its messages and MDNs; two during a rollover
 *       encryption: [partners/certs/acme.pem]   # encrypts ours (the newest valid one is used)
 *     sign: SHA256          # SHA1 | SHA256 | SHA384 | SHA512 | none
 *     signatureScheme: pkcs1v15   # or pss (RSASSA-PSS)
 *     encrypt: AES256       # AES128 | AES192 | AES256 | 3DES | none
 *     keyTransport: pkcs1v15      # or oaep
 *     compress: false       # RFC 3274 zlib, before signing
 *     mdn: { mode: sync, signed: true }       # the MDN we ask for: sync | async
 *     requireSigned: true   # refuse its unsigned messages (insufficient-message-security)
 *     requireEncrypted: true
 *     asyncMdnTimeoutMs: 3600000  # an async MDN not received by then makes the message overdue
 * Certificate paths are relative to the home folder.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** The validated `as2` block (paths absolute). */
export interface As2Settings {
  id: string;
  url: string | null;
  certificates: { signing: string[]; encryption: string[] };
  sign: 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512' | 'none';
  signatureScheme: 'pkcs1v15' | 'pss';
  encrypt: 'AES128' | 'AES192' | 'AES256' | '3DES' | 'none';
  keyTransport: 'pkcs1v15' | 'oaep';
  compress: boolean;
  mdn: { mode: 'sync' | 'async'; signed: boolean };
  requireSigned: boolean;
  requireEncrypted: boolean;
  /** Milliseconds an async MDN may take before the message is overdue. Default 3600000 (one hour). */
  asyncMdnTimeoutMs: number;
}

/** The block as written in the file (before defaults). */
export type As2FileBlock = Partial<Omit<As2Settings, 'certificates' | 'mdn'>> & {
  id: string;
  certificates?: { signing?: string[]; encryption?: string[] };
  mdn?: Partial<As2Settings['mdn']>;
};

const certList = { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', minLength: 1 } } as const;

/** JSON Schema of the block (used inside the partner schema). */
export const as2Schema = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x20-\\x7e]+$' },
    url: { type: 'string', pattern: '^https?://' },
    certificates: {
      type: 'object', additionalProperties: false,
      properties: { signing: certList, encryption: certList },
    },
    sign: { enum: ['SHA1', 'SHA256', 'SHA384', 'SHA512', 'none'] },
    signatureScheme: { enum: ['pkcs1v15', 'pss'] },
    encrypt: { enum: ['AES128', 'AES192', 'AES256', '3DES', 'none'] },
    keyTransport: { enum: ['pkcs1v15', 'oaep'] },
    compress: { type: 'boolean' },
    mdn: {
      type: 'object', additionalProperties: false,
      properties: { mode: { enum: ['sync', 'async'] }, signed: { type: 'boolean' } },
    },
    requireSigned: { type: 'boolean' },
    requireEncrypted: { type: 'boolean' },
    asyncMdnTimeoutMs: { type: 'integer', minimum: 1000 },
  },
} as const;

/**
 * Applies defaults to a schema-valid block and checks what the schema cannot: certificate files exist,
 * a sending partner (`outbound.channel: as2`) has the block with a url and an encryption certificate when it
 * encrypts. `home` resolves relative certificate paths.
 * @returns the settings (undefined when the file has no block) and the problems, each naming `where`.
 */
export function normaliseAs2(block: As2FileBlock | undefined, channel: string | undefined, where: string, home: string): { as2?: As2Settings; problems: string[] } {
  const problems: string[] = [];
  if (!block) {
    if (channel === 'as2') problems.push(`${where}: /outbound/channel is as2 but the file has no as2 block (as2.id, as2.url, as2.certificates)`);
    return { problems };
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(home, p));
  const signing = (block.certificates?.signing ?? []).map(abs);
  const encryption = (block.certificates?.encryption ?? block.certificates?.signing ?? []).map(abs);
  for (const [kind, list] of [['signing', signing], ['encryption', encryption]] as const) {
    list.forEach((file, i) => { if (!existsSync(file)) problems.push(`${where}: /as2/certificates/${kind}/${i} ${file} does not exist`); });
  }
  const as2: As2Settings = {
    id: block.id,
    url: block.url ?? null,
    certificates: { signing, encryption },
    sign: block.sign ?? 'SHA256',
    signatureScheme: block.signatureScheme ?? 'pkcs1v15',
    encrypt: block.encrypt ?? 'AES256',
    keyTransport: block.keyTransport ?? 'pkcs1v15',
    compress: block.compress ?? false,
    mdn: { mode: block.mdn?.mode ?? 'sync', signed: block.mdn?.signed ?? true },
    requireSigned: block.requireSigned ?? true,
    requireEncrypted: block.requireEncrypted ?? true,
    asyncMdnTimeoutMs: block.asyncMdnTimeoutMs ?? 3_600_000,
  };
  if (channel === 'as2') {
    if (!as2.url) problems.push(`${where}: /outbound/channel is as2 but /as2/url is not set`);
    if (as2.encrypt !== 'none' && encryption.length === 0) problems.push(`${where}: /as2/encrypt is ${as2.encrypt} but /as2/certificates has no encryption certificate`);
  }
  if ((as2.requireSigned || as2.mdn.signed) && signing.length === 0) problems.push(`${where}: /as2/certificates/signing is needed to verify the partner's signed messages and MDNs`);
  return { as2, problems };
}

/** Problems across partners: two partners may not share an AS2 id (AS2-From decides who sent a message). */
export function as2ProblemsAcross(partners: Array<{ id: string; as2?: As2Settings; file: string }>): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const p of partners) {
    if (!p.as2) continue;
    const other = seen.get(p.as2.id);
    if (other) problems.push(`partners/${p.id}.yaml: /as2/id "${p.as2.id}" is also the AS2 id of partner ${other}`);
    seen.set(p.as2.id, p.id);
  }
  return problems;
}

/**
 * The `sftp` block of a partner file (partners/<id>.yaml): the partner's users on our hosted SFTP server,
 * their limits and rename policy, and (remote mode) the partner's own SFTP server we poll and push to.
 *
 * ```yaml
 * sftp:
 *   users:
 *     - name: acme
 *       passwordHash: "$scrypt$ln=15,r=8,p=1$...$..."   # edigate partners sftp-user ID USER --password-stdin
 *       publicKeys: ["ssh-ed25519 AAAA... ops@acme"]
 *   limits: { maxFileSize: 1073741824, maxSessions: 4 }
 *   rename: fail                    # fail (SFTP v3: rename onto an existing name fails) | overwrite
 *   remote:
 *     host: sftp.acme.example
 *     port: 22
 *     user: edi
 *     passwordEnv: ACME_SFTP_PASSWORD   # or privateKeyFile (relative to the home folder)
 *     hostKeyFingerprint: "SHA256:..."   # ssh-keygen -lf of the server's host key; required
 *     inboundDir: /out/to-us
 *     outboundDir: /in/from-us
 *     pollIntervalMs: 60000
 *     afterFetch: delete               # delete | move (to archiveDir)
 *     archiveDir: /out/archive
 * ```
 */
import type { Partner } from './partner.js';

/** A login of the partner on the hosted SFTP server. */
export interface SftpUser {
  name: string;
  /** PHC-style scrypt hash (`$scrypt$ln=..,r=..,p=..$salt$hash`, src/transports/sftp/passwords.ts); never the password. */
  passwordHash?: string;
  /** Authorised public keys, OpenSSH one-line form (`ssh-ed25519 AAAA... comment`). */
  publicKeys: string[];
}

/** The partner's own SFTP server (remote mode). */
export interface SftpRemoteSettings {
  host: string;
  port: number;
  user: string;
  /** Name of the environment variable holding the password (the password is never in the partner file). */
  passwordEnv?: string;
  /** Private key file (OpenSSH or PEM), absolute or relative to the home folder. */
  privateKeyFile?: string;
  /** Environment variable holding the private key's passphrase. */
  passphraseEnv?: string;
  /** The server's host key fingerprint as `ssh-keygen -lf` prints it (`SHA256:` + unpadded base64). Required. */
  hostKeyFingerprint: string;
  /** Remote folder polled for the partner's files. */
  inboundDir: string;
  /** Remote folder our acknowledgements and outbound documents are uploaded to. */
  outboundDir: string;
  /** Time between polls, in ms. Default 60000. */
  pollIntervalMs: number;
  /** What happens to a fetched file once it is archived and recorded. */
  afterFetch: 'delete' | 'move';
  /** Remote folder fetched files are moved to (afterFetch: move). */
  archiveDir?: string;
  /** Connection and handshake timeout, in ms. Default 15000. */
  timeoutMs: number;
}

/** Everything SFTP for one partner. */
export interface SftpSettings {
  users: SftpUser[];
  limits: {
    /** Largest upload accepted, in bytes. Default 1 GiB. */
    maxFileSize: number;
    /** Sessions (authenticated connections) of the partner's users at once. Default 4. */
    maxSessions: number;
  };
  /** RENAME onto an existing name: `fail` as SFTP v3 says (draft-ietf-secsh-filexfer-02 §6.5), or `overwrite`. */
  rename: 'fail' | 'overwrite';
  remote?: SftpRemoteSettings;
}

export const SFTP_DEFAULTS = { maxFileSize: 1024 ** 3, maxSessions: 4, pollIntervalMs: 60_000, timeoutMs: 15_000, port: 22 } as const;

/** User names: what OpenSSH accepts in `user@host` without quoting. */
export const SFTP_USER_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** JSON Schema of the `sftp` block (checked by src/partners/load.ts with the rest of the file). */
export const sftpSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: SFTP_USER_PATTERN },
          passwordHash: { type: 'string', pattern: '^\\$scrypt\\$' },
          publicKeys: { type: 'array', items: { type: 'string', minLength: 16 } },
        },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxFileSize: { type: 'integer', minimum: 1 },
        maxSessions: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
    rename: { enum: ['fail', 'overwrite'] },
    remote: {
      type: 'object',
      required: ['host', 'user', 'hostKeyFingerprint', 'inboundDir', 'outboundDir'],
      additionalProperties: false,
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        user: { type: 'string', minLength: 1 },
        passwordEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        privateKeyFile: { type: 'string', minLength: 1 },
        passphraseEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        hostKeyFingerprint: { type: 'string', pattern: '^SHA256:[A-Za-z0-9+/]{43}=?$' },
        inboundDir: { type: 'string', minLength: 1 },
        outboundDir: { type: 'string', minLength: 1 },
        pollIntervalMs: { type: 'integer', minimum: 100 },
        afterFetch: { enum: ['delete', 'move'] },
        archiveDir: { type: 'string', minLength: 1 },
        timeoutMs: { type: 'integer', minimum: 100 },
      },
    },
  },
} as const;

/** The `sftp` block as written in the file (after schema validation). */
export type SftpFileBlock = {
  users?: Array<{ name: string; passwordHash?: string; publicKeys?: string[] }>;
  limits?: { maxFileSize?: number; maxSessions?: number };
  rename?: 'fail' | 'overwrite';
  remote?: Partial<SftpRemoteSettings> & Pick<SftpRemoteSettings, 'host' | 'user' | 'hostKeyFingerprint' | 'inboundDir' | 'outboundDir'>;
};

/**
 * Checks one partner's `sftp` block beyond the schema and fills in the defaults.
 * Rules: `outbound.channel: sftp` needs `sftp.remote`; a remote needs `passwordEnv` or `privateKeyFile`;
 * `afterFetch: move` needs `archiveDir`; a user needs a password hash or at least one key.
 * @returns the settings (undefined when the block is absent and not needed) and the problems, each naming `where` and the field.
 */
export function normaliseSftp(block: SftpFileBlock | undefined, outboundChannel: string | undefined, where: string): { sftp?: SftpSettings; problems: string[] } {
  const problems: string[] = [];
  if (outboundChannel === 'sftp' && !block?.remote) problems.push(`${where}: /outbound/channel "sftp" needs /sftp/remote (the partner's SFTP server to upload to)`);
  if (!block) return { problems };
  const users = (block.users ?? []).map((u) => ({ name: u.name, ...(u.passwordHash ? { passwordHash: u.passwordHash } : {}), publicKeys: u.publicKeys ?? [] }));
  users.forEach((u, i) => {
    if (!u.passwordHash && u.publicKeys.length === 0) problems.push(`${where}: /sftp/users/${i} "${u.name}" has neither passwordHash nor publicKeys (set them with "edigate partners sftp-user")`);
    if (users.findIndex((o) => o.name === u.name) !== i) problems.push(`${where}: /sftp/users/${i} "${u.name}" is listed twice`);
  });
  let remote: SftpRemoteSettings | undefined;
  if (block.remote) {
    const r = block.remote;
    if (!r.passwordEnv && !r.privateKeyFile) problems.push(`${where}: /sftp/remote needs passwordEnv or privateKeyFile`);
    if (r.afterFetch === 'move' && !r.archiveDir) problems.push(`${where}: /sftp/remote/afterFetch "move" needs /sftp/remote/archiveDir`);
    remote = {
      host: r.host, port: r.port ?? SFTP_DEFAULTS.port, user: r.user,
      ...(r.passwordEnv ? { passwordEnv: r.passwordEnv } : {}),
      ...(r.privateKeyFile ? { privateKeyFile: r.privateKeyFile } : {}),
      ...(r.passphraseEnv ? { passphraseEnv: r.passphraseEnv } : {}),
      hostKeyFingerprint: r.hostKeyFingerprint, inboundDir: r.inboundDir, outboundDir: r.outboundDir,
      pollIntervalMs: r.pollIntervalMs ?? SFTP_DEFAULTS.pollIntervalMs, afterFetch: r.afterFetch ?? 'delete',
      ...(r.archiveDir ? { archiveDir: r.archiveDir } : {}),
      timeoutMs: r.timeoutMs ?? SFTP_DEFAULTS.timeoutMs,
    };
  }
  return {
    sftp: {
      users,
      limits: { maxFileSize: block.limits?.maxFileSize ?? SFTP_DEFAULTS.maxFileSize, maxSessions: block.limits?.maxSessions ?? SFTP_DEFAULTS.maxSessions },
      rename: block.rename ?? 'fail',
      ...(remote ? { remote } : {}),
    },
    problems,
  };
}

/** SFTP user names must be unique across partners (a login names exactly one partner). Returns the problems. */
export function sftpProblemsAcross(partners: Array<Pick<Partner, 'id' | 'file' | 'sftp'>>): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const p of partners) {
    for (const u of p.sftp?.users ?? []) {
      const other = owner.get(u.name);
      if (other && other !== p.id) problems.push(`partners/${p.id}.yaml: /sftp/users "${u.name}" is also a user of partner ${other}`);
      else owner.set(u.name, p.id);
    }
  }
  return problems;
}

/**
 * `edigate partners sftp-user ID USER [--key FILE.pub]... [--password-stdin]`: adds or updates a hosted SFTP
 * user in partners/<id>.yaml, keeping the rest of the file (comments included) as it is.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, isMap, isSeq, YAMLMap, YAMLSeq } from 'yaml';
import { GatewayError } from '../../errors.js';
import { SFTP_USER_PATTERN } from '../../partners/sftp-settings.js';
import { parseAuthorisedKey } from './auth.js';
import { sshFingerprint } from '../sftp-remote/fingerprint.js';

/** Outcome of setSftpUser: what changed, for the command's output. */
export interface SftpUserChange {
  path: string;
  created: boolean;
  keysAdded: string[];
  passwordSet: boolean;
}

/**
 * Adds user `name` to partner `partnerId`'s `sftp.users`, or updates it: each key in `publicKeys` (OpenSSH
 * public key lines) is added unless already there; `passwordHash` (from passwords.ts hashPassword) replaces
 * the previous one. Written atomically (temp file, then rename).
 * @throws GatewayError EDIGATE_PARTNER_UNKNOWN (no partner file), EDIGATE_SFTP_USER_INVALID (bad name, a key that
 *   is not an accepted public key, a new user with neither key nor password, a name used by another partner),
 *   EDIGATE_PARTNER_INVALID (the file cannot be parsed).
 */
export function setSftpUser(partnersDir: string, partnerId: string, name: string, change: { publicKeys: string[]; passwordHash?: string }): SftpUserChange {
  if (!new RegExp(SFTP_USER_PATTERN).test(name)) throw new GatewayError('EDIGATE_SFTP_USER_INVALID', `user name "${name}": letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64`);
  const path = join(partnersDir, `${partnerId}.yaml`);
  if (!existsSync(path)) throw new GatewayError('EDIGATE_PARTNER_UNKNOWN', `${partnerId}: no file ${path}`);
  const keys = change.publicKeys.map((line, i) => {
    const k = parseAuthorisedKey(line);
    if (k instanceof Error) throw new GatewayError('EDIGATE_SFTP_USER_INVALID', `key ${i + 1}: ${k.message}`);
    return { line: `${k.type} ${k.getPublicSSH().toString('base64')}${k.comment ? ` ${k.comment}` : ''}`, blob: k.getPublicSSH() };
  });
  // A login name names exactly one partner.
  for (const f of readdirYaml(partnersDir)) {
    if (f === `${partnerId}.yaml`) continue;
    const other = parseDocument(readFileSync(join(partnersDir, f), 'utf8')).toJS() as { sftp?: { users?: Array<{ name?: string }> } } | null;
    if (other?.sftp?.users?.some((u) => u?.name === name)) throw new GatewayError('EDIGATE_SFTP_USER_INVALID', `user "${name}" already belongs to partners/${f}`);
  }
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length) throw new GatewayError('EDIGATE_PARTNER_INVALID', `${path}: ${doc.errors[0]!.message}`);
  if (!doc.has('sftp')) doc.set('sftp', doc.createNode({ users: [] }));
  const sftp = doc.get('sftp');
  if (!isMap(sftp)) throw new GatewayError('EDIGATE_PARTNER_INVALID', `${path}: /sftp must be a mapping`);
  if (!sftp.has('users')) sftp.set('users', doc.createNode([]));
  const users = sftp.get('users');
  if (!isSeq(users)) throw new GatewayError('EDIGATE_PARTNER_INVALID', `${path}: /sftp/users must be a list`);
  let user = (users as YAMLSeq).items.find((u) => isMap(u) && u.get('name') === name) as YAMLMap | undefined;
  const created = !user;
  if (created && keys.length === 0 && !change.passwordHash) throw new GatewayError('EDIGATE_SFTP_USER_INVALID', `new user "${name}" needs --key or --password-stdin`);
  if (!user) {
    user = doc.createNode({ name }) as YAMLMap;
    (users as YAMLSeq).items.push(user);
  }
  if (change.passwordHash) user.set('passwordHash', change.passwordHash);
  const existing = (user.get('publicKeys') as YAMLSeq | undefined)?.toJSON() as string[] | undefined ?? [];
  const existingBlobs = new Set(existing.map((l) => { const k = parseAuthorisedKey(l); return k instanceof Error ? l : k.getPublicSSH().toString('base64'); }));
  const keysAdded: string[] = [];
  for (const k of keys) {
    if (existingBlobs.has(k.blob.toString('base64'))) continue;
    existing.push(k.line);
    existingBlobs.add(k.blob.toString('base64'));
    keysAdded.push(sshFingerprint(k.blob));
  }
  if (existing.length) user.set('publicKeys', doc.createNode(existing));
  const tmp = join(partnersDir, `.${partnerId}.yaml.tmp`);
  writeFileSync(tmp, doc.toString());
  renameSync(tmp, path);
  return { path, created, keysAdded, passwordSet: !!change.passwordHash };
}

function readdirYaml(dir: string): string[] {
  return (existsSync(dir) ? readdirSync(dir) : []).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.'));
}

/**
 * The view a partner's SFTP user gets: a virtual tree of two folders, whatever the client sends.
 *
 *   /            (read-only, lists the two folders)
 *   /inbound     write: files to us (each closed upload goes to intake; nothing is kept here)
 *   /outbound    read and delete: our acknowledgements and outbound files = outbox/<partner-id>/
 *
 * Client paths are normalised as absolute POSIX paths (`..` cannot climb above `/`), and only a plain file
 * name directly inside one of the two folders names a file. The names are joined to server folders chosen
 * by the server, never to a client-supplied path, and files are opened without following symbolic links
 * (see session.ts), so no path, `..`, absolute path or symbolic link leads outside.
 */
import { posix } from 'node:path';

export type Area = 'inbound' | 'outbound';

/** What a client path names in the jail. */
export type JailTarget =
  | { kind: 'root'; path: '/' }
  | { kind: 'dir'; area: Area; path: string }
  | { kind: 'file'; area: Area; name: string; path: string }
  /** Anything else: outside the two folders, nested, or an unusable name. */
  | { kind: 'none'; path: string };

/** Longest file name accepted, in UTF-8 bytes (the spool adds a 37-byte prefix under the 255-byte limit of most file systems). */
export const MAX_NAME_BYTES = 200;

/**
 * The absolute virtual path of a client path: relative paths start at `/` (the login folder), `.` and `..`
 * are resolved, `..` at the top stays at `/`, trailing slashes are dropped. This is what REALPATH answers
 * (draft-ietf-secsh-filexfer-02 §6.11: the server canonicalises the path).
 */
export function virtualPath(clientPath: string): string {
  const p = posix.normalize('/' + clientPath);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** Resolves a client path to what it names in the jail (see the module comment). */
export function resolveJailPath(clientPath: string): JailTarget {
  const path = virtualPath(clientPath);
  if (path === '/') return { kind: 'root', path: '/' };
  const parts = path.split('/').slice(1);
  const area = parts[0];
  if (area !== 'inbound' && area !== 'outbound') return { kind: 'none', path };
  if (parts.length === 1) return { kind: 'dir', area, path };
  const name = parts[1]!;
  if (parts.length > 2 || !isPlainName(name)) return { kind: 'none', path };
  return { kind: 'file', area, name, path };
}

/** A file name we can keep: not empty, not `.`/`..`, no NUL or control characters, at most MAX_NAME_BYTES. */
export function isPlainName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name !== '' && name !== '.' && name !== '..' && !/[\x00-\x1f/\\]/.test(name) && Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES;
}

/**
 * Names that clients upload under before renaming them to the final name (WinSCP `*.filepart`, `*.part`,
 * `*.tmp`, dotfiles): such an upload is held in /inbound until renamed, instead of going to intake.
 */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || /\.(part|filepart|tmp)$/i.test(name);
}

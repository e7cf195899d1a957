/**
 * One SFTP subsystem session of a logged-in partner user (SFTP v3, draft-ietf-secsh-filexfer-02, as served by
 * ssh2): every request is answered exactly once, handles are per-session uint32 counters, uploads are written
 * with positional writes (OpenSSH pipelines WRITEs at out-of-order offsets) to a temporary file that goes to
 * intake only on a successful CLOSE, and the channel is closed when the client sends EOF (OpenSSH `sftp -b`
 * waits for that; ssh2 does not do it by itself, mscdex/ssh2#1443).
 */
import { constants as C, promises as fsp, type Stats } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { SFTPWrapper, Attributes, FileEntry } from 'ssh2';
import type { Logger } from 'pino';
import type { Db } from '../../store/db.js';
import { markPickedUp } from '../../store/transmissions.js';
import { countSftpSession } from '../../store/sftp.js';
import type { SftpSettings } from '../../partners/sftp-settings.js';
import { isTemporaryName, resolveJailPath, virtualPath, type JailTarget } from './jail.js';
import type { UploadSpool } from './spool.js';

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;

/** Open handles per session (uploads, downloads and directory listings together). */
export const MAX_HANDLES = 64;
/** Directory entries per READDIR answer. */
const READDIR_BATCH = 100;

interface UploadHandle {
  kind: 'upload';
  fd: fsp.FileHandle;
  tmp: string;
  name: string;
  /** Highest byte written + 1. */
  size: number;
  pending: Set<Promise<unknown>>;
  /** Why the upload was refused (too large); the CLOSE then fails too. */
  failed?: string;
}
interface DownloadHandle { kind: 'download'; fd: fsp.FileHandle; name: string }
interface DirHandle { kind: 'dir'; entries: FileEntry[] | undefined; load: () => Promise<FileEntry[]> }
type Handle = UploadHandle | DownloadHandle | DirHandle;

export interface SessionContext {
  partnerId: string;
  user: string;
  remoteAddress: string;
  sessionId: number;
  /** The partner's current SFTP settings (partner files reload while the server runs). */
  settings: () => SftpSettings | undefined;
  outboxDir: string;
  spool: UploadSpool;
  db: Db;
  logger: Logger;
}

/** Refusal with an SFTP status code and a message for the client. */
class SftpRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
const denied = (what: string) => new SftpRefusal(STATUS_CODE.PERMISSION_DENIED, what);
const noSuchFile = (path: string) => new SftpRefusal(STATUS_CODE.NO_SUCH_FILE, `no such file: ${path}`);

function statusOf(err: unknown): { code: number; message: string } {
  if (err instanceof SftpRefusal) return { code: err.status, message: err.message };
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return { code: STATUS_CODE.NO_SUCH_FILE, message: 'no such file' };
  if (code === 'EACCES' || code === 'EPERM') return { code: STATUS_CODE.PERMISSION_DENIED, message: 'permission denied' };
  return { code: STATUS_CODE.FAILURE, message: 'failure' };
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dirAttrs(writable: boolean): Attributes {
  const now = seconds(Date.now());
  return { mode: C.S_IFDIR | (writable ? 0o750 : 0o550), uid: 0, gid: 0, size: 0, atime: now, mtime: now };
}
function fileAttrs(s: Stats, mode = 0o640): Attributes {
  return { mode: C.S_IFREG | mode, uid: 0, gid: 0, size: s.size, atime: seconds(s.atimeMs), mtime: seconds(s.mtimeMs) };
}
/** `ls -l` style line (what OpenSSH `ls -l` prints for each entry). */
function longname(name: string, a: Attributes): string {
  const dir = (a.mode & C.S_IFMT) === C.S_IFDIR;
  const perms = (a.mode & 0o777).toString(2).padStart(9, '0').split('').map((b, i) => (b === '1' ? 'rwx'[i % 3] : '-')).join('');
  const d = new Date(a.mtime * 1000);
  const when = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${dir ? 'd' : '-'}${perms}    1 edi      edi      ${String(a.size).padStart(10)} ${when} ${name}`;
}

/**
 * Serves one SFTP stream for a logged-in user. Returns a function that releases everything
 * (called by the server when the connection ends, also when it ends abnormally).
 */
export function serveSftp(sftp: SFTPWrapper, ctx: SessionContext): () => Promise<void> {
  const handles = new Map<number, Handle>();
  let counter = 0;
  let released = false;
  const log = ctx.logger.child({ partner: ctx.partnerId, user: ctx.user, remoteAddress: ctx.remoteAddress, sftpSession: ctx.sessionId });
  const partnerOutbox = join(ctx.outboxDir, ctx.partnerId);

  const newHandle = (h: Handle): Buffer => {
    if (handles.size >= MAX_HANDLES) throw new SftpRefusal(STATUS_CODE.FAILURE, `too many open files (at most ${MAX_HANDLES} per session)`);
    counter = (counter + 1) >>> 0;
    handles.set(counter, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(counter);
    return b;
  };
  const handleOf = (b: Buffer): Handle | undefined => (b.length === 4 ? handles.get(b.readUInt32BE(0)) : undefined);
  /** Runs a request handler; any throw becomes exactly one status answer. */
  const guard = (id: number, what: string, fn: () => Promise<void>) => {
    fn().catch((err: unknown) => {
      const s = statusOf(err);
      if (!(err instanceof SftpRefusal) && s.code === STATUS_CODE.FAILURE) log.error({ err, request: what }, 'sftp request failed');
      sftp.status(id, s.code, s.message);
    });
  };

  /** The outbox folder of the partner, refused if it is not a real folder (a planted link). */
  const outboxFolder = async (): Promise<string> => {
    await fsp.mkdir(partnerOutbox, { recursive: true });
    const s = await fsp.lstat(partnerOutbox);
    if (!s.isDirectory()) throw denied('outbound folder unavailable');
    return partnerOutbox;
  };
  /** A regular file in the partner's outbox (symbolic links and anything else: no such file). */
  const outboundFile = async (name: string, path: string): Promise<{ local: string; stats: Stats }> => {
    const local = join(await outboxFolder(), name);
    const stats = await fsp.lstat(local).catch(() => undefined);
    if (!stats?.isFile()) throw noSuchFile(path);
    return { local, stats };
  };
  const heldFile = async (name: string): Promise<{ local: string; stats: Stats } | undefined> => {
    const local = join(ctx.spool.heldFolder(ctx.partnerId), name);
    const stats = await fsp.lstat(local).catch(() => undefined);
    return stats?.isFile() ? { local, stats } : undefined;
  };

  const listing = async (t: JailTarget): Promise<FileEntry[]> => {
    if (t.kind === 'root') {
      return (['inbound', 'outbound'] as const).map((n) => { const a = dirAttrs(n === 'inbound'); return { filename: n, longname: longname(n, a), attrs: a }; });
    }
    if (t.kind !== 'dir') throw noSuchFile(t.path);
    const folder = t.area === 'outbound' ? await outboxFolder() : ctx.spool.heldFolder(ctx.partnerId);
    const out: FileEntry[] = [];
    for (const e of await fsp.readdir(folder, { withFileTypes: true })) {
      // Only regular files; dotfiles in the outbox are acknowledgements still being written (fs-atomic).
      if (!e.isFile() || (t.area === 'outbound' && e.name.startsWith('.'))) continue;
      const s = await fsp.lstat(join(folder, e.name)).catch(() => undefined);
      if (!s?.isFile()) continue;
      const a = fileAttrs(s, t.area === 'outbound' ? 0o640 : 0o600);
      out.push({ filename: e.name, longname: longname(e.name, a), attrs: a });
    }
    return out.sort((a, b) => a.filename.localeCompare(b.filename));
  };

  const stat = async (p: string): Promise<Attributes> => {
    const t = resolveJailPath(p);
    if (t.kind === 'root') return dirAttrs(false);
    if (t.kind === 'dir') return dirAttrs(t.area === 'inbound');
    if (t.kind === 'none') throw noSuchFile(t.path);
    if (t.area === 'outbound') return fileAttrs((await outboundFile(t.name, t.path)).stats);
    const held = await heldFile(t.name);
    if (!held) throw noSuchFile(t.path);
    return fileAttrs(held.stats, 0o600);
  };

  const closeUpload = async (h: UploadHandle, abandoned: boolean, why?: string): Promise<void> => {
    await Promise.allSettled([...h.pending]);
    await h.fd.close().catch(() => undefined);
    if (abandoned) {
      await fsp.rm(h.tmp, { force: true });
      countSftpSession(ctx.db, ctx.sessionId, { uploadsAbandoned: 1 });
      log.warn({ file: h.name, bytesReceived: h.size, reason: why }, 'sftp upload not completed: partial file removed, not processed');
    }
  };

  sftp
    .on('REALPATH', (id, p) => {
      const v = virtualPath(p);
      sftp.name(id, [{ filename: v, longname: v, attrs: {} as Attributes }]);
    })
    .on('STAT', (id, p) => guard(id, 'STAT', async () => { sftp.attrs(id, await stat(p)); }))
    .on('LSTAT', (id, p) => guard(id, 'LSTAT', async () => { sftp.attrs(id, await stat(p)); }))
    .on('OPEN', (id, p, flags) => guard(id, 'OPEN', async () => {
      const t = resolveJailPath(p);
      const writing = (flags & OPEN_MODE.WRITE) !== 0;
      if (t.kind !== 'file') throw t.kind === 'none' && !writing ? noSuchFile(t.path) : denied(`${t.path}: files can only be written in /inbound and read from /outbound`);
      if (t.area === 'inbound') {
        if (!writing) throw denied(`${t.path}: /inbound is write-only`);
        const { fd, tmp } = await ctx.spool.create(ctx.partnerId, t.name);
        try {
          sftp.handle(id, newHandle({ kind: 'upload', fd, tmp, name: t.name, size: 0, pending: new Set() }));
        } catch (err) {
          await fd.close();
          await fsp.rm(tmp, { force: true });
          throw err;
        }
        return;
      }
      if (writing) throw denied(`${t.path}: /outbound is read-only`);
      const { local } = await outboundFile(t.name, t.path);
      const fd = await fsp.open(local, C.O_RDONLY | C.O_NOFOLLOW);
      try {
        sftp.handle(id, newHandle({ kind: 'download', fd, name: t.name }));
      } catch (err) {
        await fd.close();
        throw err;
      }
    }))
    .on('WRITE', (id, hb, offset, data) => {
      const h = handleOf(hb);
      if (h?.kind !== 'upload') return void sftp.status(id, STATUS_CODE.FAILURE, 'invalid handle');
      if (h.failed) return void sftp.status(id, STATUS_CODE.FAILURE, h.failed);
      const max = ctx.settings()?.limits.maxFileSize ?? Infinity;
      if (offset + data.length > max) {
        h.failed = `file exceeds the maximum size of ${max} bytes`;
        log.warn({ file: h.name, maxFileSize: max }, 'sftp upload refused: larger than the partner limit');
        return void sftp.status(id, STATUS_CODE.FAILURE, h.failed);
      }
      // Positional writes: pipelined WRITEs may arrive and complete in any order.
      const p = h.fd.write(data, 0, data.length, offset).then(() => {
        h.size = Math.max(h.size, offset + data.length);
        sftp.status(id, STATUS_CODE.OK);
      }, (err: unknown) => {
        h.failed = `write failed: ${(err as Error).message}`;
        log.error({ err, file: h.name }, 'sftp upload write failed');
        sftp.status(id, STATUS_CODE.FAILURE, 'write failed');
      });
      h.pending.add(p);
      void p.finally(() => h.pending.delete(p));
    })
    .on('READ', (id, hb, offset, len) => guard(id, 'READ', async () => {
      const h = handleOf(hb);
      if (h?.kind !== 'download') throw new SftpRefusal(STATUS_CODE.FAILURE, 'invalid handle');
      const buf = Buffer.alloc(Math.min(len, 256 * 1024));
      const { bytesRead } = await h.fd.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) sftp.status(id, STATUS_CODE.EOF);
      else sftp.data(id, buf.subarray(0, bytesRead));
    }))
    .on('FSTAT', (id, hb) => guard(id, 'FSTAT', async () => {
      const h = handleOf(hb);
      if (!h || h.kind === 'dir') throw new SftpRefusal(STATUS_CODE.FAILURE, 'invalid handle');
      sftp.attrs(id, fileAttrs(await h.fd.stat(), h.kind === 'upload' ? 0o600 : 0o640));
    }))
    // chmod / utimes (`put -p`) are acknowledged and not applied: the gateway owns its files.
    .on('SETSTAT', (id) => sftp.status(id, STATUS_CODE.OK))
    .on('FSETSTAT', (id) => sftp.status(id, STATUS_CODE.OK))
    .on('CLOSE', (id, hb) => guard(id, 'CLOSE', async () => {
      const h = handleOf(hb);
      if (!h) throw new SftpRefusal(STATUS_CODE.FAILURE, 'invalid handle');
      handles.delete(hb.readUInt32BE(0));
      if (h.kind === 'dir') return void sftp.status(id, STATUS_CODE.OK);
      if (h.kind === 'download') {
        await h.fd.close();
        return void sftp.status(id, STATUS_CODE.OK);
      }
      await Promise.allSettled([...h.pending]);
      if (h.failed) {
        await closeUpload(h, true, h.failed);
        throw new SftpRefusal(STATUS_CODE.FAILURE, h.failed);
      }
      await h.fd.sync();
      await h.fd.close();
      countSftpSession(ctx.db, ctx.sessionId, { filesUploaded: 1, bytesUploaded: h.size });
      if (isTemporaryName(h.name)) {
        await fsp.rename(h.tmp, join(ctx.spool.heldFolder(ctx.partnerId), h.name));
        log.info({ file: h.name, bytes: h.size }, 'sftp upload held under its temporary name until renamed');
      } else {
        await ctx.spool.complete(ctx.partnerId, h.name, h.tmp);
        log.info({ file: h.name, bytes: h.size }, 'sftp upload closed; handed to intake');
      }
      sftp.status(id, STATUS_CODE.OK);
    }))
    .on('OPENDIR', (id, p) => guard(id, 'OPENDIR', async () => {
      const t = resolveJailPath(p);
      if (t.kind === 'file' || t.kind === 'none') throw noSuchFile(t.path);
      const entries = await listing(t);
      sftp.handle(id, newHandle({ kind: 'dir', entries, load: () => listing(t) }));
    }))
    .on('READDIR', (id, hb) => guard(id, 'READDIR', async () => {
      const h = handleOf(hb);
      if (h?.kind !== 'dir') throw new SftpRefusal(STATUS_CODE.FAILURE, 'invalid handle');
      h.entries ??= await h.load();
      if (h.entries.length === 0) return void sftp.status(id, STATUS_CODE.EOF);
      sftp.name(id, h.entries.splice(0, READDIR_BATCH));
    }))
    .on('REMOVE', (id, p) => guard(id, 'REMOVE', async () => {
      const t = resolveJailPath(p);
      if (t.kind !== 'file') throw t.kind === 'none' ? noSuchFile(t.path) : denied(`${t.path} is a folder`);
      if (t.area === 'outbound') {
        const { local } = await outboundFile(t.name, t.path);
        await fsp.unlink(local);
        const marked = markPickedUp(ctx.db, ctx.partnerId, t.name);
        countSftpSession(ctx.db, ctx.sessionId, { filesPickedUp: 1 });
        log.info({ file: t.name, recorded: marked > 0 }, 'outbound file picked up (deleted by the partner)');
      } else {
        const held = await heldFile(t.name);
        if (!held) throw noSuchFile(t.path);
        await fsp.unlink(held.local);
      }
      sftp.status(id, STATUS_CODE.OK);
    }))
    .on('RENAME', (id, from, to) => guard(id, 'RENAME', async () => {
      const a = resolveJailPath(from);
      const b = resolveJailPath(to);
      if (a.kind !== 'file' || a.area !== 'inbound') throw a.kind === 'none' ? noSuchFile(a.path) : denied(`${a.path} cannot be renamed (only uploads held in /inbound can)`);
      if (b.kind !== 'file' || b.area !== 'inbound') throw denied(`${b.path}: an upload can only be renamed inside /inbound`);
      const held = await heldFile(a.name);
      if (!held) throw noSuchFile(a.path);
      if (a.name === b.name) return void sftp.status(id, STATUS_CODE.OK);
      if (isTemporaryName(b.name)) {
        const target = join(ctx.spool.heldFolder(ctx.partnerId), b.name);
        // SFTP v3 (filexfer-02 §6.5): renaming onto an existing name fails, unless the partner allows overwriting.
        if (await fsp.lstat(target).then(() => true, () => false)) {
          if (ctx.settings()?.rename !== 'overwrite') throw new SftpRefusal(STATUS_CODE.FAILURE, `${b.path} already exists`);
        }
        await fsp.rename(held.local, target);
      } else {
        await ctx.spool.complete(ctx.partnerId, b.name, held.local);
        log.info({ file: b.name, from: a.name, bytes: held.stats.size }, 'sftp upload renamed to its final name; handed to intake');
      }
      sftp.status(id, STATUS_CODE.OK);
    }))
    .on('MKDIR', (id, p) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED, `${virtualPath(p)}: folders cannot be created`))
    .on('RMDIR', (id, p) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED, `${virtualPath(p)}: folders cannot be removed`))
    .on('SYMLINK', (id) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED, 'symbolic links cannot be created'))
    .on('READLINK', (id, p) => sftp.status(id, STATUS_CODE.NO_SUCH_FILE, `${virtualPath(p)} is not a link`))
    // The client sent EOF: close our side too, or OpenSSH `sftp` waits forever after its last command.
    .on('end', () => sftp.end());

  return async () => {
    if (released) return;
    released = true;
    for (const h of handles.values()) {
      if (h.kind === 'upload') await closeUpload(h, true, 'session ended before the file was closed');
      else if (h.kind === 'download') await h.fd.close().catch(() => undefined);
    }
    handles.clear();
  };
}

import { createHash, randomUUID } from 'node:crypto';
import { closeSync, constants as fsConstants, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, promises as fsp, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { GatewayError } from '../errors.js';

/** Where the raw bytes with this SHA-256 (hex) live: data/archive/ab/cd/<sha256>. */
export function archivePath(archiveDir: string, sha256: string): string {
  return join(archiveDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Copies the file at `source` into the content-addressed raw archive while hashing it (streamed:
 * memory does not grow with the file). The copy is fsynced before it is renamed into place, so a
 * file is either wholly archived or not at all. Archiving the same bytes twice keeps one copy.
 * The source is opened without following symbolic links, and its size and mtime are compared after
 * the copy: a file still being written is not archived.
 * @returns sha256 (hex), size in bytes, the archive path and the source's mtime.
 * @throws GatewayError EDIGATE_FILE_UNREADABLE when `source` cannot be read (or is a symbolic link),
 *   EDIGATE_FILE_CHANGING when it changed during the copy, EDIGATE_ARCHIVE_FAILED when writing fails.
 */
export async function archiveFile(archiveDir: string, source: string): Promise<{ sha256: string; size: number; path: string; sourceMtimeMs: number }> {
  const tmpDir = join(archiveDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const tmp = join(tmpDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  let input;
  let before;
  try {
    // O_NOFOLLOW: a file swapped for a symbolic link after it was looked at is refused, never followed.
    const fh = await fsp.open(source, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    before = await fh.stat();
    input = fh.createReadStream();
  } catch (err) {
    throw new GatewayError('EDIGATE_FILE_UNREADABLE', `${source}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const out = createWriteStream(tmp, { flags: 'wx' });
    await pipeline(input, tap, out);
    const fh = await fsp.open(tmp, 'r+');
    await fh.sync();
    await fh.close();
    // A writer still appending (or rewriting) the file: keep nothing, the caller takes it again later.
    const after = await fsp.lstat(source).catch(() => undefined);
    if (!after || after.size !== size || after.mtimeMs !== before.mtimeMs) {
      await fsp.rm(tmp, { force: true });
      throw new GatewayError('EDIGATE_FILE_CHANGING', `${source}: ${size} bytes read, now ${after?.size ?? 'gone'}`);
    }
    return { ...(await settle(archiveDir, tmp, hash.digest('hex'), size)), sourceMtimeMs: before.mtimeMs };
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    if (err instanceof GatewayError) throw err;
    throw new GatewayError('EDIGATE_ARCHIVE_FAILED', `${source}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Archives bytes held in memory (uploads, tests). Same layout and guarantees as archiveFile.
 * @throws GatewayError EDIGATE_ARCHIVE_FAILED
 */
export async function archiveBuffer(archiveDir: string, bytes: Buffer): Promise<{ sha256: string; size: number; path: string }> {
  const tmpDir = join(archiveDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const tmp = join(tmpDir, randomUUID());
  try {
    const fh = await fsp.open(tmp, 'wx');
    await fh.writeFile(bytes);
    await fh.sync();
    await fh.close();
    return await settle(archiveDir, tmp, createHash('sha256').update(bytes).digest('hex'), bytes.length);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw new GatewayError('EDIGATE_ARCHIVE_FAILED', (err as Error).message, { cause: err });
  }
}

/**
 * Synchronous archiveBuffer for small files written inside a store transaction (acknowledgements, outbound
 * documents): same layout and guarantees (fsynced before the rename).
 * @throws GatewayError EDIGATE_ARCHIVE_FAILED
 */
export function archiveBufferSync(archiveDir: string, bytes: Buffer): { sha256: string; size: number; path: string } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = archivePath(archiveDir, sha256);
  if (existsSync(path)) return { sha256, size: bytes.length, path };
  const tmpDir = join(archiveDir, 'tmp');
  try {
    mkdirSync(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const fd = openSync(tmp, 'wx');
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    mkdirSync(join(archiveDir, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
    renameSync(tmp, path);
    return { sha256, size: bytes.length, path };
  } catch (err) {
    throw new GatewayError('EDIGATE_ARCHIVE_FAILED', (err as Error).message, { cause: err });
  }
}

async function settle(archiveDir: string, tmp: string, sha256: string, size: number) {
  const path = archivePath(archiveDir, sha256);
  if (existsSync(path)) {
    await fsp.rm(tmp, { force: true });
  } else {
    await fsp.mkdir(join(archiveDir, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
    await fsp.rename(tmp, path);
  }
  return { sha256, size, path };
}

/**
 * Reads bytes [start, end) of an archived file.
 * @throws GatewayError EDIGATE_NOT_FOUND when the archive has no such file.
 */
export async function readArchived(archiveDir: string, sha256: string, start = 0, end?: number): Promise<Buffer> {
  const path = archivePath(archiveDir, sha256);
  let fh;
  try {
    fh = await fsp.open(path, 'r');
  } catch (err) {
    throw new GatewayError('EDIGATE_NOT_FOUND', `archived file ${sha256}`, { cause: err });
  }
  try {
    const size = (await fh.stat()).size;
    const stop = Math.min(end ?? size, size);
    const buf = Buffer.alloc(Math.max(0, stop - start));
    await fh.read(buf, 0, buf.length, start);
    return buf;
  } finally {
    await fh.close();
  }
}

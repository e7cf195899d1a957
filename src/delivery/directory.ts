/**
 * Directory delivery: one canonical JSON file per message, `<directory>/<type>-<messageId>.json`,
 * written atomically so a reader never sees a partial file under the final name: the bytes go to a
 * hidden `.tmp` file in the same folder, are fsynced, then renamed into place (rename is atomic
 * within one file system, POSIX rename(2)); the folder is fsynced after the rename where the
 * platform allows. A repeat of the same message replaces the file with identical content.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalMessage } from '../canonical/envelope.js';
import type { DirectoryDestinationConfig } from '../config-types.js';
import type { Connector, DeliveryOutcome } from './connector.js';

/** A name part made safe for any file system: characters outside [A-Za-z0-9._-] become '_', no leading dot. */
export function safeFileNamePart(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : '_';
}

/** Final file name of a message: `<type>-<messageId>.json` (both parts made safe). */
export function directoryFileName(message: Pick<CanonicalMessage, 'type' | 'id'>): string {
  return `${safeFileNamePart(message.type)}-${safeFileNamePart(message.id)}.json`;
}

/**
 * Writes each message to the destination folder, creating the folder (and parents) when missing.
 * Any I/O error gives a `retry` outcome with code EDIGATE_DELIVERY_DIRECTORY; the temporary file is
 * removed on the way out.
 */
export class DirectoryConnector implements Connector {
  private readonly directory: string;
  private folderReady = false;

  constructor(dest: Pick<DirectoryDestinationConfig, 'directory'>) {
    this.directory = dest.directory;
  }

  /** Writes `bodyJson` to `<directory>/<type>-<id>.json` atomically; resolves with the outcome. */
  async deliver(message: CanonicalMessage, bodyJson: string): Promise<DeliveryOutcome> {
    const name = directoryFileName(message);
    const finalPath = join(this.directory, name);
    const tmpPath = join(this.directory, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    let wroteTmp = false;
    try {
      if (!this.folderReady) {
        await mkdir(this.directory, { recursive: true });
        this.folderReady = true;
      }
      const handle = await open(tmpPath, 'wx', 0o644);
      wroteTmp = true;
      try {
        await handle.writeFile(bodyJson, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmpPath, finalPath);
      wroteTmp = false;
      await this.syncFolder();
      return { kind: 'delivered', response: name };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') this.folderReady = false; // the folder went away: create it again next time
      if (wroteTmp) await unlink(tmpPath).catch(() => undefined);
      return { kind: 'retry', code: 'EDIGATE_DELIVERY_DIRECTORY', error: `cannot write ${finalPath}: ${e.code ?? ''} ${e.message}`.trim() };
    }
  }

  /** Nothing to release: files are closed after each write. */
  async close(): Promise<void> {}

  /** fsync of the folder so the rename itself survives a power cut; not possible everywhere (Windows), so best effort. */
  private async syncFolder(): Promise<void> {
    let handle;
    try {
      handle = await open(this.directory, 'r');
      await handle.sync();
    } catch {
      // EISDIR/EPERM/EINVAL on platforms that cannot fsync a directory: the file itself is synced.
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
}

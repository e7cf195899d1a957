import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes read at a time by the reading stages. */
export const CHUNK = 64 * 1024;

/** Calls `fn` with each chunk of the file read synchronously; the buffer is reused, consumers copy it at once. Returns the bytes read. */
export function forEachChunk(file: string, fn: (chunk: Buffer) => void): number {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      fn(n === CHUNK ? buf : buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

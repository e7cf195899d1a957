/**
 * One-shot and stream helpers over X12Reader.
 */
import type { Finding } from '../../validation/finding.js';
import type { X12InterchangeResult, X12ReaderHandlers, X12TransactionSet } from './types.js';
import { X12Reader, type X12ReaderOptions } from './reader.js';

export type { X12ReaderOptions } from './reader.js';

/** Everything read from one X12 file. */
export interface X12ParseResult {
  /** Interchanges in file order, each with its groups and per-set summaries. */
  interchanges: X12InterchangeResult[];
  /** Every transaction set with its segments, in file order (sets of rejected groups and interchanges included). */
  sets: X12TransactionSet[];
  /** Findings outside any interchange: not X12, empty file, data between interchanges. */
  fileFindings: Finding[];
}

/**
 * Parse and validate a whole X12 file held in memory (tests, CLI validate, map examples).
 * Holds every set's segments: for large files use X12Reader or readX12Stream.
 * Never throws for bad partner data: problems are findings.
 */
export function parseX12Buffer(buf: Buffer, options?: X12ReaderOptions): X12ParseResult {
  const result: X12ParseResult = { interchanges: [], sets: [], fileFindings: [] };
  const reader = new X12Reader(
    {
      onTransactionSet: (s) => result.sets.push(s),
      onInterchangeEnd: (i) => result.interchanges.push(i),
      onFileFinding: (f) => result.fileFindings.push(f),
    },
    options,
  );
  reader.push(buf);
  reader.end();
  return result;
}

/**
 * Read an X12 file from a stream of Buffer chunks (e.g. fs.createReadStream), calling `handlers`
 * as the structure is read (see X12Reader). Memory is bounded by the largest transaction set.
 * Resolves when the stream has ended and every handler has been called; rejects only when the
 * stream fails or a handler throws.
 */
export async function readX12Stream(
  stream: AsyncIterable<Buffer | Uint8Array | string>,
  handlers: X12ReaderHandlers,
  options?: X12ReaderOptions,
): Promise<void> {
  const reader = new X12Reader(handlers, options);
  for await (const chunk of stream) {
    reader.push(Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk));
  }
  reader.end();
}

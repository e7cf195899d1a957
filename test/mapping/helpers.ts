/**
 * Test helpers for the mapping tests: X12 files read with the gateway's own reader, turned into map
 * inputs (one per transaction set).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import type { X12TransactionSet } from '../../src/formats/x12/types.js';
import { buildX12MapInput } from '../../src/mapping/x12-input.js';

export const CORPUS = '/work/shared/corpus/x12';
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'maps');
export const PRODUCT_MAPS = join(import.meta.dirname, '..', '..', 'maps');

/** The map input of one transaction set as the pipeline builds it. */
export function inputOf(set: X12TransactionSet): Record<string, unknown> {
  return buildX12MapInput({
    setId: set.setId,
    controlNumber: set.controlNumber,
    version: set.group.version,
    segments: set.segments,
    delimiters: set.interchange.delimiters,
  });
}

/** Transaction sets of `setId` in an X12 file (every set, whatever its acknowledgement code). */
export function setsOf(buf: Buffer, setId = '850'): X12TransactionSet[] {
  return parseX12Buffer(buf).sets.filter((s) => s.setId === setId);
}

/** Map inputs (one per transaction set of `setId`) of a file. */
export function inputsOf(buf: Buffer, setId = '850'): Array<Record<string, unknown>> {
  return setsOf(buf, setId).map(inputOf);
}

/** Map inputs of a file given by path. */
export function fileInputs(path: string, setId = '850'): Array<Record<string, unknown>> {
  return inputsOf(readFileSync(path), setId);
}

/**
 * The standard example parser of `edigate maps test` (the `parseExample` of runMapExamples): reads a
 * map's example file with the gateway's own reader and builds the map inputs the pipeline would.
 */
import { promises as fsp } from 'node:fs';
import { parseX12Buffer } from '../formats/x12/parse.js';
import { GatewayError } from '../errors.js';
import type { LoadedMap } from './maps.js';
import { buildX12MapInput } from './x12-input.js';

/**
 * Map inputs of `map`'s example: for an X12 map, one buildX12MapInput per transaction set whose ST01
 * is map.documentType, in file order (whatever the set's acknowledgement code, so an example with
 * validation findings still maps).
 * @throws GatewayError EDIGATE_FILE_UNREADABLE when the example cannot be read, or its standard has no
 *   example reader yet (EDIFACT, CSV).
 */
export async function exampleInputs(map: LoadedMap): Promise<Array<Record<string, unknown>>> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(map.examplePath);
  } catch (err) {
    throw new GatewayError('EDIGATE_FILE_UNREADABLE', `${map.examplePath}: ${(err as Error).message}`, { cause: err });
  }
  if (map.standard !== 'X12') {
    throw new GatewayError('EDIGATE_FILE_UNREADABLE', `${map.examplePath}: no example reader for ${map.standard} maps yet`);
  }
  return parseX12Buffer(buf)
    .sets.filter((s) => s.setId === map.documentType)
    .map((s) =>
      buildX12MapInput({
        setId: s.setId,
        controlNumber: s.controlNumber,
        version: s.group.version,
        segments: s.segments,
        delimiters: s.interchange.delimiters,
      }),
    );
}

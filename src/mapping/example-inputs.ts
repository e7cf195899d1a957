/**
 * The standard example parser of `edigate maps test` (the `parseExample` of runMapExamples): reads a
 * map's example file with the gateway's own reader and builds the map inputs the pipeline would.
 */
import { promises as fsp } from 'node:fs';
import { parseX12Buffer } from '../formats/x12/parse.js';
import { GatewayError } from '../errors.js';
import type { LoadedMap } from './maps.js';
import { buildX12MapInput } from './x12-input.js';
import { parseEdifactBuffer } from '../formats/edifact/reader.js';
import { buildEdifactMapInput } from './edifact-input.js';
import { buildCsvMapInput, readCsvBuffer } from '../formats/csv/reader.js';

/**
 * Map inputs of `map`'s example: for an X12 map, one buildX12MapInput per transaction set whose ST01
 * is map.documentType, in file order (whatever the set's acknowledgement code, so an example with
 * validation findings still maps).
 * For an EDIFACT map, one buildEdifactMapInput per message of type map.documentType; for a CSV map, one
 * buildCsvMapInput per document (rows grouped by the map's csv settings).
 * @throws GatewayError EDIGATE_FILE_UNREADABLE when the example cannot be read.
 */
export async function exampleInputs(map: LoadedMap): Promise<Array<Record<string, unknown>>> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(map.examplePath);
  } catch (err) {
    throw new GatewayError('EDIGATE_FILE_UNREADABLE', `${map.examplePath}: ${(err as Error).message}`, { cause: err });
  }
  if (map.standard === 'EDIFACT') {
    // every message of the map's type, whatever its CONTRL outcome (read leniently: the example is about the map)
    const { interchanges, messages } = parseEdifactBuffer(buf, { characterSet: 'lenient' });
    void interchanges;
    return messages.filter((m) => m.type === map.documentType)
      .map((m) => buildEdifactMapInput({ ...m, decimalMark: m.interchange.syntax.delimiters.decimal }));
  }
  if (map.standard === 'CSV') {
    if (!map.csv) throw new GatewayError('EDIGATE_FILE_UNREADABLE', `${map.examplePath}: CSV map without csv settings`);
    const { documents } = await readCsvBuffer(buf, map.csv);
    return documents.map(buildCsvMapInput);
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

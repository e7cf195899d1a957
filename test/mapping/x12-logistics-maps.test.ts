/**
 * The logistics maps (X12 855, 860, 940, 943, 947, 204, 990, 210): each example maps to exactly its
 * hand-checked expected.json and validates against its canonical schema; every corpus file of these
 * types parses through the gateway's X12 reader, and those the corpus marks valid parse without error
 * findings and map to messages that validate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMaps, mapAndValidate, type MapRegistry } from '../../src/mapping/maps.js';
import { exampleInputs } from '../../src/mapping/example-inputs.js';
import { runMapExamples } from '../../src/mapping/map-tests.js';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { validateCanonical } from '../../src/canonical/index.js';
import { PRODUCT_MAPS, inputOf } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'logistics');

/** Map of each transaction set and the canonical type it produces. */
const MAPS: Record<string, { map: string; type: string }> = {
  '860': { map: 'x12-860-order-change', type: 'order_change' },
  '855': { map: 'x12-855-order-ack', type: 'order_ack' },
  '940': { map: 'x12-940-warehouse-order', type: 'warehouse_order' },
  '943': { map: 'x12-943-inbound-advice', type: 'inbound_advice' },
  '947': { map: 'x12-947-inventory-adjustment', type: 'inventory_adjustment' },
  '204': { map: 'x12-204-load-tender', type: 'load_tender' },
  '990': { map: 'x12-990-tender-response', type: 'tender_response' },
  '210': { map: 'x12-210-freight-invoice', type: 'freight_invoice' },
};

/** Corpus rows of test/fixtures/logistics/SOURCES.md: file, transaction set, validity per source. */
function corpusRows(): Array<{ file: string; setId: string; validity: string }> {
  const md = readFileSync(join(FIXTURES, 'SOURCES.md'), 'utf8');
  return [...md.matchAll(/^\| `corpus\/([^`]+)` \|(?:[^|]*\|){4}([^|]*)\|[^|]*\|([^|]*)\|/gm)].map((m) => ({
    file: m[1]!,
    setId: m[2]!.trim(),
    validity: m[3]!.trim(),
  }));
}

let registry: MapRegistry;

beforeAll(async () => {
  registry = await loadMaps([PRODUCT_MAPS]);
});

describe('logistics map examples', () => {
  it.each(Object.entries(MAPS))('%s: the example of %o maps exactly to expected.json and validates', async (setId, { map: name, type }) => {
    const map = registry.require(name);
    expect([map.documentType, map.messageType]).toEqual([setId, type]);
    const inputs = await exampleInputs(map);
    expect(inputs).toHaveLength(1);
    const { payload, errors } = await mapAndValidate(map, inputs[0]);
    expect(errors).toEqual([]);
    expect(payload).toEqual(JSON.parse(readFileSync(map.expectedPath, 'utf8')));
  });

  it('edigate maps test passes for every logistics map', async () => {
    const results = await runMapExamples(registry, exampleInputs);
    const mine = results.filter((r) => Object.values(MAPS).some((m) => m.map === r.name));
    expect(mine).toHaveLength(8);
    for (const r of mine) expect(r, r.name).toEqual({ name: r.name, ok: true, problems: [] });
  });

  it('reads the business values of the examples (spot checks against the X12 elements)', async () => {
    const first = async (name: string): Promise<Record<string, unknown>> => {
      const map = registry.require(name);
      return (await mapAndValidate(map, (await exampleInputs(map))[0])).payload;
    };
    // 210: L104 and B307 are N2; the charges add up to the net amount due
    const invoice = (await first('x12-210-freight-invoice')) as { netAmountDue: number; charges: Array<{ charges?: Array<{ amount?: number }> }> };
    const sum = invoice.charges.flatMap((c) => c.charges ?? []).reduce((s, c) => s + (c.amount ?? 0), 0);
    expect(invoice.netAmountDue).toBe(659.4);
    expect(Math.round(sum * 100)).toBe(65940);
    // 947: W1901 reason with its meaning, W1902 signed
    const adjustment = (await first('x12-947-inventory-adjustment')) as { adjustments: Array<{ reason: unknown; quantity: number }> };
    expect(adjustment.adjustments[0]).toMatchObject({ reason: { code: 'AU', meaning: 'Damaged in Facility' }, quantity: -4 });
    // 204 -> 990 -> 210 of the same load
    expect((await first('x12-204-load-tender')).shipmentId).toBe('75027674');
    expect(await first('x12-990-tender-response')).toMatchObject({ shipmentId: '75027674', accepted: true });
  });
});

describe('logistics sets of the corpus', () => {
  const rows = corpusRows().filter((r) => r.setId in MAPS);
  const valid = rows.filter((r) => /^valid/.test(r.validity));

  it('lists the corpus files of these types, with the valid 855 and 940 files', () => {
    expect(rows.length).toBe(28);
    expect(valid.map((r) => r.file).sort()).toEqual([
      'ediengine__940.2.OK.edi',
      'ediengine__940.OK.edi',
      'ediengine__940.W05.Only.edi',
      'ediengine__MultipleInterchangesAndGroups.edi',
      'nodex12__855.edi',
      'staedi__multi-tx-transaction-type.edi',
      'stedi__inbound.edi',
      'stupidedi__004010_PR855_pass_1.edi',
      'stupidedi__004010_X358-SC855_pass_basic-po-ack-accepted.edi',
      'stupidedi__004010_X358-SC855_pass_basic-po-ack-rejected.edi',
      'stupidedi__004010_X358-SC855_pass_po-ack-minor-changes.edi',
      'stupidedi__004010_X358-SC855_pass_po-ack-ship-details.edi',
    ]);
  });

  it.each(valid.map((r) => [r.file, r.setId] as const))('%s (valid %s) parses without error findings and maps to valid messages', async (file, setId) => {
    const parsed = parseX12Buffer(readFileSync(join(FIXTURES, 'corpus', file)));
    const errors = [
      ...parsed.fileFindings,
      ...parsed.interchanges.flatMap((i) => [...i.findings, ...i.groups.flatMap((g) => g.findings)]),
      ...parsed.sets.flatMap((s) => s.findings),
    ].filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
    const sets = parsed.sets.filter((s) => s.setId === setId);
    expect(sets.length).toBeGreaterThan(0);
    const map = registry.require(MAPS[setId]!.map);
    for (const set of sets) {
      expect(set.ackCode).toBe('A');
      const { payload, errors: problems } = await mapAndValidate(map, inputOf(set));
      if (file === 'ediengine__940.W05.Only.edi') {
        // W05 alone: EdiEngine calls it valid only under its own custom map without the mandatory
        // LX/W01 detail; an order without items is not a warehouse order, and the schema says so.
        expect(problems).toEqual(['/lines is required']);
        expect(payload).toEqual({ depositorOrderNumber: '35131', orderStatusCode: 'N', purchaseOrderNumber: 'POMAIL' });
      } else {
        expect(problems).toEqual([]);
        expect(validateCanonical(MAPS[setId]!.type, payload)).toEqual([]);
      }
    }
  });

  it.each(rows.map((r) => [r.file, r.setId] as const))('%s (%s) is read and mapped without a crash', async (file, setId) => {
    const parsed = parseX12Buffer(readFileSync(join(FIXTURES, 'corpus', file)));
    const sets = parsed.sets.filter((s) => s.setId === setId);
    expect(sets.length).toBeGreaterThan(0);
    const map = registry.require(MAPS[setId]!.map);
    for (const set of sets) {
      const { payload } = await mapAndValidate(map, inputOf(set));
      expect(typeof payload).toBe('object');
    }
  });
});

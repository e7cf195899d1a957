/**
 * The X12 maps onto the supply-chain canonical types (856 and 945 to shipment, 810 to invoice, 944 to
 * receipt, 846 to inventory_balance, 214 to shipment_status): each example maps to exactly its
 * hand-checked expected.json and validates against its canonical schema; further checked outputs of
 * real corpus files and of a tare/lot/serial 856 fixture; every corpus file of these types parses
 * through the gateway's X12 reader and maps without a crash, and those the corpus marks valid parse
 * without error findings and map to messages that validate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMaps, mapAndValidate, type MapRegistry } from '../../src/mapping/maps.js';
import { exampleInputs } from '../../src/mapping/example-inputs.js';
import { runMapExamples } from '../../src/mapping/map-tests.js';
import { parseX12Buffer } from '../../src/formats/x12/parse.js';
import { validateCanonical } from '../../src/canonical/index.js';
import { PRODUCT_MAPS, inputOf, inputsOf } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'logistics');

/** Map of each transaction set and the canonical type it produces. */
const MAPS: Record<string, { map: string; type: string }> = {
  '856': { map: 'x12-856-shipment', type: 'shipment' },
  '810': { map: 'x12-810-invoice', type: 'invoice' },
  '945': { map: 'x12-945-shipping-advice', type: 'shipment' },
  '944': { map: 'x12-944-receipt', type: 'receipt' },
  '846': { map: 'x12-846-inventory-balance', type: 'inventory_balance' },
  '214': { map: 'x12-214-shipment-status', type: 'shipment_status' },
};

/** Corpus rows of test/fixtures/logistics/SOURCES.md of these sets: file, transaction set (the first named), validity. */
function corpusRows(): Array<{ file: string; setId: string; validity: string }> {
  const md = readFileSync(join(FIXTURES, 'SOURCES.md'), 'utf8');
  return [...md.matchAll(/^\| `corpus\/([^`]+)` \|(?:[^|]*\|){4}([^|]*)\|[^|]*\|([^|]*)\|/gm)]
    .map((m) => ({ file: m[1]!, setId: m[2]!.trim().split(',')[0]!.trim(), validity: m[3]!.trim() }))
    .filter((r) => r.setId in MAPS);
}

let registry: MapRegistry;

beforeAll(async () => {
  registry = await loadMaps([PRODUCT_MAPS]);
});

async function mapFile(path: string, setId: string): Promise<Array<{ payload: Record<string, unknown>; errors: string[] }>> {
  const map = registry.require(MAPS[setId]!.map);
  return Promise.all(inputsOf(readFileSync(path), setId).map((input) => mapAndValidate(map, input)));
}

describe('supply-chain X12 map examples', () => {
  it.each(Object.entries(MAPS))('%s: the example of %o maps exactly to expected.json and validates', async (setId, { map: name, type }) => {
    const map = registry.require(name);
    expect([map.documentType, map.messageType]).toEqual([setId, type]);
    const inputs = await exampleInputs(map);
    const expected = JSON.parse(readFileSync(map.expectedPath, 'utf8')) as unknown;
    const payloads = [];
    for (const input of inputs) {
      const { payload, errors } = await mapAndValidate(map, input);
      expect(errors).toEqual([]);
      expect(validateCanonical(type, payload)).toEqual([]);
      payloads.push(payload);
    }
    expect(payloads.length === 1 ? payloads[0] : payloads).toEqual(expected);
  });

  it('edigate maps test passes for these maps', async () => {
    const results = await runMapExamples(registry, exampleInputs);
    const mine = results.filter((r) => Object.values(MAPS).some((m) => m.map === r.name));
    expect(mine).toHaveLength(6);
    for (const r of mine) expect(r, r.name).toEqual({ name: r.name, ok: true, problems: [] });
  });

  it('reads the business values of the examples (spot checks against the X12 elements)', async () => {
    const first = async (name: string, i = 0): Promise<Record<string, unknown>> => {
      const map = registry.require(name);
      return (await mapAndValidate(map, (await exampleInputs(map))[i])).payload;
    };
    // 856: two orders (HL O under HL S), their packs (HL P) with the 18 digits of MAN GM, items under the packs
    const asn = (await first('x12-856-shipment')) as { orders: Array<{ purchaseOrderNumber: string; packages: Array<{ sscc: string; items: unknown[] }> }> };
    expect(asn.orders.map((o) => [o.purchaseOrderNumber, o.packages.length])).toEqual([['POREF00', 4], ['POREF01', 1]]);
    expect(asn.orders[1]!.packages[0]!.sscc).toBe('000715670002152111');
    // 810: TDS01 (N2) equals the sum of IT102 x IT104
    const invoice = (await first('x12-810-invoice')) as { totals: { invoiceTotal: number }; lines: Array<{ netAmount: number }> };
    expect(invoice.totals.invoiceTotal).toBe(2554.38);
    expect(Math.round(invoice.lines.reduce((s, l) => s + l.netAmount, 0) * 100)).toBe(255438);
    // 945: short and back-ordered lines flagged from W1201..W1204
    const advice = (await first('x12-945-shipping-advice')) as { lines: Array<Record<string, unknown>> };
    expect(advice.lines.map((l) => [l.quantityOrdered, l.quantity, l.shortShipped, l.backordered])).toEqual([
      [48, 48, false, false], [30, 24, true, false], [20, 12, true, true], [10, 0, true, true],
    ]);
    // 944: W13 exceptions as over, short and damaged quantities
    const receipt = (await first('x12-944-receipt')) as { lines: Array<Record<string, unknown>> };
    expect(receipt.lines.map((l) => [l.overQuantity, l.shortQuantity, l.damagedQuantity])).toEqual([
      [undefined, undefined, undefined], [undefined, 2, undefined], [3, undefined, 5],
    ]);
    // 846: QTY QH is the quantity on hold
    const balance = (await first('x12-846-inventory-balance')) as { items: Array<{ quantities: Array<{ type: string; quantity: number }> }> };
    expect(balance.items[0]!.quantities.find((q) => q.type === 'onHold')?.quantity).toBe(100);
    // 214: the delivery of the load the 204 tenders
    expect(await first('x12-214-shipment-status')).toMatchObject({ shipmentId: '75027674', events: [{ status: { code: 'D1' } }] });
    expect((await first('x12-204-load-tender')).shipmentId).toBe('75027674');
  });
});

describe('further checked outputs', () => {
  it('an 856 with tares, lots, serial numbers and an item packed directly under the order gives the checked tree', async () => {
    const [result, ...rest] = await mapFile(join(FIXTURES, 'own', '856-tare-lot-serial.edi'), '856');
    expect(rest).toEqual([]);
    expect(result!.errors).toEqual([]);
    expect(result!.payload).toEqual(JSON.parse(readFileSync(join(FIXTURES, 'own', '856-tare-lot-serial.expected.json'), 'utf8')));
  });

  it.each([
    ['oopfactory__810_Example5_Walmart.txt', '810'],
    ['nodex12__856.edi', '856'],
  ])('%s (%s) maps to its checked expected file', async (file, setId) => {
    const results = await mapFile(join(FIXTURES, 'corpus', file), setId);
    expect(results).toHaveLength(1);
    expect(results[0]!.errors).toEqual([]);
    expect(results[0]!.payload).toEqual(JSON.parse(readFileSync(join(FIXTURES, 'expected', `${file}.json`), 'utf8')));
  });
});

describe('supply-chain sets of the corpus', () => {
  const rows = corpusRows();
  const valid = rows.filter((r) => /^valid/.test(r.validity));

  it('lists the corpus files of these types, with the valid 856 and 810 files', () => {
    expect(rows.length).toBe(35);
    expect(valid.map((r) => r.file).sort()).toEqual([
      'ediengine__856.Crossdock.OK.edi',
      'nodex12__856.edi',
      'staedi__invoice810_po850_dual.edi',
      'staedi__simple810.edi',
      'stupidedi__004010_X348-SC810_pass_basic-invoice.edi',
      'stupidedi__004010_X348-SC810_pass_credit-card-invoice.edi',
      'x12types__004060_856.edi',
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
      expect(problems).toEqual([]);
      expect(validateCanonical(MAPS[setId]!.type, payload)).toEqual([]);
    }
  });

  it.each(rows.map((r) => [r.file, r.setId] as const))('%s (%s) is read and mapped without a crash', async (file, setId) => {
    const parsed = parseX12Buffer(readFileSync(join(FIXTURES, 'corpus', file)));
    const map = registry.require(MAPS[setId]!.map);
    for (const set of parsed.sets.filter((s) => s.setId === setId)) {
      const { payload } = await mapAndValidate(map, inputOf(set));
      expect(typeof payload).toBe('object');
    }
  });
});

/**
 * The EDIFACT and CSV maps: each map's real example (corpus ORDERS, DESADV, INVOIC, RECADV and CSV
 * order lines; written INVRPT, IFTSTA, inventory and shipment CSVs) comes out as its checked expected
 * canonical messages, valid against the canonical schema; and the corpus's CSV/EDIFACT pair of one
 * bots demo (the same orders as EDIFACT and as CSV) gives the same orders.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadMaps } from '../../src/mapping/maps.js';
import { runMapExamples } from '../../src/mapping/map-tests.js';
import { exampleInputs } from '../../src/mapping/example-inputs.js';

const MAPS = join(import.meta.dirname, '..', '..', 'maps');
const NAMES = ['edifact-orders-order', 'edifact-desadv-shipment', 'edifact-invoic-invoice', 'edifact-invrpt-inventory-balance', 'edifact-recadv-receipt',
  'edifact-iftsta-shipment-status', 'csv-orders-order', 'csv-inventory-balance', 'csv-shipment-confirmation'];

describe('EDIFACT and CSV maps', () => {
  it('every example maps to its expected canonical output', async () => {
    const registry = await loadMaps([MAPS]);
    const results = (await runMapExamples(registry, exampleInputs)).filter((r) => NAMES.includes(r.name));
    expect(results.map((r) => r.name).sort()).toEqual([...NAMES].sort());
    for (const r of results) expect({ name: r.name, problems: r.problems }).toEqual({ name: r.name, problems: [] });
  });

  it('the real ORDERS, DESADV and INVOIC examples are corpus files, and hold the documents expected', async () => {
    const corpus = (f: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'edifact', f));
    expect(readFileSync(join(MAPS, 'edifact-orders-order', 'example.edi'))).toEqual(corpus('botsplugins__orders_to_csv_test.edi'));
    expect(readFileSync(join(MAPS, 'edifact-desadv-shipment', 'example.edi'))).toEqual(corpus('botsplugins__edifact_xml_desadv1.edi'));
    expect(readFileSync(join(MAPS, 'edifact-invoic-invoice', 'example.edi'))).toEqual(corpus('botsplugins__edifact_xml_invoic1.edi'));
    const read = (m: string) => JSON.parse(readFileSync(join(MAPS, m, 'expected.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(read('edifact-orders-order').map((o) => o.purchaseOrderNumber)).toEqual(['BGMREF', '1-4500094289', '1-4500094290', '1-4500094291']);
    expect(read('edifact-desadv-shipment').map((o) => o.shipmentId)).toEqual(['1923', 'DOCNUM', 'DOCNUM']);
    expect(read('edifact-invoic-invoice').map((o) => [o.invoiceNumber, (o.lines as unknown[]).length])).toEqual([['DOCNUM', 2], ['DOCNUM', 1]]);
  });

  it('the bots demo\'s CSV order lines and its EDIFACT ORDERS give the same orders', async () => {
    const registry = await loadMaps([MAPS]);
    const { mapAndValidate } = await import('../../src/mapping/maps.js');
    const map = async (name: string) => Promise.all((await exampleInputs(registry.require(name))).map(async (i) => (await mapAndValidate(registry.require(name), i)).payload));
    const pick = (o: Record<string, unknown>) => ({ po: o.purchaseOrderNumber, date: o.orderDate, lines: (o.lines as Array<Record<string, unknown>>).map((l) => [l.lineNumber, l.gtin, l.quantity]) });
    expect((await map('csv-orders-order')).map(pick)).toEqual((await map('edifact-orders-order')).map(pick));
  });
});

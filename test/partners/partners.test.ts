import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPartners, writeNewPartner, loadPartners } from '../../src/partners/load.js';
import { GatewayError } from '../../src/errors.js';

const ctx = { mapNames: new Set(['x12-850-order']), destinationNames: new Set(['erp', 'wms']) };

describe('partner files', () => {
  it('partners add writes a file with the retailer defaults that then loads cleanly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-partners-'));
    const path = writeNewPartner(dir, { id: 'acme-retail', name: 'ACME Retail', x12: [{ qualifier: 'ZZ', id: 'ACMERETAIL' }] });
    expect(readFileSync(path, 'utf8')).toContain('map: x12-850-order');
    const dirx = loadPartners(dir, ctx);
    const p = dirx.get('acme-retail')!;
    expect(p.acknowledgements).toEqual({ functional: true, functionalType: '997', ta1: 'on-error' });
    expect(p.duplicates).toEqual({ file: 'reject', interchange: 'reject', interchangeWindowDays: 365, controlNumbers: 'reject', businessDocument: 'flag' });
    expect(p.outbound).toEqual({ channel: 'outbox', retry: {} });
    expect(p.documents['850']).toEqual({ map: 'x12-850-order', destinations: ['erp'] });
    expect(dirx.byX12('ZZ', 'ACMERETAIL     ')?.id).toBe('acme-retail');
    expect(() => writeNewPartner(dir, { id: 'acme-retail', x12: [{ qualifier: 'ZZ', id: 'X' }] })).toThrow(GatewayError);
    expect(() => writeNewPartner(dir, { id: 'Bad Id', x12: [{ qualifier: 'ZZ', id: 'X' }] })).toThrow(/lowercase/);
  });

  it('check reports every problem in every file at once, with file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edigate-partners-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'one.yaml'), [
      'id: one', 'name: One', 'x12: { interchangeIds: [{ qualifier: ZZ, id: SAME }] }',
      'acknowledgements: { ta1: sometimes }', 'documents: { "850": { map: no-such-map, destinations: [erp, crm] } }',
    ].join('\n'));
    writeFileSync(join(dir, 'two.yaml'), ['id: second', 'name: Two', 'x12: { interchangeIds: [{ qualifier: ZZ, id: SAME }] }'].join('\n'));
    writeFileSync(join(dir, 'three.yaml'), 'id: three\nname: [unclosed');
    writeFileSync(join(dir, 'four.yaml'), 'id: four\nname: Four\n');
    const { problems } = readPartners(dir, ctx);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^partners\/one\.yaml: \/acknowledgements\/ta1 must be equal to one of the allowed values/),
      expect.stringMatching(/^partners\/four\.yaml: needs at least one of x12, edifact or csv/),
      expect.stringMatching(/^partners\/three\.yaml: cannot be parsed/),
    ]));
    // one.yaml is rejected by the schema, so its map and destination are not checked; fix it and they are.
    writeFileSync(join(dir, 'one.yaml'), [
      'id: one', 'name: One', 'x12: { interchangeIds: [{ qualifier: ZZ, id: SAME }] }',
      'documents: { "850": { map: no-such-map, destinations: [erp, crm] } }',
    ].join('\n'));
    const again = readPartners(dir, ctx).problems;
    expect(again).toEqual(expect.arrayContaining([
      'partners/one.yaml: /documents/850/map "no-such-map" is not a known map (known: x12-850-order)',
      'partners/one.yaml: /documents/850/destinations/1 "crm" is not a configured destination (known: erp, wms)',
      'partners/two.yaml: /id "second" must equal the file name "two"',
      'partners/two.yaml: /x12/interchangeIds/0 ZZ/SAME is also claimed by partners/one.yaml',
    ]));
    expect(() => loadPartners(dir, ctx)).toThrow(GatewayError);
  });
});

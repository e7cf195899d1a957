/**
 * The edigate command as users run it: a real child process per command (through tsx, from the sources).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHome } from '../helpers/home.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'x12');
const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

function edigate(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, EDIGATE_MAP_WORKERS: '0', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('edigate command line', () => {
  it('validate: exit 0 for an accepted file, 1 with the 997 it would send for a rejected one, 2 for an unreadable one', () => {
    const ok = edigate(['validate', join(FIX, 'nodex12__850.edi')]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'accepted', findings: [] });
    const bad = join(mkdtempSync(join(tmpdir(), 'edigate-cli-')), 'bad.edi');
    writeFileSync(bad, readFileSync(join(FIX, 'x12types__004010_850.edi'), 'latin1').replace('SE*35*', 'SE*34*'), 'latin1');
    const rejected = edigate(['validate', bad]);
    expect(rejected.code).toBe(1);
    const out = JSON.parse(rejected.stdout);
    expect(out.status).toBe('rejected');
    expect(out.findings.map((f: { code: string }) => f.code)).toEqual(['X12_SE_COUNT_MISMATCH']);
    expect(out.acks[0].kind).toBe('997');
    expect(out.acks[0].text).toContain('AK5*R*4~');
    expect(rejected.stderr).toContain('997 that would be sent');
    const notEdi = join(mkdtempSync(join(tmpdir(), 'edigate-cli-')), 'notes.txt');
    writeFileSync(notEdi, 'hello\n');
    expect(edigate(['validate', notEdi]).code).toBe(2);
    expect(edigate(['validate', '/no/such/file.edi']).code).toBe(2);
  });

  it('partners add, partners check, ingest and maps test on a fresh home', () => {
    const home = makeHome([]);
    const add = edigate(['--home', home, 'partners', 'add', 'xyz-retail', '--x12', '12:4405197800', '--name', 'XYZ Retail']);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(join(home, 'partners', 'xyz-retail.yaml'));
    expect(edigate(['--home', home, 'partners', 'add', 'xyz-retail', '--x12', '12:4405197800']).stderr).toContain('EDIGATE_PARTNER_EXISTS');
    const taken = edigate(['--home', home, 'partners', 'add', 'copycat', '--x12', '12:4405197800']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('12:4405197800 is already an interchange id of partner xyz-retail');
    expect(edigate(['--home', home, 'partners', 'add', 'noqual', '--x12', '0011223456']).stderr).toContain('--x12 "0011223456" must be QUAL:ID');
    // An EDIFACT partner, with and without a qualifier, and two ids at once.
    const eu = edigate(['--home', home, 'partners', 'add', 'retail-eu', '--edifact', '5412345000013:14', '--edifact', 'RETAILEU']);
    expect(eu.code, eu.stderr).toBe(0);
    const euFile = readFileSync(join(home, 'partners', 'retail-eu.yaml'), 'utf8');
    expect(euFile).toContain('id: "5412345000013"');
    expect(euFile).toContain('qualifier: "14"');
    expect(euFile).toContain('id: RETAILEU');
    const check = edigate(['--home', home, 'partners', 'check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('2 partner file(s) read, 0 problem(s)');

    const ingest = edigate(['--home', home, 'ingest', join(FIX, 'nodex12__850.edi')]);
    expect(ingest.code).toBe(0);
    const summary = JSON.parse(ingest.stdout);
    expect(summary).toMatchObject({ status: 'accepted', partnerId: 'xyz-retail', transactionSets: 1, messagesEnqueued: 1 });
    expect(summary.acks).toEqual([{ kind: '997', fileName: '997_000000001.x12', path: join(home, 'outbox', 'xyz-retail', '997_000000001.x12'), ackCode: 'A' }]);
    expect(existsSync(summary.acks[0].path)).toBe(true);

    writeFileSync(join(home, 'partners', 'broken.yaml'), 'id: other\nname: Broken\nx12: { interchangeIds: [{ qualifier: "12", id: "4405197800" }] }\ndocuments: { "850": { map: nope } }\n');
    const bad = edigate(['--home', home, 'partners', 'check']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('problem: partners/broken.yaml: /id "other" must equal the file name "broken"');
    expect(bad.stdout).toContain('problem: partners/xyz-retail.yaml: /x12/interchangeIds/0 12/4405197800 is also claimed by partners/broken.yaml');
    expect(bad.stdout).toContain('problem: partners/broken.yaml: /documents/850/map "nope" is not a known map');
    // start refuses a broken partners/ folder with every problem listed.
    const start = edigate(['--home', home, 'start'], { EDIGATE_OPS_PORT: '0' });
    expect(start.code).toBe(2);
    expect(start.stderr).toContain('EDIGATE_PARTNER_INVALID');
    expect(start.stderr.match(/partners\/broken\.yaml/g)?.length).toBe(3);

    const maps = edigate(['--home', home, 'maps', 'test']);
    expect(maps.code).toBe(0);
    expect(maps.stdout).toContain('ok   x12-850-order');
    expect(readdirSync(join(home, 'data'))).toContain('edigate.db');
  });
});

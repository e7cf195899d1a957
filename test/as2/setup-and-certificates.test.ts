/**
 * AS2 set-up as users run it (`edigate as2 init`, `edigate partners as2`, real child processes) and the
 * certificate listing: GET /api/certificates with subject, issuer, key usage and expiry, a certificate within
 * 30 days of expiry flagged there and in the log.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { makeHome } from '../helpers/home.js';
import type { Gateway } from '../../src/app.js';
import { captureLogger, makeAs2Home, opensslIdentity, startAs2Gateway, workDir } from './helpers.js';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
function edigate(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, EDIGATE_MAP_WORKERS: '0' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let gw: Gateway | undefined;
afterAll(async () => { await gw?.stop(); });

describe('AS2 set-up from the command line', () => {
  it('as2 init creates our key and self-signed certificate, prints it, and partners as2 sets a partner up', () => {
    const home = makeHome([{ id: 'acme', ids: [['ZZ', 'ACME']] }]);
    const init = edigate(['--home', home, 'as2', 'init', '--id', 'OUR GATEWAY']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(init.stdout).toBe(readFileSync(join(home, 'data', 'as2', 'cert.pem'), 'utf8'));
    expect(existsSync(join(home, 'data', 'as2', 'key.pem'))).toBe(true);
    expect(parse(readFileSync(join(home, 'edigate.yaml'), 'utf8'))).toMatchObject({ as2: { id: 'OUR GATEWAY', keyFile: 'data/as2/key.pem', certFile: 'data/as2/cert.pem' } });
    expect(edigate(['--home', home, 'as2', 'init', '--id', 'OUR GATEWAY']).code).toBe(2); // refuses to replace the key without --force

    const theirs = opensslIdentity(workDir(), 'acme');
    const set = edigate(['--home', home, 'partners', 'as2', 'acme', '--as2-id', 'ACME AS2', '--cert', theirs.cert, '--url', 'https://as2.acme.example/as2', '--sign', 'SHA384', '--encrypt', 'AES128', '--mdn', 'async']);
    expect(set.code, set.stderr).toBe(0);
    const partner = parse(readFileSync(join(home, 'partners', 'acme.yaml'), 'utf8'));
    expect(partner).toMatchObject({
      outbound: { channel: 'as2' },
      as2: { id: 'ACME AS2', url: 'https://as2.acme.example/as2', sign: 'SHA384', encrypt: 'AES128', mdn: { mode: 'async', signed: true }, certificates: { signing: ['partners/certs/acme.pem'] } },
    });
    const check = edigate(['--home', home, 'partners', 'check']);
    expect(check.code, check.stdout).toBe(0);
    expect(edigate(['--home', home, 'partners', 'as2', 'acme', '--as2-id', 'X', '--cert', theirs.cert, '--sign', 'MD5']).code).toBe(2);
  });

  it('partners check reports an as2 outbound channel without a url', () => {
    const home = makeAs2Home('US', [{ id: 'acme', ids: [['ZZ', 'ACME']], outbound: { channel: 'as2' }, as2: { id: 'ACME', requireSigned: false, mdn: { signed: false } } }]);
    const check = edigate(['--home', home, 'partners', 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('partners/acme.yaml: /outbound/channel is as2 but /as2/url is not set');
  });
});

describe('GET /api/certificates', () => {
  it('lists ours and every partner certificate; one within 30 days of expiry is a warning in the API and the log', async () => {
    const dir = workDir();
    const soon = opensslIdentity(dir, 'soon', 10);
    const fine = opensslIdentity(dir, 'fine', 400);
    const home = makeAs2Home('US', [
      { id: 'soon', ids: [['ZZ', 'SOON']], as2: { id: 'SOON', certificates: { signing: [soon.cert] } } },
      { id: 'fine', ids: [['ZZ', 'FINE']], as2: { id: 'FINE', certificates: { signing: [fine.cert], encryption: [fine.cert] } } },
    ]);
    const { logger, lines } = captureLogger();
    const started = await startAs2Gateway(home, 'http://127.0.0.1:9', { logger });
    gw = started.gw;
    const r = await (await fetch(`${started.api}/api/certificates`)).json() as { warnings: number; items: Array<Record<string, unknown>> };
    const get = (owner: string, role: string) => r.items.find((i) => i.owner === owner && i.role === role)!;
    expect(get('us', 'identity')).toMatchObject({ subject: 'CN=US', issuer: 'CN=US', status: 'ok', warning: null, keyUsage: ['digitalSignature', 'keyEncipherment'] });
    expect(get('soon', 'signing')).toMatchObject({ subject: 'CN=soon', status: 'expiring' });
    expect(get('soon', 'signing').daysLeft).toBeGreaterThanOrEqual(9);
    expect(get('soon', 'signing').warning).toMatch(/^expires in (9|10) day\(s\), on \d{4}-/);
    expect(get('soon', 'encryption')).toMatchObject({ status: 'expiring' }); // encryption defaults to the signing certificate
    expect(get('fine', 'signing')).toMatchObject({ status: 'ok', warning: null });
    expect(r.warnings).toBe(2);
    const logged = lines.filter((l) => String(l.msg).startsWith('AS2 certificate expires in'));
    expect(logged.map((l) => `${String(l.owner)}/${String(l.role)}`).sort()).toEqual(['soon/encryption', 'soon/signing']);
    expect(logged[0]!.level).toBe(40);
  });
});

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { GatewayError } from '../../src/errors.js';

const home = () => mkdtempSync(join(tmpdir(), 'edigate-config-'));

describe('loadConfig', () => {
  it('serves a fresh home with embedded defaults: SQLite in data/, ERP and WMS spooled to data/spool/', () => {
    const h = home();
    const c = loadConfig({ home: h, env: {} });
    expect(c.dbPath).toBe(join(h, 'data', 'edigate.db'));
    expect(c.ops).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.partnerPort).toBe(4080);
    expect(c.sftpPort).toBe(2222);
    expect(c.redisUrl).toBeNull();
    expect(c.destinations.erp).toMatchObject({ kind: 'directory', directory: join(h, 'data', 'spool', 'erp') });
    expect(c.destinations.wms).toMatchObject({ kind: 'directory', directory: join(h, 'data', 'spool', 'wms') });
    expect(Object.isFrozen(c.destinations.erp)).toBe(true);
  });

  it('lets the environment switch ERP/WMS to HTTP and override ports', () => {
    const c = loadConfig({ home: home(), env: { EDIGATE_ERP_URL: 'http://erp.local/api/orders', EDIGATE_OPS_PORT: '9090', EDIGATE_REDIS_URL: 'redis://127.0.0.1:6379' } });
    expect(c.destinations.erp).toMatchObject({ kind: 'http', url: 'http://erp.local/api/orders', timeoutMs: 30000 });
    expect(c.destinations.wms!.kind).toBe('directory');
    expect(c.ops.port).toBe(9090);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('reports every problem of edigate.yaml and the environment together', () => {
    const h = home();
    writeFileSync(join(h, 'edigate.yaml'), [
      'ops: { port: 70000 }',
      'colour: blue',
      'destinations:',
      '  erp: { kind: http }',
      '  billing: { kind: ftp }',
      '  wms: { kind: directory, retry: { initialBackoffMs: 5000, maxBackoffMs: 10 } }',
    ].join('\n'));
    let err: unknown;
    try {
      loadConfig({ home: h, env: { EDIGATE_SFTP_PORT: 'abc' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    const problems = (err as GatewayError).details!.problems as string[];
    expect((err as GatewayError).code).toBe('EDIGATE_CONFIG_INVALID');
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('/ops/port must be <= 65535'),
      expect.stringContaining('must NOT have additional properties (colour)'),
      expect.stringContaining('/destinations/billing/kind must be equal to one of the allowed values'),
      'destinations.erp: kind http needs a url',
      'destinations.wms.retry: maxBackoffMs (10) is below initialBackoffMs (5000)',
      'EDIGATE_SFTP_PORT: "abc" is not a TCP port (0..65535)',
    ]));
  });
});

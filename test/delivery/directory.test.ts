import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryConnector, directoryFileName } from '../../src/delivery/directory.js';
import { createConnector } from '../../src/delivery/connector.js';
import { HttpConnector } from '../../src/delivery/http.js';
import { canonical, directoryDest, httpDest } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edigate-spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('DirectoryConnector', () => {
  it('writes <type>-<id>.json, creating the folder when missing', async () => {
    const target = join(dir, 'spool', 'erp');
    const c = new DirectoryConnector(directoryDest(target));
    const m = canonical({ id: 'msg-1', type: 'order' });
    const body = JSON.stringify(m);
    expect(await c.deliver(m, body)).toEqual({ kind: 'delivered', response: 'order-msg-1.json' });
    expect(readdirSync(target)).toEqual(['order-msg-1.json']);
    expect(readFileSync(join(target, 'order-msg-1.json'), 'utf8')).toBe(body);
    // A repeat replaces the file with the same content.
    expect((await c.deliver(m, body)).kind).toBe('delivered');
    expect(readdirSync(target)).toEqual(['order-msg-1.json']);
  });

  it('keeps file names inside the folder', () => {
    expect(directoryFileName({ type: '../order', id: 'a/b\\c:d' })).toBe('__order-a_b_c_d.json');
    expect(directoryFileName({ type: 'ship-notice', id: '..' })).toBe('ship-notice-_.json');
  });

  it('never shows a partial file under the final name', async () => {
    const c = new DirectoryConnector(directoryDest(dir));
    const messages = Array.from({ length: 30 }, () => {
      const m = canonical({ payload: { filler: 'x'.repeat(1_000_000) } });
      return { m, body: JSON.stringify(m) };
    });
    const expected = new Map(messages.map(({ m, body }) => [directoryFileName(m), body]));
    let writing = true;
    let checks = 0;
    let partial = 0;
    // A reader polling the folder while the writes go on, as the ERP's file pickup would.
    const reader = (async () => {
      while (writing) {
        for (const name of readdirSync(dir)) {
          if (!name.endsWith('.json') || name.startsWith('.')) continue;
          let text: string;
          try {
            text = readFileSync(join(dir, name), 'utf8');
          } catch {
            continue;
          }
          checks++;
          if (text !== expected.get(name)) partial++;
          else JSON.parse(text);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const outcomes = await Promise.all(messages.map(({ m, body }) => c.deliver(m, body)));
    writing = false;
    await reader;
    expect(outcomes.every((o) => o.kind === 'delivered')).toBe(true);
    expect(partial).toBe(0);
    expect(checks).toBeGreaterThan(0);
    const names = readdirSync(dir).sort();
    expect(names).toEqual([...expected.keys()].sort()); // no temporary files left behind
  });

  it('answers retry with EDIGATE_DELIVERY_DIRECTORY on an I/O error', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const c = new DirectoryConnector(directoryDest(join(blocker, 'erp')));
    const m = canonical();
    const out = await c.deliver(m, JSON.stringify(m));
    expect(out).toMatchObject({ kind: 'retry', code: 'EDIGATE_DELIVERY_DIRECTORY' });
    expect(out.error).toMatch(/ENOTDIR|EEXIST/);
  });

  it('creates the folder again when it is removed after the first write', async () => {
    const target = join(dir, 'erp');
    const c = new DirectoryConnector(directoryDest(target));
    const a = canonical();
    expect((await c.deliver(a, JSON.stringify(a))).kind).toBe('delivered');
    rmSync(target, { recursive: true });
    const b = canonical();
    expect((await c.deliver(b, JSON.stringify(b))).kind).toBe('retry');
    expect((await c.deliver(b, JSON.stringify(b))).kind).toBe('delivered');
    expect(existsSync(join(target, directoryFileName(b)))).toBe(true);
  });
});

describe('createConnector', () => {
  it('builds the connector of the destination kind', async () => {
    const h = createConnector(httpDest('http://127.0.0.1:9/x'));
    expect(h).toBeInstanceOf(HttpConnector);
    await h.close?.();
    expect(createConnector(directoryDest(dir))).toBeInstanceOf(DirectoryConnector);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { FolderWatcher } from '../../src/transports/folder-watcher.js';
import type { ReceivedFile, IngestSummary } from '../../src/pipeline.js';
import { waitFor } from '../helpers/home.js';

describe('inbox folder watcher', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => { for (const s of stops.splice(0)) await s(); });

  async function watcherOn(inbox: string, settleMs = 150) {
    const taken: Array<{ file: ReceivedFile; size: number }> = [];
    const w = new FolderWatcher({
      inboxDir: inbox, settleMs, logger: pino({ level: 'silent' }), partnerIds: ['acme'],
      ingest: async (file, onRecorded) => {
        const { statSync } = await import('node:fs');
        taken.push({ file, size: statSync(file.path!).size });
        await onRecorded({ size: statSync(file.path!).size });
        return {} as IngestSummary;
      },
    });
    await w.start();
    stops.push(() => w.stop());
    return taken;
  }

  it('sweeps files already there at start, with the partner folder as hint, and removes them once recorded', async () => {
    const inbox = mkdtempSync(join(tmpdir(), 'edigate-inbox-'));
    mkdirSync(join(inbox, 'acme'));
    writeFileSync(join(inbox, 'acme', 'early.edi'), 'ISA');
    writeFileSync(join(inbox, 'top.edi'), 'ISA');
    const taken = await watcherOn(inbox);
    await waitFor(() => taken.length === 2, 'both swept');
    expect(taken.map((t) => [t.file.fileName, t.file.partnerHint, t.file.channel]).sort()).toEqual([['early.edi', 'acme', 'folder'], ['top.edi', null, 'folder']]);
    expect(existsSync(join(inbox, 'acme', 'early.edi'))).toBe(false);
  });

  it('ignores dotfiles, .part, .tmp and symbolic links; takes a slow upload only once it is complete', async () => {
    const inbox = mkdtempSync(join(tmpdir(), 'edigate-inbox-'));
    const taken = await watcherOn(inbox, 500);
    writeFileSync(join(inbox, 'acme', '.hidden.edi'), 'x');
    writeFileSync(join(inbox, 'acme', 'upload.edi.part'), 'x');
    writeFileSync(join(inbox, 'acme', 'upload.edi.tmp'), 'x');
    const outside = join(mkdtempSync(join(tmpdir(), 'edigate-outside-')), 'secret.txt');
    writeFileSync(outside, 'not for the gateway');
    symlinkSync(outside, join(inbox, 'acme', 'link.edi'));
    // A writer that appends every 60 ms for about 0.6 s: longer than the settle time in all, shorter in each pause.
    const slow = join(inbox, 'acme', 'slow.edi');
    writeFileSync(slow, 'A'.repeat(1000));
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 60));
      appendFileSync(slow, 'B'.repeat(1000));
    }
    await waitFor(() => taken.length >= 1, 'slow file taken');
    await new Promise((r) => setTimeout(r, 700));
    expect(taken.map((t) => [t.file.fileName, t.size])).toEqual([['slow.edi', 11_000]]);
    expect(existsSync(join(inbox, 'acme', 'link.edi'))).toBe(true);
    expect(existsSync(outside)).toBe(true);
  });

  it('hands each file to intake once, when a sweep and a watcher event meet', async () => {
    const inbox = mkdtempSync(join(tmpdir(), 'edigate-inbox-'));
    mkdirSync(join(inbox, 'acme'));
    const calls = new Map<string, number>();
    const w = new FolderWatcher({
      inboxDir: inbox, settleMs: 30, sweepIntervalMs: 20, logger: pino({ level: 'silent' }), partnerIds: ['acme'],
      ingest: async (file, onRecorded) => {
        calls.set(file.fileName, (calls.get(file.fileName) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
        const { statSync } = await import('node:fs');
        await onRecorded({ size: statSync(file.path!).size });
        return {} as IngestSummary;
      },
    });
    await w.start();
    stops.push(() => w.stop());
    const { renameSync } = await import('node:fs');
    for (let i = 0; i < 300; i++) {
      writeFileSync(join(inbox, 'acme', `.f${i}.tmp`), `ISA ${i}`);
      renameSync(join(inbox, 'acme', `.f${i}.tmp`), join(inbox, 'acme', `f${i}.edi`));
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 15)); // let sweeps run in between
    }
    await waitFor(() => calls.size === 300, 'all 300 taken', 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect([...calls.values()].filter((n) => n > 1)).toEqual([]);
  });
});

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { mapAndValidate, type MapRegistry } from './maps.js';
import type { MapJobResult } from './map-worker.js';

export type { MapJobResult } from './map-worker.js';

/**
 * Runs maps on worker threads so mapping (JSONata, the costliest stage of the inbound path) uses
 * every core while the main thread reads, validates and stores. Each worker compiles the maps once.
 * With `size` 0 the maps run on the calling thread (same results, one core).
 */
export class MapPool {
  private readonly workers: Array<{ worker: Worker; busy: number }> = [];
  private readonly waiting = new Map<number, (r: MapJobResult[]) => void>();
  private nextId = 1;

  constructor(private readonly opts: { mapsDirs: readonly string[]; size: number; registry: MapRegistry; logger: Logger }) {}

  /** Default pool size: one worker per core. */
  static defaultSize(): number {
    return availableParallelism();
  }

  /** Starts the workers and waits until each has loaded its maps. */
  async start(): Promise<void> {
    const here = import.meta.url;
    const fromSource = here.endsWith('.ts');
    const url = new URL(fromSource ? './map-worker.ts' : './map-worker.js', here);
    const ready: Array<Promise<void>> = [];
    for (let i = 0; i < this.opts.size; i++) {
      // Running from TypeScript sources (tests, `npm run edigate`): the worker registers tsx first.
      const workerData = { mapsDirs: [...this.opts.mapsDirs] };
      // A small heap per worker: JSONata makes much short-lived garbage, and a bounded old space makes V8
      // collect it early instead of letting each worker's resident memory grow.
      const resourceLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };
      const worker = fromSource
        ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData, resourceLimits })
        : new Worker(url, { workerData, resourceLimits });
      worker.unref();
      const slot = { worker, busy: 0 };
      this.workers.push(slot);
      ready.push(new Promise((resolve, reject) => {
        const onMessage = (m: { ready?: boolean; id?: number; results?: MapJobResult[] }) => {
          if (m.ready) { resolve(); return; }
          const done = m.id !== undefined ? this.waiting.get(m.id) : undefined;
          if (done && m.results) { this.waiting.delete(m.id!); slot.busy--; done(m.results); }
        };
        worker.on('message', onMessage);
        worker.once('error', (err) => { this.opts.logger.error({ err }, 'map worker failed'); reject(err); });
      }));
    }
    await Promise.all(ready);
  }

  /**
   * Maps every job; results come back in job order. Jobs are split across the workers in contiguous
   * slices. A failing map yields `{ error }` for its job, never a rejection.
   */
  async mapMany(jobs: Array<{ map: string; input: Record<string, unknown> }>): Promise<MapJobResult[]> {
    if (jobs.length === 0) return [];
    if (this.workers.length === 0 || jobs.length === 1) return this.inline(jobs);
    const n = Math.min(this.workers.length, jobs.length);
    const per = Math.ceil(jobs.length / n);
    const parts: Array<Promise<MapJobResult[]>> = [];
    for (let i = 0; i < n; i++) {
      const slice = jobs.slice(i * per, (i + 1) * per);
      if (slice.length === 0) continue;
      const slot = this.workers[i]!;
      const id = this.nextId++;
      slot.busy++;
      parts.push(new Promise((resolve) => {
        this.waiting.set(id, resolve);
        slot.worker.postMessage({ id, jobs: slice });
      }));
    }
    return (await Promise.all(parts)).flat();
  }

  private async inline(jobs: Array<{ map: string; input: Record<string, unknown> }>): Promise<MapJobResult[]> {
    const out: MapJobResult[] = [];
    for (const job of jobs) {
      const map = this.opts.registry.get(job.map);
      if (!map) { out.push({ error: `map "${job.map}" is not loaded` }); continue; }
      try {
        out.push(await mapAndValidate(map, job.input));
      } catch (err) {
        out.push({ error: (err as Error).message });
      }
    }
    return out;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }
}

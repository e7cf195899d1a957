/**
 * Worker thread of the map pool (src/mapping/map-pool.ts): loads the maps once, then answers batches
 * of { map, input } with { payload, errors } or { error }. Maps are pure JSONata, so running them off
 * the main thread changes nothing but the core they run on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadMaps, mapAndValidate } from './maps.js';

interface Job { map: string; input: Record<string, unknown> }
export interface MapJobResult { payload?: Record<string, unknown>; errors?: string[]; error?: string }

const registry = await loadMaps((workerData as { mapsDirs: string[] }).mapsDirs);
parentPort!.on('message', (msg: { id: number; jobs: Job[] }) => {
  void (async () => {
    const results: MapJobResult[] = [];
    for (const job of msg.jobs) {
      const map = registry.get(job.map);
      if (!map) {
        results.push({ error: `map "${job.map}" is not loaded` });
        continue;
      }
      try {
        const { payload, errors } = await mapAndValidate(map, job.input);
        results.push({ payload, errors });
      } catch (err) {
        results.push({ error: (err as Error).message });
      }
    }
    parentPort!.postMessage({ id: msg.id, results });
  })();
});
parentPort!.postMessage({ ready: true });

/**
 * The real gateway as a separate OS process, for the crash-safety tests: src/cli.ts bundled once
 * with esbuild (packages external, so the installed node_modules are used) and run with plain node,
 * which starts in a few hundred milliseconds instead of seconds under the TypeScript loader.
 * The bundle lives under node_modules/.cache so its imports resolve to the project's packages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { build } from 'esbuild';
import { stringify } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'x12');
/** A real 850 from the corpus (apimeister/x12-types test-data/004010_850.edi, see test/fixtures/x12/SOURCES.md). */
const BASE = readFileSync(join(FIX, 'x12types__004010_850.edi'), 'latin1');

/** The corpus 850 with its own ISA13/IEA02 control number `n` and purchase order number `po` (BEG03). */
export function variant850(n: number, po: string): Buffer {
  const ctl = String(n).padStart(9, '0');
  return Buffer.from(BASE.replace('*000000001*0*T*>~', `*${ctl}*0*T*>~`).replace('IEA*1*000000001~', `IEA*1*${ctl}~`).replace('A99999-01', po), 'latin1');
}

let bundled: Promise<string> | undefined;

/** Removes the bundles made by bundleCli (call from afterAll). */
export function removeBundles(): void {
  rmSync(join(ROOT, 'node_modules', '.cache', 'edigate-e2e'), { recursive: true, force: true });
  bundled = undefined;
}

/** Bundles src/cli.ts (once per test file) and returns the path of the bundle. */
export function bundleCli(): Promise<string> {
  bundled ??= (async () => {
    const dir = join(ROOT, 'node_modules', '.cache', 'edigate-e2e', randomUUID().slice(0, 8));
    mkdirSync(dir, { recursive: true });
    // Split, so modules imported on demand (BullMQ) stay out of the start-up path as in the tsc build.
    await build({
      entryPoints: { cli: join(ROOT, 'src', 'cli.ts') }, bundle: true, splitting: true, platform: 'node', format: 'esm', packages: 'external',
      outdir: dir, outExtension: { '.js': '.mjs' }, logLevel: 'error', target: 'node20',
    });
    return join(dir, 'cli.mjs');
  })();
  return bundled;
}

/** Writes edigate.yaml into `home` and copies the product maps there (the bundle is not beside maps/). */
export function configureHome(home: string, yaml: Record<string, unknown>): void {
  writeFileSync(join(home, 'edigate.yaml'), stringify(yaml));
  cpSync(join(ROOT, 'maps'), join(home, 'maps'), { recursive: true });
}

/** Drops a file into inbox/<partner>/ atomically (written beside, then renamed in). */
export function drop(home: string, partner: string, name: string, bytes: Buffer): void {
  const dir = join(home, 'inbox', partner);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${name}.part`);
  writeFileSync(tmp, bytes);
  renameSync(tmp, join(dir, name));
}

export interface GatewayProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves once the log says the gateway started. */
  started: Promise<void>;
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string>;
}

/** Starts `node <bundle> --home <home> <command>` with ports 0 and inline maps; `env` is added to the environment. */
export async function startGatewayProcess(home: string, env: Record<string, string> = {}, command = 'start'): Promise<GatewayProcess> {
  const cli = await bundleCli();
  const child = spawn(process.execPath, ['--max-old-space-size=256', cli, '--home', home, command], {
    env: {
      ...process.env, EDIGATE_OPS_PORT: '0', EDIGATE_PARTNER_PORT: '0', EDIGATE_SFTP_PORT: '0', EDIGATE_MAP_WORKERS: '0',
      EDIGATE_LOG_LEVEL: 'info', EDIGATE_REDIS_URL: '', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onStart: (() => void) | undefined;
  let onEarlyExit: ((e: Error) => void) | undefined;
  const marker = command === 'workers' ? 'delivery workers started' : 'gateway started';
  const started = new Promise<void>((resolve, reject) => {
    onStart = resolve;
    onEarlyExit = reject;
  });
  started.catch(() => undefined);
  const take = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 4_000_000) out = out.slice(-1_000_000);
    if (onStart && out.includes(marker)) {
      onStart();
      onStart = undefined;
    }
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => {
    if (onStart) onEarlyExit?.(new Error(`gateway exited (${code ?? signal}) before it started:\n${out.slice(-2000)}`));
    resolve(code ?? signal ?? -1);
  }));
  return { child, output: () => out, started, exited };
}

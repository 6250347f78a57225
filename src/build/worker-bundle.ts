/**
 * Worker threads start from a bundle of their TypeScript entry and everything it imports, made once per
 * version of the build's code (codeDigest) with esbuild and kept in node_modules/.cache, where the packages
 * it imports resolve as they do from the source. Loading the same modules through tsx's loader took each
 * worker about 0.7 s at the start of a build, with both cores busy; the bundle loads in about 50 ms
 * (decision 0012).
 */
import { buildSync } from 'esbuild';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { codeDigest } from './code-digest.ts';

/** Every worker entry (`<name>.ts` beside this file), bundled together. */
const ENTRIES = ['seed-worker', 'write-worker', 'search-worker', 'read-ahead-worker'] as const;
export type WorkerName = (typeof ENTRIES)[number];

/** The folder of this code's bundles, once found. */
let bundles: string | undefined;

/** The bundled script of a worker, made now if this version of the code has none yet. */
export function workerBundle(name: WorkerName): string {
  bundles ??= join(dirname(dirname(createRequire(import.meta.url).resolve('esbuild/package.json'))), '.cache', 'news-reader-workers', codeDigest());
  const file = join(bundles, `${name}.mjs`);
  if (!exists(file)) bundleWorkers(bundles);
  return file;
}

function bundleWorkers(dir: string): void {
  const result = buildSync({
    entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, fileURLToPath(new URL(`./${name}.ts`, import.meta.url))])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    // Packages are imported from node_modules, as by the source: the bundle is only the project's own code.
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(dir, { recursive: true });
  // Each file is written beside its name and renamed into place: a build starting meanwhile never loads half of one.
  for (const output of result.outputFiles) {
    const staged = `${output.path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(staged, output.contents);
    renameSync(staged, output.path);
  }
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Workers run JavaScript. When this module runs as .ts (under tsx, Vite or Vitest), they start from a
 * bundle of their TypeScript entry (workerBundle).
 */
export function startWorker(name: WorkerName = 'seed-worker', workerData?: unknown): Worker {
  const here = import.meta.url;
  const file = here.endsWith('.ts') ? workerBundle(name) : new URL(`./${name}.js`, here);
  const resourceLimits = SMALL_YOUNG_GENERATION.has(name) ? { maxYoungGenerationSizeMb: 32 } : undefined;
  try {
    return new Worker(file, { execArgv: workerExecArgv(process.execArgv), resourceLimits, workerData });
  } catch (error) {
    // Node refuses V8's options in a thread's list (`node --max-old-space-size=8192 …vite build`, as large
    // archives are built); they are the process's, so the thread has them anyway.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(file, { execArgv: [], resourceLimits, workerData });
  }
}

/**
 * Threads whose garbage is nearly all short-lived strings (pages, JSON) get a young generation of 32 MB, not
 * V8's default of 48 MB for a thread. It was 8 MB at first (a 20,000-article build peaked 110 MB lower than
 * with the default, in the same time), but then each writer collected its young generation over 200 times
 * at 20,000 articles, copying the batch it was writing every time (`--trace-gc`). With 32 MB the writes
 * took 0.1 s less at 20,000 articles and 2.1–2.6 s less at 100,000 (paired builds, 2026-12-05), for a peak
 * 60–80 MB higher (1,699 MB at 100,000).
 */
const SMALL_YOUNG_GENERATION = new Set<WorkerName>(['write-worker', 'search-worker']);

/** Options that say what the main entry is (`-e code`, `--input-type`): a worker that inherits them refuses to load its file. */
const ENTRY_OPTIONS = new Set(['-e', '--eval', '-p', '--print']);

/** The process's Node options for a worker thread, less those about the main entry. */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (ENTRY_OPTIONS.has(arg)) i++; // and its code
    else if (!arg.startsWith('--input-type') && !/^--(eval|print)=/.test(arg)) kept.push(arg);
  }
  return kept;
}

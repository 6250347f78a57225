/**
 * Builds seed files on every core, each file under a watchdog: a file that
 * takes longer than `fileTimeoutMs` is reported (kind `timeout`) and skipped,
 * its worker replaced, and the rest of the archive goes on. Small archives of
 * small files are built on the calling thread, where starting workers would
 * cost more than it saves; any large file sends the whole run to workers, so
 * no file can stall the build.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BuildResult } from './article.ts';
import { buildFile } from './build-file.ts';
import { seedError } from './errors.ts';
import { SeedCache, type SeedCacheOptions } from './seed-cache.ts';
import type { WorkerJob, WorkerReply } from './seed-worker.ts';
import { workerBundle, type WorkerName } from './worker-bundle.ts';
import type { TextArena } from './text-arena.ts';

const INLINE_BELOW = 200;
/** Files from this size up are built only under the watchdog. */
const LARGE_FILE = 256 * 1024;
const BATCH = 128;
export const FILE_TIMEOUT_MS = 20_000;
const STARTUP_TIMEOUT_MS = 60_000;

export interface SeedFile {
  /** Absolute path. */
  path: string;
  /** Path as shown in messages. */
  shown: string;
}

export interface BuildOptions {
  threads?: number;
  fileTimeoutMs?: number;
  /** Use workers even for a few small files (tests). */
  forceWorkers?: boolean;
  /** Folder where workers set the bodies aside (body-log.ts); articles built on the calling thread keep theirs. */
  bodies?: string;
  /** The seeds cache's folder (seed-cache.ts): unchanged seeds are not read again, and bodies wait in its packs. */
  cache?: SeedCacheOptions;
  /** Where the texts of articles read on worker threads go as they arrive, out of this thread's heap. */
  texts?: TextArena;
}

export async function buildFiles(files: readonly SeedFile[], options: BuildOptions = {}): Promise<BuildResult[]> {
  const threads = options.threads ?? availableParallelism();
  const timeout = options.fileTimeoutMs ?? FILE_TIMEOUT_MS;
  const small = files.length < INLINE_BELOW && files.every((f) => sizeOf(f.path) < LARGE_FILE);
  if (small && !options.forceWorkers) {
    if (!options.cache) return files.map((f) => buildFile(f.path, f.shown));
    const cache = new SeedCache(options.cache);
    try {
      return files.map((f) => cache.build(f.path, f.shown));
    } finally {
      cache.close();
    }
  }

  const results = new Array<BuildResult>(files.length);
  /** Batches still to send, as [first index, last index + 1]. */
  const queue: [number, number][] = [];
  for (let start = 0; start < files.length; start += BATCH) queue.push([start, Math.min(files.length, start + BATCH)]);

  const runLane = () =>
    new Promise<void>((resolve, reject) => {
      let worker = startWorker();
      let batch: [number, number] | undefined;
      /** Index of the file the worker is on now. */
      let current = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;

      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(onTimeout, timeout);
      };
      const send = () => {
        batch = queue.shift();
        if (!batch) {
          clearTimeout(timer);
          void worker.terminate();
          resolve();
          return;
        }
        current = batch[0];
        const job: WorkerJob = { files: files.slice(batch[0], batch[1]), bodies: options.bodies, cache: options.cache };
        worker.postMessage(job);
        arm();
      };
      const onMessage = (reply: WorkerReply) => {
        if ('ready' in reply) {
          send();
          return;
        }
        results[current] = reply.result;
        if (options.texts && reply.result.ok) options.texts.adopt(reply.result.built);
        current++;
        if (current < batch![1]) arm();
        else send();
      };
      /** The file in progress is stuck or killed its worker: report it, replace the worker, go on. */
      const skipCurrent = (error: BuildResult) => {
        results[current] = error;
        if (current + 1 < batch![1]) queue.unshift([current + 1, batch![1]]);
        batch = undefined;
        void worker.terminate();
        worker = startWorker();
        listen();
      };
      const onTimeout = () => skipCurrent({ ok: false, error: seedError('timeout', files[current]!.shown, 1, timeout) });
      const listen = () => {
        const mine = worker;
        clearTimeout(timer);
        timer = setTimeout(() => {
          void mine.terminate();
          reject(new Error(`a seed worker did not start within ${STARTUP_TIMEOUT_MS} ms`));
        }, STARTUP_TIMEOUT_MS);
        // A replaced worker may still say something on its way out: ignore it.
        mine.on('message', (reply: WorkerReply) => mine === worker && onMessage(reply));
        mine.once('error', (error) => {
          if (mine !== worker) return;
          clearTimeout(timer);
          if (!batch) return reject(error);
          skipCurrent({ ok: false, error: seedError('crashed', files[current]!.shown, 1, error.message) });
        });
      };
      // Each worker asks for its first batch once it has loaded (a `ready` message).
      listen();
    });

  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, queue.length)) }, runLane));
  return results;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // unreadable files are reported by buildFile
  }
}

/**
 * Workers run JavaScript. When this module runs as .ts (under tsx, Vite or Vitest), they start from a
 * bundle of their TypeScript entry (worker-bundle.ts).
 */
export function startWorker(name: WorkerName = 'seed-worker'): Worker {
  const here = import.meta.url;
  const file = here.endsWith('.ts') ? workerBundle(name) : new URL(`./${name}.js`, here);
  const resourceLimits = SMALL_YOUNG_GENERATION.has(name) ? { maxYoungGenerationSizeMb: 8 } : undefined;
  try {
    return new Worker(file, { execArgv: workerExecArgv(process.execArgv), resourceLimits });
  } catch (error) {
    // Node refuses V8's options in a thread's list (`node --max-old-space-size=8192 …vite build`, as large
    // archives are built); they are the process's, so the thread has them anyway.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(file, { execArgv: [], resourceLimits });
  }
}

/**
 * Threads whose garbage is nearly all short-lived strings (pages, JSON) get a young generation of 8 MB, not
 * V8's default of several times that: with the search threads, a 20,000-article build peaked 110 MB lower,
 * in the same time (four paired builds).
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

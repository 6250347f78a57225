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
import { seedError, type SeedError } from './errors.ts';
import { SeedCache, type SeedCacheOptions } from './seed-cache.ts';
import type { WorkerJob, WorkerReply } from './seed-worker.ts';
import { workerBundle, type WorkerName } from './worker-bundle.ts';
import type { TextArena } from './text-arena.ts';

const INLINE_BELOW = 200;
/** Files from this size up are built only under the watchdog. */
const LARGE_FILE = 256 * 1024;
const BATCH = 128;
/** Batches a worker holds at once: one it builds, one waiting, so it never waits for this thread between them. */
const AHEAD = 2;
/** How often per timeout the watchdog looks at what a worker is on. */
const WATCHES = 5;
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
      /**
       * The index of the file the worker is on, written by the worker as it starts each one (seed-worker.ts);
       * -1 before the first. Each worker has its own: one that is replaced may still write to its own.
       */
      const newProgress = () => new Int32Array(new SharedArrayBuffer(4)).fill(-1);
      let progress = newProgress();
      let worker = startWorker();
      /** Batches sent and not answered yet, oldest first: the worker has the next one waiting while it builds one. */
      let sent: [number, number][] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      /** The file the watchdog last saw the worker on, and when it first saw it there. */
      let seen = -1;
      let seenAt = 0;
      let done = false;

      const finish = () => {
        done = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve();
      };
      /** The lane fails: what its worker may still say is ignored. */
      const fail = (error: Error, failing = worker) => {
        done = true;
        clearTimeout(timer);
        void failing.terminate();
        reject(error);
      };
      const fill = () => {
        while (sent.length < AHEAD) {
          const batch = queue.shift();
          if (!batch) break;
          sent.push(batch);
          const job: WorkerJob = { first: batch[0], files: files.slice(batch[0], batch[1]), progress, bodies: options.bodies, cache: options.cache };
          worker.postMessage(job);
        }
        if (sent.length === 0) finish();
      };
      /** Looks at the worker's progress a few times per timeout; a file it stays on for a whole timeout is stuck. */
      const watch = () => {
        timer = setTimeout(() => {
          const at = Atomics.load(progress, 0);
          const now = performance.now();
          if (at !== seen) [seen, seenAt] = [at, now];
          if (now - seenAt >= timeout) giveUp(at, (file) => seedError('timeout', file, 1, timeout), new Error(`a seed worker stopped between files for ${timeout} ms`));
          else watch();
        }, Math.max(10, timeout / WATCHES));
      };
      const onMessage = (reply: WorkerReply) => {
        if ('ready' in reply) {
          clearTimeout(timer);
          fill();
          if (!done) watch();
          return;
        }
        const [first] = sent.shift()!;
        reply.results.forEach((result, i) => {
          results[first + i] = result;
          if (options.texts && result.ok) options.texts.adopt(result.built);
        });
        fill();
      };
      /**
       * The worker is stuck on file `at` or was killed by it: that file is reported, the worker replaced, and
       * every other file it had not answered for yet is sent again (its answers come per batch).
       */
      const giveUp = (at: number, error: (shown: string) => SeedError, cause: Error) => {
        clearTimeout(timer);
        if (!sent.some(([from, to]) => at >= from && at < to)) {
          // Not on any file (loading, or between two): the fault is the worker's own, not a seed's.
          return fail(cause);
        }
        const again: [number, number][] = [];
        for (const [from, to] of sent) {
          if (at >= from && at < to) {
            results[at] = { ok: false, error: error(files[at]!.shown) };
            if (at > from) again.push([from, at]);
            if (at + 1 < to) again.push([at + 1, to]);
          } else again.push([from, to]);
        }
        queue.unshift(...again);
        sent = [];
        void worker.terminate();
        progress = newProgress();
        seen = -1;
        worker = startWorker();
        listen();
      };
      const listen = () => {
        const mine = worker;
        clearTimeout(timer);
        timer = setTimeout(() => fail(new Error(`a seed worker did not start within ${STARTUP_TIMEOUT_MS} ms`), mine), STARTUP_TIMEOUT_MS);
        // A replaced worker may still say something on its way out: ignore it.
        mine.on('message', (reply: WorkerReply) => mine === worker && !done && onMessage(reply));
        mine.once('error', (error) => {
          if (mine !== worker || done) return;
          giveUp(Atomics.load(progress, 0), (file) => seedError('crashed', file, 1, error.message), error);
        });
      };
      // Each worker asks for its first batches once it has loaded (a `ready` message).
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
  const resourceLimits = SMALL_YOUNG_GENERATION.has(name) ? { maxYoungGenerationSizeMb: 32 } : undefined;
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

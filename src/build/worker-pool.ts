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
import type { BuildResult } from './article.ts';
import { buildFile } from './build-file.ts';
import { seedError, type SeedError } from './errors.ts';
import { SeedCache, type SeedCacheOptions } from './seed-cache.ts';
import type { WorkerJob, WorkerReply } from './seed-worker.ts';
import { startWorker } from './worker-bundle.ts';
import { ReadAhead } from './read-ahead.ts';
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
  // The batches go out in the files' order: so are they read ahead.
  const readAhead = new ReadAhead(files.map((f) => f.path));

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
          readAhead.handOut(batch[1]);
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

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, queue.length)) }, runLane));
  } finally {
    readAhead.close();
  }
  return results;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // unreadable files are reported by buildFile
  }
}

/** Entry of a worker thread in the pool: builds the seed files it is sent, answering once per batch (WorkerReply). */
import { parentPort } from 'node:worker_threads';
import type { BuildResult } from './article.ts';
import { BodyLog } from './body-log.ts';
import { buildFile } from './build-file.ts';
import { SeedCache, type SeedCacheOptions } from './seed-cache.ts';

export interface WorkerJob {
  /** Index of the first file in the whole run: the worker writes the index of the file it starts into `progress`. */
  first: number;
  files: { path: string; shown: string }[];
  progress: Int32Array;
  /** Folder to set the bodies aside in (body-log.ts); else they travel with the articles. */
  bodies?: string;
  /** The seeds cache's folder (seed-cache.ts): bodies are set aside in its packs. */
  cache?: SeedCacheOptions;
}
/**
 * One answer per job, once all its bodies are on disk: a body set aside is in a file only once its log is
 * closed (body-log.ts), and a worker that is terminated loses what it had not written. The watchdog reads
 * `progress` to know which file a worker is on.
 */
export type WorkerReply = { ready: true } | { results: BuildResult[] };

// Loading this module (and TypeScript support) takes time that must not count against the first file.
parentPort!.postMessage({ ready: true } satisfies WorkerReply);

let log: BodyLog | undefined;
let cache: SeedCache | undefined;

parentPort!.on('message', (job: WorkerJob) => {
  if (job.cache) cache ??= new SeedCache(job.cache);
  else if (job.bodies) log ??= new BodyLog(job.bodies);
  const results = job.files.map((file, i) => {
    Atomics.store(job.progress, 0, job.first + i);
    const result = cache ? cache.build(file.path, file.shown) : buildFile(file.path, file.shown);
    if (log && result.ok) log.setAside(result.built);
    return result;
  });
  log?.close();
  cache?.close();
  parentPort!.postMessage({ results } satisfies WorkerReply);
});

/** Entry of a worker thread in the pool: builds the seed files it is sent, answering after each one. */
import { parentPort } from 'node:worker_threads';
import type { BuildResult } from './article.ts';
import { BodyLog } from './body-log.ts';
import { buildFile } from './build-file.ts';
import { SeedCache, type SeedCacheOptions } from './seed-cache.ts';

export interface WorkerJob {
  files: { path: string; shown: string }[];
  /** Folder to set the bodies aside in (body-log.ts); else they travel with the articles. */
  bodies?: string;
  /** The seeds cache's folder (seed-cache.ts): bodies are set aside in its packs. */
  cache?: SeedCacheOptions;
}
export type WorkerReply = { ready: true } | { result: BuildResult };

// Loading this module (and TypeScript support) takes time that must not count against the first file.
parentPort!.postMessage({ ready: true } satisfies WorkerReply);

let log: BodyLog | undefined;
let cache: SeedCache | undefined;

parentPort!.on('message', (job: WorkerJob) => {
  if (job.cache) cache ??= new SeedCache(job.cache);
  else if (job.bodies) log ??= new BodyLog(job.bodies);
  for (const file of job.files) {
    const result = cache ? cache.build(file.path, file.shown) : buildFile(file.path, file.shown);
    if (log && result.ok) log.setAside(result.built);
    parentPort!.postMessage({ result } satisfies WorkerReply);
  }
  log?.close();
  cache?.close();
});

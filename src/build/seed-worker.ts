/** Entry of a worker thread in the pool: builds the batches of seed files it is sent. */
import { parentPort } from 'node:worker_threads';
import type { BuildResult } from './article.ts';
import { buildFile } from './build-file.ts';

export interface WorkerJob {
  id: number;
  files: { path: string; shown: string }[];
}
export interface WorkerReply {
  id: number;
  results: BuildResult[];
}

parentPort!.on('message', (job: WorkerJob) => {
  const reply: WorkerReply = { id: job.id, results: job.files.map((f) => buildFile(f.path, f.shown)) };
  parentPort!.postMessage(reply);
});

/** Entry of a worker thread in the pool: builds the seed files it is sent, answering after each one. */
import { parentPort } from 'node:worker_threads';
import type { BuildResult } from './article.ts';
import { buildFile } from './build-file.ts';

export interface WorkerJob {
  files: { path: string; shown: string }[];
}
export type WorkerReply = { ready: true } | { result: BuildResult };

// Loading this module (and TypeScript support) takes time that must not count against the first file.
parentPort!.postMessage({ ready: true } satisfies WorkerReply);

parentPort!.on('message', (job: WorkerJob) => {
  for (const file of job.files) {
    const reply: WorkerReply = { result: buildFile(file.path, file.shown) };
    parentPort!.postMessage(reply);
  }
});

/** Entry of a worker thread in the pool: builds the seed files it is sent, answering after each one. */
import { parentPort } from 'node:worker_threads';
import type { BuildResult } from './article.ts';
import { BodyLog } from './body-log.ts';
import { buildFile } from './build-file.ts';

export interface WorkerJob {
  files: { path: string; shown: string }[];
  /** Folder to set the bodies aside in (body-log.ts); else they travel with the articles. */
  bodies?: string;
}
export type WorkerReply = { ready: true } | { result: BuildResult };

// Loading this module (and TypeScript support) takes time that must not count against the first file.
parentPort!.postMessage({ ready: true } satisfies WorkerReply);

let log: BodyLog | undefined;

parentPort!.on('message', (job: WorkerJob) => {
  if (job.bodies) log ??= new BodyLog(job.bodies);
  for (const file of job.files) {
    const result = buildFile(file.path, file.shown);
    if (log && result.ok) log.setAside(result.built);
    parentPort!.postMessage({ result } satisfies WorkerReply);
  }
  log?.close();
});

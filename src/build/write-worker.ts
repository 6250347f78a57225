/** Entry of a worker thread that writes article files (write-articles.ts). */
import { parentPort } from 'node:worker_threads';
import { ArticleWriter, type WriteJob, type WriteReply } from './write-articles.ts';

let writer: ArticleWriter | undefined;

parentPort!.on('message', (job: WriteJob) => {
  let reply: WriteReply | undefined;
  try {
    if ('target' in job) writer = new ArticleWriter(job.target);
    else reply = { written: writer!.write(job) };
  } catch (error) {
    reply = { failed: error instanceof Error ? error.message : String(error) };
  }
  if (reply) parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true } satisfies WriteReply);

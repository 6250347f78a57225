/** Entry of a search thread (search-threads.ts): searches the ranges of slots it is sent. */
import { parentPort } from 'node:worker_threads';
import { Searcher } from './related-search.ts';
import { SharedSearchDocs, type SearchJob, type SearchReply } from './search-threads.ts';

let searcher: Searcher | undefined;
let docs: SharedSearchDocs | undefined;

parentPort!.on('message', (job: SearchJob) => {
  if ('tables' in job) {
    docs = new SharedSearchDocs(job.docs);
    searcher = new Searcher(job.tables, docs);
    return;
  }
  let reply: SearchReply;
  try {
    const results: string[] = [];
    for (let slot = job.from; slot < job.to; slot++) results.push(docs!.id(slot) === undefined ? '' : JSON.stringify(searcher!.search(slot)));
    reply = { results };
  } catch (error) {
    reply = { failed: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true } satisfies SearchReply);

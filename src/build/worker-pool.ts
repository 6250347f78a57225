/**
 * Builds seed files on every core. Small archives are built on the calling
 * thread: starting workers costs more than it saves below a few hundred files.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuildResult } from './article.ts';
import { buildFile } from './build-file.ts';
import type { WorkerJob, WorkerReply } from './seed-worker.ts';

const INLINE_BELOW = 200;
const BATCH = 128;

export interface SeedFile {
  /** Absolute path. */
  path: string;
  /** Path as shown in messages. */
  shown: string;
}

export async function buildFiles(files: readonly SeedFile[], threads = availableParallelism()): Promise<BuildResult[]> {
  if (files.length < INLINE_BELOW || threads < 2) {
    return files.map((f) => buildFile(f.path, f.shown));
  }
  const results = new Array<BuildResult>(files.length);
  const batches: number[] = [];
  for (let start = 0; start < files.length; start += BATCH) batches.push(start);
  let next = 0;

  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= batches.length) {
          resolve();
          return;
        }
        const start = batches[next]!;
        const job: WorkerJob = { id: next++, files: files.slice(start, start + BATCH) };
        worker.postMessage(job);
      };
      worker.on('message', (reply: WorkerReply) => {
        const start = batches[reply.id]!;
        reply.results.forEach((r, i) => (results[start + i] = r));
        send();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => (next < batches.length || code !== 0 ? reject(new Error(`seed worker exited with code ${code}`)) : undefined));
      send();
    });

  const workers = Array.from({ length: Math.min(threads, batches.length) }, () => startWorker());
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * Workers load TypeScript source. When this module runs as .ts (under tsx, Vite
 * or Vitest), the worker registers tsx's loader before importing its module.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./seed-worker.js', here));
  const require = createRequire(here);
  const tsxDir = dirname(require.resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./seed-worker.ts', here).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

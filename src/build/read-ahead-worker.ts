/**
 * Entry of the read-ahead thread (read-ahead.ts): asks the kernel for the first byte of each seed file in
 * the order the seed workers will read them, never more than `ahead` files past the last one handed out.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import type { ReadAheadJob } from './read-ahead.ts';

const { paths, handedOut, ahead } = workerData as ReadAheadJob;
const byte = Buffer.alloc(1);
/** How often a thread that is far enough ahead looks whether more files were handed out (it is not woken). */
const LOOK_MS = 20;
for (let i = 0; i < paths.length; i++) {
  for (let out = Atomics.load(handedOut, 0); i >= out + ahead; out = Atomics.load(handedOut, 0)) Atomics.wait(handedOut, 0, out, LOOK_MS);
  let fd: number | undefined;
  try {
    fd = openSync(paths[i]!, 'r');
    readSync(fd, byte, 0, 1, null);
  } catch {
    // Only a hint: the seed worker that reads this file reports what is wrong with it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

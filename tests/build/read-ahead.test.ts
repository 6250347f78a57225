import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadAhead } from '../../src/build/read-ahead.ts';
import { seedsFolder } from '../helpers/run.ts';

/**
 * The files are named pipes: opening one for writing without waiting succeeds only while the read-ahead
 * thread has it open (or is opening it), so the test sees which file the thread is on; it lets the thread
 * go on by writing a byte.
 */
function pipes(count: number): string[] {
  const dir = seedsFolder({});
  const paths = Array.from({ length: count }, (_, i) => join(dir, `${i}.txt`));
  execFileSync('mkfifo', paths);
  return paths;
}

/** The pipe's writing end, once the thread is reading it (closing it unread would let the thread go on). */
async function writingEnd(path: string, ms: number): Promise<number | undefined> {
  for (const end = Date.now() + ms; ; await new Promise((resolve) => setTimeout(resolve, 10))) {
    try {
      return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > end) return undefined; // ENXIO: no reader yet
    }
  }
}

/** Waits for the thread to open `path`, then gives it its byte. */
async function letThrough(path: string): Promise<void> {
  const fd = await writingEnd(path, 10_000);
  expect(fd, `the read-ahead thread opened ${path}`).toBeDefined();
  writeSync(fd!, 'x');
  closeSync(fd!);
}

async function opened(path: string): Promise<boolean> {
  const fd = await writingEnd(path, 300);
  if (fd !== undefined) closeSync(fd);
  return fd !== undefined;
}

let open: ReadAhead | undefined;
afterEach(() => open?.close());

describe('ReadAhead', () => {
  it('reads the files in order, no further ahead than it is allowed past those handed out', async () => {
    const paths = pipes(4);
    open = new ReadAhead(paths, 2);
    await letThrough(paths[0]!);
    await letThrough(paths[1]!);
    expect(await opened(paths[2]!), 'the third file is not opened before the first is handed out').toBe(false);
    open.handOut(1);
    await letThrough(paths[2]!);
    expect(await opened(paths[3]!), 'nor the fourth before the second is').toBe(false);
    open.handOut(4);
    await letThrough(paths[3]!);
  });

  it('goes past a file it cannot open', async () => {
    const paths = pipes(2);
    open = new ReadAhead([join(paths[0]!, '..', 'missing.txt'), ...paths], 10);
    await letThrough(paths[0]!);
    await letThrough(paths[1]!);
  });
});

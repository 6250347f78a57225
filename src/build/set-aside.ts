/**
 * Clearing a previous build's 200,000 files takes longer than writing them
 * anew: `setAside` renames the folders out of the way at once, next to the
 * output folder (on the same file system, and outside it, where Vite's
 * emptyOutDir would delete them synchronously), and deletes them in the
 * background while the build works.
 */
import { existsSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Moves each existing folder of `outDir` aside; the promise settles when they are deleted. */
export function setAside(outDir: string, folders: readonly string[]): Promise<void> {
  const moved: string[] = [];
  for (const folder of folders) {
    const path = join(outDir, folder);
    if (!existsSync(path)) continue;
    const aside = join(dirname(outDir), `.${basename(outDir)}.deleting-${process.pid}-${moved.length}`);
    renameSync(path, aside);
    moved.push(aside);
  }
  return Promise.all(moved.map((path) => rm(path, { recursive: true, force: true }))).then(() => undefined);
}

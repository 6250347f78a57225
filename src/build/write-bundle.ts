/** Writes a bundle folder all at once or not at all. */
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Article } from '../content/bundle.ts';
import { articleEntry } from './bundle-files.ts';

/**
 * Writes into a sibling staging folder, then swaps it in with renames, so a
 * failure at any point leaves the previous output (or none) in place.
 */
export function writeBundleDir(outDir: string, index: Map<string, string>, articles: readonly Article[]): void {
  const staging = `${outDir}.tmp-${process.pid}`;
  const previous = `${outDir}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const made = new Set<string>();
    const write = (path: string, content: string) => {
      const full = join(staging, path);
      const folder = dirname(full);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      writeFileSync(full, content);
    };
    for (const [path, content] of index) write(path, content);
    for (const article of articles) write(...articleEntry(article));
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(previous) && !existsSync(outDir)) renameSync(previous, outDir);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

/** Writes a bundle folder all at once or not at all. */
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * `fill` writes into the staging folder and returns more files to put there
 * (path → content). Writes into a sibling staging folder, then swaps it in with renames, so a
 * failure at any point leaves the previous output (or none) in place. `from`, when given, is a
 * folder of an earlier bundle that becomes the staging folder, for `fill` to update.
 */
export async function writeBundleDir(outDir: string, fill: (staging: string) => Promise<Map<string, string>>, from?: string): Promise<void> {
  const staging = `${outDir}.tmp-${process.pid}`;
  const previous = `${outDir}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  if (from) renameSync(from, staging);
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
    for (const [path, content] of await fill(staging)) write(path, content);
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(previous) && !existsSync(outDir)) renameSync(previous, outDir);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

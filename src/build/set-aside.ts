/**
 * A previous build's output is 200,000 files at 100,000 articles. Deleting
 * them before writing the new ones takes longer than writing them, and
 * deleting them while writing slows the writes threefold (both go through the
 * file system's journal). So the old folders are renamed out of the way at
 * once (next to the output folder: on the same file system, and outside it,
 * where Vite's emptyOutDir would delete them in its own slow way), and a
 * detached process deletes them once the build has written everything.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A folder beside `outDir` for this build's scratch files (body-log.ts), named
 * like the folders set aside: if the build is stopped, the next one deletes it.
 */
export function scratchFolder(outDir: string, name: string): string {
  return join(dirname(outDir), `${asidePrefix(outDir)}${name}-${process.pid}`);
}

function asidePrefix(outDir: string): string {
  return `.${basename(outDir)}.deleting-`;
}

/**
 * Moves each existing folder of `outDir` aside; returns the moved folders, with any left over from builds
 * that were stopped. `aside` learns where each folder went (a rebuild may take unchanged files back).
 */
export function setAside(outDir: string, folders: readonly string[], aside?: Map<string, string>): string[] {
  const parent = dirname(outDir);
  const prefix = asidePrefix(outDir);
  const moved = existsSync(parent) ? readdirSync(parent).filter((name) => name.startsWith(prefix)).map((name) => join(parent, name)) : [];
  for (const folder of folders) {
    const path = join(outDir, folder);
    if (!existsSync(path)) continue;
    const to = join(parent, `${prefix}${process.pid}-${Date.now()}-${moved.length}`);
    renameSync(path, to);
    moved.push(to);
    aside?.set(folder, to);
  }
  return moved;
}

/** Deletes the folders from a detached process that outlives this one. */
export function deleteInBackground(folders: readonly string[]): void {
  if (folders.length === 0) return;
  const script = 'for (const path of process.argv.slice(1)) require("node:fs").rmSync(path, { recursive: true, force: true });';
  spawn(process.execPath, ['-e', script, ...folders], { detached: true, stdio: 'ignore' }).unref();
}

/**
 * Worker threads start from a bundle of their TypeScript entry and everything it imports, made once per
 * version of the build's code (codeDigest) with esbuild and kept in node_modules/.cache, where the packages
 * it imports resolve as they do from the source. Loading the same modules through tsx's loader took each
 * worker about 0.7 s at the start of a build, with both cores busy; the bundle loads in about 50 ms
 * (decision 0012).
 */
import { buildSync } from 'esbuild';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeDigest } from './code-digest.ts';

export type WorkerName = 'seed-worker' | 'write-worker' | 'search-worker';
const ENTRIES: readonly WorkerName[] = ['seed-worker', 'write-worker', 'search-worker'];

/** The folder of this code's bundles, once found. */
let bundles: string | undefined;

/** The bundled script of a worker, made now if this version of the code has none yet. */
export function workerBundle(name: WorkerName): string {
  bundles ??= join(dirname(dirname(createRequire(import.meta.url).resolve('esbuild/package.json'))), '.cache', 'news-reader-workers', codeDigest());
  const file = join(bundles, `${name}.mjs`);
  if (!exists(file)) bundleWorkers(bundles);
  return file;
}

function bundleWorkers(dir: string): void {
  const result = buildSync({
    entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, fileURLToPath(new URL(`./${name}.ts`, import.meta.url))])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    // Packages are imported from node_modules, as by the source: the bundle is only the project's own code.
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(dir, { recursive: true });
  // Each file is written beside its name and renamed into place: a build starting meanwhile never loads half of one.
  for (const output of result.outputFiles) {
    const staged = `${output.path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(staged, output.contents);
    renameSync(staged, output.path);
  }
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

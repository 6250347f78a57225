/** Runs the project's own commands the way a user would, from the project root. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLES = join(ROOT, 'seeds');

export interface RunResult {
  status: number | null;
  output: string;
}

/**
 * `npx <args>` in the project root, with Vitest's own variables removed so Vite runs as a user's would.
 * Each run gets a seeds cache of its own unless `env` names one: tests neither share a cache nor touch the developer's.
 */
export function npx(args: string[], env: Record<string, string> = {}): RunResult {
  const { VITEST: _v, VITEST_MODE: _m, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, NODE_ENV: _n, ...parentEnv } = process.env;
  const cache = env.SEEDS_CACHE ?? tempDir('seeds-cache');
  const result = spawnSync('npx', args, { cwd: ROOT, env: { ...parentEnv, SEEDS_CACHE: cache, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** Every file under `dir`, as relative path → bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** A seeds folder made of the given files (name → text or bytes). */
export function seedsFolder(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('seeds');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export function sample(name: '000_128d1a5b117db0fb.txt' | '001_a510cfd3fc0d4ab3.txt'): string {
  return readFileSync(join(SAMPLES, name), 'utf8');
}

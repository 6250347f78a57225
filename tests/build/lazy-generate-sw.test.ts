import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.ts';

/** Runs `code` in a new Node process (a module cache of its own) and returns what its last line printed, parsed. */
function inNewProcess(code: string): unknown {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr, 'stderr').toBe('');
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

const lazy = JSON.stringify(pathToFileURL(join(ROOT, 'src/build/lazy-generate-sw.ts')).href);
const loaded = `Object.keys(createRequire(import.meta.url).cache).filter((p) => /[\\\\/](rollup|@babel|terser)[\\\\/]/.test(p)).length`;

describe('deferGenerateSW', () => {
  it('lets workbox-build load without Rollup, Babel or Terser, and its injectManifest work', () => {
    const result = inNewProcess(`
      import { createRequire } from 'node:module';
      const { deferGenerateSW } = await import(${lazy});
      const deferred = deferGenerateSW();
      const workbox = await import('workbox-build');
      const { injectManifest } = workbox.default ?? workbox;
      console.log(JSON.stringify({ deferred, loaded: ${loaded}, injectManifest: typeof injectManifest }));`);
    expect(result).toEqual({ deferred: true, loaded: 0, injectManifest: 'function' });
  });

  it('loads the real generateSW when it is called', () => {
    const result = inNewProcess(`
      import { createRequire } from 'node:module';
      const { deferGenerateSW } = await import(${lazy});
      deferGenerateSW();
      const workbox = await import('workbox-build');
      // Without options the real generateSW refuses them; the stand-in has no checks of its own.
      const message = await (workbox.default ?? workbox).generateSW({}).then(() => 'accepted', (error) => String(error.message));
      console.log(JSON.stringify({ refused: /globDirectory|swDest/.test(message), loaded: ${loaded} > 0 }));`);
    expect(result).toEqual({ refused: true, loaded: true });
  });

  it('without it, importing workbox-build loads Rollup and Babel (what it saves)', () => {
    const result = inNewProcess(`
      import { createRequire } from 'node:module';
      await import('workbox-build');
      console.log(JSON.stringify({ loaded: ${loaded} > 0 }));`);
    expect(result).toEqual({ loaded: true });
  });
});

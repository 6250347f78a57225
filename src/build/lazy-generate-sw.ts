/**
 * vite-plugin-pwa injects the precache manifest with workbox-build, and imports
 * all of it to do so. workbox-build's index also loads its generateSW, which
 * this project never calls (the strategy is injectManifest), and generateSW
 * loads Rollup, Babel and Terser: 0.35 s of module loading on one core at the
 * end of every build, where injectManifest alone loads in 0.07 s.
 *
 * This puts a stand-in for workbox-build's generate-sw module into Node's
 * module cache before the plugin imports workbox-build. The stand-in loads the
 * real module the first time generateSW is called, so nothing changes but when
 * the cost is paid. If workbox-build has no such file (another version), it
 * does nothing.
 */
import { createRequire, Module } from 'node:module';

const require = createRequire(import.meta.url);

export const GENERATE_SW_MODULE = 'workbox-build/build/generate-sw.js';

/** Puts the stand-in in place; says whether it did. */
export function deferGenerateSW(): boolean {
  let path: string;
  try {
    path = require.resolve(GENERATE_SW_MODULE);
  } catch {
    return false;
  }
  if (require.cache[path]) return false; // already loaded: nothing left to save
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = {
    generateSW(...args: unknown[]): unknown {
      delete require.cache[path];
      const real = require(path) as { generateSW: (...args: unknown[]) => unknown };
      return real.generateSW(...args);
    },
  };
  require.cache[path] = standIn;
  return true;
}

/** A digest of the build's own code and of the packages that shape its output. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages whose version changes what the build makes of a seed, or how its workers are bundled. */
const PACKAGES = ['htmlparser2', 'entities', 'esbuild'];

let digest: string | undefined;

/**
 * Digest of every source file of src/build and src/content, the versions of PACKAGES and V8's version:
 * equal digests, same code. Worked out once per thread (about 5 ms).
 */
export function codeDigest(): string {
  if (digest) return digest;
  const hash = createHash('sha256').update(process.versions.v8);
  const here = dirname(fileURLToPath(import.meta.url));
  for (const folder of [here, join(here, '../content')]) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      if (/\.[cm]?[jt]s$/.test(name)) hash.update(name).update(readFileSync(join(folder, name)));
    }
  }
  const require = createRequire(import.meta.url);
  for (const name of PACKAGES) {
    try {
      hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}`);
    } catch {
      hash.update(`${name}@?`);
    }
  }
  return (digest = hash.digest('base64url').slice(0, 16));
}

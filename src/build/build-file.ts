/** Reads one seed file and builds it; a file that cannot be read becomes a SeedError. */
import { readFileSync } from 'node:fs';
import { buildArticle, type BuildResult } from './article.ts';
import { seedError, type SeedError } from './errors.ts';

export function buildFile(path: string, shown: string): BuildResult {
  const read = readSeedBytes(path, shown);
  return read.ok ? buildBytes(read.bytes, shown) : read;
}

export function readSeedBytes(path: string, shown: string): { ok: true; bytes: Uint8Array } | { ok: false; error: SeedError } {
  try {
    return { ok: true, bytes: readFileSync(path) };
  } catch (error) {
    return { ok: false, error: seedError('unreadable', shown, 1, (error as NodeJS.ErrnoException).code ?? String(error)) };
  }
}

export function buildBytes(bytes: Uint8Array, shown: string): BuildResult {
  try {
    return buildArticle(bytes, shown);
  } catch (error) {
    // A bug must cost one file, not the archive.
    return { ok: false, error: seedError('crashed', shown, 1, error instanceof Error ? error.message : String(error)) };
  }
}

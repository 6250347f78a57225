/** Reads one seed file and builds it; a file that cannot be read becomes a SeedError. */
import { closeSync, fstatSync, openSync, readFileSync, type BigIntStats } from 'node:fs';
import { buildArticle, type BuildResult } from './article.ts';
import { seedError, type SeedError } from './errors.ts';

export function buildFile(path: string, shown: string): BuildResult {
  const read = readSeedBytes(path, shown);
  return read.ok ? buildBytes(read.bytes, shown) : read;
}

/**
 * The file's bytes, and what fstat said of it once it was open, before any byte was read (for the seeds
 * cache's stamps: seed-cache.ts).
 */
export function readSeedBytes(path: string, shown: string): { ok: true; bytes: Uint8Array; stats: BigIntStats } | { ok: false; error: SeedError } {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd, { bigint: true });
    return { ok: true, bytes: readFileSync(fd), stats };
  } catch (error) {
    return { ok: false, error: seedError('unreadable', shown, 1, (error as NodeJS.ErrnoException).code ?? String(error)) };
  } finally {
    if (fd !== undefined) closeSync(fd);
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


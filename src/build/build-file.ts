/** Reads one seed file and builds it; a file that cannot be read becomes a SeedError. */
import { closeSync, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { buildArticle, type BuildResult } from './article.ts';
import { seedError, type SeedError } from './errors.ts';

export function buildFile(path: string, shown: string): BuildResult {
  const read = readSeedBytes(path, shown);
  return read.ok ? buildBytes(read.bytes, shown) : read;
}

/**
 * The file's bytes, and what fstat said of it once it was open, before any byte was read (for the seeds
 * cache's stamps: seed-cache.ts). The same calls as readFileSync makes.
 */
export function readSeedBytes(path: string, shown: string): { ok: true; bytes: Uint8Array; stats: BigIntStats } | { ok: false; error: SeedError } {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd, { bigint: true });
    return { ok: true, bytes: readAll(fd, Number(stats.size)), stats };
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

/** The file's `size` bytes, as fstat gave it (fewer if it shrank); a file that says 0 is read to its end. */
function readAll(fd: number, size: number): Uint8Array {
  let bytes = Buffer.allocUnsafe(size || 8192);
  let length = 0;
  for (;;) {
    if (length === bytes.length) {
      if (size > 0) return bytes;
      const grown = Buffer.allocUnsafe(bytes.length * 2);
      bytes.copy(grown, 0, 0, length);
      bytes = grown;
    }
    const got = readSync(fd, bytes, length, bytes.length - length, null);
    if (got === 0) return bytes.subarray(0, length);
    length += got;
  }
}

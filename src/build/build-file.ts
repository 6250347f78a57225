/** Reads one seed file and builds it; a file that cannot be read becomes a SeedError. */
import { readFileSync } from 'node:fs';
import { buildArticle, type BuildResult } from './article.ts';
import { seedError } from './errors.ts';

export function buildFile(path: string, shown: string): BuildResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, error: seedError('unreadable', shown, 1, (error as NodeJS.ErrnoException).code ?? String(error)) };
  }
  try {
    return buildArticle(bytes, shown);
  } catch (error) {
    // A bug must cost one file, not the archive.
    return { ok: false, error: seedError('crashed', shown, 1, error instanceof Error ? error.message : String(error)) };
  }
}

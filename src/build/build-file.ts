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
  return buildArticle(bytes, shown);
}

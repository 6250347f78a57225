/** Reads a seeds folder into articles and a list of refused files. I/O lives here and in the writer. */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BuildResult, BuiltArticle } from './article.ts';
import { knownSeeds, type SeedStamps } from './seed-cache.ts';
import { dedupe } from './bundle-files.ts';
import { formatSeedError, type SeedError } from './errors.ts';
import { buildFiles, type BuildOptions, type SeedFile } from './worker-pool.ts';

export interface Archive {
  articles: BuiltArticle[];
  errors: SeedError[];
  /** Files looked at, refused ones included. */
  fileCount: number;
  /** With the seeds cache: each file's stamp, taken before it was read (seed-cache.ts). */
  stamps?: SeedStamps;
  /** With the seeds cache: files not read at all, their stamps unchanged. */
  unread?: number;
}

/** A seeds folder that cannot be used at all: one line, no stack trace. */
export class SeedsDirError extends Error {
  override name = 'SeedsDirError';
}

/** Throws SeedsDirError unless `dir` is a folder that can be read. */
export function checkSeedsDir(dir: string): void {
  const root = resolve(dir);
  let stat;
  try {
    stat = statSync(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SeedsDirError(
      code === 'ENOENT' ? `seeds folder ${dir} does not exist` : `cannot read seeds folder ${dir} (${code ?? String(error)})`,
    );
  }
  if (!stat.isDirectory()) throw new SeedsDirError(`seeds folder ${dir} is a file, expected a folder of seed files`);
}

export function listSeedFiles(dir: string): SeedFile[] {
  checkSeedsDir(dir);
  const root = resolve(dir);
  const files: SeedFile[] = [];
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      throw new SeedsDirError(`cannot read seeds folder ${folder} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push({ path, shown: shownPath(path) });
    }
  };
  walk(root);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function readArchive(dir: string, options: Pick<BuildOptions, 'bodies' | 'cache' | 'texts'> = {}): Promise<Archive> {
  const files = listSeedFiles(dir);
  if (!options.cache) return assemble(await buildFiles(files, options), files.length);
  // Seeds whose files are as the last build saw them come from the cache's index; only the rest are read.
  const { known, stamps } = await knownSeeds(options.cache.dir, files);
  const read = await buildFiles(files.filter((_, i) => !known.has(i)), options);
  let next = 0;
  const results = files.map((_, i): BuildResult => {
    const hit = known.get(i);
    if (hit) return { ok: true, built: hit };
    const result = read[next++]!;
    if (result.ok && result.built.stamp) stamps.set(files[i]!.shown, result.built.stamp);
    return result;
  });
  return { ...assemble(results, files.length), stamps, unread: known.size };
}

export function assemble(results: readonly ({ ok: true; built: BuiltArticle } | { ok: false; error: SeedError })[], fileCount: number): Archive {
  const built: BuiltArticle[] = [];
  const errors: SeedError[] = [];
  for (const result of results) {
    if (result.ok) built.push(result.built);
    else errors.push(result.error);
  }
  const deduped = dedupe(built);
  errors.push(...deduped.errors);
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { articles: deduped.articles, errors, fileCount };
}

/** `Read 2 articles from 3 files; 1 file refused:` followed by one line per refusal. */
export function archiveReport(archive: Archive): string {
  const refused = archive.errors.length;
  const head = `Read ${archive.articles.length} article${archive.articles.length === 1 ? '' : 's'} from ${archive.fileCount} file${archive.fileCount === 1 ? '' : 's'}; ${refused} file${refused === 1 ? '' : 's'} refused${refused ? ':' : '.'}`;
  return [head, ...archive.errors.map((e) => `  ${formatSeedError(e)}`)].join('\n');
}

function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

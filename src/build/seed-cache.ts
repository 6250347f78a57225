/**
 * The seeds cache: what reading a seed gave, kept by the digest of the seed's
 * bytes, so a rebuild parses and cleans only the seeds that changed.
 *
 * Each reading thread appends an entry per article it cleans to a pack file of
 * its own (body-log.ts): the article's fields and indexed text (v8-serialized),
 * then its body. The pack is also where the body waits until it is written, so
 * a cold build writes nothing it did not write before except the entry. After a
 * build, `saveSeedCache` writes the index (digest → entry) and deletes packs no
 * entry points into. An entry that cannot be read is a miss: the seed is read
 * again, never trusted half-way.
 *
 * The cache lives in a folder named by a digest of the build's own code and
 * the versions it depends on: code that cleans differently never sees entries
 * the old code made. One build uses a cache folder at a time (a lock file);
 * another, meanwhile, builds without it.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { BUNDLE_VERSION } from '../content/bundle.ts';
import type { BuildResult, BuiltArticle } from './article.ts';
import { BodyLog, BodyReader } from './body-log.ts';
import { buildBytes, readSeedBytes } from './build-file.ts';
import { countTerms } from './related.ts';

/** Where one article's entry is: `length` bytes of serialized fields at `offset` of the pack, then `body` bytes of body. */
export interface CacheEntry {
  digest: string;
  pack: string;
  offset: number;
  length: number;
  body: number;
  /** Appended by this build (the seed was new or changed); else read from the cache. */
  fresh?: true;
}

/** Where the cache is, and whether articles read from it need their term counts (not when the last search is updated: related-state.ts). */
export interface SeedCacheOptions {
  dir: string;
  countHits: boolean;
}

/** What an entry holds besides the body. */
type EntryFields = Pick<BuiltArticle, 'article' | 'text' | 'key'>;

const INDEX_FILE = 'index.json';
const LOCK_FILE = 'lock';
const INDEX_VERSION = 1;

interface IndexFile {
  version: typeof INDEX_VERSION;
  /** digest, pack file name, offset, length, body length. */
  entries: [string, string, number, number, number][];
}

/** The digest that names a seed's entry. */
export function seedDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/**
 * Reads seeds through the cache, on one thread. Hits come from the index the
 * last build saved; misses are built and appended to this thread's pack.
 */
export class SeedCache {
  private index: Map<string, CacheEntry> | undefined;
  private readonly pack: BodyLog;
  private readonly reader = new BodyReader();

  private readonly dir: string;

  constructor(private readonly options: SeedCacheOptions) {
    this.dir = options.dir;
    this.pack = new BodyLog(options.dir);
  }

  build(path: string, shown: string): BuildResult {
    const read = readSeedBytes(path, shown);
    if (!read.ok) return read;
    const digest = seedDigest(read.bytes);
    const hit = this.lookup(digest, shown);
    if (hit) return { ok: true, built: hit };
    const result = buildBytes(read.bytes, shown);
    if (!result.ok) return result; // refusals are not cached: they are reported on every build
    const { built } = result;
    const html = Buffer.from(built.article.html);
    built.article.html = '';
    const fields = serialize({ article: built.article, text: built.text, key: built.key } satisfies EntryFields);
    const at = this.pack.appendBytes(Buffer.concat([fields, html]));
    built.body = { file: at.file, offset: at.offset + fields.length, length: html.length };
    built.cached = { digest, pack: basename(at.file), offset: at.offset, length: fields.length, body: html.length, fresh: true };
    return result;
  }

  /** The article a seed with this digest was read as, if the cache still has it. */
  read(digest: string): BuiltArticle | undefined {
    return this.lookup(digest, '');
  }

  /** Closes this thread's files (a worker is terminated, not stopped: nothing may stay open). */
  close(): void {
    this.pack.close();
    this.reader.close();
  }

  private lookup(digest: string, shown: string): BuiltArticle | undefined {
    const entry = (this.index ??= loadIndex(this.dir)).get(digest);
    if (!entry) return undefined;
    const file = join(this.dir, entry.pack);
    let fields: EntryFields;
    try {
      fields = deserialize(this.reader.readBytes({ file, offset: entry.offset, length: entry.length })) as EntryFields;
      if (typeof fields.article?.id !== 'string' || typeof fields.text !== 'string' || typeof fields.key !== 'string') return undefined;
    } catch {
      return undefined; // a pack cut short or overwritten: read the seed again
    }
    const { article, text, key } = fields;
    return {
      article,
      text,
      key,
      file: shown,
      counts: this.options.countHits ? countTerms({ title: article.title, text, source: article.source }) : undefined,
      body: { file, offset: entry.offset + entry.length, length: entry.body },
      cached: entry,
    };
  }
}

function loadIndex(dir: string): Map<string, CacheEntry> {
  const index = new Map<string, CacheEntry>();
  let parsed: IndexFile;
  try {
    parsed = JSON.parse(readFileSync(join(dir, INDEX_FILE), 'utf8')) as IndexFile;
  } catch {
    return index; // no index yet, or a damaged one: every seed is a miss
  }
  if (parsed.version !== INDEX_VERSION || !Array.isArray(parsed.entries)) return index;
  for (const [digest, pack, offset, length, body] of parsed.entries) index.set(digest, { digest, pack, offset, length, body });
  return index;
}

/** A cache folder held by this build; `undefined` from openSeedCache when another build holds it. */
export interface OpenCache {
  dir: string;
  release(): void;
}

/**
 * Opens (and locks) the cache folder for this code under `root`; deletes the
 * folders of other code versions. Returns undefined when a running build holds it.
 */
export function openSeedCache(root: string): OpenCache | undefined {
  const dir = join(root, `seeds-${codeDigest()}`);
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, LOCK_FILE);
  if (!takeLock(lock)) return undefined;
  for (const name of readdirSync(root)) {
    if (name.startsWith('seeds-') && join(root, name) !== dir) rmSync(join(root, name), { recursive: true, force: true });
  }
  return { dir, release: () => rmSync(lock, { force: true }) };
}

function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch {
      const holder = Number(readFileSafe(lock));
      if (holder && holder !== process.pid && isRunning(holder)) return false;
      rmSync(lock, { force: true }); // left by a build that was stopped
    }
  }
  return false;
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Saves the index of this build's articles (the entries they were read from or
 * appended to) and deletes the packs that none of them points into. When less
 * than half of the packs' bytes are still pointed into, the live entries are
 * copied into one new pack first, so that edits do not grow the cache without end.
 */
export function saveSeedCache(dir: string, articles: readonly BuiltArticle[]): void {
  let entries = articles.flatMap((b) => (b.cached ? [b.cached] : []));
  const packs = readdirSync(dir).filter((name) => name.endsWith('.log'));
  const sizes = new Map(packs.map((name) => [name, statSync(join(dir, name)).size]));
  const live = entries.reduce((sum, e) => sum + e.length + e.body, 0);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (live < total / 2 && entries.length > 0) entries = compact(dir, entries);
  const index: IndexFile = { version: INDEX_VERSION, entries: entries.map((e) => [e.digest, e.pack, e.offset, e.length, e.body]) };
  const staged = join(dir, `${INDEX_FILE}.${process.pid}`);
  writeFileSync(staged, JSON.stringify(index));
  renameSync(staged, join(dir, INDEX_FILE));
  const used = new Set(entries.map((e) => e.pack));
  for (const name of packs) if (!used.has(name)) rmSync(join(dir, name), { force: true });
}

function compact(dir: string, entries: readonly CacheEntry[]): CacheEntry[] {
  const reader = new BodyReader();
  const pack = new BodyLog(dir);
  try {
    return entries.map((e) => {
      const bytes = reader.readBytes({ file: join(dir, e.pack), offset: e.offset, length: e.length + e.body });
      const at = pack.appendBytes(bytes);
      return { ...e, pack: basename(at.file), offset: at.offset };
    });
  } finally {
    reader.close();
    pack.close();
  }
}

/** The build's own code and what shapes its output: a change to any of them starts a new cache. */
function codeDigest(): string {
  const hash = createHash('sha256').update(`${BUNDLE_VERSION} ${INDEX_VERSION} ${process.versions.v8}`);
  const here = dirname(fileURLToPath(import.meta.url));
  for (const folder of [here, join(here, '../content')]) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      if (/\.[cm]?[jt]s$/.test(name)) hash.update(name).update(readFileSync(join(folder, name)));
    }
  }
  const require = createRequire(import.meta.url);
  for (const name of ['htmlparser2', 'entities']) {
    try {
      hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}`);
    } catch {
      hash.update(`${name}@?`);
    }
  }
  return hash.digest('base64url').slice(0, 16);
}

/**
 * The seeds cache: what reading a seed gave, kept by the digest of the seed's
 * bytes, so a rebuild parses and cleans only the seeds that changed.
 *
 * Each reading thread appends an entry per article it cleans to a pack file of
 * its own (body-log.ts): the article's id and indexed text (v8-serialized), then
 * its body. The pack is also where the body waits until it is written, so a cold
 * build writes nothing it did not write before except the entry. After a build,
 * `saveSeedCache` writes the index (digest → entry with the article's fields, and
 * each seed file's stamp → digest, so that an unchanged file is not even read)
 * and deletes packs no entry points into. The fields are in the index only: in
 * the packs as well, they were 9% of their bytes (20,000 articles: 141.5 MB of
 * packs, 129.2 MB without them, decision 0022). An entry that cannot be read is
 * a miss: the seed is read again, never trusted half-way.
 *
 * The cache lives in a folder named by a digest of the build's own code and
 * the versions it depends on: code that cleans differently never sees entries
 * the old code made. One build uses a cache folder at a time (a lock file);
 * another, meanwhile, builds without it.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, type BigIntStats } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { BUNDLE_VERSION } from '../content/bundle.ts';
import type { BaseArticle, BuildResult, BuiltArticle } from './article.ts';
import { BodyLog, BodyReader, bodyBytes, writeAll } from './body-log.ts';
import { buildBytes, readSeedBytes } from './build-file.ts';
import type { SeedFile } from './worker-pool.ts';
import { countTerms } from './related.ts';
import { codeDigest } from './code-digest.ts';

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

/** What an entry holds besides the body: the text, and the article's id, checked against the index's. */
interface EntryFields {
  id: string;
  text: string;
}

/** What the index keeps of an entry: where it is, and the article's fields without its text. */
interface IndexedEntry {
  entry: CacheEntry;
  article: BaseArticle;
  key: string;
}

const INDEX_FILE = 'index.bin';
const LOCK_FILE = 'lock';
const INDEX_VERSION = 4;
/** A file changed this close to when it was looked at might change again within the same tick of its clock: its stamp is not kept. */
const RACY_MS = 2000;

interface IndexFile {
  version: typeof INDEX_VERSION;
  /** digest, pack file name, offset, length, body length, the article's fields (no body), its canonical key. */
  entries: [string, string, number, number, number, BaseArticle, string][];
  /** Seed files known by their stamp (stampOf) without being read again: path, stamp, digest. */
  files: [string, string, string][];
}

interface CacheIndex {
  entries: Map<string, IndexedEntry>;
  files: Map<string, { stamp: string; digest: string }>;
}

/** The digest that names a seed's entry. */
function seedDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/**
 * What tells that a file's bytes are the ones read before, without reading them: size, inode, and the
 * times of the last change to its content (mtime) and to anything about it (ctime, which no tool can set
 * back: a copy that keeps the old mtime still gets a new ctime), to the nanosecond.
 */
function stampOf(path: string): { stamp: string; ctimeMs: number } | undefined {
  try {
    return stampOfStats(statSync(path, { bigint: true }));
  } catch {
    return undefined; // unreadable: buildFile says why
  }
}

function stampOfStats(s: BigIntStats): { stamp: string; ctimeMs: number } {
  return { stamp: `${s.size}:${s.ino}:${s.mtimeNs}:${s.ctimeNs}`, ctimeMs: Number(s.ctimeMs) };
}

/** A seed file's stamp, taken before it was read; `path` is the file's absolute path. */
export interface SeedStamp {
  path: string;
  stamp: string;
  ctimeMs: number;
}

/** Seed files' stamps, by the path shown for them. */
export type SeedStamps = Map<string, SeedStamp>;

/**
 * The seeds whose stamp is the one the last build kept, as articles made from the index alone, by their
 * position in `files`; their texts are read from the packs if asked for. Only files the index knows are
 * looked at here (their stamps are returned too): a file read is stamped as it is opened (SeedCache.build),
 * so a build from nothing makes no call here per file.
 */
export async function knownSeeds(dir: string, files: readonly SeedFile[]): Promise<{ known: Map<number, BuiltArticle>; stamps: SeedStamps }> {
  const index = loadIndex(dir);
  const known = new Map<number, BuiltArticle>();
  const stamps: SeedStamps = new Map();
  if (index.files.size === 0) return { known, stamps };
  for (let i = 0; i < files.length; i++) {
    // This runs while Vite compiles the app: its plugins get the thread between slices.
    if (i % STAMP_SLICE === STAMP_SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
    const f = files[i]!;
    if (!index.files.has(f.path)) continue;
    const stamped = stampOf(f.path);
    if (!stamped) continue;
    stamps.set(f.shown, { path: f.path, ...stamped });
    const record = index.files.get(f.path);
    const indexed = record?.stamp === stamped.stamp ? index.entries.get(record.digest) : undefined;
    if (indexed) known.set(i, fromIndex(dir, indexed, f.shown));
  }
  return { known, stamps };
}

const STAMP_SLICE = 500;

function fromIndex(dir: string, { entry, article, key }: IndexedEntry, shown: string): BuiltArticle {
  const built: Omit<BuiltArticle, 'text'> & { cached: CacheEntry } = {
    article: { ...article },
    key,
    file: shown,
    body: { file: join(dir, entry.pack), offset: entry.offset + entry.length, length: entry.body },
    cached: entry,
  };
  return withTextInCache(built, dir);
}

/** The article's text is read from its entry when first asked for: most rebuilds never ask. */
function withTextInCache(built: Omit<BuiltArticle, 'text'> & { cached: CacheEntry }, dir: string): BuiltArticle {
  const entry = built.cached;
  let text: string | undefined;
  return Object.defineProperty(built, 'text', {
    enumerable: true,
    get: () => (text ??= readText(dir, entry, built.article.id) ?? ''),
    // Setting it (to '') says the text is no longer needed.
    set: (value: string) => (text = value),
  }) as BuiltArticle;
}

/** The text of the article with this id from its entry, or undefined when the entry is not that article's. */
function readText(dir: string, entry: CacheEntry, id: string, reader?: BodyReader): string | undefined {
  const own = reader ?? new BodyReader();
  try {
    const fields = deserialize(own.readBytes({ file: join(dir, entry.pack), offset: entry.offset, length: entry.length })) as EntryFields;
    if (fields?.id !== id || typeof fields.text !== 'string') return undefined;
    return fields.text;
  } catch {
    return undefined; // a pack cut short or overwritten: read the seed again
  } finally {
    if (!reader) own.close();
  }
}

/**
 * Reads seeds through the cache, on one thread. Hits come from the index the
 * last build saved; misses are built and appended to this thread's pack.
 */
export class SeedCache {
  private index: CacheIndex | undefined;
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
    const stamp: SeedStamp = { path, ...stampOfStats(read.stats) };
    const digest = seedDigest(read.bytes);
    const hit = this.lookup(digest, shown);
    if (hit) return { ok: true, built: { ...hit, stamp } };
    const result = buildBytes(read.bytes, shown);
    if (!result.ok) return result; // refusals are not cached: they are reported on every build
    const { built } = result;
    built.stamp = stamp;
    const html = bodyBytes(built.article.html);
    built.article.html = '';
    const fields = serialize({ id: built.article.id, text: built.text } satisfies EntryFields);
    const at = this.pack.appendBytes(fields, html);
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
    const indexed = (this.index ??= loadIndex(this.dir)).entries.get(digest);
    if (!indexed) return undefined;
    const { entry, key } = indexed;
    const text = readText(this.dir, entry, indexed.article.id, this.reader);
    if (text === undefined) return undefined;
    // A copy: the index's own article stays as it was for the next seed with this digest.
    const article = { ...indexed.article };
    return {
      article,
      text,
      key,
      file: shown,
      counts: this.options.countHits ? countTerms({ title: article.title, text, source: article.source }) : undefined,
      body: { file: join(this.dir, entry.pack), offset: entry.offset + entry.length, length: entry.body },
      cached: entry,
    };
  }
}

/** The index file's first record: how many entries and files the records after it hold. */
interface IndexHeader {
  version: typeof INDEX_VERSION;
  entries: number;
  files: number;
}

/**
 * The index file as saveSeedCache writes it: records of a 4-byte length and that many bytes of v8-serialized
 * data, a header, then slices of entries, then slices of files. Throws on anything else, a cut-off file too.
 */
function readIndexFile(bytes: Buffer): IndexFile {
  let at = 0;
  const next = (): unknown => {
    if (at + 4 > bytes.length) throw new Error('index cut off');
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) throw new Error('index cut off');
    const record: unknown = deserialize(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
    return record;
  };
  const header = next() as IndexHeader;
  if (header?.version !== INDEX_VERSION || !Number.isInteger(header.entries) || !Number.isInteger(header.files)) throw new Error('not this index version');
  const read = <T>(count: number): T[] => {
    const all: T[] = [];
    while (all.length < count) {
      const slice = next();
      if (!Array.isArray(slice) || slice.length === 0) throw new Error('expected a slice of the index');
      for (const item of slice as T[]) all.push(item);
    }
    if (all.length !== count) throw new Error('index counts differ');
    return all;
  };
  const entries = read<IndexFile['entries'][number]>(header.entries);
  const files = read<IndexFile['files'][number]>(header.files);
  if (at !== bytes.length) throw new Error('index too long');
  return { version: INDEX_VERSION, entries, files };
}

/** The index last loaded on this thread, and the stamp of its file: the main thread asks twice in one build. */
let loaded: { path: string; stamp: string; index: CacheIndex } | undefined;

function loadIndex(dir: string): CacheIndex {
  const path = join(dir, INDEX_FILE);
  const stamp = stampOf(path)?.stamp;
  if (stamp && loaded?.path === path && loaded.stamp === stamp) return loaded.index;
  const index: CacheIndex = { entries: new Map(), files: new Map() };
  let parsed: IndexFile;
  try {
    parsed = readIndexFile(readFileSync(path));
  } catch {
    return index; // no index yet, or a damaged one: every seed is a miss
  }
  for (const [digest, pack, offset, length, body, article, key] of parsed.entries) {
    index.entries.set(digest, { entry: { digest, pack, offset, length, body }, article, key });
  }
  for (const [file, fileStamp, digest] of parsed.files) index.files.set(file, { stamp: fileStamp, digest });
  if (stamp) loaded = { path, stamp, index };
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
  // The build's own code and what shapes its output: a change to any of them starts a new cache.
  const dir = join(root, `seeds-${createHash('sha256').update(`${BUNDLE_VERSION} ${INDEX_VERSION} ${codeDigest()}`).digest('base64url').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, LOCK_FILE);
  if (!takeLock(lock)) return undefined;
  for (const name of readdirSync(root)) {
    if (name.startsWith('seeds-') && join(root, name) !== dir) rmSync(join(root, name), { recursive: true, force: true });
  }
  // An index being saved is `index.bin.<pid>`; one left by a build that was stopped is never read, and large.
  for (const name of readdirSync(dir)) if (name.startsWith(STAGED_PREFIX)) rmSync(join(dir, name), { force: true });
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
 * appended to, and the stamps of their files) and deletes the packs that none
 * of them points into. When less than half of the packs' bytes are still
 * pointed into, the live entries are copied into one new pack first, so that
 * edits do not grow the cache without end.
 */
export function saveSeedCache(dir: string, articles: readonly BuiltArticle[], stamps: SeedStamps, started: number): void {
  const cached = articles.filter((b) => b.cached);
  let entries = cached.map((b) => b.cached!);
  const packs = readdirSync(dir).filter((name) => name.endsWith('.log'));
  const sizes = new Map(packs.map((name) => [name, statSync(join(dir, name)).size]));
  const live = entries.reduce((sum, e) => sum + e.length + e.body, 0);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (live < total / 2 && entries.length > 0) entries = compact(dir, entries);
  // Written a slice at a time, each v8-serialized: at 100,000 articles the index is over 60 MB, too much to
  // hold at once, and JSON (one stringify per entry) took three times as long to write, twice as long to read.
  const staged = join(dir, `${STAGED_PREFIX}${process.pid}`);
  const fd = openSync(staged, 'w');
  try {
    const write = (record: unknown) => {
      const bytes = serialize(record);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      writeAll(fd, length);
      writeAll(fd, bytes);
    };
    const files = cached.flatMap((b) => {
      const stamped = stamps.get(b.file);
      return stamped && stamped.ctimeMs < started - RACY_MS ? [[stamped.path, stamped.stamp, b.cached!.digest] satisfies IndexFile['files'][number]] : [];
    });
    write({ version: INDEX_VERSION, entries: entries.length, files: files.length } satisfies IndexHeader);
    for (let i = 0; i < entries.length; i += SAVE_SLICE) {
      write(
        entries.slice(i, i + SAVE_SLICE).map((e, k) => {
          const b = cached[i + k]!;
          return [e.digest, e.pack, e.offset, e.length, e.body, { ...b.article, html: '' }, b.key] satisfies IndexFile['entries'][number];
        }),
      );
    }
    for (let i = 0; i < files.length; i += SAVE_SLICE) write(files.slice(i, i + SAVE_SLICE));
  } finally {
    closeSync(fd);
  }
  renameSync(staged, join(dir, INDEX_FILE));
  const used = new Set(entries.map((e) => e.pack));
  for (const name of packs) if (!used.has(name)) rmSync(join(dir, name), { force: true });
}

const SAVE_SLICE = 2000;
const STAGED_PREFIX = `${INDEX_FILE}.`;

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

/**
 * The last build's related-article search, kept in the seeds cache's folder
 * (seed-cache.ts): the index's vectors and term frequencies, each article's
 * seed digest and result. A rebuild after a few seeds changed restores the
 * index, takes the changed articles out and puts their new versions in, and
 * searches again only for the articles a change can reach: the changed ones,
 * those that listed them, and those they now list (as the dev server does,
 * live-related.ts). That takes milliseconds where searching 10,000 articles
 * again takes over a second.
 *
 * What it gives up: an article that was not searched again keeps the result
 * and the vector weighed with the term frequencies of an earlier build. One
 * article in 10,000 moves those frequencies by a hair; many do not. So the
 * changes since the last full search are counted (`drift`), and once they pass
 * MAX_DRIFT of the archive the next build searches everything again. A build
 * with SEEDS_CACHE=0 always does.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { writeAll } from './body-log.ts';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { BuiltArticle } from './article.ts';
import { relatedDoc } from './link-articles.ts';
import { RelatedIndex, type ExportedIndex, type IndexState, type RelatedDoc, type RelatedResult } from './related.ts';

const STATE_FILE = 'related.bin';
const RESULTS_FILE = 'related-results.txt';
const STATE_VERSION = 2;
/** Share of the archive that may change between full searches. */
const MAX_DRIFT = 0.02;
/** …and how many changes a small archive may take. */
const MIN_DRIFT = 20;

export interface RelatedState {
  index: IndexState;
  /** Seed digest of each indexed article, by slot. */
  seeds: string[];
  /** Each indexed article's result as JSON, by id. */
  results: Map<string, string>;
  /** Articles changed, added or removed since the last full search. */
  drift: number;
}

/** A search brought up to date: the index, every article's result, and how many were searched again. */
export interface UpdatedRelated {
  index: RelatedIndex;
  /** As JSON where the article was not searched again. */
  results: Map<string, string | RelatedResult>;
  searched: number;
  drift: number;
}

export function hasRelatedState(dir: string): boolean {
  return existsSync(join(dir, STATE_FILE)) && existsSync(join(dir, RESULTS_FILE));
}

/** The last build's search, if this build can start from it. */
export function loadRelatedState(dir: string): RelatedState | undefined {
  const path = join(dir, STATE_FILE);
  const resultsPath = join(dir, RESULTS_FILE);
  try {
    const bytes = readFileSync(path);
    const headerLength = bytes.readUInt32LE(0);
    const { version, lengths, index, ...rest } = deserialize(bytes.subarray(4, 4 + headerLength)) as Omit<RelatedState, 'results' | 'index'> & {
      version: number;
      lengths: number[];
      index: Pick<IndexState, 'ids' | 'termKeys'>;
    };
    if (version !== STATE_VERSION || index.ids.length !== rest.seeds.length) return undefined;
    // Each array is copied out of the file's buffer: typed arrays must start at a multiple of their element size.
    let at = 4 + headerLength;
    const take = <T extends Int32Array | Float32Array>(make: (buffer: ArrayBuffer) => T, length: number): T => {
      const copy = bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + length * 4);
      at += length * 4;
      return make(copy);
    };
    const [dfLength, offsetsLength, termsLength, weightsLength] = lengths as [number, number, number, number];
    const state: Omit<RelatedState, 'results'> = {
      ...rest,
      index: {
        ...index,
        df: take((b) => new Int32Array(b), dfLength),
        offsets: take((b) => new Int32Array(b), offsetsLength),
        terms: take((b) => new Int32Array(b), termsLength),
        weights: take((b) => new Float32Array(b), weightsLength),
      },
    };
    if (at !== bytes.length) return undefined;
    const results = new Map<string, string>();
    const text = readFileSync(resultsPath, 'utf8');
    for (let start = 0; start < text.length; ) {
      const tab = text.indexOf('\t', start);
      const end = text.indexOf('\n', start);
      if (tab === -1 || end === -1 || tab > end) return undefined;
      results.set(text.slice(start, tab), text.slice(tab + 1, end));
      start = end + 1;
    }
    return state.index.ids.every((id) => results.has(id)) ? { ...state, results } : undefined;
  } catch {
    return undefined;
  } finally {
    // A build that stops half-way must not leave a state that does not match the cache's index.
    rmSync(path, { force: true });
    rmSync(resultsPath, { force: true });
  }
}

/**
 * Each search result as it is found, one line per article (`id<TAB>json`), in a file beside the state:
 * at 100,000 articles the results are a hundred megabytes of strings that the build need not hold.
 */
export class ResultsLog {
  private readonly path: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(private readonly dir: string) {
    this.path = join(dir, `${RESULTS_FILE}.${process.pid}`);
    this.fd = openSync(this.path, 'w');
  }

  add(id: string, json: string): void {
    this.pending.push(`${id}\t${json}\n`);
    this.pendingLength += json.length;
    if (this.pendingLength > 1 << 20) this.flush();
  }

  /**
   * Saves the state with the results logged: the index, the seeds, the drift. The index's typed arrays
   * are written as they are, after a serialized header, a slice at a time: at 100,000 articles a copy of
   * the vectors alone is 80 MB.
   */
  save(state: SavedState): void {
    this.flush();
    closeSync(this.fd);
    const { df, vectors, ...index } = state.index;
    const total = vectors.reduce((sum, v) => sum + v.terms.length, 0);
    const lengths = [df.length, vectors.length + 1, total, total];
    const header = serialize({ version: STATE_VERSION, seeds: state.seeds, drift: state.drift, index, lengths });
    const staged = join(this.dir, `${STATE_FILE}.${process.pid}`);
    const fd = openSync(staged, 'w');
    try {
      const size = Buffer.alloc(4);
      size.writeUInt32LE(header.length);
      const out = new SliceWriter(fd);
      out.write(size);
      out.write(header);
      out.write(bytesOf(df));
      const offsets = new Int32Array(vectors.length + 1);
      vectors.forEach((v, i) => (offsets[i + 1] = offsets[i]! + v.terms.length));
      out.write(bytesOf(offsets));
      for (const v of vectors) out.write(bytesOf(v.terms));
      for (const v of vectors) out.write(bytesOf(v.weights));
      out.flush();
    } finally {
      closeSync(fd);
    }
    renameSync(this.path, join(this.dir, RESULTS_FILE));
    renameSync(staged, join(this.dir, STATE_FILE));
  }

  /** Gives up: nothing is saved. */
  discard(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    writeAll(this.fd, Buffer.from(this.pending.join('')));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** What a build saves of its search, besides the results. */
export interface SavedState {
  index: ExportedIndex;
  seeds: string[];
  drift: number;
}

function bytesOf(array: Int32Array | Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Many small writes gathered into 1 MB ones. */
class SliceWriter {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  constructor(private readonly fd: number) {}

  write(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buffer.length) this.flush();
    if (bytes.length > this.buffer.length) writeAll(this.fd, bytes);
    else {
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
    }
  }

  flush(): void {
    writeAll(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

/** The state to save after a search (without its results, which the ResultsLog has), or undefined when an article is not from the cache. */
export function stateOf(index: RelatedIndex, ordered: readonly BuiltArticle[], drift: number): SavedState | undefined {
  const seedOf = new Map(ordered.map((b) => [b.article.id, b.cached?.digest]));
  const exported = index.exportState();
  const seeds: string[] = [];
  for (const id of exported.ids) {
    const seed = seedOf.get(id);
    if (!seed) return undefined; // nothing to compare with next time
    seeds.push(seed);
  }
  return { index: exported, seeds, drift };
}

/**
 * Brings the last build's search up to date with `ordered`, or returns
 * undefined when everything must be searched again: too many changes, or an
 * earlier version of a changed article that can no longer be read.
 * `earlierDoc` gives the article a seed digest was read as, from the seeds cache.
 */
export function updateRelated(
  state: RelatedState,
  ordered: readonly BuiltArticle[],
  earlierDoc: (digest: string) => RelatedDoc | undefined,
): UpdatedRelated | undefined {
  const current = new Map(ordered.map((b) => [b.article.id, b]));
  const slots = new Map(state.index.ids.map((id, slot) => [id, slot]));
  const changed = new Set<string>();
  for (const b of ordered) {
    const slot = slots.get(b.article.id);
    if (slot === undefined || !b.cached || state.seeds[slot] !== b.cached.digest) changed.add(b.article.id);
  }
  for (const id of slots.keys()) if (!current.has(id)) changed.add(id);
  const drift = state.drift + changed.size;
  if (drift > Math.max(MIN_DRIFT, ordered.length * MAX_DRIFT)) return undefined;

  const docs: RelatedDoc[] = [];
  for (const [slot, id] of state.index.ids.entries()) {
    const b = current.get(id);
    const doc = b && !changed.has(id) ? relatedDoc(b) : earlierDoc(state.seeds[slot]!);
    if (!doc) return undefined;
    docs.push(doc);
  }
  const index = RelatedIndex.restore(state.index, docs);
  for (const id of changed) {
    const b = current.get(id);
    if (b) index.set(relatedDoc(b));
    else index.remove(id);
  }
  const results = new Map<string, string | RelatedResult>();
  for (const [id, json] of state.results) if (current.has(id)) results.set(id, json);
  const searched = searchAffected(index, results, changed, (id) => current.has(id));
  return { index, results, searched, drift };
}

/**
 * Searches again for the articles that `changed` can reach, in `results`: the changed articles still
 * present, the articles whose result lists one of them, and the articles a changed one now lists.
 * Returns how many were searched.
 */
export function searchAffected(index: RelatedIndex, results: Map<string, string | RelatedResult>, changed: ReadonlySet<string>, present: (id: string) => boolean): number {
  for (const id of changed) if (!present(id)) results.delete(id);
  const affected = new Set([...changed].filter(present));
  for (const [id, result] of results) {
    if (mentions(result, changed)) affected.add(id);
  }
  for (const id of changed) {
    if (!present(id)) continue;
    const result = index.query(id);
    results.set(id, result);
    // A changed article may now belong in the lists of the articles it lists.
    for (const m of [...result.related, ...result.versions]) affected.add(m.id);
  }
  for (const id of affected) if (!changed.has(id)) results.set(id, index.query(id));
  return affected.size;
}

function mentions(result: string | RelatedResult, ids: ReadonlySet<string>): boolean {
  if (typeof result === 'string') {
    for (const id of ids) if (result.includes(`"id":${JSON.stringify(id)}`)) return true;
    return false;
  }
  return result.related.some((m) => ids.has(m.id)) || result.versions.some((m) => ids.has(m.id));
}

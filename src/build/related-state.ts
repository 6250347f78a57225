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
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { BuiltArticle } from './article.ts';
import { relatedDoc } from './link-articles.ts';
import { RelatedIndex, type IndexState, type RelatedDoc, type RelatedResult } from './related.ts';

const STATE_FILE = 'related.bin';
const STATE_VERSION = 1;
/** Share of the archive that may change between full searches. */
const MAX_DRIFT = 0.02;
/** …and how many changes a small archive may take. */
const MIN_DRIFT = 20;

export interface RelatedState {
  index: IndexState;
  /** Seed digest of each indexed article, by slot. */
  seeds: string[];
  /** Each indexed article's result as JSON, by slot. */
  results: string[];
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
  return existsSync(join(dir, STATE_FILE));
}

/** The last build's search, if this build can start from it. */
export function loadRelatedState(dir: string): RelatedState | undefined {
  const path = join(dir, STATE_FILE);
  try {
    const bytes = readFileSync(path);
    const { version, ...state } = deserialize(bytes) as RelatedState & { version: number };
    if (version !== STATE_VERSION || state.index.ids.length !== state.seeds.length || state.seeds.length !== state.results.length) return undefined;
    return state;
  } catch {
    return undefined;
  } finally {
    // A build that stops half-way must not leave a state that does not match the cache's index.
    rmSync(path, { force: true });
  }
}

export function saveRelatedState(dir: string, state: RelatedState): void {
  const staged = join(dir, `${STATE_FILE}.${process.pid}`);
  const fd = openSync(staged, 'w');
  try {
    const bytes = serialize({ version: STATE_VERSION, ...state });
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    closeSync(fd);
  }
  renameSync(staged, join(dir, STATE_FILE));
}

/** The state to save after a search over `ordered` (index slots in the same order, or by id after an update). */
export function stateOf(index: RelatedIndex, results: ReadonlyMap<string, string | RelatedResult>, ordered: readonly BuiltArticle[], drift: number): RelatedState | undefined {
  const seedOf = new Map(ordered.map((b) => [b.article.id, b.cached?.digest]));
  const exported = index.exportState();
  const seeds: string[] = [];
  const found: string[] = [];
  for (const id of exported.ids) {
    const seed = seedOf.get(id);
    const result = results.get(id);
    if (!seed || result === undefined) return undefined; // an article not from the cache: nothing to compare with next time
    seeds.push(seed);
    found.push(typeof result === 'string' ? result : JSON.stringify(result));
  }
  return { index: exported, seeds, results: found, drift };
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
  state.index.ids.forEach((id, slot) => {
    if (current.has(id)) results.set(id, state.results[slot]!);
  });
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

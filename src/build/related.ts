import { IntMap } from './int-map.ts';
import { BODY_CHARS, compareKeys, hasWord, SHINGLE_CHARS, Searcher, type RelatedResult, type SearchDocs, type SearchTables, type TermKey } from './related-search.ts';

export type { RelatedMatch, RelatedResult } from './related-search.ts';

/**
 * Related articles and other versions, computed at build time.
 *
 * Text → weighted terms (title ×3, lead ×2, body ×1; Han character bigrams or
 * words, plus Latin words and numbers) → TF-IDF vectors, cosine-normalised,
 * keeping each article's strongest INDEXED_TERMS terms. Candidates come from an
 * inverted index over those terms, queried with the article's strongest terms
 * that any other article shares; terms in more than `maxDf` articles are
 * pruned, so no article is compared with all others. Candidates whose texts
 * overlap almost entirely (Jaccard of 4-character shingles) are other versions
 * of the same story, listed apart from the related ones.
 *
 * The index can be updated one article at a time (the dev server does), and
 * the evaluation script (`npm run eval:related`) uses this same code.
 */

export interface RelatedDoc {
  id: string;
  title: string;
  /** Plain text of the body, one line per block. */
  text: string;
  published: number;
  /** Outlet name; its words are boilerplate for its own articles. */
  source?: string;
  /**
   * The article's bigram terms counted already (countTerms), by the worker that read it; else the index counts
   * them. RelatedIndex.build takes them over: it writes term ids into their arrays, which cannot be used again.
   */
  counts?: TermCounts;
}

/**
 * An article's weighted term counts (title ×3, lead ×2, body ×1), outlet name
 * left out: what the index needs of its text, compact enough to cross from a
 * worker thread cheaply. Han bigrams are keyed by their two UTF-16 units.
 */
export interface TermCounts {
  bigrams: Uint32Array;
  bigramWeights: Uint16Array;
  words: string[];
  wordWeights: Uint16Array;
}

/** `bigram`: overlapping pairs of Han characters. `segmenter`: words from Intl.Segmenter. */
export type Tokenizer = 'bigram' | 'segmenter';

export interface RelatedOptions {
  tokenizer?: Tokenizer;
  /** How many related articles to return (default MAX_RELATED). */
  limit?: number;
}

export const MAX_RELATED = 5;
const INDEXED_TERMS = 100;
const LEAD_CHARS = 200;
/** The engine reads no further into a text than this: the rest need not be kept (or cached). */
export const INDEXED_TEXT_CHARS = Math.max(BODY_CHARS, SHINGLE_CHARS);

/** Han ideographs of the Basic Multilingual Plane (where nearly all news text is). */
function isHanUnit(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}
const LATIN_TOKEN = /[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]|[A-Za-z]/g;
/** Function characters: a bigram containing one (与朝, 的人) is grammar, not subject. A lookup table: it is asked for every character. */
const STOP_CODES = new Uint8Array(0x10000);
for (const c of '的了在是和与对也将为及或而被把从向于以其这那之并但又就都已还所着过让给更最很') STOP_CODES[c.charCodeAt(0)] = 1;
/** Words of every news page: credits, bylines, share prompts. */
const STOP_TERMS = new Set([
  '图片', '片来', '来源', '记者', '编辑', '责编', '分享', '转载', '版权', '摄影', '报道', '消息', '表示', '指出', '新闻',
  'the', 'and', 'for', 'with', 'from', 'that', 'this', 'photo', 'photos', 'getty', 'images', 'reuters', 'afp', 'ap',
  'epa', 'rfi', 'bbc', 'voa', 'rfa', 'dw', 'copyright', 'http', 'https', 'www', 'com',
]);

const STOP_BIGRAMS = new IntMap(64);
for (const t of STOP_TERMS) if (/^\p{Script=Han}{2}$/u.test(t)) STOP_BIGRAMS.set(bigramKey(t, 0), 1);

/** Words of a string, for Intl.Segmenter; pieces stay short because long inputs make it quadratic. */
let segmenter: Intl.Segmenter | undefined;
function* words(text: string): Generator<string> {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + 500);
    if (end < text.length) {
      const stop = text.slice(start, end).search(/[。！？；\n][^。！？；\n]*$/);
      if (stop > 100) end = start + stop + 1;
    }
    for (const part of segmenter.segment(text.slice(start, end))) if (part.isWordLike) yield part.segment;
    start = end;
  }
}

function latinTerm(token: string): string | null {
  const term = token.toLowerCase();
  if (STOP_TERMS.has(term)) return null;
  if (/^\d+$/.test(term) && (term.length < 3 || /^(19|20)\d\d$/.test(term))) return null; // small numbers and years are dates
  return term;
}

/** Receives the terms scanTerms finds. A method on an object, not a closure: the build's hot path stays monomorphic. */
interface TermSink {
  term(key: TermKey, weight: number): void;
}

/** Every weighted term occurrence of an article: title ×3, lead ×2, body ×1. */
function scanTerms(doc: Pick<RelatedDoc, 'title' | 'text'>, tokenizer: Tokenizer, sink: TermSink): void {
  scanText(doc.title, 3, tokenizer, sink);
  scanText(doc.text.slice(0, LEAD_CHARS), 2, tokenizer, sink);
  scanText(doc.text.slice(LEAD_CHARS, BODY_CHARS), 1, tokenizer, sink);
}

function scanText(text: string, weight: number, tokenizer: Tokenizer, sink: TermSink): void {
  if (tokenizer === 'segmenter') {
    for (const word of words(text)) {
      if (/^\p{Script=Han}+$/u.test(word)) {
        if (word.length >= 2 && !STOP_TERMS.has(word)) sink.term(word.length === 2 ? bigramKey(word, 0) : word, weight);
      } else {
        const term = latinTerm(word);
        if (term) sink.term(term, weight);
      }
    }
    return;
  }
  // One pass over UTF-16 units: Han bigrams inline, Latin tokens by regex only where there are any.
  let previous = -1;
  let latin = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isHanUnit(c)) {
      previous = -1;
      if (c < 128) latin = true;
      continue;
    }
    if (previous !== -1 && STOP_CODES[previous] === 0 && STOP_CODES[c] === 0) {
      const key = previous * 65536 + c;
      if (STOP_BIGRAMS.get(key) === -1) sink.term(key, weight);
    }
    previous = c;
  }
  if (latin) {
    for (const token of text.matchAll(LATIN_TOKEN)) {
      const term = latinTerm(token[0]);
      if (term) sink.term(term, weight);
    }
  }
}

const ownTerms = new Map<string, Set<TermKey>>();
/** Terms of an outlet's name, which are boilerplate in its own articles. */
function termKeysOf(source: string): Set<TermKey> {
  let keys = ownTerms.get(source);
  if (!keys) {
    const found = new Set<TermKey>();
    scanTerms({ title: source, text: '' }, 'bigram', { term: (key) => void found.add(key) });
    ownTerms.set(source, (keys = found));
  }
  return keys;
}

function bigramKey(text: string, at: number): number {
  return text.charCodeAt(at) * 65536 + text.charCodeAt(at + 1);
}

/**
 * Counts terms for countTerms, reused from article to article in a thread. Bigrams go into a small open-
 * addressing table of the article's own (a few thousand distinct ones fit in the processor's cache; a
 * table of every bigram the thread had seen did not), and only the slots used are cleared after.
 */
class TermCounter implements TermSink {
  /** Bigram keys by slot; 0 is an empty slot (no bigram is 0: Han units are all above 0x3400). */
  private keys = new Uint32Array(COUNTER_SLOTS);
  private weights = new Uint32Array(COUNTER_SLOTS);
  /** Slots in use, in order of first occurrence. */
  private used: number[] = [];
  private words = new Map<string, number>();
  own: Set<TermKey> | null = null;

  term(key: TermKey, weight: number): void {
    if (typeof key === 'string') {
      this.words.set(key, (this.words.get(key) ?? 0) + weight);
      return;
    }
    const slot = this.slotOf(key);
    if (this.keys[slot] === 0) {
      this.keys[slot] = key;
      this.used.push(slot);
      if (this.used.length * 2 > this.keys.length) return this.grow(slot, weight);
    }
    this.weights[slot]! += weight;
  }

  /** The counts gathered since the last take, in order of first occurrence, less the outlet's own terms; the counter is empty after. */
  take(): TermCounts {
    const { keys, weights, used, own } = this;
    // The outlet's own terms: a handful, looked up in the table once each, not a set lookup per term.
    if (own) {
      for (const key of own) {
        if (typeof key !== 'number') continue;
        const slot = this.slotOf(key);
        if (keys[slot] === key) weights[slot] = 0;
      }
    }
    const bigrams = new Uint32Array(used.length);
    const bigramWeights = new Uint16Array(used.length);
    let n = 0;
    for (const slot of used) {
      if (weights[slot] !== 0) {
        bigrams[n] = keys[slot]!;
        bigramWeights[n++] = Math.min(65535, weights[slot]!);
      }
      keys[slot] = 0;
      weights[slot] = 0;
    }
    used.length = 0;
    // A table grown for one very long text goes back to its usual size.
    if (keys.length > COUNTER_SLOTS) {
      this.keys = new Uint32Array(COUNTER_SLOTS);
      this.weights = new Uint32Array(COUNTER_SLOTS);
    }
    const words = [...this.words.keys()].filter((w) => !own?.has(w));
    const wordWeights = Uint16Array.from(words, (w) => Math.min(65535, this.words.get(w)!));
    this.words.clear();
    return { bigrams: bigrams.slice(0, n), bigramWeights: bigramWeights.slice(0, n), words, wordWeights };
  }

  /** The key's slot, or the empty slot where it would go. */
  private slotOf(key: number): number {
    const { keys } = this;
    const mask = keys.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> 0;
    slot = (slot ^ (slot >>> 15)) & mask;
    while (keys[slot] !== 0 && keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  /** Doubles the table (a very long text), then adds `weight` to the key just put in `slot`. */
  private grow(slot: number, weight: number): void {
    const key = this.keys[slot]!;
    const old = { keys: this.keys, weights: this.weights, used: this.used };
    this.keys = new Uint32Array(old.keys.length * 2);
    this.weights = new Uint32Array(old.keys.length * 2);
    this.used = [];
    for (const s of old.used) {
      const to = this.slotOf(old.keys[s]!);
      this.keys[to] = old.keys[s]!;
      this.weights[to] = old.weights[s]!;
      this.used.push(to);
    }
    this.weights[this.slotOf(key)]! += weight;
  }
}

/** Room for 4,096 distinct bigrams at half load: as many as a title and the BODY_CHARS indexed hold, nearly always. */
const COUNTER_SLOTS = 1 << 13;

let counter: TermCounter | undefined;

/** The bigram tokenizer's weighted counts of one article, for RelatedDoc.counts. */
export function countTerms(doc: Pick<RelatedDoc, 'title' | 'text' | 'source'>): TermCounts {
  counter ??= new TermCounter();
  counter.own = doc.source ? termKeysOf(doc.source) : null;
  scanTerms(doc, 'bigram', counter);
  return counter.take();
}

const EMPTY_COUNTS = { ids: new Int32Array(0), tfs: new Uint16Array(0) };
/** Terms per chunk of counted articles in build(): a few hundred articles' worth, 6 MB. */
const COUNTED_CHUNK = 1 << 20;
/** Terms per chunk of weighed vectors: 2,600 articles' worth, 2 MB. */
const VECTOR_CHUNK = 1 << 18;

/**
 * Pairs of typed arrays of one length, handed out as views of chunks shared by many articles: two typed arrays
 * of their own per article, each with its own backing store, cost the index a sixth of its time (profiled).
 * A view keeps its whole chunk in memory.
 */
class ChunkedPairs<A extends Int32Array, B extends Uint16Array | Float32Array> {
  private first: A;
  private second: B;
  private used = 0;

  constructor(
    private readonly make: (size: number) => [A, B],
    private readonly chunkSize: number,
  ) {
    [this.first, this.second] = make(0);
  }

  take(length: number): [A, B] {
    if (this.used + length > this.first.length) {
      [this.first, this.second] = this.make(Math.max(this.chunkSize, length));
      this.used = 0;
    }
    const at = this.used;
    this.used += length;
    return [this.first.subarray(at, at + length) as A, this.second.subarray(at, at + length) as B];
  }
}

interface Vector {
  terms: Int32Array;
  /** L2-normalised TF-IDF weights, strongest first. */
  weights: Float32Array;
}

/** What RelatedIndex.exportState() gives: the live articles' vectors, by slot. */
export interface ExportedIndex {
  ids: string[];
  termKeys: readonly (number | string)[];
  df: Int32Array;
  vectors: readonly { terms: Int32Array; weights: Float32Array }[];
}

/** An exported index as saved and loaded again: vectors of article i are terms/weights offsets[i] … offsets[i+1]. */
export interface IndexState {
  ids: string[];
  termKeys: (number | string)[];
  df: Int32Array;
  offsets: Int32Array;
  terms: Int32Array;
  weights: Float32Array;
}

export class RelatedIndex implements TermSink {
  private readonly tokenizer: Tokenizer;
  private readonly limit: number;
  private docs: (RelatedDoc | null)[] = [];
  private vectors: (Vector | null)[] = [];
  private byId = new Map<string, number>();
  private bigramIds = new IntMap();
  private wordIds = new Map<string, number>();
  private termKeys: TermKey[] = [];
  private df: number[] = [];
  /** Per-term scratch counts for the article being counted; zero between uses. */
  private scratch = new Float64Array(1024);
  private touched: number[] = [];
  /** Terms of the outlet's name for the article being counted. */
  private own: Set<TermKey> | null = null;
  private live = 0;
  /** The search over the index as it is now; made again after any change. */
  private searcher: Searcher | null = null;
  /** Scratch for weigh(): term weights, and a copy that selection reorders. */
  private weightBuffer = new Float64Array(4096);
  private selectBuffer = new Float64Array(4096);
  /** Scratch for weigh(): the positions of the terms not too common to keep, then the kept ones, strongest first. */
  private keptBuffer = new Int32Array(4096);
  private orderBuffer = new Int32Array(256);
  /** Where weigh() puts vectors: views into chunks shared by many articles, not two typed arrays of each one's own. */
  private vectorChunks = new ChunkedPairs((size) => [new Int32Array(size), new Float32Array(size)], VECTOR_CHUNK);

  constructor(options: RelatedOptions = {}) {
    this.tokenizer = options.tokenizer ?? 'bigram';
    this.limit = options.limit ?? MAX_RELATED;
  }

  /** Indexes many articles at once: document frequencies first, then every vector with the final ones. Takes the docs' `counts` over (writes into their arrays, and clears them). */
  static build(docs: readonly RelatedDoc[], options: RelatedOptions = {}): RelatedIndex {
    const index = new RelatedIndex(options);
    // Each article is tokenized once: its distinct terms and counts wait, compactly, until every document
    // frequency is known (about 3 MB per 1,000 articles), in chunks shared by many articles (ChunkedPairs).
    const counted: { ids: Int32Array; tfs: Uint16Array }[] = [];
    const chunks = new ChunkedPairs((size) => [new Int32Array(size), new Uint16Array(size)], COUNTED_CHUNK);
    for (const doc of docs) {
      const slot = index.docs.length;
      index.docs.push(doc);
      index.vectors.push(null);
      index.byId.set(doc.id, slot);
      const counts = index.tokenizer === 'bigram' ? doc.counts : undefined;
      if (counts) {
        // Counted by the thread that read it: each term once already, the outlet's own left out, with no
        // per-term scratch to add them up in and clear again. An article of bigrams only (most) keeps its
        // arrays: each bigram's id takes the bigram's place. Copies would be fresh memory in the middle of
        // a large heap, and the garbage collector's work (at 100,000 articles, 300 MB).
        const { bigrams, bigramWeights, words, wordWeights } = counts;
        const [ids, tfs] =
          words.length === 0
            ? [new Int32Array(bigrams.buffer, bigrams.byteOffset, bigrams.length), bigramWeights]
            : chunks.take(bigrams.length + words.length);
        if (tfs !== bigramWeights) tfs.set(bigramWeights);
        for (let i = 0; i < bigrams.length; i++) {
          let id = index.bigramIds.get(bigrams[i]!);
          if (id === -1) id = index.newTerm(bigrams[i]!);
          ids[i] = id;
          index.df[id]!++;
        }
        for (let i = 0, at = bigrams.length; i < words.length; i++, at++) {
          let id = index.wordIds.get(words[i]!) ?? -1;
          if (id === -1) id = index.newTerm(words[i]!);
          ids[at] = id;
          tfs[at] = wordWeights[i]!;
          index.df[id]!++;
        }
        counted.push({ ids, tfs });
      } else {
        const touched = index.count(doc);
        const [ids, tfs] = chunks.take(touched.length);
        for (let i = 0; i < touched.length; i++) {
          const id = touched[i]!;
          ids[i] = id;
          tfs[i] = Math.min(65535, index.scratch[id]!);
          index.df[id]!++;
        }
        index.clearScratch();
        counted.push({ ids, tfs });
      }
      // Counted, the article's term counts are only weight (about as large as its text): let them go.
      doc.counts = undefined;
    }
    index.live = docs.length;
    // Every document frequency is final now: each term's IDF is taken once, not once per article that has it
    // (-1 for a term too common to index).
    const idf = new Float64Array(index.df.length);
    const maxDf = index.maxDf();
    for (let t = 0; t < idf.length; t++) idf[t] = index.df[t]! > maxDf ? -1 : Math.log(1 + docs.length / index.df[t]!);
    counted.forEach(({ ids, tfs }, slot) => {
      index.vectors[slot] = index.weigh(ids, tfs, idf);
      counted[slot] = EMPTY_COUNTS; // free as we go
    });
    return index;
  }

  get size(): number {
    return this.live;
  }

  /** Lets go of what only searching needs (shingle sets, scratch arrays, postings); a later query makes them again. */
  releaseScratch(): void {
    this.searcher = null;
  }

  /**
   * The index as a search reads it, in memory that threads can share (search-worker.ts); with `docs`, a
   * thread searches as query() would. Only while the index does not change.
   */
  shareTables(): SearchTables {
    const tables = this.tables(sharedArray);
    // The index's own vectors become views of the shared ones: one copy in memory (80 MB at 100,000 articles), not two.
    const { vectorOffsets: at, vectorTerms, vectorWeights } = tables;
    this.vectors.forEach((v, slot) => {
      if (v) this.vectors[slot] = { terms: vectorTerms.subarray(at[slot], at[slot + 1]), weights: vectorWeights.subarray(at[slot], at[slot + 1]) };
    });
    return tables;
  }

  /**
   * The index as plain data, for a later build to start from (related-state.ts): the live articles' ids
   * and vectors, in slot order, with every term's document frequency. Texts are not kept. The vectors
   * and term keys are the index's own, not copies: save them before changing the index.
   */
  exportState(): ExportedIndex {
    const ids: string[] = [];
    const vectors: Vector[] = [];
    this.docs.forEach((doc, slot) => {
      const v = this.vectors[slot];
      if (!doc || !v) return;
      ids.push(doc.id);
      vectors.push(v);
    });
    return { ids, termKeys: this.termKeys, df: Int32Array.from(this.df), vectors };
  }

  /**
   * An index as exportState left it, with `docs[i]` the article at `state.ids[i]` (for an article that
   * changed since, its earlier version: set() and remove() take its terms out again). Vectors are
   * kept as they were weighed then; only articles set() later are weighed with today's frequencies.
   */
  static restore(state: IndexState, docs: readonly RelatedDoc[], options: RelatedOptions = {}): RelatedIndex {
    const index = new RelatedIndex(options);
    state.termKeys.forEach((key, id) => {
      if (typeof key === 'number') index.bigramIds.set(key, id);
      else index.wordIds.set(key, id);
    });
    index.termKeys = [...state.termKeys];
    index.df = Array.from(state.df);
    if (index.scratch.length < index.termKeys.length) index.scratch = new Float64Array(index.termKeys.length * 2);
    state.ids.forEach((id, slot) => {
      index.docs.push(docs[slot]!);
      index.byId.set(id, slot);
      const [from, to] = [state.offsets[slot]!, state.offsets[slot + 1]!];
      index.vectors.push({ terms: state.terms.subarray(from, to), weights: state.weights.subarray(from, to) });
    });
    index.live = state.ids.length;
    return index;
  }

  /** Adds or replaces one article. Other articles keep their vectors: only what changed is recomputed. */
  set(doc: RelatedDoc): void {
    let slot = this.byId.get(doc.id);
    if (slot !== undefined) this.countTerms(this.docs[slot]!, -1);
    else {
      slot = this.docs.length;
      this.docs.push(null);
      this.vectors.push(null);
      this.byId.set(doc.id, slot);
      this.live++;
    }
    this.docs[slot] = doc;
    this.countTerms(doc, +1);
    this.vectors[slot] = this.vectorOf(doc);
    this.searcher = null;
  }

  remove(id: string): void {
    const slot = this.byId.get(id);
    if (slot === undefined) return;
    this.countTerms(this.docs[slot]!, -1);
    this.docs[slot] = null;
    this.vectors[slot] = null;
    this.byId.delete(id);
    this.live--;
    this.searcher = null;
  }

  /** Related articles and other versions of one article. */
  query(id: string): RelatedResult {
    const slot = this.byId.get(id);
    if (slot === undefined) return { related: [], versions: [] };
    return this.search().search(slot);
  }

  /** Every article's result. */
  queryAll(): Map<string, RelatedResult> {
    const results = this.querySlots(0, this.docs.length);
    const byId = new Map<string, RelatedResult>();
    this.docs.forEach((doc, slot) => doc && byId.set(doc.id, results[slot]!));
    return byId;
  }

  /**
   * Results of the articles in slots from … to−1, in the order build() was given them (none for a
   * removed one); a range at a time, so the build can write articles while it searches for the next.
   * Each result depends only on the index, not on what was asked before. One accumulator is reused.
   */
  querySlots(from: number, to: number): (RelatedResult | undefined)[] {
    const searcher = this.search();
    const results: (RelatedResult | undefined)[] = [];
    for (let slot = from; slot < Math.min(to, this.docs.length); slot++) results.push(this.docs[slot] ? searcher.search(slot) : undefined);
    return results;
  }

  /** The articles by slot, as a search reads them. */
  readonly searchDocs: SearchDocs = {
    id: (slot) => this.docs[slot]?.id,
    title: (slot) => this.docs[slot]!.title,
    text: (slot) => this.docs[slot]!.text,
    hasWord: (slot, word) => hasWord(this.docs[slot]!.title, this.docs[slot]!.text, word),
  };

  private search(): Searcher {
    return (this.searcher ??= new Searcher(this.tables(localArray), this.searchDocs));
  }

  /** Weighted counts of the article's terms, by term id; the caller must call clearScratch(). */
  private count(doc: RelatedDoc): number[] {
    const counts = this.tokenizer === 'bigram' ? doc.counts : undefined;
    if (counts) {
      this.own = null;
      for (let i = 0; i < counts.bigrams.length; i++) this.term(counts.bigrams[i]!, counts.bigramWeights[i]!);
      for (let i = 0; i < counts.words.length; i++) this.term(counts.words[i]!, counts.wordWeights[i]!);
    } else {
      this.own = doc.source ? termKeysOf(doc.source) : null;
      scanTerms(doc, this.tokenizer, this);
    }
    return this.touched;
  }

  /** TermSink: one occurrence of a term, unless it belongs to the outlet's own name. */
  term(key: TermKey, weight: number): void {
    if (this.own?.has(key)) return;
    let id = typeof key === 'number' ? this.bigramIds.get(key) : (this.wordIds.get(key) ?? -1);
    if (id === -1) id = this.newTerm(key);
    if (this.scratch[id] === 0) this.touched.push(id);
    this.scratch[id]! += weight;
  }

  private newTerm(key: TermKey): number {
    const id = this.termKeys.length;
    if (typeof key === 'number') this.bigramIds.set(key, id);
    else this.wordIds.set(key, id);
    this.termKeys.push(key);
    this.df.push(0);
    if (id >= this.scratch.length) {
      const grown = new Float64Array(this.scratch.length * 2);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    return id;
  }

  private clearScratch(): void {
    for (const id of this.touched) this.scratch[id] = 0;
    this.touched.length = 0;
  }

  private countTerms(doc: RelatedDoc, delta: 1 | -1): void {
    for (const id of this.count(doc)) this.df[id]! += delta;
    this.clearScratch();
  }

  /** Terms in more articles than this say little about any of them, and their postings would make the search quadratic. */
  private maxDf(): number {
    return Math.max(50, Math.min(Math.floor(this.live * 0.05), 1000));
  }

  private vectorOf(doc: RelatedDoc): Vector {
    const ids = Int32Array.from(this.count(doc));
    const tfs = Uint16Array.from(ids, (id) => Math.min(65535, this.scratch[id]!));
    this.clearScratch();
    return this.weigh(ids, tfs);
  }

  /** TF-IDF weights of an article's terms, strongest INDEXED_TERMS kept, L2-normalised; `idf` by term id, when known for every term. */
  private weigh(ids: Int32Array, tfs: Uint16Array, idf?: Float64Array): Vector {
    const n = Math.max(this.live, 1);
    const maxDf = this.maxDf();
    if (this.weightBuffer.length < ids.length) {
      this.weightBuffer = new Float64Array(ids.length * 2);
      this.selectBuffer = new Float64Array(ids.length * 2);
      this.keptBuffer = new Int32Array(ids.length * 2);
    }
    const w = this.weightBuffer;
    const kept = this.keptBuffer;
    let keptCount = 0;
    for (let i = 0; i < ids.length; i++) {
      let termIdf: number;
      if (idf) termIdf = idf[ids[i]!]!;
      else {
        const df = this.df[ids[i]!]!;
        termIdf = df > maxDf ? -1 : Math.log(1 + n / df);
      }
      w[i] = termIdf < 0 ? -1 : logTf(tfs[i]!) * termIdf;
      if (w[i]! >= 0) kept[keptCount++] = i;
    }
    // Only terms at or above the INDEXED_TERMS-th weight are sorted; the rest cannot be kept.
    let floor = -1;
    if (keptCount > INDEXED_TERMS) {
      const values = this.selectBuffer;
      for (let k = 0; k < keptCount; k++) values[k] = w[kept[k]!]!;
      floor = kthLargest(values, keptCount, INDEXED_TERMS);
    }
    // The terms at or above the floor, strongest first, by insertion into a scratch array: a comparison
    // callback per pair was a quarter of the index's time (profiled). Ties by the term itself, not its id:
    // ids depend on the order articles arrived in.
    if (this.orderBuffer.length < keptCount) this.orderBuffer = new Int32Array(keptCount * 2);
    const order = this.orderBuffer;
    const keys = this.termKeys;
    let count = 0;
    for (let k = 0; k < keptCount; k++) {
      const i = kept[k]!;
      const weight = w[i]!;
      if (weight < floor) continue;
      let j = count - 1;
      for (; j >= 0 && (w[order[j]!]! < weight || (w[order[j]!] === weight && compareKeys(keys[ids[order[j]!]!]!, keys[ids[i]!]!) > 0)); j--) order[j + 1] = order[j]!;
      order[j + 1] = i;
      count++;
    }
    count = Math.min(count, INDEXED_TERMS);
    let norm = 0;
    for (let k = 0; k < count; k++) norm += w[order[k]!]! * w[order[k]!]!;
    norm = Math.sqrt(norm) || 1;
    const [terms, weights] = this.vectorChunks.take(count);
    for (let k = 0; k < count; k++) {
      terms[k] = ids[order[k]!]!;
      weights[k] = w[order[k]!]! / norm;
    }
    return { terms, weights };
  }

  /** The vectors and the inverted index in compressed-row form (SearchTables), in arrays made by `array`. */
  private tables(array: ArrayMaker): SearchTables {
    const slots = this.vectors.length;
    const terms = this.termKeys.length;
    const vectorOffsets = array(Int32Array, slots + 1);
    for (let slot = 0; slot < slots; slot++) vectorOffsets[slot + 1] = vectorOffsets[slot]! + (this.vectors[slot]?.terms.length ?? 0);
    const vectorTerms = array(Int32Array, vectorOffsets[slots]!);
    const vectorWeights = array(Float32Array, vectorOffsets[slots]!);
    const postingOffsets = array(Int32Array, terms + 1);
    for (let slot = 0; slot < slots; slot++) {
      const v = this.vectors[slot];
      if (!v) continue;
      vectorTerms.set(v.terms, vectorOffsets[slot]!);
      vectorWeights.set(v.weights, vectorOffsets[slot]!);
      for (let i = 0; i < v.terms.length; i++) postingOffsets[v.terms[i]! + 1]!++;
    }
    for (let t = 0; t < terms; t++) postingOffsets[t + 1]! += postingOffsets[t]!;
    const fill = postingOffsets.slice(0, terms);
    const postingSlots = array(Int32Array, postingOffsets[terms]!);
    const postingWeights = array(Float32Array, postingOffsets[terms]!);
    for (let slot = 0; slot < slots; slot++) {
      for (let i = vectorOffsets[slot]!; i < vectorOffsets[slot + 1]!; i++) {
        const at = fill[vectorTerms[i]!]!++;
        postingSlots[at] = slot;
        postingWeights[at] = vectorWeights[i]!;
      }
    }
    const published = array(Float64Array, slots);
    this.docs.forEach((doc, slot) => (published[slot] = doc?.published ?? 0));
    const df = array(Int32Array, terms);
    df.set(this.df);
    return { limit: this.limit, maxDf: this.maxDf(), termKeys: this.termKeys, df, vectorOffsets, vectorTerms, vectorWeights, postingOffsets, postingSlots, postingWeights, published };
  }
}

type TypedArrayOf<T> = T extends new (length: number) => infer A ? A : never;
type ArrayMaker = <C extends Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor>(type: C, length: number) => TypedArrayOf<C>;

const localArray: ArrayMaker = (type, length) => new type(length) as never;
/** A typed array in memory that other threads can be given without a copy. */
const sharedArray: ArrayMaker = (type, length) => {
  const over = type as unknown as new (buffer: SharedArrayBuffer) => unknown;
  return new over(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT)) as never;
};

/** 1 + ln(tf) for the small counts nearly every term has, computed once. */
const LOG_TF = Float64Array.from({ length: 256 }, (_, tf) => 1 + Math.log(tf));

function logTf(tf: number): number {
  return tf < 256 ? LOG_TF[tf]! : 1 + Math.log(tf);
}

/** The k-th largest of values[0 … length-1] (Hoare's selection; reorders values). */
function kthLargest(values: Float64Array, length: number, k: number): number {
  let low = 0;
  let high = length - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else return values[target]!;
  }
  return values[target]!;
}

/** Related articles and other versions for every article. */
export function computeRelated(docs: readonly RelatedDoc[], options: RelatedOptions = {}): Map<string, RelatedResult> {
  return RelatedIndex.build(docs, options).queryAll();
}

/**
 * The related-article search over an index built by RelatedIndex (related.ts):
 * candidates from the inverted index, ranked by cosine, other versions told
 * apart by the overlap of their texts, and the shared terms a reader would
 * recognise.
 *
 * It reads the index as typed arrays and each article's id, title and text by
 * slot, so the same code searches on the thread that built the index and on
 * search threads that share its arrays (search-worker.ts).
 */

/** A term's key: a Han bigram packs its two UTF-16 units into one number; other terms are strings. */
export type TermKey = number | string;

/** The engine indexes the title and this much of the body. */
export const BODY_CHARS = 4000;
const QUERY_TERMS = 32;
/** Below this cosine, two articles are not shown as related. */
const MIN_SCORE = 0.02;
/** From this cosine up, the texts are compared to see whether they are one story. */
const VERSION_MIN_SCORE = 0.45;
const VERSION_MIN_JACCARD = 0.5;
const SHINGLE = 4;
export const SHINGLE_CHARS = 6000;
const SHINGLE_CACHE = 2048;

export interface RelatedMatch {
  id: string;
  /** Cosine similarity of the two articles' term vectors, 0–1. */
  score: number;
  /** The shared terms that weigh most, as a reader would recognise them. */
  terms: string[];
}

export interface RelatedResult {
  related: RelatedMatch[];
  /** The same story saved again or republished with small edits. */
  versions: RelatedMatch[];
}

/**
 * The index as a search reads it: typed arrays (shareable between threads) and the term keys. The vector of
 * slot i is terms/weights vectorOffsets[i] … vectorOffsets[i+1], L2-normalised, strongest first; the postings
 * of term t are postingOffsets[t] … postingOffsets[t+1], in slot order.
 */
export interface SearchTables {
  /** Related articles (and other versions) to list at most. */
  limit: number;
  /** Terms in more articles than this are not asked: they say little, and their postings are long. */
  maxDf: number;
  termKeys: readonly TermKey[];
  df: Int32Array;
  vectorOffsets: Int32Array;
  vectorTerms: Int32Array;
  vectorWeights: Float32Array;
  postingOffsets: Int32Array;
  postingSlots: Int32Array;
  postingWeights: Float32Array;
  /** Each slot's publication time: read for every candidate, where the article objects lie all over the heap. */
  published: Float64Array;
}

/** The articles a search lists and compares, by slot. */
export interface SearchDocs {
  /** The article's id, or undefined for a slot whose article was removed. */
  id(slot: number): string | undefined;
  title(slot: number): string;
  /** Plain text of the body, as indexed (its first SHINGLE_CHARS at least). */
  text(slot: number): string;
  /** Whether the word is in the title or in the indexed part of the body (hasWord). */
  hasWord(slot: number, word: string): boolean;
}

export function compareKeys(a: TermKey, b: TermKey): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === 'number' ? -1 : 1;
}

export function termName(key: TermKey): string {
  return typeof key === 'string' ? key : String.fromCharCode(Math.floor(key / 65536), key % 65536);
}

/** Searches one index, one article at a time; keeps its scratch arrays and recent shingle sets between searches. */
export class Searcher {
  /** Scores by slot (zero between uses), and the slots given one. */
  private readonly accumulator: Float64Array;
  /** The slots given a score, in the order they were: room for every slot, so it never grows (an array emptied after each search gave its memory back, and grew again: a tenth of the search thread's samples and much of its garbage, profiled). */
  private readonly touched: Int32Array;
  /** The best candidates so far, as slots and scores (no pair allocated per candidate). */
  private candidateSlots: Int32Array;
  private candidateScores: Float64Array;
  /** Scratch for sharedTerms(): the searched article's weights by term id (zero between searches), and the shared terms' products. */
  private readonly termWeights: Float64Array;
  private productTerms = new Int32Array(128);
  private productWeights = new Float64Array(128);
  private shingles = new Map<number, Uint32Array>();

  constructor(
    private readonly tables: SearchTables,
    private readonly docs: SearchDocs,
  ) {
    this.accumulator = new Float64Array(tables.published.length);
    this.touched = new Int32Array(tables.published.length);
    this.termWeights = new Float64Array(tables.termKeys.length);
    this.candidateSlots = new Int32Array(2 * 4 * tables.limit);
    this.candidateScores = new Float64Array(2 * 4 * tables.limit);
  }

  /** Related articles and other versions of the article in `slot`. */
  search(slot: number): RelatedResult {
    const { vectorOffsets, vectorTerms, vectorWeights, postingOffsets: offsets, postingSlots, postingWeights, df, maxDf, limit } = this.tables;
    const acc = this.accumulator;
    const touched = this.touched;
    let touchedCount = 0;
    let asked = 0;
    for (let i = vectorOffsets[slot]!; i < vectorOffsets[slot + 1]! && asked < QUERY_TERMS; i++) {
      const t = vectorTerms[i]!;
      const from = offsets[t]!;
      const to = offsets[t + 1]!;
      // Only terms another article shares can find it; terms grown too common since are skipped.
      if (to - from < 2 || df[t]! > maxDf) continue;
      asked++;
      const w = vectorWeights[i]!;
      for (let p = from; p < to; p++) {
        const other = postingSlots[p]!;
        if (other === slot) continue;
        if (acc[other] === 0) touched[touchedCount++] = other;
        acc[other]! += postingWeights[p]! * w;
      }
    }
    // Keep the best few candidates only; sorting thousands per article would dominate. They are kept in
    // two typed arrays, and ordered by score with a stable insertion sort: what Array.sort gave, without
    // an array per candidate for the garbage collector (7.7 s of a 25.6 s search at 100,000 articles, profiled).
    const keep = limit * 4;
    if (this.candidateSlots.length < keep * 2) {
      this.candidateSlots = new Int32Array(keep * 2);
      this.candidateScores = new Float64Array(keep * 2);
    }
    const slots = this.candidateSlots;
    const scores = this.candidateScores;
    let count = 0;
    let floor = MIN_SCORE;
    for (let k = 0; k < touchedCount; k++) {
      const other = touched[k]!;
      const score = acc[other]!;
      acc[other] = 0;
      if (score < floor || this.docs.id(other) === undefined) continue;
      slots[count] = other;
      scores[count++] = score;
      if (count >= keep * 2) {
        sortByScore(slots, scores, count);
        count = keep;
        floor = Math.max(MIN_SCORE, scores[keep - 1]! * 0.98);
      }
    }
    // Each candidate as [slot, score, how far apart the two dates are], the distance worked out once.
    const { published } = this.tables;
    const date = published[slot]!;
    const candidates: [number, number, number][] = [];
    for (let k = 0; k < count; k++) candidates.push([slots[k]!, scores[k]!, Math.abs(published[slots[k]!]! - date)]);
    candidates.sort((a, b) =>
      // Scores within 2% are a tie: the nearer date wins, then the id, for determinism.
      Math.abs(a[1] - b[1]) > 0.02 * Math.max(a[1], b[1]) ? b[1] - a[1] : a[2] - b[2] || (this.docs.id(a[0])! < this.docs.id(b[0])! ? -1 : 1),
    );
    const related: RelatedMatch[] = [];
    const versions: RelatedMatch[] = [];
    // The article's own weights by term id, for sharedTerms() with each candidate listed; zero again after.
    const ownWeights = this.termWeights;
    const [ownFrom, ownTo] = [vectorOffsets[slot]!, vectorOffsets[slot + 1]!];
    for (let i = ownFrom; i < ownTo; i++) ownWeights[vectorTerms[i]!] = vectorWeights[i]!;
    for (const [other, score] of candidates) {
      if (related.length >= limit && (score < VERSION_MIN_SCORE || versions.length >= limit)) break;
      const isVersion = score >= VERSION_MIN_SCORE && this.jaccard(slot, other) >= VERSION_MIN_JACCARD;
      const list = isVersion ? versions : related;
      if (list.length >= limit) continue;
      const terms = this.sharedTerms(slot, other);
      if (!isVersion && terms.length < 2) continue;
      list.push({ id: this.docs.id(other)!, score: Math.round(Math.min(1, score) * 1000) / 1000, terms });
    }
    for (let i = ownFrom; i < ownTo; i++) ownWeights[vectorTerms[i]!] = 0;
    return { related, versions };
  }

  /** Jaccard similarity of the two bodies' 4-character shingle sets (exact; computed only for close candidates). */
  private jaccard(a: number, b: number): number {
    const sa = this.shingleSet(a);
    const sb = this.shingleSet(b);
    if (sa.length === 0 || sb.length === 0) return 0;
    // Both sorted and distinct: one merge counts what they share.
    let common = 0;
    for (let i = 0, j = 0; i < sa.length && j < sb.length; ) {
      if (sa[i]! < sb[j]!) i++;
      else if (sa[i]! > sb[j]!) j++;
      else {
        common++;
        i++;
        j++;
      }
    }
    return common / (sa.length + sb.length - common);
  }

  /** The body's distinct shingle hashes, sorted: 4 bytes each, where a Set<number> took about 30. */
  private shingleSet(slot: number): Uint32Array {
    let set = this.shingles.get(slot);
    if (!set) {
      const text = this.docs.text(slot).slice(0, SHINGLE_CHARS).replace(/\s+/g, '');
      const hashes = new Uint32Array(Math.max(0, text.length - SHINGLE + 1));
      for (let i = 0; i < hashes.length; i++) {
        let h = 0x811c9dc5;
        for (let j = 0; j < SHINGLE; j++) h = Math.imul(h ^ text.charCodeAt(i + j), 0x01000193);
        hashes[i] = h >>> 0;
      }
      hashes.sort();
      let distinct = 0;
      for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) hashes[distinct++] = hashes[i]!;
      set = hashes.slice(0, distinct);
      // Close candidates are mostly near in time, so near in the search order: a bounded cache of the
      // most recent sets serves them, where keeping every set took over a gigabyte at 100,000 articles.
      if (this.shingles.size >= SHINGLE_CACHE) this.shingles.delete(this.shingles.keys().next().value!);
      this.shingles.set(slot, set);
    }
    return set;
  }

  /**
   * The heaviest terms article `a` shares with `b`, with overlapping bigrams joined back into words (绍伊 +
   * 伊古 → 绍伊古). Reads a's weights from the scratch array, where search() put them for all its candidates.
   */
  private sharedTerms(a: number, b: number): string[] {
    const { vectorOffsets, vectorTerms, vectorWeights, termKeys: keys } = this.tables;
    // Indexed loops: a callback per term here, and for-of over a typed array, were an eighth of the search's
    // time (profiled). The shared terms and their products, heaviest first (ties by the term), in scratch
    // arrays rather than an object per shared term.
    const ownWeights = this.termWeights;
    const [bFrom, bTo] = [vectorOffsets[b]!, vectorOffsets[b + 1]!];
    if (this.productTerms.length < bTo - bFrom) {
      this.productTerms = new Int32Array(bTo - bFrom);
      this.productWeights = new Float64Array(bTo - bFrom);
    }
    const terms = this.productTerms;
    const weights = this.productWeights;
    let count = 0;
    for (let i = bFrom; i < bTo; i++) {
      const t = vectorTerms[i]!;
      const w = ownWeights[t]! * vectorWeights[i]!;
      if (!(w > 0)) continue;
      let j = count - 1;
      for (; j >= 0 && (weights[j]! < w || (weights[j] === w && compareKeys(keys[terms[j]!]!, keys[t]!) > 0)); j--) {
        terms[j + 1] = terms[j]!;
        weights[j + 1] = weights[j]!;
      }
      terms[j + 1] = t;
      weights[j + 1] = w;
      count++;
    }
    const shared: string[] = [];
    for (let k = 0; k < Math.min(count, 10); k++) shared.push(termName(keys[terms[k]!]!));
    const found: string[] = [];
    const used = new Set<string>();
    for (const term of shared) {
      if (used.has(term)) continue;
      let word = term;
      used.add(term);
      for (let grown = true; grown; ) {
        grown = false;
        for (const next of shared) {
          if (used.has(next) || next[0] !== word[word.length - 1]) continue;
          const longer = word + next.slice(1);
          if (this.docs.hasWord(a, longer) && this.docs.hasWord(b, longer)) {
            word = longer;
            used.add(next);
            grown = true;
          }
        }
      }
      if (!found.some((w) => w.includes(word))) found.push(word);
      if (found.length === 4) break;
    }
    return found;
  }
}

/**
 * Whether the word is in the title or the indexed part of the body. Searches both in place: joining them
 * into one string made a copy of 4,000 characters per comparison, most of the search's garbage.
 */
export function hasWord(title: string, text: string, word: string): boolean {
  if (title.includes(word)) return true;
  const at = text.indexOf(word);
  return at !== -1 && at + word.length <= BODY_CHARS;
}

/** Orders the first `count` candidates by score, highest first, equal scores in the order they came (a stable sort). */
function sortByScore(slots: Int32Array, scores: Float64Array, count: number): void {
  for (let k = 1; k < count; k++) {
    const slot = slots[k]!;
    const score = scores[k]!;
    let j = k - 1;
    for (; j >= 0 && scores[j]! < score; j--) {
      slots[j + 1] = slots[j]!;
      scores[j + 1] = scores[j]!;
    }
    slots[j + 1] = slot;
    scores[j + 1] = score;
  }
}

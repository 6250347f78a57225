/**
 * Related articles, computed at build time. Chinese has no spaces, so text is
 * indexed as Han character bigrams plus Latin words; title and lead weigh more
 * than the body. Each article keeps its strongest TF-IDF terms; an inverted
 * index over those terms finds candidates without comparing all pairs, and
 * cosine similarity ranks them. Terms found in too many articles are pruned.
 */

export interface RelatedDoc {
  id: string;
  title: string;
  /** Plain text of the body, one line per block. */
  text: string;
  published: number;
}

export interface RelatedMatch {
  id: string;
  /** Cosine similarity of the two articles' term vectors, 0–1. */
  score: number;
  /** The shared terms that weigh most, as a reader would recognise them. */
  terms: string[];
}

export const MAX_RELATED = 5;
/** Terms kept per article in the index, and the strongest of them used to look for others. */
const INDEXED_TERMS = 120;
const QUERY_TERMS = 40;
const BODY_CHARS = 4000;
const LEAD_CHARS = 200;
const MIN_SCORE = 0.02;

const HAN_RUN = /\p{Script=Han}+/gu;
/** Function characters: a bigram containing one (与朝, 的人) is grammar, not subject. */
const STOP_CHARS = new Set('的了在是和与对也将为及或而被把从向于以其这那之并但又就都已还所着过让给更最很'.split(''));
const LATIN_WORD = /[A-Za-z][A-Za-z'-]{2,}/g;

/** Weighted term counts: title ×3, lead ×2, body ×1. */
export function termCounts(doc: Pick<RelatedDoc, 'title' | 'text'>): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const run of text.matchAll(HAN_RUN)) {
      const chars = run[0];
      for (let i = 0; i + 1 < chars.length; i++) {
        if (STOP_CHARS.has(chars[i]!) || STOP_CHARS.has(chars[i + 1]!)) continue;
        const term = chars.slice(i, i + 2);
        counts.set(term, (counts.get(term) ?? 0) + weight);
      }
    }
    for (const word of text.matchAll(LATIN_WORD)) {
      const term = word[0].toLowerCase();
      counts.set(term, (counts.get(term) ?? 0) + weight);
    }
  };
  add(doc.title, 3);
  add(doc.text.slice(0, LEAD_CHARS), 2);
  add(doc.text.slice(LEAD_CHARS, BODY_CHARS), 1);
  return counts;
}

interface Vector {
  terms: number[];
  weights: number[];
}

export function computeRelated(docs: readonly RelatedDoc[]): Map<string, RelatedMatch[]> {
  const termIds = new Map<string, number>();
  const df: number[] = [];
  const counted = docs.map((doc) => {
    const counts = termCounts(doc);
    const ids: number[] = [];
    const tfs: number[] = [];
    for (const [term, tf] of counts) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = df.length;
        termIds.set(term, id);
        df.push(0);
      }
      df[id]!++;
      ids.push(id);
      tfs.push(tf);
    }
    return { ids, tfs };
  });

  const n = docs.length;
  // Terms in more articles than this say little about any of them, and their
  // postings would make the search quadratic.
  const maxDf = Math.max(50, Math.min(Math.floor(n * 0.05), 1000));
  const vectors: Vector[] = counted.map(({ ids, tfs }) => {
    const scored = ids
      .map((id, i) => ({ id, w: df[id]! > maxDf ? 0 : (1 + Math.log(tfs[i]!)) * Math.log(1 + n / df[id]!) }))
      .filter((t) => t.w > 0)
      .sort((a, b) => b.w - a.w || a.id - b.id)
      .slice(0, INDEXED_TERMS);
    const norm = Math.hypot(...scored.map((t) => t.w)) || 1;
    return { terms: scored.map((t) => t.id), weights: scored.map((t) => t.w / norm) };
  });

  const postings = new Map<number, { doc: number; w: number }[]>();
  vectors.forEach((v, doc) => v.terms.forEach((term, i) => {
    let list = postings.get(term);
    if (!list) postings.set(term, (list = []));
    list.push({ doc, w: v.weights[i]! });
  }));

  const names = [...termIds.keys()];
  const result = new Map<string, RelatedMatch[]>();
  // One accumulator reused for every article: typed arrays, not a Map per article.
  const acc = new Float64Array(n);
  const touched: number[] = [];
  vectors.forEach((v, doc) => {
    // Look others up by the strongest terms that at least one other article has.
    let asked = 0;
    for (let i = 0; i < v.terms.length && asked < QUERY_TERMS; i++) {
      const list = postings.get(v.terms[i]!)!;
      if (list.length < 2) continue;
      asked++;
      const w = v.weights[i]!;
      for (const p of list) {
        if (p.doc === doc) continue;
        if (acc[p.doc] === 0) touched.push(p.doc);
        acc[p.doc]! += p.w * w;
      }
    }
    const scores: [number, number][] = [];
    for (const other of touched) {
      if (acc[other]! >= MIN_SCORE) scores.push([other, acc[other]!]);
      acc[other] = 0;
    }
    touched.length = 0;
    const published = docs[doc]!.published;
    const best = scores
      .sort(([a, sa], [b, sb]) =>
        // Scores within 2% are a tie; the nearer date wins, then the id for determinism.
        Math.abs(sa - sb) > 0.02 * Math.max(sa, sb)
          ? sb - sa
          : Math.abs(docs[a]!.published - published) - Math.abs(docs[b]!.published - published) || (docs[a]!.id < docs[b]!.id ? -1 : 1),
      )
      .slice(0, MAX_RELATED);
    result.set(
      docs[doc]!.id,
      best.map(([other, score]) => ({
        id: docs[other]!.id,
        score: Math.round(Math.min(1, score) * 1000) / 1000,
        terms: sharedTerms(v, vectors[other]!, names, docs[doc]!, docs[other]!),
      })),
    );
  });
  return result;
}

/** The heaviest shared terms, with overlapping bigrams joined back into words (绍伊 + 伊古 → 绍伊古). */
function sharedTerms(a: Vector, b: Vector, names: string[], docA: RelatedDoc, docB: RelatedDoc): string[] {
  const weightB = new Map(b.terms.map((t, i) => [t, b.weights[i]!]));
  const shared = a.terms
    .map((t, i) => ({ term: names[t]!, w: a.weights[i]! * (weightB.get(t) ?? 0) }))
    .filter((s) => s.w > 0)
    .sort((x, y) => y.w - x.w || (x.term < y.term ? -1 : 1))
    .slice(0, 10)
    .map((s) => s.term);
  const textA = `${docA.title}\n${docA.text.slice(0, BODY_CHARS)}`;
  const textB = `${docB.title}\n${docB.text.slice(0, BODY_CHARS)}`;
  const words: string[] = [];
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
        if (textA.includes(longer) && textB.includes(longer)) {
          word = longer;
          used.add(next);
          grown = true;
        }
      }
    }
    if (!words.some((w) => w.includes(word))) words.push(word);
    if (words.length === 4) break;
  }
  return words;
}

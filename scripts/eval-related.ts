/**
 * `npm run eval:related -- <seedsDir> [--tokenizer bigram|segmenter|both] [--limit N] [--baseline-queries N]`
 *
 * Measures the related-article engine on a task with a known answer: every
 * article's text is cut in two halves that become separate documents, each
 * with its first sentence as its title. A half should find its twin. Prints
 * recall@1 and recall@5 of the engine (the same RelatedIndex the build uses)
 * and of a naive baseline that ranks by the number of title characters shared.
 */
import { performance } from 'node:perf_hooks';
import { readArchive } from '../src/build/archive.ts';
import { RelatedIndex, type RelatedDoc, type Tokenizer } from '../src/build/related.ts';

interface Half extends RelatedDoc {
  twin: string;
}

/** Splits an article's text near its middle, at a line or sentence end, into two titled halves. */
export function halves(id: string, text: string, published: number): [Half, Half] {
  const middle = Math.floor(text.length / 2);
  let cut = text.indexOf('\n', middle);
  if (cut === -1 || cut - middle > 400) cut = text.slice(middle).search(/[。！？]/) + middle + 1;
  if (cut <= 0 || cut >= text.length) cut = middle;
  const titled = (part: string, half: string, twin: string): Half => {
    const end = part.search(/[。！？\n]/);
    const title = (end === -1 ? part.slice(0, 40) : part.slice(0, end + 1)).slice(0, 60);
    return { id: `${id}:${half}`, title, text: part.slice(title.length), published, twin: `${id}:${twin}` };
  };
  return [titled(text.slice(0, cut), 'a', 'b'), titled(text.slice(cut), 'b', 'a')];
}

function engineRecall(docs: Half[], tokenizer: Tokenizer) {
  const started = performance.now();
  const results = RelatedIndex.build(docs, { tokenizer, limit: 5 }).queryAll();
  const ms = performance.now() - started;
  let at1 = 0;
  let at5 = 0;
  for (const doc of docs) {
    const result = results.get(doc.id)!;
    // Rank by score over related and versions together: a twin may look like another version.
    const ranked = [...result.versions, ...result.related].sort((a, b) => b.score - a.score).map((m) => m.id);
    const rank = ranked.indexOf(doc.twin);
    if (rank === 0) at1++;
    if (rank !== -1 && rank < 5) at5++;
  }
  return { at1: at1 / docs.length, at5: at5 / docs.length, ms };
}

function baselineRecall(docs: Half[], queries: number) {
  const started = performance.now();
  const chars = docs.map((d) => new Set([...d.title].filter((c) => /\p{Script=Han}/u.test(c))));
  const position = new Map(docs.map((d, i) => [d.id, i]));
  const step = Math.max(1, Math.floor(docs.length / queries));
  let at1 = 0;
  let at5 = 0;
  let asked = 0;
  for (let q = 0; q < docs.length; q += step) {
    asked++;
    const mine = chars[q]!;
    const twin = position.get(docs[q]!.twin)!;
    const shared = (i: number) => {
      let n = 0;
      for (const c of chars[i]!) if (mine.has(c)) n++;
      return n;
    };
    const twinScore = shared(twin);
    let better = 0;
    for (let i = 0; i < docs.length && better < 5; i++) {
      if (i === q || i === twin) continue;
      const s = shared(i);
      if (s > twinScore || (s === twinScore && i < twin)) better++;
    }
    if (better === 0) at1++;
    if (better < 5) at5++;
  }
  return { at1: at1 / asked, at5: at5 / asked, ms: performance.now() - started, asked };
}

async function main(argv: string[]) {
  const option = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at === -1 ? undefined : argv[at + 1];
  };
  const seedsDir = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!seedsDir) {
    console.error('usage: npm run eval:related -- <seedsDir> [--tokenizer bigram|segmenter|both] [--limit N] [--baseline-queries N]');
    process.exit(2);
  }
  const tokenizerArg = option('tokenizer') ?? 'bigram';
  const tokenizers: Tokenizer[] = tokenizerArg === 'both' ? ['bigram', 'segmenter'] : [tokenizerArg as Tokenizer];
  const limit = Number(option('limit') ?? Infinity);
  const archive = await readArchive(seedsDir);
  const articles = archive.articles.slice(0, limit);
  const docs = articles.flatMap((b) => halves(b.article.id, b.text, b.article.published));
  console.log(`${articles.length} articles → ${docs.length} half-documents`);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  for (const tokenizer of tokenizers) {
    const r = engineRecall(docs, tokenizer);
    console.log(`engine (${tokenizer}):  recall@1 ${pct(r.at1)}  recall@5 ${pct(r.at5)}  (${Math.round(r.ms)} ms)`);
  }
  const b = baselineRecall(docs, Number(option('baseline-queries') ?? 2000));
  console.log(`baseline (shared title characters, ${b.asked} queries):  recall@1 ${pct(b.at1)}  recall@5 ${pct(b.at5)}  (${Math.round(b.ms)} ms)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));

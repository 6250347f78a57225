import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { buildArticle, type BuiltArticle } from '../../src/build/article.ts';
import { BARE_SITE, BARE_TEMPLATE } from '../../src/build/static-pages.ts';
import { builtArticle } from '../helpers/bundle.ts';
import { Linker, relatedDoc, timelineOrder, withRevision } from '../../src/build/link-articles.ts';
import { RelatedIndex } from '../../src/build/related.ts';
import { SearchThreads } from '../../src/build/search-threads.ts';
import { TextArena } from '../../src/build/text-arena.ts';
import { writeArchive } from '../../src/build/write-articles.ts';
import { tempDir } from '../helpers/run.ts';

/** Synthetic articles (with republished ones among them) in timeline order, as the index takes them. */
function synthArchive(count: number): BuiltArticle[] {
  const built: BuiltArticle[] = [];
  for (let i = 0; i < count; i++) {
    const result = buildArticle(new TextEncoder().encode(synthSeed(i, 5).text), `s${i}.txt`);
    if (!result.ok) throw new Error(result.error.kind);
    built.push(result.built);
  }
  return built.sort((a, b) => timelineOrder(a.article, b.article));
}

describe('SearchThreads', () => {
  it('gives every article the result the index gives it on its own thread, other versions included', async () => {
    const ordered = synthArchive(400);
    const index = RelatedIndex.build(ordered.map(relatedDoc));
    const expected = index.querySlots(0, ordered.length).map((result) => JSON.stringify(result));
    expect(expected.filter((json) => JSON.parse(json).versions.length > 0).length, 'articles with another version').toBeGreaterThan(10);
    expect(expected.filter((json) => JSON.parse(json).related.length > 0).length, 'articles with related ones').toBeGreaterThan(300);

    const threads = SearchThreads.start(index, ordered, new TextArena(), 2);
    try {
      const ranges = [[0, 150], [150, 300], [300, 400]] as const;
      const found = await Promise.all(ranges.map(([from, to]) => threads.search(from, to)));
      expect(found.flat()).toEqual(expected);
    } finally {
      await threads.close();
    }
  });
});

describe('TextArena', () => {
  it('keeps an empty text that comes first (an article with no body text broke the build)', () => {
    const arena = new TextArena();
    const built = ['', '正文'].map((text) => ({ text }) as BuiltArticle);
    built.forEach((b) => arena.adopt(b));
    expect(built.map((b) => b.text)).toEqual(['', '正文']);
  });
  it('gives back every text exactly, surrogate pairs and a lone surrogate included, and lets one go when it is set', () => {
    const arena = new TextArena();
    const texts = ['花莲地震\n救援', '', 'emoji 🙂 and a lone \ud800 unit', '长'.repeat(6000)];
    const built = texts.map((text) => ({ text }) as BuiltArticle);
    built.forEach((b) => arena.adopt(b));
    expect(built.map((b) => b.text)).toEqual(texts);
    expect(arena.read(arena.refOf(built[2]!))).toBe(texts[2]);
    built[0]!.text = '';
    expect(built[0]!.text).toBe('');
    expect(built[1]!.text, 'the others are kept').toBe('');
    expect(built[3]!.text).toBe(texts[3]);
  });
});

describe('writeArchive', () => {
  it('links every article, with search threads, to the related articles one thread finds (1,200 articles)', async () => {
    const ordered = synthArchive(1200);
    // The index takes its docs' term counts over (it writes term ids into them): writeArchive needs its own.
    const results = RelatedIndex.build(ordered.map((b) => ({ ...relatedDoc(b), counts: structuredClone(b.counts) }))).queryAll();
    const linker = new Linker(ordered, (id) => results.get(id));
    const expected = new Map(ordered.map((b, i) => [b.article.id, withRevision(linker.link(i)).article]));
    const arena = new TextArena();
    ordered.forEach((b) => arena.adopt(b));

    const outDir = tempDir('search-threads-');
    const pages = { outDir, template: BARE_TEMPLATE, site: BARE_SITE };
    const { timings } = await writeArchive([...ordered].reverse(), join(outDir, 'data'), pages, { texts: arena });
    expect(timings, 'the search ran on threads').toMatch(/waited for the search threads/);
    for (const [id, article] of expected) expect(builtArticle(outDir, id), id).toEqual(article);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArticle, type BuiltArticle } from '../../src/build/article.ts';
import { linkArticles, linkedArticles, relatedDoc, timelineOrder } from '../../src/build/link-articles.ts';
import { computeRelated } from '../../src/build/related.ts';
import { inMemory, writeArchive, writeArticles } from '../../src/build/write-articles.ts';
import { assemble, readArchive } from '../../src/build/archive.ts';
import { buildFiles } from '../../src/build/worker-pool.ts';
import { articlePage } from '../../src/build/static-pages.ts';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { articlePageFile, readArticlePage } from '../../src/content/bundle.ts';

const site = { base: '/', siteUrl: '', name: '新闻存档' };
const template = '<!doctype html><html><head><title>新闻存档</title></head><body><div id="root"></div></body></html>';

function built(count: number): BuiltArticle[] {
  return Array.from({ length: count }, (_, i) => {
    const result = buildArticle(new TextEncoder().encode(synthSeed(i, 5).text), `s${i}.txt`);
    if (!result.ok) throw new Error(result.error.kind);
    return result.built;
  });
}

describe('writeArticles', () => {
  it('writes on worker threads exactly the files one thread would, in timeline order', async () => {
    const articles = built(120);
    // The index takes its docs' term counts over (it writes term ids into them): the writes below need their own.
    const expected = linkArticles(articles.map((b) => ({ ...b, counts: structuredClone(b.counts) })));
    const ordered = [...articles].sort((a, b) => timelineOrder(a.article, b.article));
    const related = computeRelated(ordered.map(relatedDoc));
    const linked = linkedArticles(ordered, (id) => related.get(id));

    const out = mkdtempSync(join(tmpdir(), 'write-'));
    const written = await writeArticles(inMemory(linked), { dataDir: join(out, 'data'), pages: { outDir: out, template, site } }, { threads: 2, inlineBelow: 0 });

    expect(written.map((w) => w.summary.id), 'summaries in timeline order').toEqual(expected.map((a) => a.id));
    expect(written.map((w) => w.summary.rev), 'revisions').toEqual(expected.map((a) => a.rev));
    expect(readdirSync(join(out, 'a')).length, 'pages').toBe(120);
    for (const article of expected) {
      const page = readFileSync(join(out, articlePageFile(article.id)), 'utf8');
      expect(page, `page of ${article.id}`).toBe(articlePage(template, article, site));
      expect(readArticlePage(page, article.id), `the article its page holds, ${article.id}`).toEqual(article);
    }
    expect(readdirSync(out), 'no file but the pages for the articles').toEqual(['a']);
    expect(written.find((w) => w.summary.id === expected[0]!.id)!.bytes).toBe(Buffer.byteLength(articlePage(template, expected[0]!, site)));
  });

  it('fails with the reason when a writer cannot write, instead of leaving articles out', async () => {
    const articles = built(30);
    const ordered = [...articles].sort((a, b) => timelineOrder(a.article, b.article));
    const linked = linkedArticles(ordered, () => undefined);
    const out = mkdtempSync(join(tmpdir(), 'write-'));
    const blocked = join(out, 'a');
    writeFileSync(blocked, 'a file where the pages folder should be');
    await expect(writeArticles(inMemory(linked), { dataDir: join(out, 'data'), pages: { outDir: out, template, site } }, { threads: 2, inlineBelow: 0 })).rejects.toThrow(/writing articles failed: .*(EEXIST|ENOTDIR)/);
  });

  it('writes bodies set aside on disk by the seed workers exactly as bodies kept in memory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bodies-'));
    const seeds = join(root, 'seeds');
    mkdirSync(seeds);
    for (let i = 0; i < 300; i++) writeFileSync(join(seeds, `s${String(i).padStart(3, '0')}.txt`), synthSeed(i, 7).text);
    const bodies = join(root, 'bodies');

    const files = readdirSync(seeds).map((name) => ({ path: join(seeds, name), shown: name }));
    const results = await buildFiles(files, { threads: 2, forceWorkers: true, bodies });
    const setAside = results.flatMap((r) => (r.ok ? [r.built] : []));
    expect(setAside.length, 'articles built').toBe(300);
    expect(setAside.every((b) => b.article.html === '' && b.body !== undefined), 'no body travels with its article').toBe(true);

    const inMemory = await readArchive(seeds);
    expect(inMemory.articles.every((b) => b.article.html.length > 0 && b.body === undefined), 'without a body folder, bodies stay with their articles').toBe(true);
    const site = { base: '/', siteUrl: '', name: '新闻存档' };
    const [a, b] = [join(root, 'out-a'), join(root, 'out-b')];
    const fromDisk = await writeArchive(assemble(results, files.length).articles, join(a, 'data'), { outDir: a, template, site });
    const fromMemory = await writeArchive(inMemory.articles, join(b, 'data'), { outDir: b, template, site });
    expect(fromDisk.summaries, 'summaries').toEqual(fromMemory.summaries);
    for (const summary of fromMemory.summaries) {
      const written = readFileSync(join(a, articlePageFile(summary.id)), 'utf8');
      expect(written, `page of ${summary.id}`).toBe(readFileSync(join(b, articlePageFile(summary.id)), 'utf8'));
      expect(readArticlePage(written, summary.id)!.html.length, `body of ${summary.id}`).toBeGreaterThan(100);
    }
    expect(readdirSync(bodies).length, 'body files are left for the caller to remove').toBeGreaterThan(0);
  });
});

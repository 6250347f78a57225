import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArticle, type BuiltArticle } from '../../src/build/article.ts';
import { linkArticles, linkedArticles, relatedDoc, timelineOrder } from '../../src/build/link-articles.ts';
import { computeRelated } from '../../src/build/related.ts';
import { writeArticles } from '../../src/build/write-articles.ts';
import { articlePage, articlePagePath } from '../../src/build/static-pages.ts';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { articleFile } from '../../src/content/bundle.ts';

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
    const expected = linkArticles(articles);
    const ordered = [...articles].sort((a, b) => timelineOrder(a.article, b.article));
    const related = computeRelated(ordered.map(relatedDoc));
    const linked = linkedArticles(ordered, (id) => related.get(id));

    const out = mkdtempSync(join(tmpdir(), 'write-'));
    const written = await writeArticles(linked, { dataDir: join(out, 'data'), pages: { outDir: out, template, site } }, { threads: 2, inlineBelow: 0 });

    expect(written.map((w) => w.summary.id), 'summaries in timeline order').toEqual(expected.map((a) => a.id));
    expect(written.map((w) => w.summary.rev), 'revisions').toEqual(expected.map((a) => a.rev));
    expect(readdirSync(join(out, 'a')).length, 'pages').toBe(120);
    for (const article of expected) {
      expect(readFileSync(join(out, 'data', articleFile(article.id)), 'utf8'), `data file of ${article.id}`).toBe(JSON.stringify(article));
      expect(readFileSync(join(out, articlePagePath(article.id)), 'utf8'), `page of ${article.id}`).toBe(articlePage(template, article, site));
    }
    expect(written.find((w) => w.summary.id === expected[0]!.id)!.bytes).toBe(Buffer.byteLength(JSON.stringify(expected[0]!)));
  });

  it('fails with the reason when a writer cannot write, instead of leaving articles out', async () => {
    const articles = built(30);
    const ordered = [...articles].sort((a, b) => timelineOrder(a.article, b.article));
    const linked = linkedArticles(ordered, () => undefined);
    const out = mkdtempSync(join(tmpdir(), 'write-'));
    const blocked = join(out, 'data');
    writeFileSync(blocked, 'a file where the data folder should be');
    await expect(writeArticles(linked, { dataDir: blocked }, { threads: 2, inlineBelow: 0 })).rejects.toThrow(/writing articles failed: .*(EEXIST|ENOTDIR)/);
  });
});

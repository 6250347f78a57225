/** A real bundle, built in memory from seed texts, served by a fake fetch. */
import { indexFiles, summaryOf } from '../../src/build/bundle-files.ts';
import { buildArticle, type BuiltArticle } from '../../src/build/article.ts';
import { linkArticles } from '../../src/build/link-articles.ts';
import { printSeed, type Seed } from '../../src/build/seed.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTICLE_BODY_END, ARTICLE_BODY_START, ARTICLE_DATA_START, DATA_DIR, articlePageFile, readArticlePage, type Article } from '../../src/content/bundle.ts';
import { articlePage, BARE_SITE, BARE_TEMPLATE } from '../../src/build/static-pages.ts';

/** Data files by their path under the data folder; article pages by theirs under the site (`a/<id>.html`). */
export type BundleFiles = Map<string, string>;

export function bundleFrom(seedTexts: string[]): BundleFiles {
  const built: BuiltArticle[] = seedTexts.map((text, i) => {
    const result = buildArticle(new TextEncoder().encode(text), `seed-${i}.txt`);
    if (!result.ok) throw new Error(result.error.message);
    return result.built;
  });
  const entries = linkArticles(built).map((article) => ({ article, page: pageOf(article) }));
  const files = indexFiles(entries.map(({ article, page }) => ({ summary: summaryOf(article), bytes: Buffer.byteLength(page) })));
  for (const { article, page } of entries) files.set(articlePageFile(article.id), page);
  return files;
}

/** An article's page as the bundle command writes it (on the bare template). */
export function pageOf(article: Article): string {
  return articlePage(BARE_TEMPLATE, article, BARE_SITE);
}

/** The article in a bundle's page. */
export function articleIn(files: BundleFiles, id: string): Article {
  return readArticlePage(files.get(articlePageFile(id))!, id)!;
}

/** Writes the article's page again with what `change` makes of the article. */
export function changeArticle(files: BundleFiles, id: string, change: (article: Article) => Article): void {
  files.set(articlePageFile(id), pageOf(change(articleIn(files, id))));
}

/** Puts `html` in place of the body an article's page shows, byte for byte, as someone who tampered with the page would. */
export function withBody(page: string, html: string): string {
  const start = page.indexOf(ARTICLE_BODY_START) + ARTICLE_BODY_START.length;
  return `${page.slice(0, start)}${html}${page.slice(page.lastIndexOf(ARTICLE_BODY_END))}`;
}

/** The page with what `change` makes of the article's fields in its data block (its body as it is). */
export function withData(page: string, change: (fields: Record<string, unknown>) => Record<string, unknown>): string {
  const start = page.indexOf(ARTICLE_DATA_START) + ARTICLE_DATA_START.length;
  const end = page.indexOf('</script>', start);
  const fields = change(JSON.parse(page.slice(start, end)) as Record<string, unknown>);
  return `${page.slice(0, start)}${JSON.stringify(fields).replace(/</g, '\\u003c')}${page.slice(end)}`;
}

/** The article as a built site in `outDir` holds it, read from its page. */
export function builtArticle(outDir: string, id: string): Article {
  const article = readArticlePage(readFileSync(join(outDir, articlePageFile(id)), 'utf8'), id);
  if (!article) throw new Error(`${id}: no article in its page`);
  return article;
}

export function seedText(seed: Partial<Seed> & Pick<Seed, 'url'>): string {
  return printSeed({ published: Date.UTC(2024, 0, 1), title: '标题', body: '<p>正文</p>', ...seed });
}

/** fetch() over the files, data files under `/data/`, pages under `/`; unknown files answer 404. */
export function fakeFetch(files: BundleFiles, { unreachable = [] }: { unreachable?: readonly string[] } = {}) {
  const requests: string[] = [];
  const fetcher = async (url: string): Promise<Response> => {
    requests.push(url);
    const path = url.replace(new RegExp(`^/(${DATA_DIR}/)?`), '');
    // What fetch() does when no answer comes: no network, or a host the connection cannot reach.
    if (unreachable.includes(path)) throw new TypeError('Failed to fetch');
    const body = files.get(path);
    return body === undefined
      ? new Response('not found', { status: 404 })
      : new Response(body, { status: 200, headers: { 'Content-Type': path.endsWith('.html') ? 'text/html' : 'application/json' } });
  };
  return { fetcher, requests };
}

/** A real bundle, built in memory from seed texts, served by a fake fetch. */
import { indexFiles, summaryOf } from '../../src/build/bundle-files.ts';
import { buildArticle, type BuiltArticle } from '../../src/build/article.ts';
import { linkArticles } from '../../src/build/link-articles.ts';
import { printSeed, type Seed } from '../../src/build/seed.ts';
import { DATA_DIR, articleFile } from '../../src/content/bundle.ts';

export type BundleFiles = Map<string, string>;

export function bundleFrom(seedTexts: string[]): BundleFiles {
  const built: BuiltArticle[] = seedTexts.map((text, i) => {
    const result = buildArticle(new TextEncoder().encode(text), `seed-${i}.txt`);
    if (!result.ok) throw new Error(result.error.message);
    return result.built;
  });
  const entries = linkArticles(built).map((article) => ({ article, json: JSON.stringify(article) }));
  const files = indexFiles(entries.map(({ article, json }) => ({ summary: summaryOf(article), bytes: Buffer.byteLength(json) })));
  for (const { article, json } of entries) files.set(articleFile(article.id), json);
  return files;
}

export function seedText(seed: Partial<Seed> & Pick<Seed, 'url'>): string {
  return printSeed({ published: Date.UTC(2024, 0, 1), title: '标题', body: '<p>正文</p>', ...seed });
}

/** fetch() over the files, under `/data/`; unknown files answer 404. */
export function fakeFetch(files: BundleFiles, { unreachable = [] }: { unreachable?: readonly string[] } = {}) {
  const requests: string[] = [];
  const fetcher = async (url: string): Promise<Response> => {
    requests.push(url);
    const path = url.replace(new RegExp(`^/${DATA_DIR}/`), '');
    // What fetch() does when no answer comes: no network, or a host the connection cannot reach.
    if (unreachable.includes(path)) throw new TypeError('Failed to fetch');
    const body = files.get(path);
    return body === undefined
      ? new Response('not found', { status: 404 })
      : new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetcher, requests };
}

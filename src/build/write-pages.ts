/** Writes the static pages next to the built app: one per article, 404.html, sitemap and robots.txt. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Article } from '../content/bundle.ts';
import { articlePage, articlePagePath, robots, sitemapFiles, type SiteOptions } from './static-pages.ts';

export function writeStaticPages(outDir: string, articles: readonly Article[], site: SiteOptions): void {
  const template = readFileSync(join(outDir, 'index.html'), 'utf8');
  mkdirSync(join(outDir, dirname(articlePagePath('x'))), { recursive: true });
  for (const article of articles) writeFileSync(join(outDir, articlePagePath(article.id)), articlePage(template, article, site));
  // Static hosts (GitHub Pages and others) serve 404.html for unknown paths: the app then shows the right view.
  writeFileSync(join(outDir, '404.html'), template);
  if (site.siteUrl) for (const [name, content] of sitemapFiles(articles, site)) writeFileSync(join(outDir, name), content);
  writeFileSync(join(outDir, 'robots.txt'), robots(site));
}

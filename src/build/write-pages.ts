/** Writes the built site's own files beside the article pages: 404.html, the sitemap and robots.txt. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArticleSummary } from '../content/bundle.ts';
import { robots, sitemapFiles, type SiteOptions } from './static-pages.ts';

export function writeSiteFiles(outDir: string, template: string, articles: readonly ArticleSummary[], site: SiteOptions): void {
  // Static hosts (GitHub Pages and others) serve 404.html for unknown paths: the app then shows the right view.
  writeFileSync(join(outDir, '404.html'), template);
  if (site.siteUrl) for (const [name, content] of sitemapFiles(articles, site)) writeFileSync(join(outDir, name), content);
  writeFileSync(join(outDir, 'robots.txt'), robots(site));
}

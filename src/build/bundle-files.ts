/**
 * From built articles to the bundle's files (path → JSON text). Pure and
 * deterministic: the same articles give byte-identical files, whatever order
 * the seed files were read in.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  BUNDLE_VERSION,
  MANIFEST_FILE,
  TIMELINE_PAGE_SIZE,
  timelinePageFile,
  type Article,
  type ArticleSummary,
  type Facet,
  type FacetIndex,
  type Manifest,
  type MonthRef,
  type TimelinePage,
} from '../content/bundle.ts';
import type { BaseArticle, BuiltArticle } from './article.ts';
import { timelineOrder } from './link-articles.ts';
import { seedError, type SeedError } from './errors.ts';

/**
 * One article per canonical URL: the newest seed wins (ties go to the file
 * name that sorts last), every other is reported. Distinct URLs whose ids
 * collide are reported too, never merged.
 */
export function dedupe(built: BuiltArticle[]): { articles: BuiltArticle[]; errors: SeedError[] } {
  const byKey = new Map<string, BuiltArticle>();
  const errors: SeedError[] = [];
  const sorted = [...built].sort((a, b) => b.article.published - a.article.published || compare(b.file, a.file));
  for (const candidate of sorted) {
    const kept = byKey.get(candidate.key);
    if (kept) errors.push(seedError('duplicate', candidate.file, 2, kept.file));
    else byKey.set(candidate.key, candidate);
  }
  const byId = new Map<string, BuiltArticle>();
  const articles: BuiltArticle[] = [];
  for (const candidate of byKey.values()) {
    const other = byId.get(candidate.article.id);
    if (other) errors.push(seedError('idCollision', candidate.file, 2, other.file));
    else {
      byId.set(candidate.article.id, candidate);
      articles.push(candidate);
    }
  }
  return { articles, errors };
}

export function summaryOf(article: Article): ArticleSummary {
  return summaryFrom(article, article.rev);
}

/** An article's summary from its own fields and its revision; field by field, where copying the article and deleting took longer. */
export function summaryFrom(a: BaseArticle, rev: string): ArticleSummary {
  return {
    id: a.id,
    title: a.title,
    url: a.url,
    published: a.published,
    sourceId: a.sourceId,
    source: a.source,
    section: a.section,
    lang: a.lang,
    excerpt: a.excerpt,
    image: a.image,
    readingMinutes: a.readingMinutes,
    rev,
  };
}

/** An article as the index lists it: its summary and the size of its file. */
export interface IndexedArticle {
  summary: ArticleSummary;
  bytes: number;
}

/** For the dev server, which writes no article pages: the body dominates a page; the rest is a few kilobytes. */
export function indexedArticle(article: Article): IndexedArticle {
  return { summary: summaryOf(article), bytes: article.html.length * 2 + 3000 };
}

/**
 * The manifest and the timeline pages. Article files are written apart
 * (write-articles.ts) so that 100,000 bodies never sit in memory twice.
 */
export function indexFiles(indexed: readonly IndexedArticle[], pageSize = TIMELINE_PAGE_SIZE): Map<string, string> {
  const files = new Map<string, string>();
  const sorted = [...indexed].sort((a, b) => timelineOrder(a.summary, b.summary));
  const ordered = sorted.map((a) => a.summary);
  const sources = facets(ordered, (a) => [a.sourceId, a.source]);
  const sections = facets(ordered, (a) => (a.section ? [a.section, a.section] : null));
  const sourceIndex = new Map(sources.map((f, i) => [f.key, i]));
  const sectionIndex = new Map(sections.map((f, i) => [f.key, i]));
  const facetIndex: FacetIndex = {
    version: BUNDLE_VERSION,
    source: ordered.map((a) => sourceIndex.get(a.sourceId)!),
    section: ordered.map((a) => (a.section ? sectionIndex.get(a.section)! : -1)),
    sources: sources.map((f) => f.key),
    sections: sections.map((f) => f.key),
  };
  const facetJson = JSON.stringify(facetIndex);
  const facetFile = `timeline/facets.${digest(facetJson)}.json`;
  files.set(facetFile, facetJson);

  const pages: string[] = [];
  for (let start = 0; start < ordered.length || pages.length === 0; start += pageSize) {
    const page: TimelinePage = { version: BUNDLE_VERSION, index: pages.length, items: ordered.slice(start, start + pageSize) };
    pages.push(JSON.stringify(page));
  }
  const hash = createHash('sha256');
  for (const json of pages) hash.update(json);
  const pagesDigest = digestOf(hash);
  pages.forEach((json, index) => files.set(timelinePageFile({ digest: pagesDigest }, index), json));

  const manifest: Manifest = {
    version: BUNDLE_VERSION,
    // Pages carry each article's rev, so this digest changes whenever any article does.
    digest: pagesDigest,
    facets: facetFile,
    articleCount: ordered.length,
    pageSize,
    sources,
    sections,
    months: months(sorted),
  };
  files.set(MANIFEST_FILE, JSON.stringify(manifest));
  return files;
}

function facets(articles: readonly ArticleSummary[], pick: (a: ArticleSummary) => [string, string] | null): Facet[] {
  const counts = new Map<string, Facet>();
  for (const article of articles) {
    const picked = pick(article);
    if (!picked) continue;
    const facet = counts.get(picked[0]);
    if (facet) facet.count++;
    else counts.set(picked[0], { key: picked[0], label: picked[1], count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || compare(a.key, b.key));
}

function months(ordered: readonly IndexedArticle[]): MonthRef[] {
  const result: MonthRef[] = [];
  ordered.forEach(({ summary, bytes }, position) => {
    const month = new Date(summary.published).toISOString().slice(0, 7);
    const last = result.at(-1);
    if (last && last.month === month) {
      last.count++;
      last.bytes += bytes;
    } else result.push({ month, start: position, count: 1, bytes });
  });
  return result;
}

function digest(text: string): string {
  return digestOf(createHash('sha256').update(text));
}

function digestOf(hash: Hash): string {
  return hash.digest('base64url').slice(0, 10).replace(/[-_]/g, '0');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

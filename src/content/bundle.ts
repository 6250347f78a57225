/**
 * The bundle contract: the only shape that crosses from the build (Node) to the
 * app (browser). Both sides import this module; it imports neither Node nor React.
 *
 * Layout under `<base>data/`:
 *   manifest.json                      – Manifest (the only file whose name never changes)
 *   timeline/<page>.<digest>.json      – TimelinePage, newest first, `pageSize` items each (timelinePageFile)
 *   timeline/facets.<digest>.json      – FacetIndex, for filtering by source and section
 *   articles/<id>.json                 – Article, one file per article, all in one folder
 */

/** Bump when a field changes meaning or shape; the app rejects versions it does not know. */
export const BUNDLE_VERSION = 3;

/** Folder under the site's base URL that holds the bundle. */
export const DATA_DIR = 'data';
export const MANIFEST_FILE = 'manifest.json';

/** What the timeline needs to list an article, without its body. */
export interface ArticleSummary {
  /** Stable short id derived from the canonical URL; the deep link is built from it. */
  id: string;
  /** Headline, entities decoded, whitespace collapsed. */
  title: string;
  /** Canonical URL of the original article. */
  url: string;
  /** Publication time, milliseconds since 1970-01-01 UTC. */
  published: number;
  /** Outlet key derived from the host, e.g. `rfi.fr`; used by filters. */
  sourceId: string;
  /** Outlet display name, e.g. `RFI 法广`. */
  source: string;
  /** Section named by the URL path (e.g. `国际`), or null when the URL shows none. */
  section: string | null;
  /** BCP 47 language tag of the text, e.g. `zh-Hans`. */
  lang: string;
  /** Plain-text lead, at most EXCERPT_LENGTH characters. */
  excerpt: string;
  /** First image of the article (absolute http(s) URL), or null. */
  image: string | null;
  /** Estimated reading time in whole minutes (at least 1). */
  readingMinutes: number;
  /** Digest of the article file's content; changes whenever the article file does. */
  rev: string;
}

/** Enough of another article to link to it. */
export interface ArticleLink {
  id: string;
  title: string;
  published: number;
}

/** An article found similar to this one, and why. */
export interface RelatedArticle extends ArticleLink {
  source: string;
  /** Similarity, 0–1. */
  score: number;
  /** Key terms both articles share, strongest first: the reason it is listed. */
  terms: string[];
}

/** One article as the reader shows it. */
export interface Article extends ArticleSummary {
  /** Body HTML cleaned at build time. Untrusted: the app sanitizes it again before rendering. */
  html: string;
  /** Characters of visible text in the body. */
  textLength: number;
  /** Neighbours in the timeline: the next newer and next older article, or null at either end. */
  newer: ArticleLink | null;
  older: ArticleLink | null;
  /** Up to five related articles, most related first. */
  related: RelatedArticle[];
  /** Other versions of this same story (saved twice, or republished with small edits elsewhere). */
  versions: RelatedArticle[];
}

/** One page of the timeline. */
export interface TimelinePage {
  version: typeof BUNDLE_VERSION;
  /** Position of this page: it holds timeline positions index × pageSize onwards. */
  index: number;
  items: ArticleSummary[];
}

export interface Facet {
  /** Value to filter by (a sourceId or a section name). */
  key: string;
  /** What a reader sees. */
  label: string;
  count: number;
}

export interface MonthRef {
  /** `YYYY-MM` in UTC. */
  month: string;
  /** Timeline position (0 = newest) of the month's newest article. */
  start: number;
  count: number;
  /** Approximate size of the month's article files, for "save for offline". */
  bytes: number;
}

/**
 * Which source and section each timeline position belongs to, for filtering
 * without loading every page. Loaded only when a filter is used.
 */
export interface FacetIndex {
  version: typeof BUNDLE_VERSION;
  /** Position i (0 = newest) has source `sources[source[i]]`. */
  source: number[];
  /** Position i has section `sections[section[i]]`, or -1 for none. */
  section: number[];
  sources: string[];
  sections: string[];
}

export interface Manifest {
  version: typeof BUNDLE_VERSION;
  /** Path of the FacetIndex file, relative to the data folder. */
  facets: string;
  /**
   * Digest of every timeline page together (and so of every article's rev): equal bundles have equal
   * digests. Part of each page's name, so the manifest stays the same size however long the archive.
   */
  digest: string;
  articleCount: number;
  /** Items per timeline page (the last page may hold fewer); there are timelinePageCount pages. */
  pageSize: number;
  sources: Facet[];
  sections: Facet[];
  months: MonthRef[];
}

export const EXCERPT_LENGTH = 120;
export const TIMELINE_PAGE_SIZE = 100;

/** Path of a timeline page relative to the data folder. */
export function timelinePageFile(manifest: Pick<Manifest, 'digest'>, index: number): string {
  return `timeline/${index}.${manifest.digest}.json`;
}

/** How many timeline pages there are: at least one, empty when the archive is. */
export function timelinePageCount(manifest: Pick<Manifest, 'articleCount' | 'pageSize'>): number {
  return Math.max(1, Math.ceil(manifest.articleCount / manifest.pageSize));
}

/**
 * Path of an article file relative to the data folder. One folder, as for the article pages: at 20,000
 * articles, 1,024 shard folders cost the build 2.5–4 s more while the disk was busy deleting (decision 0011).
 */
export function articleFile(id: string): string {
  return `articles/${id}.json`;
}

export class BundleFormatError extends Error {
  override name = 'BundleFormatError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkVersion(json: unknown, what: string): Record<string, unknown> {
  if (!isRecord(json)) throw new BundleFormatError(`${what}: expected a JSON object`);
  if (json.version !== BUNDLE_VERSION) {
    throw new BundleFormatError(
      `${what}: bundle version ${JSON.stringify(json.version)} is not supported (this reader understands version ${BUNDLE_VERSION}); rebuild the site`,
    );
  }
  return json;
}

/** Checks the manifest's version and shape; throws BundleFormatError otherwise. */
export function readManifest(json: unknown): Manifest {
  const m = checkVersion(json, MANIFEST_FILE);
  if (typeof m.articleCount !== 'number' || typeof m.pageSize !== 'number' || m.pageSize < 1 || typeof m.digest !== 'string') {
    throw new BundleFormatError(`${MANIFEST_FILE}: expected articleCount, pageSize and digest`);
  }
  return m as unknown as Manifest;
}

/** Checks a timeline page's version and shape. */
export function readTimelinePage(json: unknown, file: string): TimelinePage {
  const p = checkVersion(json, file);
  if (!Array.isArray(p.items)) throw new BundleFormatError(`${file}: expected items`);
  return p as unknown as TimelinePage;
}

export function readFacetIndex(json: unknown, file: string): FacetIndex {
  const f = checkVersion(json, file);
  if (!Array.isArray(f.source) || !Array.isArray(f.section)) throw new BundleFormatError(`${file}: expected source and section`);
  return f as unknown as FacetIndex;
}

/** Checks an article file's shape. Articles carry no version of their own: the manifest's covers them. */
export function readArticle(json: unknown, file: string): Article {
  if (!isRecord(json) || typeof json.id !== 'string' || typeof json.html !== 'string' || typeof json.title !== 'string') {
    throw new BundleFormatError(`${file}: expected an article with id, title and html`);
  }
  return json as unknown as Article;
}

/**
 * The bundle contract: the only shape that crosses from the build (Node) to the
 * app (browser). Both sides import this module; it imports neither Node nor React.
 *
 * Layout under `<base>data/`:
 *   manifest.json                      – Manifest (the only file whose name never changes)
 *   timeline/<page>.<digest>.json      – TimelinePage, newest first, `pageSize` items each (timelinePageFile)
 *   timeline/facets.<digest>.json      – FacetIndex, for filtering by source and section
 * and under `<base>a/`:
 *   <id>.html                          – the article's page, which is also its data (readArticlePage): one
 *                                        file per article, all in one folder (decision 0023)
 */

/** Bump when a field changes meaning or shape; the app rejects versions it does not know. */
export const BUNDLE_VERSION = 4;

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

/** The folder of the article pages, under the site's base. */
export const PAGES_DIR = 'a';

/**
 * Path of an article's page relative to the site's base: the page a deep link opens, and the file the app
 * reads the article from. One flat folder: at 20,000 articles, 1,024 shard folders cost the build 2.5–4 s
 * more while the disk was busy deleting (decision 0011), and a folder per article about 45 s at 100,000
 * (decision 0006).
 */
export function articlePageFile(id: string): string {
  return `${PAGES_DIR}/${id}.html`;
}

/**
 * An article page holds the article's fields but its body as JSON in a data block, `<script
 * type="application/json" id="article-data">`, with every `<` written `\u003c` (so nothing in it can end the
 * element), and its body once, shown: between ARTICLE_BODY_START and the last ARTICLE_BODY_END, with each
 * image written as a link (build/static-pages.ts imagesAsLinks) that keeps the image's own tag in `data-img`.
 */
export const ARTICLE_DATA_START = '<script type="application/json" id="article-data">';
export const ARTICLE_BODY_START = '<div class="article-body">';
export const ARTICLE_BODY_END = '</div></article></main>';

/**
 * The JSON of the page's data block: the article's fields but its body (the revision too, once it has one).
 * readArticlePage reads it back.
 */
export function articleData(article: Omit<Article, 'rev'> & { rev?: string }): string {
  return JSON.stringify({ ...article, html: undefined });
}

/**
 * The article a page holds, with its body as the build cleaned it; null when the page holds none (a host
 * answered a missing page with its fallback). Pure string work: no HTML is parsed here, and the body is as
 * untrusted as before (the app sanitizes it before it is shown).
 */
export function readArticlePage(page: string, file: string): Article | null {
  const dataAt = page.indexOf(ARTICLE_DATA_START);
  if (dataAt === -1) return null;
  const dataEnd = page.indexOf('</script>', dataAt);
  const bodyAt = page.indexOf(ARTICLE_BODY_START, dataAt);
  const bodyEnd = page.lastIndexOf(ARTICLE_BODY_END);
  if (dataEnd === -1 || bodyAt === -1 || bodyEnd < bodyAt) throw new BundleFormatError(`${file}: expected the article's data and body`);
  let fields: unknown;
  try {
    fields = JSON.parse(page.slice(dataAt + ARTICLE_DATA_START.length, dataEnd));
  } catch {
    throw new BundleFormatError(`${file}: the article's data is not valid JSON`);
  }
  const html = linksAsImages(page.slice(bodyAt + ARTICLE_BODY_START.length, bodyEnd));
  return readArticle(isRecord(fields) ? { ...fields, html } : fields, file);
}

/**
 * A link or text that stands for an image on an article page, as imagesAsLinks writes it: the element
 * (`a` or `span`) with the image's attributes in `data-img`, its last attribute, then its label in one or two spans of text.
 */
const IMAGE_STAND_IN = /<(a|span)(?: [a-z-]+="[^"]*")* data-img="([^"]*)">(?:<span>[^<]*<\/span>)(?: <span>[^<]*<\/span>)?<\/\1>/g;

/** The image attributes as they go into `data-img`: `&` and `"` escaped, nothing else. */
export function imageAttributeValue(attributes: string): string {
  return attributes.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** The body with each of imagesAsLinks's stand-ins turned back into the image it stands for. */
export function linksAsImages(body: string): string {
  if (!body.includes(' data-img="')) return body;
  return body.replace(IMAGE_STAND_IN, (_: string, _name: string, value: string) => `<img${value.replace(/&quot;/g, '"').replace(/&amp;/g, '&')}>`);
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

/**
 * The app's window onto the bundle. Knows nothing of React or the router, so a
 * unit test can call it with a fake fetch. Everything it loads is kept, so a
 * view that comes back (after an article, say) finds its data at once.
 */
import {
  DATA_DIR,
  MANIFEST_FILE,
  articlePageFile,
  readArticlePage,
  readFacetIndex,
  readManifest,
  readTimelinePage,
  timelinePageCount,
  timelinePageFile,
  type Article,
  type ArticleSummary,
  type FacetIndex,
  type Manifest,
  type TimelinePage,
} from '../../content/bundle.ts';
import type { TimelineFilter } from '../paths.ts';

export type Fetch = (url: string) => Promise<Response>;

/**
 * A request for archive data that got no answer at all: no network, or the site cannot be reached (a
 * filtered connection says so this way, with the browser still believing it is online). Not saved on this
 * device either, or the service worker would have answered.
 */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(file: string, cause: unknown) {
    super(`${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class ArchiveClient {
  private manifest: Promise<Manifest> | undefined;
  private facets: Promise<FacetIndex> | undefined;
  private pages = new Map<number, Promise<TimelinePage>>();
  private loadedPages = new Map<number, ArticleSummary[]>();
  private articles = new Map<string, Promise<Article | null>>();

  constructor(
    /** Base URL of the site, ending in `/` (Vite's BASE_URL). */
    private readonly base: string,
    private readonly fetcher: Fetch = (url) => fetch(url, { headers: { Accept: url.endsWith('.html') ? 'text/html' : 'application/json' } }),
  ) {}

  getManifest(): Promise<Manifest> {
    this.manifest ??= this.json(MANIFEST_FILE).then(readManifest);
    this.manifest.catch(() => (this.manifest = undefined));
    return this.manifest;
  }

  /** Timeline positions (0 = newest) that match the filter, or null when nothing is filtered. */
  async positions(filter: TimelineFilter): Promise<number[] | null> {
    if (!filter.source && !filter.section) return null;
    const facets = await this.getFacets();
    const source = filter.source ? facets.sources.indexOf(filter.source) : -2;
    const section = filter.section ? facets.sections.indexOf(filter.section) : -2;
    const result: number[] = [];
    for (let i = 0; i < facets.source.length; i++) {
      if ((source === -2 || facets.source[i] === source) && (section === -2 || facets.section[i] === section)) result.push(i);
    }
    return result;
  }

  /** Which source and section each timeline position has: loaded once, the first time a filter is used. */
  async getFacets(): Promise<FacetIndex> {
    const manifest = await this.getManifest();
    this.facets ??= this.json(manifest.facets).then((json) => readFacetIndex(json, manifest.facets));
    this.facets.catch(() => (this.facets = undefined));
    return this.facets;
  }

  getTimelinePage(index: number): Promise<TimelinePage> {
    const cached = this.pages.get(index);
    if (cached) return cached;
    const page = this.getManifest().then((m) => {
      if (index < 0 || index >= timelinePageCount(m)) throw new RangeError(`timeline page ${index} does not exist`);
      const file = timelinePageFile(m, index);
      return this.json(file).then((json) => readTimelinePage(json, file));
    });
    this.pages.set(index, page);
    page.then(
      (p) => this.loadedPages.set(index, p.items),
      () => this.pages.delete(index),
    );
    return page;
  }

  /** A page already loaded, without waiting; undefined otherwise. */
  peekTimelinePage(index: number): ArticleSummary[] | undefined {
    return this.loadedPages.get(index);
  }

  /** Drops everything loaded, after the bundle changed (the dev server says when). */
  forget(): void {
    this.manifest = undefined;
    this.facets = undefined;
    this.pages.clear();
    this.loadedPages.clear();
    this.articles.clear();
  }

  /** Resolves to null when the archive has no article with this id. */
  getArticle(id: string): Promise<Article | null> {
    if (!/^[0-9a-z]{4,32}$/.test(id)) return Promise.resolve(null);
    let article = this.articles.get(id);
    if (!article) {
      // The article's page is its file (bundle.ts readArticlePage).
      const file = articlePageFile(id);
      article = this.fetchFrom(this.base, file).then(async (response) => {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
        // Static hosts with an SPA fallback answer a missing page with index.html or 404.html, which hold no article.
        return readArticlePage(await response.text(), file);
      });
      this.articles.set(id, article);
      article.catch(() => this.articles.delete(id));
    }
    return article;
  }

  /** The data file's response; a request that got none rejects with NetworkError. */
  private fetch(file: string): Promise<Response> {
    return this.fetchFrom(`${this.base}${DATA_DIR}/`, file);
  }

  private fetchFrom(folder: string, file: string): Promise<Response> {
    return this.fetcher(`${folder}${file}`).catch((error: unknown) => {
      throw new NetworkError(file, error);
    });
  }

  private async json(file: string): Promise<unknown> {
    const response = await this.fetch(file);
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new SyntaxError(`${file}: not valid JSON`);
    }
  }
}

/**
 * "Save the archive for offline": downloads article pages into the cache the
 * service worker reads from. Resumable (what is saved is remembered with its
 * revision, so only new or changed articles are fetched again) and cancellable.
 * No React here, so it can be tested with fakes.
 */
import { CACHES } from '../../content/offline.ts';
import { DATA_DIR, articlePageFile, type ArticleSummary, type Manifest, type MonthRef } from '../../content/bundle.ts';
import type { ArchiveClient } from './archive-client.ts';

/** Where the id → revision record of saved articles is kept, inside the articles cache. */
const SAVED_INDEX = 'saved-index.json';
const PARALLEL = 4;

export interface SaveProgress {
  done: number;
  total: number;
  bytes: number;
  failed: number;
}

export class OfflineStore {
  private saved: Map<string, string> | undefined;

  constructor(
    private readonly base: string,
    private readonly client: ArchiveClient,
    private readonly storage: CacheStorage = caches,
    private readonly fetcher: (url: string, init?: RequestInit) => Promise<Response> = (url, init) => fetch(url, init),
  ) {}

  private url(file: string): string {
    return `${this.base}${DATA_DIR}/${file}`;
  }

  /** id → revision of every article saved so far. */
  async savedRevisions(): Promise<Map<string, string>> {
    if (!this.saved) {
      const cache = await this.storage.open(CACHES.articles);
      const index = await cache.match(this.url(SAVED_INDEX));
      this.saved = new Map(index ? ((await index.json()) as [string, string][]) : []);
    }
    return this.saved;
  }

  private async persist(): Promise<void> {
    const cache = await this.storage.open(CACHES.articles);
    await cache.put(this.url(SAVED_INDEX), new Response(JSON.stringify([...(this.saved ?? [])]), { headers: { 'Content-Type': 'application/json' } }));
  }

  /**
   * Summaries of the articles of the chosen months, in timeline order. Their timeline pages are loaded on the
   * way, and the facets too, so that the service worker keeps what the timeline needs offline, filters included.
   */
  async articlesOf(manifest: Manifest, months: readonly MonthRef[]): Promise<ArticleSummary[]> {
    // Not needed to save articles: a failure here leaves filters online-only, as before.
    await this.client.getFacets().catch(() => undefined);
    const result: ArticleSummary[] = [];
    for (const month of months) {
      for (let position = month.start; position < month.start + month.count; ) {
        const page = Math.floor(position / manifest.pageSize);
        const items = (await this.client.getTimelinePage(page)).items;
        const end = Math.min(month.start + month.count, (page + 1) * manifest.pageSize);
        result.push(...items.slice(position - page * manifest.pageSize, end - page * manifest.pageSize));
        position = end;
      }
    }
    return result;
  }

  /** Saves every article of `articles` not saved at its current revision. Resolves when done or cancelled. */
  async save(articles: readonly ArticleSummary[], onProgress: (p: SaveProgress) => void, signal: AbortSignal): Promise<SaveProgress> {
    const saved = await this.savedRevisions();
    const cache = await this.storage.open(CACHES.articles);
    const todo = articles.filter((a) => saved.get(a.id) !== a.rev);
    const progress: SaveProgress = { done: articles.length - todo.length, total: articles.length, bytes: 0, failed: 0 };
    onProgress({ ...progress });
    let next = 0;
    let sinceSaved = 0;
    const worker = async () => {
      while (next < todo.length && !signal.aborted) {
        const article = todo[next++]!;
        const url = `${this.base}${articlePageFile(article.id)}`;
        try {
          const response = await this.fetcher(url, { signal, cache: 'no-cache' });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const body = await response.arrayBuffer();
          await cache.put(url, new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
          saved.set(article.id, article.rev);
          progress.bytes += body.byteLength;
          if (++sinceSaved >= 100) {
            sinceSaved = 0;
            await this.persist();
          }
        } catch {
          if (signal.aborted) break;
          progress.failed++;
        }
        progress.done++;
        onProgress({ ...progress });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    await this.persist();
    return progress;
  }
}

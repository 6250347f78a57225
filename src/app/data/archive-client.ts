/**
 * The app's window onto the bundle. Knows nothing of React or the router, so a
 * unit test can call it with a fake fetch.
 */
import {
  DATA_DIR,
  MANIFEST_FILE,
  articleFile,
  readArticle,
  readManifest,
  readTimelinePage,
  type Article,
  type Manifest,
  type TimelinePage,
} from '../../content/bundle.ts';

export type Fetch = (url: string) => Promise<Response>;

export class ArchiveClient {
  private manifest: Promise<Manifest> | undefined;
  private pages = new Map<number, Promise<TimelinePage>>();

  constructor(
    /** Base URL of the site, ending in `/` (Vite's BASE_URL). */
    private readonly base: string,
    private readonly fetcher: Fetch = (url) => fetch(url),
  ) {}

  getManifest(): Promise<Manifest> {
    this.manifest ??= this.json(MANIFEST_FILE).then(readManifest);
    return this.manifest;
  }

  async getTimelinePage(index: number): Promise<TimelinePage> {
    const cached = this.pages.get(index);
    if (cached) return cached;
    const page = this.getManifest().then((m) => {
      const ref = m.pages[index];
      if (!ref) throw new RangeError(`timeline page ${index} does not exist`);
      return this.json(ref.file).then((json) => readTimelinePage(json, ref.file));
    });
    this.pages.set(index, page);
    page.catch(() => this.pages.delete(index));
    return page;
  }

  /** Resolves to null when the archive has no article with this id. */
  async getArticle(id: string): Promise<Article | null> {
    if (!/^[0-9a-z]{4,32}$/.test(id)) return null;
    const file = articleFile(id);
    const response = await this.fetcher(this.url(file));
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    return readArticle(await response.json(), file);
  }

  private url(file: string): string {
    return `${this.base}${DATA_DIR}/${file}`;
  }

  private async json(file: string): Promise<unknown> {
    const response = await this.fetcher(this.url(file));
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    return response.json();
  }
}

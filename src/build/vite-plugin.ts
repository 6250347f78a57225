/**
 * The Vite side of the pipeline: `vite build` writes the bundle into
 * `<outDir>/data`; `vite dev` serves it from memory and rebuilds only the seed
 * that changed.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Connect, Plugin, Rolldown, ViteDevServer } from 'vite';
import { DATA_DIR, MANIFEST_FILE, PAGES_DIR, type Article } from '../content/bundle.ts';
import { articlePage, BARE_TEMPLATE, DEFAULT_SITE_NAME, timelinePage, withModulePreloads, withPreloads } from './static-pages.ts';
import type { BuildResult } from './article.ts';
import { archiveReport, assemble, checkSeedsDir, listSeedFiles, readArchive, SeedsDirError, type Archive } from './archive.ts';
import { indexedArticle, indexFiles } from './bundle-files.ts';
import { Linker, relatedDoc, timelineOrder, withRevision } from './link-articles.ts';
import { LiveRelated } from './live-related.ts';
import { buildFiles } from './worker-pool.ts';
import { buildFile } from './build-file.ts';
import { cspMetaTag } from './csp.ts';
import { writeSiteFiles } from './write-pages.ts';
import { writeArchive, type EarlierOutput } from './write-articles.ts';
import { saveOutputRecord, takeOutputRecord } from './earlier-output.ts';
import { deleteInBackground, scratchFolder, setAside } from './set-aside.ts';
import { SeedsWatcher, type SeedEvent } from './seeds-watcher.ts';
import { openSeedCache, saveSeedCache, SeedCache, type OpenCache } from './seed-cache.ts';
import { hasRelatedState, loadRelatedState, ResultsLog, stateOf, updateRelated } from './related-state.ts';
import { TextArena } from './text-arena.ts';

export interface NewsBundleOptions {
  /** Folder of seed files. */
  seedsDir: string;
  /** Fail the build when any seed file is refused. */
  strict?: boolean;
  /** Origin the site will be served from (e.g. https://user.github.io), for absolute links in previews and the sitemap. */
  siteUrl?: string;
  /** Site name in page titles and previews. */
  siteName?: string;
  /** Folder of the seeds cache (seed-cache.ts), or false to read every seed again; default `news-bundle` in Vite's cacheDir. */
  cache?: string | false;
}

interface ResolvedOptions {
  seedsDir: string;
  seedsRoot: string;
  strict: boolean;
  siteUrl: string;
  siteName: string;
  cache: string | false | undefined;
}

/** Vite's custom HMR event sent after a seed changed in dev. */
export const BUNDLE_UPDATED_EVENT = 'news:bundle-updated';

export function newsBundle(options: NewsBundleOptions): Plugin[] {
  const resolved: ResolvedOptions = {
    seedsDir: options.seedsDir,
    seedsRoot: resolve(options.seedsDir),
    strict: options.strict ?? false,
    siteUrl: (options.siteUrl ?? '').replace(/\/$/, ''),
    siteName: options.siteName ?? DEFAULT_SITE_NAME,
    cache: options.cache,
  };
  return [configPlugin(resolved), buildPlugin(resolved), devPlugin(resolved), previewPlugin()];
}

/**
 * `vite preview` (`npm start`) answers an address with no file with 404.html, the app's bare shell, which
 * shows the address, as GitHub Pages and most static hosts do. Its own fallback would answer with index.html,
 * which lists the newest articles (static-pages.ts): a reader opening `/offline`, or an article the archive
 * does not have, would see that list until the app had drawn the page asked for.
 */
function previewPlugin(): Plugin {
  let outDir = '';
  let base = '/';
  const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
  return {
    name: 'news-bundle:preview',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      base = config.base;
    },
    configurePreviewServer(server) {
      // Used here, not in a returned function: before Vite's own middlewares and their fallback.
      server.middlewares.use((req, res, next) => {
        if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.headers.accept?.includes('text/html')) return next();
        let path: string;
        try {
          path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
        } catch {
          return next();
        }
        const file = join(outDir, path.slice(base.length));
        if (!path.startsWith(base) || !file.startsWith(outDir) || isFile(file) || isFile(join(file, 'index.html')) || isFile(`${file}.html`)) return next();
        // With status 200, as Vite's fallback answers: the app says whether the address exists.
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(req.method === 'HEAD' ? undefined : readFileSync(join(outDir, '404.html')));
      });
    },
  };
}

/** A seeds folder that cannot be used stops Vite with one line, before it prints a stack trace. */
function configPlugin(options: ResolvedOptions): Plugin {
  return {
    name: 'news-bundle:config',
    config() {
      try {
        checkSeedsDir(options.seedsDir);
      } catch (error) {
        if (!(error instanceof SeedsDirError)) throw error;
        console.error(`error: ${error.message} (set SEEDS_DIR to a folder of seed files)`);
        process.exit(1);
      }
    },
  };
}

function buildPlugin(options: ResolvedOptions): Plugin {
  /** The seeds being read: started in buildStart, awaited in writeBundle. */
  let reading: Promise<Archive>;
  let base = '/';
  let outDir = resolve('dist');
  let setAsideFolders: string[] = [];
  /** Where the seed workers set the article bodies aside until they are written (body-log.ts), without a cache. */
  let bodies = '';
  let cacheRoot = '';
  let cache: OpenCache | undefined;
  /** The last build's output, moved aside, when the cache knows what each of its files was made from. */
  let earlier: (EarlierOutput & { pagesDir: string }) | undefined;
  let readTime = '';
  let readStarted = 0;
  /** The cache being saved, after the site was written. */
  let saving: Promise<void> | undefined;
  /** The articles' texts, out of this thread's heap from the moment they are read (text-arena.ts). */
  let texts: TextArena | undefined;
  return {
    name: 'news-bundle:build',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
      outDir = resolve(config.root, config.build.outDir);
      cacheRoot = options.cache === undefined ? join(config.cacheDir, 'news-bundle') : options.cache ? resolve(config.root, options.cache) : '';
    },
    // Only the built site: the dev server's React refresh needs an inline script.
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace('<head>', `<head>\n    ${cspMetaTag()}`),
    },
    async buildStart() {
      const started = performance.now();
      readStarted = Date.now();
      cache = cacheRoot ? openSeedCache(cacheRoot) : undefined;
      if (cacheRoot && !cache) this.info(`the seeds cache ${cacheRoot} is in use by another build: every seed is read again`);
      if (!cache) bodies = scratchFolder(outDir, 'bodies');
      // Articles read from the cache need their terms counted only when the whole archive will be searched.
      const countHits = !cache || !hasRelatedState(cache.dir);
      texts = new TextArena();
      reading = readArchive(options.seedsDir, { ...(cache ? { cache: { dir: cache.dir, countHits } } : { bodies }), texts }).then((read) => {
        const unchanged = read.articles.filter((b) => b.cached && !b.cached.fresh).length;
        const cached = cache ? `, ${unchanged} of them unchanged (from the cache; ${read.unread ?? 0} files not read at all)` : '';
        readTime = `seeds read in ${((performance.now() - started) / 1000).toFixed(1)} s${cached}`;
        return read;
      });
      if (options.strict) {
        // Nothing may be touched before every seed is known to be good.
        const read = await reading;
        if (read.errors.length > 0) {
          this.info(archiveReport(read));
          this.error(`strict: ${read.errors.length} seed file(s) refused; nothing written`);
        }
      }
      // Otherwise the app is compiled while the seeds are read (writeBundle waits for them).
      reading.catch(() => undefined);
      const files = cache && takeOutputRecord(cache.dir, outDir);
      const aside = new Map<string, string>();
      setAsideFolders = setAside(outDir, [DATA_DIR, PAGES_DIR], aside);
      const [dataDir, pagesDir] = [aside.get(DATA_DIR), aside.get(PAGES_DIR)];
      earlier = files && dataDir && pagesDir ? { files, dataDir, pagesDir } : undefined;
    },
    async writeBundle(output, bundle) {
      const outDir = output.dir ?? resolve('dist');
      const template = readFileSync(join(outDir, 'index.html'), 'utf8');
      const site = { base, siteUrl: options.siteUrl, name: options.siteName };
      const read = await reading;
      this.info(archiveReport(read));
      // Vite has emptied outDir by now: the earlier pages go back in, to be updated where they changed.
      if (earlier) renameSync(earlier.pagesDir, join(outDir, PAGES_DIR));
      const kept = cache && loadRelatedState(cache.dir);
      const earlierArticles = cache && new SeedCache({ dir: cache.dir, countHits: true });
      const results = cache && new ResultsLog(cache.dir);
      const { summaries, written, firstPage, timings, search } = await writeArchive(read.articles, resolve(outDir, DATA_DIR), { outDir, template, site }, {
        earlier: earlier && { dataDir: earlier.dataDir, files: earlier.files },
        related: kept && ((ordered) => updateRelated(kept, ordered, (digest) => mapDefined(earlierArticles!.read(digest), relatedDoc))),
        results: results || undefined,
        texts,
      }).catch((error: unknown) => {
        results?.discard();
        throw error;
      });
      earlierArticles?.close();
      texts = undefined;
      writeSiteFiles(outDir, template, summaries, site);
      // The timeline's data starts downloading with the app's code, not after it has run.
      // Its view's code, too: the timeline is drawn by a chunk of its own, which the entry would ask for only
      // once it has run. (An article page needs no such preload: it is on screen before any code runs.)
      const timeline = withModulePreloads(timelinePage(template, summaries, site), base, viewChunks(bundle, TIMELINE_VIEW));
      writeFileSync(join(outDir, 'index.html'), withPreloads(timeline, base, [MANIFEST_FILE, firstPage]));
      if (cache) {
        const { dir } = cache;
        // Saved while the service worker is compiled (closeBundle waits for it): the site is complete without it.
        saving = new Promise((resolve) => setImmediate(resolve)).then(() => {
          saveSeedCache(dir, read.articles, read.stamps ?? new Map(), readStarted);
          saveOutputRecord(dir, outDir, written);
          const state = stateOf(search.index, read.articles, search.updated?.drift ?? 0);
          if (state && results) {
            for (const [id, result] of search.updated?.results ?? []) results.add(id, typeof result === 'string' ? result : JSON.stringify(result));
            results.save(state);
          } else results?.discard();
        });
      }
      this.info(`${readTime}; ${timings}`);
      if (!options.siteUrl) this.warn('SITE_URL is not set: no sitemap.xml, and preview links are relative');
    },
    async closeBundle() {
      try {
        await saving;
      } catch (error) {
        this.warn(`the seeds cache could not be saved; the next build reads every seed again (${error instanceof Error ? error.message : String(error)})`);
      } finally {
        saving = undefined;
        cache?.release();
        cache = undefined;
        deleteInBackground([...new Set([bodies, ...setAsideFolders].filter(Boolean))]);
      }
    },
  };
}

function devPlugin(options: ResolvedOptions): Plugin {
  let store: DevStore | undefined;
  return {
    name: 'news-bundle:serve',
    apply: 'serve',
    // Seeds are watched by SeedsWatcher; Vite's watcher would read the whole folder again after every save.
    config: () => ({ server: { watch: { ignored: [options.seedsRoot, `${options.seedsRoot}/**`] } } }),
    async configureServer(server) {
      store = new DevStore(options, server);
      await store.load();
      server.middlewares.use(`${server.config.base}${DATA_DIR}/`, store.handle);
      server.middlewares.use(`${server.config.base}${PAGES_DIR}/`, store.handlePage);
    },
    closeBundle() {
      store?.close();
    },
  };
}

/** The dev server's bundle, kept in memory and updated one seed at a time. */
class DevStore {
  private results = new Map<string, BuildResult>();
  private index = new Map<string, string>();
  private articles = new Map<string, Article>();
  private related = new LiveRelated();
  private completed = new Map<string, { deps: unknown[]; article: Article }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Seed files changed since the last refresh, and how. */
  private pending = new Map<string, SeedEvent>();
  private watcher: SeedsWatcher | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly server: ViteDevServer,
  ) {}

  async load(): Promise<void> {
    const files = listSeedFiles(this.options.seedsDir);
    const results = await buildFiles(files);
    files.forEach((f, i) => this.results.set(f.path, results[i]!));
    this.refresh();
    this.watcher = new SeedsWatcher(this.options.seedsRoot, this.results.keys(), (path, event) => this.fileChanged(path, event));
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  fileChanged(path: string, event: SeedEvent): void {
    this.pending.set(path, event);
    clearTimeout(this.timer);
    // Editors write a file in several steps; wait for the last one, then read each changed file once.
    this.timer = setTimeout(() => {
      for (const [changed, how] of this.pending) {
        if (how === 'unlink') this.results.delete(changed);
        else this.results.set(changed, buildFile(changed, listSeedName(changed)));
      }
      this.pending.clear();
      this.refresh();
      this.server.ws.send({ type: 'custom', event: BUNDLE_UPDATED_EVENT, data: { digest: this.digest() } });
    }, 20);
  }

  private refresh(): void {
    const started = performance.now();
    const sorted = [...this.results.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const archive = assemble(sorted.map(([, r]) => r), sorted.length);
    const searched = this.related.update(archive.articles);

    const ordered = [...archive.articles].sort((a, b) => timelineOrder(a.article, b.article));
    const linker = new Linker(ordered, (id) => this.related.resultOf(id));
    const completed: DevStore['completed'] = new Map();
    const articles = ordered.map(({ article: { id } }, i) => {
      // Serializing every article again after each edit would take a second at 10,000 articles:
      // an article whose seed, neighbours and related articles are the same objects as before is kept.
      const deps = linker.dependencies(i);
      const cached = this.completed.get(id);
      const entry = cached && sameItems(cached.deps, deps) ? cached : { deps, article: withRevision(linker.link(i)).article };
      completed.set(id, entry);
      return entry.article;
    });
    this.completed = completed;
    this.index = indexFiles(articles.map(indexedArticle));
    this.articles = new Map(articles.map((a) => [`${a.id}.html`, a]));
    const ms = Math.round(performance.now() - started);
    this.server.config.logger.info(`${archiveReport(archive)}\nRelated articles searched again for ${searched}; bundle updated in ${ms} ms.`, { timestamp: true });
  }

  private digest(): string {
    return (JSON.parse(this.index.get(MANIFEST_FILE)!) as { digest: string }).digest;
  }

  /**
   * An article's page, as `${PAGES_DIR}/<id>.html`: what the app reads the article from. On the bare template:
   * a page opened at its deep link gets the app's index.html from Vite, which then reads this one.
   */
  readonly handlePage: Connect.NextHandleFunction = (req, res, next) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\//, ''));
    const article = this.articles.get(path);
    if (!article) {
      if (!path.endsWith('.html')) return next(); // a deep link: Vite answers it with the app
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const site = { base: this.server.config.base, siteUrl: this.options.siteUrl, name: this.options.siteName };
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(articlePage(BARE_TEMPLATE, article, site));
  };

  readonly handle: Connect.NextHandleFunction = (req, res, next) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\//, ''));
    const body = this.index.get(path);
    if (body === undefined) {
      if (path.endsWith('.json')) {
        res.statusCode = 404;
        res.end('not found');
        return;
      }
      next();
      return;
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(body);
  };
}

function mapDefined<T, U>(value: T | undefined, f: (value: T) => U): U | undefined {
  return value === undefined ? undefined : f(value);
}

function listSeedName(path: string): string {
  const rel = path.startsWith(process.cwd() + sep) ? path.slice(process.cwd().length + 1) : path;
  return rel;
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** The timeline view's module, as its path ends. */
const TIMELINE_VIEW = '/src/app/routes/timeline.tsx';

/**
 * The files of the chunk built from `view` (a module the app imports lazily) and of the chunks it imports,
 * less those the entry loads anyway: what a page that opens on that view should preload.
 */
function viewChunks(bundle: Rolldown.OutputBundle, view: string): string[] {
  const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
  const loaded = new Set<string>();
  const withImports = (fileName: string, into: Set<string>) => {
    if (into.has(fileName)) return;
    into.add(fileName);
    const chunk = bundle[fileName];
    if (chunk?.type === 'chunk') for (const imported of chunk.imports) withImports(imported, into);
  };
  for (const chunk of chunks) if (chunk.isEntry) withImports(chunk.fileName, loaded);
  const start = chunks.find((chunk) => chunk.facadeModuleId?.replaceAll('\\', '/').endsWith(view));
  if (!start) return [];
  const needed = new Set<string>();
  withImports(start.fileName, needed);
  return [...needed].filter((file) => !loaded.has(file));
}

/**
 * Writes every article's data file and, for the built site, its page: the
 * build's largest output (two files per article), serialized and written on
 * every core. Each article is serialized once; its revision comes from that
 * same text (withRevision).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { articlePageFile, MANIFEST_FILE, PAGES_DIR, readManifest, timelinePageFile, type ArticleSummary } from '../content/bundle.ts';
import type { BaseArticle, BuiltArticle } from './article.ts';
import { indexFiles, summaryFrom, summaryOf } from './bundle-files.ts';
import { Linker, relatedDoc, timelineOrder, withRevision, type LinkedArticle } from './link-articles.ts';
import { RelatedIndex, type RelatedResult } from './related.ts';
import type { ResultsLog, UpdatedRelated } from './related-state.ts';
import { BodyReader, type BodyRef } from './body-log.ts';
import { writeBundleDir } from './write-bundle.ts';
import { collectGarbage } from './collect-garbage.ts';
import { articlePage, type SiteOptions } from './static-pages.ts';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './worker-bundle.ts';
import { SearchThreads } from './search-threads.ts';
import { TextArena } from './text-arena.ts';

export interface WriteTarget {
  /** Folder the data files go to (the bundle's staging folder). */
  dataDir: string;
  /**
   * The site's folder, where the article pages go, the page template (the built index.html; BARE_TEMPLATE
   * for a bundle without the app) and the site's options.
   */
  pages: { outDir: string; template: string; site: SiteOptions };
}

/** What the index needs of a written article: its summary (with the revision) and its file's size. */
export interface WrittenArticle {
  summary: ArticleSummary;
  bytes: number;
  /** Digest of everything its files were made from, when its seed's digest is known (the seeds cache). */
  inputs?: string;
  /** Its files were left as an earlier build wrote them: their inputs were the same. */
  kept?: true;
}

/** An article's files as an earlier build wrote them. */
export interface PreviousFiles {
  inputs: string;
  rev: string;
  bytes: number;
}

/**
 * Articles to write; an article whose body was set aside (body-log.ts) has its reference at the same
 * index and an empty `html`. `inputs` gives, at the same index, the digest of what the article's files
 * are made of (inputsOf) and the files an earlier build wrote for it, if any: files made from the same
 * inputs are not written again.
 */
export interface ArticleBatch {
  articles: LinkedArticle[];
  bodies?: (BodyRef | undefined)[];
  inputs?: (ArticleInputs | undefined)[];
}

export interface ArticleInputs {
  digest: string;
  previous?: PreviousFiles;
}

export type WriteJob = { target: WriteTarget } | ArticleBatch;
export type WriteReply = { ready: true } | { written: WrittenArticle[] } | { failed: string };

/** Writes one batch of articles on this thread. Folders are made once per writer. */
export class ArticleWriter {
  constructor(private readonly target: WriteTarget) {
    mkdirSync(join(target.pages.outDir, PAGES_DIR), { recursive: true });
  }

  write({ articles, bodies, inputs }: ArticleBatch): WrittenArticle[] {
    // Bodies are read back here, on the writer's thread: through the main thread they cost it a copy each way.
    const reader = bodies ? new BodyReader() : undefined;
    try {
      return articles.map((linked, i) => {
        const known = inputs?.[i];
        const kept = known && keptFiles(linked, known);
        if (kept) return kept;
        const body = bodies?.[i];
        const written = this.writeOne(body ? { ...linked, html: reader!.read(body) } : linked);
        return known ? { ...written, inputs: known.digest } : written;
      });
    } finally {
      reader?.close();
    }
  }

  private writeOne(linked: LinkedArticle): WrittenArticle {
    const { article, data } = withRevision(linked);
    const { outDir, template, site } = this.target.pages;
    const page = articlePage(template, article, site, data);
    writeFileSync(join(outDir, articlePageFile(article.id)), page);
    return { summary: summaryOf(article), bytes: Buffer.byteLength(page) };
  }
}

/** A digest of what every page is made of besides its article: the template (with the app's file names) and the site's options. */
function pageInputsOf(pages: WriteTarget['pages']): string {
  return createHash('sha256').update(JSON.stringify([pages.template, pages.site])).digest('base64url');
}

/**
 * What article i's files are made of, as a digest, or undefined when its seed's digest is unknown (no
 * seeds cache). An article's data file and page follow from its own seed, its neighbours' and those
 * of the articles it lists (their titles and dates), its search result and the pages' template; equal
 * digests, equal files. The build's own code is not in it: other code uses another cache folder.
 */
class ArticleInputsOf {
  private readonly seedOf: Map<string, string | undefined>;
  private readonly pageInputs: string;

  constructor(
    private readonly ordered: readonly BuiltArticle[],
    pages: WriteTarget['pages'],
    private readonly earlier: EarlierOutput | undefined,
  ) {
    this.seedOf = new Map(ordered.map((b) => [b.article.id, b.cached?.digest]));
    this.pageInputs = pageInputsOf(pages);
  }

  of(i: number, result: string | RelatedResult | undefined): ArticleInputs | undefined {
    const b = this.ordered[i]!;
    if (!b.cached) return undefined;
    const json = result === undefined ? '' : typeof result === 'string' ? result : JSON.stringify(result);
    let text = `${b.cached.digest}\n${seedLine(this.ordered[i - 1])}\n${seedLine(this.ordered[i + 1])}\n${json}`;
    for (const [, id] of json.matchAll(LISTED_ID)) text += `\n${id} ${this.seedOf.get(id!) ?? ''}`;
    const digest = createHash('sha256').update(`${this.pageInputs}\n${text}`).digest('base64url');
    return { digest, previous: this.earlier?.files.get(b.article.id) };
  }
}

function seedLine(b: BuiltArticle | undefined): string {
  return b ? `${b.article.id} ${b.cached?.digest ?? ''}` : '';
}

/** The ids a search result (as JSON) lists; inside a JSON string a quote is escaped, so no term can look like one. */
const LISTED_ID = /"id":"([^"\\]+)"/g;

/** The article's files as they are, when they were made from the same inputs. */
function keptFiles(article: BaseArticle, { digest, previous }: ArticleInputs): WrittenArticle | undefined {
  if (previous?.inputs !== digest) return undefined;
  return { summary: summaryFrom(article, previous.rev), bytes: previous.bytes, inputs: digest, kept: true };
}

/**
 * An earlier build's output to update rather than write anew: its data folder (moved aside; it becomes
 * the new one) and what each article's files were made from. Its pages must be in `pages.outDir`.
 */
export interface EarlierOutput {
  dataDir: string;
  files: Map<string, PreviousFiles>;
}


/**
 * Links the articles to one another and writes the bundle into `dataDir`
 * (staged, then swapped in), and the article pages when asked to. Returns the
 * written articles' summaries, newest first.
 *
 * The related-article search runs a batch at a time, as writers ask for
 * articles: this thread searches while the writer threads write earlier batches,
 * where searching everything first and then writing took the sum of both.
 * With `related`, the last build's search is brought up to date instead
 * (related-state.ts), and with `earlier` its files are kept where their inputs
 * are the same.
 *
 * Consumes `built`: at 100,000 articles the bodies are most of the build's
 * memory, so each is let go once handed to a writer. Bodies set aside in a
 * body log are read back as their batch is written.
 */
export async function writeArchive(
  built: readonly BuiltArticle[],
  dataDir: string,
  pages: WriteTarget['pages'],
  {
    earlier,
    related,
    results: log,
    texts,
  }: {
    earlier?: EarlierOutput;
    /** Brings the last build's search up to date, when it can (related-state.ts). */
    related?: (ordered: readonly BuiltArticle[]) => UpdatedRelated | undefined;
    /** Where a full search's results go, for the next build. */
    results?: ResultsLog;
    /** Where the articles' texts were set aside as they were read, if they were. */
    texts?: TextArena;
  } = {},
): Promise<{ summaries: ArticleSummary[]; written: WrittenArticle[]; firstPage: string; timings: string; search: { index: RelatedIndex; updated?: UpdatedRelated } }> {
  const started = performance.now();
  const ordered = [...built].sort((a, b) => timelineOrder(a.article, b.article));
  // A few seeds changed since a build whose search was kept: only what they reach is searched again.
  const updated = related?.(ordered);
  // Every article is written: the writers load on the other core while this one builds the index.
  const writers = updated && earlier ? undefined : Writers.start(ordered.length);
  let searchThreads: SearchThreads | undefined;
  try {
    // Term counts are about as large as the texts: the index takes them, and no one else keeps them.
    const index =
      updated?.index ??
      RelatedIndex.build(
        ordered.map((b) => {
          const doc = relatedDoc(b);
          b.counts = undefined;
          return doc;
        }),
      );
    // The term counts just went to the index and are garbage now; from here the heap only grows until written.
    if (ordered.length >= COLLECT_EVERY) collectGarbage();
    // With writer threads, the search runs on threads of its own too: it was the longest chain here. One
    // core fewer than there are: the writers and this thread need one, and each search thread holds a heap.
    searchThreads = !updated && writers ? SearchThreads.start(index, ordered, texts ?? new TextArena(), Math.max(1, availableParallelism() - 1)) : undefined;
    // They read the texts from the arena.
    if (searchThreads) releaseSearch(index, ordered);
    const indexMs = performance.now() - started;
    const indexRss = process.memoryUsage.rss();
    let searchMs = 0;
    let searched = 0;
    const searchAhead = searchThreads && new SearchAhead(searchThreads, ordered.length);
    /** The related articles of the batch being linked, or of all articles after an update. */
    let found: Map<string, string | RelatedResult> = updated?.results ?? new Map<string, string>();
    const linker = new Linker(ordered, (id) => {
      const result = found.get(id);
      return typeof result === 'string' ? (JSON.parse(result) as RelatedResult) : result;
    });
    const inputsOf = new ArticleInputsOf(ordered, pages, earlier);
    // Searched and linked a batch at a time, as writers ask: all 100,000 linked at once would hold every body twice.
    const linked: ArticleSource = {
      length: ordered.length,
      async batch(from, to) {
        if (!updated) {
          const searchStarted = performance.now();
          const json = searchAhead ? await searchAhead.results(from, to) : index.querySlots(from, to).map((result) => JSON.stringify(result));
          searchMs += performance.now() - searchStarted;
          searched += json.length;
          // The last results are in: the search threads, their copy of the index and the texts can go
          // before the writers are done (at 100,000 articles, half a gigabyte at the build's peak).
          if (searched === ordered.length && searchThreads) {
            void searchThreads.close();
            texts?.clear();
          }
          found = new Map(json.map((result, k) => [ordered[from + k]!.article.id, result]));
          for (const [id, result] of found) log?.add(id, result as string);
          if (to >= ordered.length) releaseSearch(index, ordered);
        }
        if (Math.floor(to / COLLECT_EVERY) > Math.floor(from / COLLECT_EVERY)) collectGarbage();
        const batch: Required<ArticleBatch> = { articles: [], bodies: [], inputs: [] };
        for (let i = from; i < Math.min(to, ordered.length); i++) {
          const b = ordered[i]!;
          batch.articles.push(linker.link(i));
          batch.bodies.push(b.body);
          batch.inputs.push(inputsOf.of(i, found.get(b.article.id)));
          b.article.html = '';
        }
        return batch;
      },
    };
    let written: WrittenArticle[] = [];
    let firstPage = '';
    await writeBundleDir(
      dataDir,
      async (staging) => {
        // The index files are all written again; the earlier ones have names of their own.
        if (earlier) rmSync(join(staging, timelinePageFile({ digest: 'x' }, 0), '..'), { recursive: true, force: true });
        written = updated && earlier ? await updateArticles(ordered, linker, inputsOf, updated.results, { dataDir: staging, pages }) : await writeArticles(linked, { dataDir: staging, pages }, { writers });
        if (earlier) removeGone(earlier, written, pages.outDir);
        const files = indexFiles(written);
        firstPage = timelinePageFile(readManifest(JSON.parse(files.get(MANIFEST_FILE)!)), 0);
        return files;
      },
      earlier?.dataDir,
    );
    releaseSearch(index, ordered);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
    const kept = earlier ? `, ${written.filter((w) => w.kept).length} articles' files unchanged` : '';
    const search = updated ? `related articles searched again for ${updated.searched} (the last build's search updated)` : `related-article index ${seconds(indexMs)} (memory ${mb(indexRss)})`;
    const searchTime = searchThreads ? `waited for the search threads ${seconds(searchMs)}` : `of which search ${seconds(searchMs)}`;
    const timings = `${search}, ${updated ? `index updated in ${seconds(indexMs)}, ` : ''}search and files written ${seconds(performance.now() - started - indexMs)} (${searchTime}${kept}; memory ${mb(process.memoryUsage.rss())}, at most ${mb(process.resourceUsage().maxRSS * 1024)})`;
    return { summaries: written.map((w) => w.summary), written, firstPage, timings, search: { index, updated } };
  } finally {
    // Closed by writeArticles once it has used them; here too, when the build failed before it could.
    void writers?.close();
    void searchThreads?.close();
  }
}

/** How many batches of results are asked of the search threads ahead of the one a writer asks for. */
const SEARCH_AHEAD = 8;

/** The search threads' results, asked for in order a few batches ahead of the writers, each handed out once. */
class SearchAhead {
  private asked = 0;
  private pending = new Map<number, Promise<string[]>>();

  constructor(
    private readonly threads: SearchThreads,
    private readonly slots: number,
  ) {}

  /** Results of slots from … to−1 (batches come in order, all of one size but the last). */
  results(from: number, to: number): Promise<string[]> {
    const size = to - from;
    while (this.asked < Math.min(this.slots, to + SEARCH_AHEAD * size)) {
      const end = Math.min(this.asked + size, this.slots);
      const results = this.threads.search(this.asked, end);
      // A failed search fails the batch that waits for it; the batches asked for ahead of it are not waited for.
      results.catch(() => undefined);
      this.pending.set(this.asked, results);
      this.asked = end;
    }
    const results = this.pending.get(from)!;
    this.pending.delete(from);
    return results;
  }
}

/** Large archives are collected every so many articles written (collect-garbage.ts): each collection costs a few hundred ms. */
const COLLECT_EVERY = 25_000;

/** Once the last article is searched, the texts and the search's scratch are garbage: at 100,000 articles, half a gigabyte. */
function releaseSearch(index: RelatedIndex, ordered: readonly BuiltArticle[]): void {
  index.releaseScratch();
  for (const b of ordered) b.text = '';
}

/**
 * Writes the files of the articles whose inputs changed since the earlier output, where every related
 * result is known already: the unchanged ones are found here, and only the rest go to the writers
 * (on this thread when they are few, as after one seed changed).
 */
async function updateArticles(
  ordered: readonly BuiltArticle[],
  linker: Linker,
  inputsOf: ArticleInputsOf,
  results: ReadonlyMap<string, string | RelatedResult>,
  target: WriteTarget,
): Promise<WrittenArticle[]> {
  const written = new Array<WrittenArticle>(ordered.length);
  const changed: Required<ArticleBatch> = { articles: [], bodies: [], inputs: [] };
  const positions: number[] = [];
  ordered.forEach((b, i) => {
    const inputs = inputsOf.of(i, results.get(b.article.id));
    const kept = inputs && keptFiles(b.article, inputs);
    if (kept) written[i] = kept;
    else {
      changed.articles.push(linker.link(i));
      changed.bodies.push(b.body);
      changed.inputs.push(inputs);
      positions.push(i);
    }
  });
  const slice = (from: number, to: number): ArticleBatch => ({
    articles: changed.articles.slice(from, to),
    bodies: changed.bodies.slice(from, to),
    inputs: changed.inputs.slice(from, to),
  });
  (await writeArticles({ length: positions.length, batch: slice }, target)).forEach((w, k) => (written[positions[k]!] = w));
  return written;
}

/** Deletes the files of articles the earlier output had and this one has not. */
function removeGone(earlier: EarlierOutput, written: readonly WrittenArticle[], pagesDir: string): void {
  const current = new Set(written.map((w) => w.summary.id));
  for (const id of earlier.files.keys()) {
    if (current.has(id)) continue;
    rmSync(join(pagesDir, articlePageFile(id)), { force: true });
  }
}

const BATCH = 200;
/** Below this many articles, starting workers costs more than it saves. */
const INLINE_BELOW = 1000;

/** Articles to write, in order, made a batch at a time when a writer asks for them. */
export interface ArticleSource {
  readonly length: number;
  batch(from: number, to: number): ArticleBatch | Promise<ArticleBatch>;
}

/** Articles already linked, in memory, as a source. */
export function inMemory(articles: readonly LinkedArticle[]): ArticleSource {
  return { length: articles.length, batch: (from, to) => ({ articles: articles.slice(from, to) }) };
}

/**
 * Writer threads, started before their first batch is ready (they take about 0.2 s each to load), or none
 * when the articles are too few to be worth them; each says once when it is ready.
 */
export class Writers {
  private constructor(readonly lanes: { worker: Worker; ready: Promise<unknown> }[]) {}

  static start(articles: number, { threads = availableParallelism(), inlineBelow = INLINE_BELOW }: { threads?: number; inlineBelow?: number } = {}): Writers | undefined {
    if (articles < inlineBelow || threads < 2) return undefined;
    return new Writers(
      Array.from({ length: Math.min(threads, Math.ceil(articles / BATCH)) }, () => {
        const worker = startWorker('write-worker');
        const ready = new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
        ready.catch(() => undefined); // reported by the lane that uses it
        return { worker, ready };
      }),
    );
  }

  close(): Promise<unknown> {
    return Promise.all(this.lanes.map(({ worker }) => worker.terminate()));
  }
}

/**
 * Writes the articles, in batches, on writer threads (`writers`, or ones started here); the result is in
 * the articles' order. Each writer has its next batch waiting while it writes one, so it never waits for
 * this thread to search and link the next.
 */
export async function writeArticles(
  articles: ArticleSource,
  target: WriteTarget,
  options: { threads?: number; inlineBelow?: number; writers?: Writers } = {},
): Promise<WrittenArticle[]> {
  const writers = options.writers ?? Writers.start(articles.length, options);
  if (!writers) return new ArticleWriter(target).write(await articles.batch(0, articles.length));
  const results = new Array<WrittenArticle[]>(Math.ceil(articles.length / BATCH));
  let next = 0;
  const lane = async ({ worker, ready }: Writers['lanes'][number]) => {
    await ready;
    worker.postMessage({ target } satisfies WriteJob);
    await new Promise<void>((resolve, reject) => {
      /** Batches sent to this writer and not yet answered, oldest first. */
      const sent: number[] = [];
      /** Batches are made in turn (a batch may wait for its search), and posted in the order they were taken. */
      let posting = Promise.resolve();
      const send = () => {
        if (next * BATCH >= articles.length) return;
        const batch = next++;
        sent.push(batch);
        posting = posting.then(async () => worker.postMessage((await articles.batch(batch * BATCH, (batch + 1) * BATCH)) satisfies WriteJob));
        posting.catch(reject);
      };
      worker.on('message', (reply: WriteReply) => {
        if ('failed' in reply) reject(new Error(`writing articles failed: ${reply.failed}`));
        else if ('written' in reply) {
          results[sent.shift()!] = reply.written;
          send();
          if (sent.length === 0) resolve();
        }
      });
      worker.once('error', reject);
      send();
      send();
      if (sent.length === 0) resolve();
    });
  };
  try {
    await Promise.all(writers.lanes.map(lane));
  } finally {
    // Done, or failed: no writer may go on writing into a folder the caller is about to remove.
    await writers.close();
  }
  return results.flat();
}

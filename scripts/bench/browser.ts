/**
 * The built site in Chromium: what a first visit to `/` transfers, how fast an
 * article opens from the timeline, and how many elements the timeline's list
 * holds at the top, further down and after jumping to the oldest month.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DATA_DIR, timelinePageCount, timelinePageFile, type Manifest, type TimelinePage } from '../../src/content/bundle.ts';
import type { Site } from '../../tests/browser/harness.ts';
import { listElements, prepareContext, seen, watchFor } from './in-page.ts';
import { RequestLog, type LoggedRequest, type Tally } from './requests.ts';

export interface FirstVisit extends Tally {
  /** Requests to other origins (article images), not counted above. */
  offSiteRequests: number;
  /** What the service worker fetched by itself (sw.js, then its precache), not counted above. */
  swPrecache: Tally;
  files: FileSize[];
  swFiles: FileSize[];
}

type FileSize = Pick<LoggedRequest, 'url' | 'kind' | 'gzipBytes'>;
const fileSizes = (entries: readonly LoggedRequest[]): FileSize[] => entries.map(({ url, kind, gzipBytes }) => ({ url, kind, gzipBytes }));

export interface ArticleOpen {
  title: string;
  /** Click to the article's <h1> on screen, after hovering and focusing the link first. */
  ms: number | null;
  /** Requests for data files from the hover to the article on screen (a prefetch on hover counts), and their size. */
  dataRequests: number;
  dataGzipBytes: number;
  /** Of those, the ones made after the click. */
  clickDataRequests: number;
  /** Every request the click made, code chunks included. */
  requests: number;
  files: FileSize[];
  /** The same article again, after going back to the timeline. */
  cachedMs: number | null;
  cachedDataRequests: number;
  error?: string;
}

export interface TimelineDom {
  top: number | null;
  scrolled: number | null;
  afterJump: number | null;
  /** Most elements seen at any moment during the visit. */
  max: number | null;
  /** Choosing the oldest month until its newest article is on screen with its title. */
  jumpMs: number | null;
  jumpMonth: string | null;
  /** Why the jump was not measured, when it was not. */
  jumpNote?: string;
}

export interface BrowserReport {
  firstVisit: FirstVisit | null;
  article: ArticleOpen | null;
  timeline: TimelineDom | null;
  errors: string[];
}

const LIST_ENTRY = 'ol.entries a.entry';
const MONTH_CONTROL = '跳到月份';

export async function measureSite(browser: Browser, site: Site): Promise<BrowserReport> {
  const report: BrowserReport = { firstVisit: null, article: null, timeline: null, errors: [] };
  const attempt = async <T>(what: string, run: (context: BrowserContext, log: RequestLog) => Promise<T>, countListElements = false): Promise<T | null> => {
    const context = await newContext(browser, countListElements);
    const log = new RequestLog(context, site.origin, site.base);
    try {
      return await run(context, log);
    } catch (error) {
      report.errors.push(`${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return null;
    } finally {
      await context.close();
    }
  };
  await attempt('first visit and article', async (context, log) => {
    const page = await context.newPage();
    report.firstVisit = await firstVisit(page, log, site);
    report.article = await openArticle(page, log);
  });
  report.timeline = await attempt('timeline', (context) => timelineDom(context, site), true);
  return report;
}

async function newContext(browser: Browser, countListElements: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  await prepareContext(context, { countListElements });
  return context;
}

async function waitForList(page: Page): Promise<void> {
  await page.locator(`${LIST_ENTRY} h3`).first().waitFor({ timeout: 30_000 });
}

async function firstVisit(page: Page, log: RequestLog, site: Site): Promise<FirstVisit> {
  log.phase = 'first visit';
  await page.goto(site.url(), { waitUntil: 'load' });
  await waitForList(page);
  await log.settle(500);
  // Give the service worker its chance to install and precache, then wait for that to end too.
  await page.evaluate(() =>
    navigator.serviceWorker ? Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]) : false,
  );
  await log.settle(1000);
  const entries = log.pageRequests('first visit');
  const precache = log.entries.filter((e) => e.phase === 'first visit' && e.bySW && !e.offSite);
  return {
    ...RequestLog.tally(entries),
    offSiteRequests: log.entries.filter((e) => e.phase === 'first visit' && e.offSite).length,
    swPrecache: RequestLog.tally(precache),
    files: fileSizes(entries),
    swFiles: fileSizes(precache),
  };
}

async function openArticle(page: Page, log: RequestLog): Promise<ArticleOpen> {
  const link = page.locator(LIST_ENTRY).first();
  const title = ((await link.locator('h3').textContent()) ?? '').trim();
  const open: ArticleOpen = { title, ms: null, dataRequests: 0, dataGzipBytes: 0, clickDataRequests: 0, requests: 0, files: [], cachedMs: null, cachedDataRequests: 0 };
  const time = async (phase: string): Promise<{ ms: number; made: LoggedRequest[]; afterClick: Set<LoggedRequest> }> => {
    await log.settle(200, 5000);
    log.phase = phase;
    await link.hover();
    await link.focus();
    await page.waitForTimeout(300);
    await log.settle(200, 5000);
    await watchFor(page, { selector: 'main h1', text: title }, 'click', 15_000);
    const clickedAt = log.entries.length;
    await link.click();
    const { triggeredAt, seenAt } = await seen(page);
    await log.settle(300, 5000);
    return { ms: seenAt - triggeredAt, made: log.pageRequests(phase), afterClick: new Set(log.entries.slice(clickedAt)) };
  };
  try {
    const first = await time('open article');
    const data = first.made.filter((e) => e.kind === 'data');
    Object.assign(open, {
      ms: first.ms,
      requests: first.made.length,
      files: fileSizes(first.made),
      dataRequests: data.length,
      dataGzipBytes: RequestLog.tally(data).gzipBytes,
      clickDataRequests: data.filter((e) => first.afterClick.has(e)).length,
    });
    await page.goBack();
    await waitForList(page);
    const again = await time('open article again');
    Object.assign(open, { cachedMs: again.ms, cachedDataRequests: again.made.filter((e) => e.kind === 'data').length });
  } catch (error) {
    open.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  return open;
}

async function timelineDom(context: BrowserContext, site: Site): Promise<TimelineDom> {
  const page = await context.newPage();
  const result: TimelineDom = { top: null, scrolled: null, afterJump: null, max: null, jumpMs: null, jumpMonth: null };
  await page.goto(site.url(), { waitUntil: 'load' });
  await waitForList(page);
  await page.waitForTimeout(500);
  result.top = (await listElements(page)).now;

  for (let screen = 0; screen < 5; screen++) {
    await page.evaluate(() => window.scrollBy(0, window.innerHeight));
    await page.waitForTimeout(250);
  }
  await page.waitForTimeout(500);
  result.scrolled = (await listElements(page)).now;

  const manifest = site.manifest();
  const oldest = manifest.months.at(-1);
  const control = page.getByLabel(MONTH_CONTROL);
  if (!oldest) result.jumpNote = 'n/a (no months in the manifest)';
  else if ((await control.count()) === 0) result.jumpNote = 'n/a (no month control)';
  else {
    result.jumpMonth = oldest.month;
    const title = summaryAt(site.outDir, manifest, oldest.start).title;
    await watchFor(page, { selector: `${LIST_ENTRY} h3`, text: title, inViewport: true }, 'change', 20_000);
    await control.first().selectOption(oldest.month);
    try {
      const { triggeredAt, seenAt } = await seen(page);
      result.jumpMs = seenAt - triggeredAt;
    } catch (error) {
      result.jumpNote = `failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    await page.waitForTimeout(500);
    result.afterJump = (await listElements(page)).now;
  }
  const samples = [result.top, result.scrolled, result.afterJump].filter((n): n is number => n !== null);
  result.max = Math.max((await listElements(page)).max ?? 0, ...samples);
  return result;
}

/** The summary at a timeline position, read from the built bundle. */
function summaryAt(outDir: string, manifest: Manifest, position: number) {
  const index = Math.floor(position / manifest.pageSize);
  if (index >= timelinePageCount(manifest)) throw new Error(`no timeline page holds position ${position}`);
  const file = timelinePageFile(manifest, index);
  const page = JSON.parse(readFileSync(join(outDir, DATA_DIR, file), 'utf8')) as TimelinePage;
  const item = page.items[position % manifest.pageSize];
  if (!item) throw new Error(`timeline position ${position} is missing from ${file}`);
  return item;
}

/**
 * Hundreds of XSS payloads (tests/fixtures/xss/payloads.ts) in the bodies, titles and URLs of seed files,
 * built into the real site and read in Chromium: the timeline scrolled to the end, then every article, with
 * JavaScript and without. A payload that runs shows itself by a dialog (alert, confirm, prompt, print), by
 * setting `window.__xss`, by leaving the page, by a Content-Security-Policy violation, or by a request to
 * the sentinel host; none may.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveReport, readArchive, type Archive } from '../../src/build/archive.ts';
import { printSeed } from '../../src/build/seed.ts';
import type { ArticleSummary } from '../../src/content/bundle.ts';
import { BODY_PAYLOADS, SENTINEL_HOST, TITLE_PAYLOADS, URL_PAYLOADS, type BodyFamily } from '../fixtures/xss/payloads.ts';
import { seedsFolder } from '../helpers/run.ts';
import { BrowserSession, buildSite, serveStatic, type Site, type Visit } from './harness.ts';

/**
 * After every image has loaded or failed (off-site requests are aborted, so they fail at once), time for
 * the error, focus, toggle and animation handlers a payload may have left behind to fire.
 */
const SETTLE_MS = 50;
/** Pages that rendered none of the corpus (the app failed, not a payload) should not cost 30 s each. */
const READY_MS = 10_000;
const FIRST_TIME = Date.UTC(2024, 0, 1);
/**
 * Payload families that could reach another host or leave the page with no script at all; the pass
 * without JavaScript reads all of these, all title and URL payloads, and the first three of every other family.
 */
const ACT_WITHOUT_SCRIPT = new Set<BodyFamily>(['base', 'meta-refresh', 'form', 'iframe', 'object-embed', 'css', 'resource']);

interface Planted {
  /** The payload's id. */
  payload: string;
  where: 'body' | 'title' | 'url';
  file: string;
  title: string;
  url: string;
  refused: boolean;
}

const planted: Planted[] = [
  ...BODY_PAYLOADS.map((p) => ({ payload: p.id, where: 'body' as const, title: `安全测试 ${p.family} ${p.id}`, url: `https://example.com/xss/${p.id}`, refused: false })),
  ...TITLE_PAYLOADS.map((p) => ({ payload: p.id, where: 'title' as const, title: p.title, url: `https://example.com/title/${p.id}`, refused: false })),
  ...URL_PAYLOADS.map((p) => ({ payload: p.id, where: 'url' as const, title: `网址测试 ${p.id}`, url: p.url, refused: p.refused })),
].map((p) => ({ ...p, file: `${p.where}/${p.payload}.txt` }));

function seedFiles(): Record<string, string> {
  const bodies = new Map(BODY_PAYLOADS.map((p) => [p.id, p.html]));
  return Object.fromEntries(
    planted.map((p, i) => [
      p.file,
      printSeed({ published: FIRST_TIME + i * 60_000, title: p.title, url: p.url, body: bodies.get(p.payload) ?? `<p>这篇报道的${p.where === 'title' ? '标题' : '网址'}藏着恶意代码：${p.payload}。</p>` }),
    ]),
  );
}

/** One sign that something ran, and the page it was seen on. */
interface Execution {
  page: string;
  sign: string;
}

/**
 * Watches one page (and its context) for every sign of a payload running, and attributes each
 * to the page being read at the time.
 */
class Watch {
  readonly executions: Execution[] = [];
  /** Markup that should never reach a page, even where it did not run. */
  readonly markup: Execution[] = [];
  readonly unrendered: string[] = [];
  pages = 0;
  private label = '(before the first page)';
  private expectedPaths: string[] = [];

  constructor(
    readonly visit: Visit,
    private readonly site: Site,
    private readonly session: BrowserSession,
    private readonly javaScriptEnabled: boolean,
  ) {}

  static async start(session: BrowserSession, site: Site, options: { javaScriptEnabled: boolean }): Promise<Watch> {
    // Service workers blocked: every visit then loads the prerendered page, which the app replaces, so both are read.
    const visit = await session.newPage(site, { javaScriptEnabled: options.javaScriptEnabled, serviceWorkers: 'block' });
    const watch = new Watch(visit, site, session, options.javaScriptEnabled);
    await watch.attach(visit.page, visit.context);
    return watch;
  }

  private record(sign: string): void {
    this.executions.push({ page: this.label, sign });
  }

  private async attach(page: Page, context: BrowserContext): Promise<void> {
    page.setDefaultTimeout(READY_MS);
    await context.addInitScript(() => {
      window.print = (...args: unknown[]) => console.info(`xss:print ${args.join(' ')}`);
      // 自动显示: every image that survives is requested, so a load or error handler left on one would fire.
      // Under the default 点击显示 none is, and the wait for images below would prove nothing.
      localStorage.setItem('reader.images', 'auto');
    });
    // The machine is offline; nothing should wait for DNS. Requests are still reported before they are aborted.
    await context.route((url) => url.origin !== this.site.origin && /^https?:$/.test(url.protocol), (route) => route.abort());
    context.on('request', (request) => {
      if (hostOf(request.url()) === SENTINEL_HOST) this.record(`${request.resourceType()} request to ${request.url()}`);
    });
    context.on('page', (popup) => {
      if (popup !== page) this.record(`opened a window at ${popup.url()}`);
    });
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      const url = new URL(frame.url());
      if (url.origin !== this.site.origin || !this.expectedPaths.includes(url.pathname)) this.record(`navigated to ${frame.url()}`);
    });
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith('xss:print')) this.record(`print() called (${text})`);
      // With JavaScript off the harness's listener cannot report violations; Chromium's own messages still do.
      else if (!this.javaScriptEnabled && /Content Security Policy|Trusted Type/i.test(text)) this.record(`CSP: ${text}`);
    });
  }

  /** Opens `path`, waits for it to render and settle, and records whatever ran. */
  async read(label: string, path: string, ready: (page: Page) => Promise<string | null>): Promise<void> {
    const { page, dialogs, pageErrors } = this.visit;
    const before = { dialogs: dialogs.length, csp: this.session.cspViolations.length, errors: pageErrors.length };
    this.label = label;
    this.pages++;
    const target = new URL(this.site.url(path));
    this.expectedPaths = [target.pathname, target.pathname.replace(/\/$/, '')];
    await page.goto(target.href);
    const problem = await ready(page).catch((error: unknown) => String(error).split('\n')[0]!);
    if (problem !== null) this.unrendered.push(`${label}: ${problem}`);
    if (this.javaScriptEnabled) await page.waitForFunction(() => [...document.images].every((image) => image.complete));
    await page.waitForTimeout(SETTLE_MS);

    const { flag, markup } = await page.evaluate(inspectPage);
    if (flag !== null) this.record(`window.__xss is ${flag}`);
    for (const dialog of dialogs.slice(before.dialogs)) this.record(`dialog ${dialog}`);
    for (const violation of this.session.cspViolations.slice(before.csp)) this.record(violation);
    for (const error of pageErrors.slice(before.errors)) this.record(`uncaught error: ${error}`);
    for (const finding of markup) this.markup.push({ page: label, sign: finding });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * In the page: `window.__xss`, and every element or attribute that could run code or reach another
 * host and that the sanitizers should have removed. Runs in Chromium, so it is self-contained.
 */
const inspectPage = (): { flag: string | null; markup: string[] } => {
  const found: string[] = [];
  const describe = (e: Element) => e.outerHTML.slice(0, 160);
  // Browsers skip leading spaces and control characters before a scheme.
  // eslint-disable-next-line no-control-regex
  const scheme = /^[\s\u0000-\u001f]*(javascript|data|vbscript):/i;
  // Besides the app's module, two data blocks the build writes, which browsers do not run: JSON-LD, and the
  // article's own data on an article page, once.
  const dataBlock = 'script[type="application/json"][id="article-data"]';
  for (const e of document.head.querySelectorAll(`base, meta[http-equiv]:not([http-equiv="Content-Security-Policy"]), script:not([type="module"]):not([type="application/ld+json"]):not(${dataBlock})`)) {
    found.push(`in <head>: ${describe(e)}`);
  }
  for (const e of [...document.querySelectorAll(dataBlock)].slice(1)) found.push(`a second data block: ${describe(e)}`);
  for (const e of document.head.querySelectorAll('script[src], link[href]')) {
    const url = new URL(e.getAttribute('src') ?? e.getAttribute('href') ?? '', location.href);
    if (url.origin !== location.origin && e.getAttribute('rel') !== 'canonical') found.push(`in <head>, off-site: ${describe(e)}`);
  }
  const active =
    'script, iframe, frame, frameset, object, embed, applet, base, meta, link, style, form, input, textarea, select, svg, math, template, noscript, portal, fencedframe, video, audio, source, track, picture, area, map, marquee';
  for (const e of document.body.querySelectorAll(active)) {
    // The timeline's own filter controls are a form with selects; nothing from a seed gets a class.
    if (e.closest('form.filters') === null) found.push(`active element: ${describe(e)}`);
  }
  for (const e of document.body.querySelectorAll('*')) {
    const inBody = e.parentElement?.closest('.article-body') != null;
    for (const { name, value } of e.attributes) {
      const bad =
        /^on/i.test(name) ||
        /^(srcdoc|formaction|action|srcset|background|ping|poster|lowsrc|dynsrc|longdesc|xlink:href|is)$/i.test(name) ||
        (/^(href|src|cite|data)$/i.test(name) && scheme.test(value)) ||
        (inBody && (/^(style|id|name|class)$/i.test(name) || (/^(href|src)$/i.test(name) && !/^(https?:\/\/|mailto:)/i.test(value))));
      if (bad) found.push(`attribute ${name}="${value.slice(0, 100)}" on <${e.tagName.toLowerCase()}>`);
    }
  }
  if (document.getElementById('__xss') || document.getElementsByName('__xss').length > 0) found.push('an element named __xss');
  const flag = (window as { __xss?: unknown }).__xss;
  return { flag: flag === undefined ? null : String(flag), markup: found };
};

/** The app's article view (not the prerendered page it replaces) with the expected headline. */
function appArticle(title: string) {
  return async (page: Page): Promise<string | null> => {
    await page.locator('main .article-footer').waitFor();
    const shown = await page.locator('main h1').textContent();
    return shown === title ? null : `headline ${JSON.stringify(shown)}, expected ${JSON.stringify(title)}`;
  };
}

/** The prerendered page, read without JavaScript. */
function staticArticle(title: string) {
  return async (page: Page): Promise<string | null> => {
    const shown = await page.locator('main h1').textContent();
    return shown === title ? null : `headline ${JSON.stringify(shown)}, expected ${JSON.stringify(title)}`;
  };
}

/** Scrolls the virtualized timeline to its end; every entry it rendered on the way, id → title. */
async function scrollTimeline(page: Page, expected: number): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  await page.getByRole('heading', { level: 1, name: '最新报道' }).waitFor();
  let bottomReadings = 0;
  for (let step = 0; step < 2000 && bottomReadings < 3; step++) {
    await page.waitForFunction(() => document.querySelectorAll('ol.entries > li').length > 0 && document.querySelectorAll('ol.entries .placeholder').length === 0);
    const rows = await page.$$eval('ol.entries a.entry', (links) => links.map((a) => [a.getAttribute('href') ?? '', a.querySelector('h3')?.textContent ?? '']));
    for (const [href = '', title = ''] of rows) seen.set(href.split('/').pop()!, title);
    const atBottom = await page.evaluate(() => {
      const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
      window.scrollBy(0, Math.round(window.innerHeight * 0.8));
      return bottom;
    });
    if (atBottom && seen.size >= expected) bottomReadings++;
    await page.waitForTimeout(30);
  }
  return seen;
}

describe('hostile seeds: the XSS corpus in bodies, titles and URLs', () => {
  const session = new BrowserSession();
  let seeds: string;
  let site: Site;
  let archive: Archive;
  let summaries: ArticleSummary[];
  /** Built articles, each with the payload it carries. */
  let articles: { summary: ArticleSummary; planted: Planted }[] = [];
  const started = Date.now();
  const passes: { name: string; pages: number; executions: number; seconds: number }[] = [];

  beforeAll(async () => {
    seeds = seedsFolder(seedFiles());
    site = await serveStatic(buildSite(seeds));
    // What the build plugin prints after reading the folder: the same call on the same files.
    archive = await readArchive(seeds);
    summaries = site.summaries();
    const byUrl = new Map(planted.map((p) => [p.url, p]));
    articles = summaries.flatMap((summary) => {
      const p = byUrl.get(summary.url);
      return p ? [{ summary, planted: p }] : [];
    });
    await session.launch();
  }, 600_000);

  afterAll(async () => {
    const tried = planted.length;
    const refused = planted.filter((p) => p.refused).length;
    console.log(
      `XSS corpus: ${tried} payloads tried (${BODY_PAYLOADS.length} in bodies, ${TITLE_PAYLOADS.length} in titles, ${URL_PAYLOADS.length} in URLs); ` +
        `${summaries?.length ?? 0} articles built, ${refused} URLs refused at build; ` +
        passes.map((p) => `${p.name}: ${p.pages} pages in ${p.seconds.toFixed(0)} s, ${p.executions} executions`).join('; ') +
        `; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    await session.close();
    await site?.close();
  });

  it('holds at least 300 body payloads in every family, and 20 each for titles and URLs, none repeated', () => {
    expect(BODY_PAYLOADS.length, 'body payloads').toBeGreaterThanOrEqual(300);
    expect(TITLE_PAYLOADS.length, 'title payloads').toBeGreaterThanOrEqual(20);
    expect(URL_PAYLOADS.length, 'URL payloads').toBeGreaterThanOrEqual(20);
    expect(new Set(BODY_PAYLOADS.map((p) => p.family)).size, 'families with payloads').toBe(17);
    const ids = planted.map((p) => p.payload);
    expect(new Set(ids).size, 'ids are unique').toBe(ids.length);
    // Distinct apart from the id each one carries.
    for (const [where, texts] of [
      ['body', BODY_PAYLOADS.map((p) => p.html.split(p.id).join('ID'))],
      ['title', TITLE_PAYLOADS.map((p) => p.title.split(p.id).join('ID'))],
      ['URL', URL_PAYLOADS.map((p) => p.url.split(p.id).join('ID'))],
    ] as const) {
      expect(texts.filter((t, i) => texts.indexOf(t) !== i), `repeated ${where} payloads`).toEqual([]);
    }
  });

  it('refuses article URLs that are not absolute http(s) at build, and builds every other seed', () => {
    const refusedFiles = planted.filter((p) => p.refused).map((p) => join(seeds, p.file));
    const errors = archive.errors.map((e) => ({ file: e.file, line: e.line, kind: e.kind }));
    expect(errors, 'refused seed files').toEqual(refusedFiles.sort().map((file) => ({ file, line: 2, kind: 'url' })));
    expect(archiveReport(archive), 'build report').toContain(`${refusedFiles.length} files refused:`);
    const builtUrls = new Set(summaries.map((s) => s.url));
    expect(planted.filter((p) => p.refused && builtUrls.has(p.url)).map((p) => p.payload), 'refused URLs in the bundle').toEqual([]);
    expect(summaries.length, 'articles built').toBe(planted.length - refusedFiles.length);
    expect(articles.length, 'every built article carries a planted payload').toBe(summaries.length);
  });

  it('notices a payload that runs: every detector reports it (a control with its own browser)', async () => {
    const control = new BrowserSession();
    await control.launch();
    const watch = await Watch.start(control, site, { javaScriptEnabled: true });
    const { summary } = articles[0]!;
    await watch.read('control', `a/${summary.id}`, async (page) => {
      await appArticle(summary.title)(page);
      // What an executed payload does, run from the test instead.
      await page.evaluate((sentinelUrl) => {
        (window as { __xss?: string }).__xss = 'control';
        alert('control');
        print();
        new Image().src = sentinelUrl;
        history.pushState(null, '', '/elsewhere');
        // Trusted Types refuse an inline handler set from script: a violation, then a TypeError.
        document.createElement('img').setAttribute('onerror', 'void 0');
      }, `https://${SENTINEL_HOST}/control`).catch(() => undefined);
      return null;
    });
    const signs = watch.executions.map((e) => e.sign).join('\n');
    for (const sign of [/window\.__xss is control/, /dialog alert: control/, /print\(\) called/, /image request to https:\/\/sentinel\.invalid\/control/, /CSP violation: require-trusted-types-for/, /navigated to .*\/elsewhere/]) {
      expect(signs, 'signs seen by the control').toMatch(sign);
    }
    await expect(control.close(), 'the harness fails a file with a CSP violation').rejects.toThrow('Content-Security-Policy violations');
  });

  // The two passes run side by side, in contexts of their own, to keep the file near three minutes.
  it.concurrent('runs nothing on the timeline or on any article page with JavaScript on', async ({ expect }) => {
    const start = Date.now();
    const watch = await Watch.start(session, site, { javaScriptEnabled: true });
    await watch.read('timeline', '', async (page) => {
      const seen = await scrollTimeline(page, summaries.length);
      const missing = summaries.filter((s) => seen.get(s.id) !== s.title);
      return missing.length === 0 ? null : `${missing.length} entries not shown with their title, e.g. ${missing[0]!.id} ${JSON.stringify(missing[0]!.title)}`;
    });
    for (const { summary, planted: p } of articles) {
      await watch.read(`a/${summary.id} (${p.where} payload ${p.payload})`, `a/${summary.id}`, appArticle(summary.title));
    }
    passes.push({ name: 'with JavaScript', pages: watch.pages, executions: watch.executions.length, seconds: (Date.now() - start) / 1000 });
    expect(watch.pages, 'pages read').toBe(articles.length + 1);
    expect.soft(watch.executions, 'signs of a payload running').toEqual([]);
    expect.soft(watch.markup, 'active markup that reached the page').toEqual([]);
    expect.soft(watch.unrendered, 'pages that did not render as expected').toEqual([]);
  }, 600_000);

  it.concurrent('runs nothing on the prerendered article pages with JavaScript off', async ({ expect }) => {
    const start = Date.now();
    const watch = await Watch.start(session, site, { javaScriptEnabled: false });
    const sample = articles.filter(({ planted: p }) => {
      if (p.where !== 'body') return true;
      const payload = BODY_PAYLOADS.find((b) => b.id === p.payload)!;
      return ACT_WITHOUT_SCRIPT.has(payload.family) || payload.id.endsWith('-001') || payload.id.endsWith('-002') || payload.id.endsWith('-003');
    });
    for (const { summary, planted: p } of sample) {
      await watch.read(`a/${summary.id} without JavaScript (${p.where} payload ${p.payload})`, `a/${summary.id}`, staticArticle(summary.title));
    }
    expect(watch.pages, 'pages read').toBe(sample.length);
    passes.push({ name: 'without JavaScript', pages: watch.pages, executions: watch.executions.length, seconds: (Date.now() - start) / 1000 });
    expect.soft(watch.executions, 'signs of a payload running').toEqual([]);
    expect.soft(watch.markup, 'active markup that reached the page').toEqual([]);
    expect.soft(watch.unrendered, 'pages that did not render as expected').toEqual([]);
  }, 600_000);
});

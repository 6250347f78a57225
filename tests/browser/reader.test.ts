/**
 * The built reader in real Chromium: what a reader sees and does, on the site
 * `vite build` makes and `vite preview` serves.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFile, type Article } from '../../src/content/bundle.ts';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { ROOT, SAMPLES, seedsFolder } from '../helpers/run.ts';
import { axeViolations, BrowserSession, buildSite, builtBundle, describeViolations, luminance, screenshot, serveSite, startSite, type Site, type Visit } from './harness.ts';

const KOREA = { id: '6e5fxxdn32eb', title: '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易', day: '2023年7月31日 星期一' };
const SHOIGU = { id: '0tert5bvzf9j', title: '俄罗斯国防部长称朝鲜为“重要伙伴”', day: '2023年7月26日 星期三' };
const SYNTHETIC_COUNT = 400;

const session = new BrowserSession();
let samples: Site;

beforeAll(async () => {
  await session.launch();
  samples = await startSite(SAMPLES);
});

afterAll(async () => {
  await session.close();
  await samples?.close();
});

/** Waits for the timeline's heading and its first entry. */
async function timelineReady(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: '最新报道' }).waitFor();
  await page.locator('ol.entries a.entry').first().waitFor();
}

/** Waits for an article's headline. */
async function articleReady(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
}

/** Waits until every rendered timeline row shows its entry rather than a placeholder. */
async function rowsFilled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('ol.entries > li');
    return rows.length > 0 && document.querySelectorAll('ol.entries .placeholder').length === 0;
  });
}

/** Polls window.scrollY until two readings 150 ms apart agree, and returns it. */
async function settledScrollY(page: Page): Promise<number> {
  let last = await page.evaluate(() => window.scrollY);
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(150);
    const now = await page.evaluate(() => window.scrollY);
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Titles of the rendered timeline rows, each with the day heading it falls under, in list order. */
function rowsWithDays(page: Page): Promise<{ title: string; day: string }[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLLIElement>('ol.entries > li')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    let day = '';
    return rows.map((row) => {
      day = row.querySelector('h2.day')?.textContent ?? day;
      return { title: row.querySelector('h3')?.textContent ?? '', day };
    });
  });
}

/** Titles and source labels of the rendered timeline rows, in list order. */
function renderedEntries(page: Page): Promise<{ title: string; source: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLLIElement>('ol.entries > li')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map((row) => ({ title: row.querySelector('h3')?.textContent ?? '', source: row.querySelector('.entry .meta span')?.textContent ?? '' })),
  );
}

function expectQuiet(visit: Visit, what: string): void {
  expect(visit.pageErrors, `uncaught errors on ${what}`).toEqual([]);
  expect(visit.consoleErrors, `console errors on ${what}`).toEqual([]);
  expect(visit.dialogs, `dialogs on ${what}`).toEqual([]);
}

describe('reading the bundled samples', () => {
  it('lists both sample articles, newest first, each under its day heading', async () => {
    const visit = await session.newPage(samples);
    await visit.page.goto(samples.url());
    await timelineReady(visit.page);
    expect(await rowsWithDays(visit.page), 'timeline rows and their day headings').toEqual([
      { title: KOREA.title, day: KOREA.day },
      { title: SHOIGU.title, day: SHOIGU.day },
    ]);
    expect(await visit.page.getByRole('heading', { level: 2, name: KOREA.day }).isVisible(), 'first day heading visible').toBe(true);
    expect(await visit.page.getByRole('heading', { level: 2, name: SHOIGU.day }).isVisible(), 'second day heading visible').toBe(true);
    expectQuiet(visit, 'the timeline');
  });

  it('opens an article from the timeline with its body text and the related report', async () => {
    const visit = await session.newPage(samples);
    const { page } = visit;
    await page.goto(samples.url());
    await timelineReady(page);
    await page.getByRole('link', { name: KOREA.title }).click();
    await articleReady(page, KOREA.title);
    expect(new URL(page.url()).pathname, 'deep link of the opened article').toBe(`/a/${KOREA.id}`);
    expect(await page.locator('.article-body').getByText('据韩联社报导').isVisible(), 'body text visible').toBe(true);
    const related = page.getByRole('region', { name: '相关报道' });
    expect(await related.getByRole('link', { name: SHOIGU.title }).isVisible(), 'related report listed').toBe(true);
    expect(await page.title(), 'document title').toBe(`${KOREA.title} · 新闻存档`);
    expectQuiet(visit, 'the article');
  });

  it('shows the same article when its deep link is reloaded or opened in a fresh browser', async () => {
    const visit = await session.newPage(samples);
    await visit.page.goto(samples.url(`a/${KOREA.id}`));
    await articleReady(visit.page, KOREA.title);
    await visit.page.reload();
    await articleReady(visit.page, KOREA.title);
    expect(await visit.page.getByText('据韩联社报导').isVisible(), 'body after reload').toBe(true);
    expectQuiet(visit, 'the reloaded deep link');

    const fresh = await session.newPage(samples);
    await fresh.page.goto(samples.url(`a/${SHOIGU.id}`));
    await articleReady(fresh.page, SHOIGU.title);
    expect(await fresh.page.getByRole('region', { name: '相关报道' }).getByRole('link', { name: KOREA.title }).isVisible(), 'related in a fresh context').toBe(true);
    expectQuiet(fresh, 'the deep link in a fresh context');
  });

  it('says 找不到这篇文章 for an article id the archive does not have', async () => {
    const visit = await session.newPage(samples);
    await visit.page.goto(samples.url('a/zzzzzzzzzzzz'));
    await visit.page.getByRole('heading', { level: 1 }).waitFor();
    const heading = await visit.page.getByRole('heading', { level: 1 }).textContent();
    const detail = await visit.page.locator('main').textContent();
    expect(heading, `heading of an unknown article (page says: ${detail})`).toBe('找不到这篇文章');
    expect(await visit.page.getByRole('link', { name: '回到时间线' }).isVisible(), 'link home').toBe(true);
    expect(visit.pageErrors, 'uncaught errors').toEqual([]);
  });

  it('says 找不到这个页面 for an unknown path and links back to the timeline', async () => {
    const visit = await session.newPage(samples);
    const { page } = visit;
    await page.goto(samples.url('no/such/page'));
    await page.getByRole('heading', { level: 1, name: '找不到这个页面' }).waitFor();
    const home = page.getByRole('main').getByRole('link', { name: '回到时间线' });
    expect(await home.getAttribute('href'), 'link home').toBe('/');
    await home.click();
    await timelineReady(page);
    expect(new URL(page.url()).pathname, 'back on the timeline').toBe('/');
    expectQuiet(visit, 'the not-found page');
  });

  it('opens the second article after j, j and Enter on the timeline', async () => {
    const visit = await session.newPage(samples);
    const { page } = visit;
    await page.goto(samples.url());
    await timelineReady(page);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await page.locator('ol.entries > li.selected h3').textContent(), 'selected after j j').toBe(SHOIGU.title);
    await page.keyboard.press('Enter');
    await articleReady(page, SHOIGU.title);
    expect(new URL(page.url()).pathname, 'opened article').toBe(`/a/${SHOIGU.id}`);
    expectQuiet(visit, 'keyboard navigation');
  });

  it('lists the keyboard shortcuts in a dialog on ? and closes it with Escape', async () => {
    const visit = await session.newPage(samples);
    const { page } = visit;
    await page.goto(samples.url());
    await timelineReady(page);
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: '快捷键' });
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    for (const item of ['j', '下一篇', 'k', '上一篇', 'Enter', '打开选中的文章', 'Esc']) expect(text, `dialog lists ${item}`).toContain(item);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('dialog[open]').count(), 'no open dialog after Escape').toBe(0);
    expectQuiet(visit, 'the shortcuts dialog');
  });

  it('follows a dark system theme, and keeps the theme chosen with the button across a reload', async () => {
    const visit = await session.newPage(samples, { colorScheme: 'dark' });
    const { page } = visit;
    const background = async () => luminance(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await page.goto(samples.url());
    await timelineReady(page);
    expect(await background(), 'dark background under a dark system theme').toBeLessThan(0.05);

    const button = page.getByRole('button', { name: /主题/ });
    expect(await button.textContent(), 'theme before choosing').toBe('跟随系统');
    await button.click();
    expect(await button.textContent(), 'theme after one click').toBe('浅色');
    expect(await background(), 'light background once 浅色 is chosen').toBeGreaterThan(0.8);

    await page.reload();
    await timelineReady(page);
    expect(await button.textContent(), 'theme after reload').toBe('浅色');
    expect(await background(), 'light background after reload').toBeGreaterThan(0.8);
    expect(await page.evaluate(() => localStorage.getItem('reader.theme')), 'stored theme').toBe('light');
    expectQuiet(visit, 'theme switching');
  });

  it('fits a 360-pixel phone screen without sideways scrolling, with related reports after the article text', async () => {
    const visit = await session.newPage(samples, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const { page } = visit;
    await page.goto(samples.url(`a/${KOREA.id}`));
    await articleReady(page, KOREA.title);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'article page width').toBeLessThanOrEqual(360);
    const body = await page.locator('.article-body').boundingBox();
    const related = await page.locator('aside.related').boundingBox();
    expect(body && related, 'body and related list laid out').toBeTruthy();
    expect(related!.y, 'related list starts below the article text').toBeGreaterThanOrEqual(body!.y + body!.height);

    await page.goto(samples.url());
    await timelineReady(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'timeline page width').toBeLessThanOrEqual(360);
    expectQuiet(visit, 'the phone');
  });

  it('has no axe-core violations on the timeline', async () => {
    // axe is injected as a script: the test's own tool, allowed past the site's CSP.
    const visit = await session.newPage(samples, { bypassCSP: true });
    await visit.page.goto(samples.url());
    await timelineReady(visit.page);
    const violations = await axeViolations(visit.page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('has no axe-core violations on an article', async () => {
    const visit = await session.newPage(samples, { bypassCSP: true });
    await visit.page.goto(samples.url(`a/${KOREA.id}`));
    await articleReady(visit.page, KOREA.title);
    const violations = await axeViolations(visit.page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('saves screenshots of the timeline and an article on a desktop and a phone, and of an article in dark theme', async () => {
    const saved: string[] = [];
    const shoot = async (name: string, path: string, options: Parameters<typeof session.newPage>[1]) => {
      const { page } = await session.newPage(samples, options);
      await page.goto(samples.url(path));
      if (path) await articleReady(page, KOREA.title);
      else await timelineReady(page);
      saved.push(await screenshot(page, name));
    };
    const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    await shoot('timeline-1280x900', '', { viewport: { width: 1280, height: 900 } });
    await shoot('article-1280x900', `a/${KOREA.id}`, { viewport: { width: 1280, height: 900 } });
    await shoot('timeline-360x740', '', phone);
    await shoot('article-360x740', `a/${KOREA.id}`, phone);
    await shoot('article-dark-1280x900', `a/${KOREA.id}`, { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    expect(saved, 'screenshots written').toHaveLength(5);
    console.log(`screenshots:\n  ${saved.join('\n  ')}`);
  });
});

const HOSTILE_FIXTURE = readFileSync(join(ROOT, 'tests/fixtures/browser/hostile.txt'), 'utf8');
/** An id the bundle does not list, for an article file swapped in after the build. */
const TAMPERED_ID = 'tampered0000';

describe('an article whose body holds hostile HTML', () => {
  let site: Site;
  /** The seed as the build cleaned it, and the raw hostile body written into the bundle after the build. */
  const visits: { what: string; visit: Visit }[] = [];

  beforeAll(async () => {
    const outDir = buildSite(seedsFolder({ 'hostile.txt': HOSTILE_FIXTURE }));
    // The bundle is untrusted too (it may be altered on the way): the browser's sanitizer must hold on its own.
    const summary = builtBundle(outDir).summaries()[0]!;
    const built = JSON.parse(readFileSync(join(outDir, 'data', articleFile(summary.id)), 'utf8')) as Article;
    const rawBody = HOSTILE_FIXTURE.split('\n').slice(4).join('\n');
    mkdirSync(join(outDir, 'data', articleFile(TAMPERED_ID), '..'), { recursive: true });
    writeFileSync(join(outDir, 'data', articleFile(TAMPERED_ID)), JSON.stringify({ ...built, id: TAMPERED_ID, html: rawBody, image: null }));
    site = await serveSite(outDir);

    for (const [what, id] of [['cleaned by the build', summary.id], ['altered after the build', TAMPERED_ID]] as const) {
      // DOMPurify parses the altered body in an inert document that shares the page's CSP, so Chromium
      // reports the handlers and styles it meets there as violations, though none of them runs (asserted below).
      const visit = await session.newPage(site, {}, { cspReportsExpected: id === TAMPERED_ID });
      await visit.page.goto(site.url(`a/${id}`));
      await articleReady(visit.page, '一篇藏着恶意代码的报道');
      // Give failed image loads time to fire their (removed) error handlers.
      await visit.page.waitForLoadState('networkidle');
      await visit.page.waitForTimeout(300);
      visits.push({ what, visit });
    }
  });
  afterAll(() => site?.close());

  const body = (visit: Visit) => visit.page.locator('.article-body');

  it('keeps the readable text', async () => {
    for (const { what, visit } of visits) {
      const text = (await body(visit).textContent()) ?? '';
      expect(text, `lead, ${what}`).toContain('据法新社报导');
      expect(text, `end, ${what}`).toContain('文章结尾。');
    }
  });

  it('runs none of it: no dialog opens and window.__xss stays undefined', async () => {
    for (const { what, visit } of visits) {
      await body(visit).getByRole('link', { name: '一个正常链接' }).hover();
      await body(visit).getByText('文章结尾。').hover();
      expect(visit.dialogs, `dialogs opened, ${what}`).toEqual([]);
      expect(await visit.page.evaluate(() => typeof (window as unknown as { __xss?: unknown }).__xss), `window.__xss, ${what}`).toBe('undefined');
      expect(visit.pageErrors, `uncaught errors, ${what}`).toEqual([]);
    }
  });

  it('leaves no script, iframe, svg or other active element in the body', async () => {
    for (const { what, visit } of visits) {
      const found = await body(visit).evaluate((root) =>
        [...root.querySelectorAll('script, iframe, svg, math, object, embed, form, style, noscript, frame, base, meta, link')].map((e) => e.outerHTML),
      );
      expect(found, `active elements in the body, ${what}`).toEqual([]);
      const attributes = await body(visit).evaluate((root) =>
        [...root.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on|^style$|^srcdoc$/i.test(a.name)).map((a) => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`)),
      );
      expect(attributes, `event handler, style or srcdoc attributes, ${what}`).toEqual([]);
    }
  });

  it('opens every body link in a new tab without opener or referrer, and only to web or mail addresses', async () => {
    for (const { what, visit } of visits) {
      const links = await body(visit).evaluate((root) =>
        [...root.querySelectorAll('a[href]')].map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') })),
      );
      expect(links.length, `some links survive, ${what}`).toBeGreaterThan(0);
      for (const link of links) {
        expect(link.href, `link scheme, ${what}`).toMatch(/^(https?:\/\/|mailto:)/i);
        expect(link.target, `target of ${link.href}, ${what}`).toBe('_blank');
        expect(link.rel, `rel of ${link.href}, ${what}`).toBe('noopener noreferrer');
      }
    }
  });

  it('loads every body image lazily and without a referrer', async () => {
    for (const { what, visit } of visits) {
      const images = await body(visit).evaluate((root) =>
        [...root.querySelectorAll('img')].map((img) => ({ src: img.getAttribute('src'), referrerpolicy: img.getAttribute('referrerpolicy'), loading: img.getAttribute('loading') })),
      );
      expect(images.length, `the real photo survives, ${what}`).toBeGreaterThan(0);
      for (const image of images) {
        expect(image.src, `image scheme, ${what}`).toMatch(/^https?:\/\//);
        expect(image.referrerpolicy, `referrerpolicy of ${image.src}, ${what}`).toBe('no-referrer');
        expect(image.loading, `loading of ${image.src}, ${what}`).toBe('lazy');
      }
    }
  });
});

describe(`a long archive of ${SYNTHETIC_COUNT} articles`, () => {
  let site: Site;

  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < SYNTHETIC_COUNT; i++) {
      const { name, text } = synthSeed(i, 7);
      files[name] = text;
    }
    site = await startSite(seedsFolder(files));
    expect(site.manifest().articleCount, 'articles built').toBe(SYNTHETIC_COUNT);
  });
  afterAll(() => site?.close());

  it('renders only the rows near the screen, not all of them', async () => {
    const visit = await session.newPage(site);
    const { page } = visit;
    await page.goto(site.url());
    await timelineReady(page);
    expect(await page.getByRole('status').filter({ hasText: '共' }).textContent(), 'count').toBe(`共 ${SYNTHETIC_COUNT} 篇`);
    expect(await page.locator('ol.entries > li').count(), 'rows in the DOM at the top').toBeLessThan(100);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await rowsFilled(page);
    expect(await page.locator('ol.entries > li').count(), 'rows in the DOM half way down').toBeLessThan(100);
    expectQuiet(visit, 'the long timeline');
  });

  it('comes back to the same scroll position and entry after opening an article far down', async () => {
    const visit = await session.newPage(site);
    const { page } = visit;
    await page.goto(site.url());
    await timelineReady(page);
    // Scroll in steps, as a reader would, well into the second timeline page.
    for (let y = 4000; y <= 36_000; y += 4000) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(50);
    }
    await rowsFilled(page);
    const before = await settledScrollY(page);
    expect(before, 'scrolled far down').toBeGreaterThan(30_000);

    const target = await page.evaluate(() => {
      const row = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2)?.closest<HTMLLIElement>('ol.entries > li');
      return row ? { index: row.dataset.index!, title: row.querySelector('h3')?.textContent ?? '', top: row.getBoundingClientRect().top } : null;
    });
    expect(target, 'an entry in the middle of the screen').not.toBeNull();
    await page.locator(`ol.entries > li[data-index="${target!.index}"] a.entry`).click();
    await articleReady(page, target!.title);

    await page.goBack();
    await timelineReady(page);
    const after = await settledScrollY(page);
    expect(Math.abs(after - before), `scroll position after going back (before ${before}, after ${after})`).toBeLessThanOrEqual(4);
    const row = page.locator(`ol.entries > li[data-index="${target!.index}"]`);
    expect(await row.locator('h3').textContent(), 'same entry at that position').toBe(target!.title);
    const box = await row.boundingBox();
    expect(box, 'entry rendered').not.toBeNull();
    expect(Math.abs(box!.y - target!.top), `entry's place on screen (before ${target!.top}, after ${box!.y})`).toBeLessThanOrEqual(4);
    expectQuiet(visit, 'going back to the long timeline');
  });

  it('jumps to a month from 跳到月份, that month\'s newest article at the top of the screen, and to the oldest month', async () => {
    const { months } = site.manifest();
    expect(months.length, 'months in the archive').toBeGreaterThan(2);
    const visit = await session.newPage(site);
    const { page } = visit;
    await page.goto(site.url());
    await timelineReady(page);
    /** Index and month of the first row whose top is on screen (below the list's top edge). */
    const firstOnScreen = () =>
      page.evaluate(() => {
        const rows = [...document.querySelectorAll<HTMLLIElement>('ol.entries > li')].filter((row) => row.getBoundingClientRect().top >= -1);
        const first = rows.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))[0];
        return first ? { index: Number(first.dataset.index), month: first.querySelector('time')?.getAttribute('datetime')?.slice(0, 7) ?? '' } : null;
      });
    const jump = async (month: string) => {
      await page.getByLabel('跳到月份').selectOption(month);
      await settledScrollY(page);
      await rowsFilled(page);
    };

    const middle = months[Math.floor(months.length / 2)]!;
    await jump(middle.month);
    expect(await firstOnScreen(), 'first row on screen after jumping to a middle month').toEqual({ index: middle.start, month: middle.month });
    expect(await page.getByLabel('跳到月份').inputValue(), 'the control shows the month on screen').toBe(middle.month);

    // The oldest month sits at the end of the list, which cannot scroll past its last row.
    const oldest = months.at(-1)!;
    await jump(oldest.month);
    const row = await page.locator(`ol.entries > li[data-index="${oldest.start}"]`).boundingBox();
    expect(row, 'the oldest month\'s newest article is rendered').not.toBeNull();
    expect(row!.y, 'its top on screen').toBeGreaterThanOrEqual(0);
    expect(row!.y, 'its top on screen').toBeLessThan(page.viewportSize()!.height - 100);
    expect(await page.locator('ol.entries > li').count(), 'rows in the DOM after the jumps').toBeLessThan(100);
    expectQuiet(visit, 'jumping to a month');
  });

  it('shows only the chosen source after picking it in 来源, and keeps the filter on reload', async () => {
    const manifest = site.manifest();
    const source = [...manifest.sources].sort((a, b) => a.count - b.count)[0]!;
    const expected = site.summaries().filter((s) => s.sourceId === source.key);
    expect(expected.length, 'bundle count for the source').toBe(source.count);
    expect(source.count, 'a real subset').toBeLessThan(SYNTHETIC_COUNT);

    const visit = await session.newPage(site);
    const { page } = visit;
    await page.goto(site.url());
    await timelineReady(page);
    await page.getByLabel('来源').selectOption(source.key);
    await page.waitForURL((url) => url.searchParams.get('source') === source.key);
    const count = page.getByRole('status').filter({ hasText: '共' });

    const check = async (when: string) => {
      await page.getByRole('status').filter({ hasText: `共 ${source.count} 篇` }).waitFor();
      await rowsFilled(page);
      const entries = await renderedEntries(page);
      expect(entries.length, `rows shown ${when}`).toBeGreaterThan(0);
      expect(new Set(entries.map((e) => e.source)), `sources shown ${when}`).toEqual(new Set([source.label]));
      expect(entries.map((e) => e.title), `titles shown ${when}`).toEqual(expected.slice(0, entries.length).map((s) => s.title));
      expect(await page.getByLabel('来源').inputValue(), `select value ${when}`).toBe(source.key);
    };
    await check('after choosing');
    expect(await count.textContent(), 'count').toBe(`共 ${source.count} 篇`);

    await page.reload();
    await timelineReady(page);
    expect(new URL(page.url()).searchParams.get('source'), 'URL after reload').toBe(source.key);
    await check('after reload');
    expectQuiet(visit, 'filtering');
  });
});

describe('a site built for the sub-path /news/', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite(SAMPLES, { basePath: '/news/' });
  });
  afterAll(() => site?.close());

  it('shows the timeline at /news/ and opens articles under /news/a/', async () => {
    const visit = await session.newPage(site);
    const { page } = visit;
    const outside: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === site.origin && !url.pathname.startsWith('/news/')) outside.push(url.pathname);
    });
    await page.goto(site.url());
    await timelineReady(page);
    expect((await renderedEntries(page)).map((e) => e.title), 'titles at /news/').toEqual([KOREA.title, SHOIGU.title]);
    await page.getByRole('link', { name: SHOIGU.title }).click();
    await articleReady(page, SHOIGU.title);
    expect(new URL(page.url()).pathname, 'article URL under the sub-path').toBe(`/news/a/${SHOIGU.id}`);
    expect(outside, 'requests outside /news/').toEqual([]);
    expectQuiet(visit, '/news/');
  });

  it('renders a /news/a/<id> deep link opened in a fresh browser', async () => {
    const visit = await session.newPage(site);
    await visit.page.goto(site.url(`a/${KOREA.id}`));
    await articleReady(visit.page, KOREA.title);
    expect(await visit.page.getByText('据韩联社报导').isVisible(), 'body').toBe(true);
    expectQuiet(visit, '/news/a/<id>');
  });
});

describe('privacy', () => {
  it('sends nothing to other origins but article images, across every visit of this file', async () => {
    // Visit both samples once more, scrolled to the end, so lazy images are requested too.
    const visit = await session.newPage(samples);
    const { page } = visit;
    await page.goto(samples.url());
    await timelineReady(page);
    for (const article of [KOREA, SHOIGU]) {
      await page.goto(samples.url(`a/${article.id}`));
      await articleReady(page, article.title);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForLoadState('networkidle');
    }
    expect(session.offOrigin.length, 'article images were requested from their sites').toBeGreaterThan(0);
    const notImages = session.offOrigin.filter((r) => r.resourceType !== 'image');
    expect(notImages, 'requests to other origins that are not images').toEqual([]);
  });
});

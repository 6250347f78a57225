/**
 * The built reader in real Chromium: what a reader sees and does, on the site
 * `vite build` makes and `vite preview` serves.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePageFile } from '../../src/content/bundle.ts';
import { withBody, withData } from '../helpers/bundle.ts';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { ROOT, SAMPLES, seedsFolder } from '../helpers/run.ts';
import { articleReady, axeViolations, BrowserSession, buildSite, builtBundle, describeViolations, luminance, screenshot, serveSite, startSite, type Site, type Visit } from './harness.ts';

const KOREA = { id: '6e5fxxdn32eb', title: '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易', day: '2023年7月31日 星期一' };
const SHOIGU = { id: '0tert5bvzf9j', title: '俄罗斯国防部长称朝鲜为“重要伙伴”', day: '2023年7月26日 星期三' };
const SYNTHETIC_COUNT = 400;

/** Every visit in which the reader asks for no image: the privacy test at the end checks all of them. */
const session = new BrowserSession();
/** Visits in which the reader asks for images, kept apart from `session`. */
const asking = new BrowserSession();
let samples: Site;

beforeAll(async () => {
  await session.launch();
  await asking.launch();
  samples = await startSite(SAMPLES);
});

afterAll(async () => {
  await session.close();
  await asking.close();
  await samples?.close();
});

/** Waits for the timeline's heading and its first entry. */
async function timelineReady(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: '最新报道' }).waitFor();
  await page.locator('ol.entries a.entry').first().waitFor();
}

/** Waits until every rendered timeline row shows its entry rather than a placeholder. */
async function rowsFilled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('ol.entries > li');
    return rows.length > 0 && document.querySelectorAll('ol.entries .placeholder').length === 0;
  });
}

/** Opens the timeline and scrolls it in steps, as a reader would, well into its second page; returns the settled scrollY. */
async function scrollFarDown(page: Page, site: Site): Promise<number> {
  await page.goto(site.url());
  await timelineReady(page);
  for (let y = 4000; y <= 36_000; y += 4000) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(50);
  }
  await rowsFilled(page);
  return settledScrollY(page);
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
    const served = await (await visit.page.goto(samples.url('a/zzzzzzzzzzzz')))!.text();
    // The bare shell, as a static host's 404.html: not index.html, whose list of the newest articles would show first.
    expect(served, 'the document served').not.toContain('<ol class="latest">');
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
  let builtId = '';

  beforeAll(async () => {
    const outDir = buildSite(seedsFolder({ 'hostile.txt': HOSTILE_FIXTURE }));
    // The bundle is untrusted too (it may be altered on the way): the browser's sanitizer must hold on its own.
    const summary = builtBundle(outDir).summaries()[0]!;
    builtId = summary.id;
    const built = readFileSync(join(outDir, articlePageFile(summary.id)), 'utf8');
    const rawBody = HOSTILE_FIXTURE.split('\n').slice(4).join('\n');
    writeFileSync(join(outDir, articlePageFile(TAMPERED_ID)), withBody(withData(built, (fields) => ({ ...fields, id: TAMPERED_ID, image: null })), rawBody));
    site = await serveSite(outDir);

    for (const [what, id] of [['cleaned by the build', summary.id], ['altered after the build', TAMPERED_ID]] as const) {
      // DOMPurify parses the altered body in an inert document that shares the page's CSP, so Chromium
      // reports the handlers and styles it meets there as violations, though none of them runs (asserted below).
      const visit = await session.newPage(site, {}, { cspReportsExpected: id === TAMPERED_ID });
      if (id === TAMPERED_ID) {
        // The altered page reaches the app as data, fetched on its way from the timeline to the article: what
        // is asserted is the app's sanitizer, not how a browser shows a document someone altered.
        await visit.page.goto(site.url(''));
        await visit.page.locator('ol.entries').waitFor();
        await visit.page.evaluate((path) => {
          history.pushState(null, '', path);
          dispatchEvent(new PopStateEvent('popstate'));
        }, `/a/${id}`);
      } else await visit.page.goto(site.url(`a/${id}`));
      await articleReady(visit.page, '一篇藏着恶意代码的报道');
      // Nothing should be requested from elsewhere; give whatever is time to fire its (removed) handlers.
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

  it('holds every body image back behind a 显示图片 button and requests none of them', async () => {
    for (const { what, visit } of visits) {
      const buttons = await body(visit).getByRole('button').allTextContents();
      expect(buttons, `the real photo's button, ${what}`).toContain('显示图片 · images.example.org 现场照片');
      for (const button of buttons) expect(button, `buttons in the body, ${what}`).toMatch(/^显示图片 · [a-z.]+/);
      expect(await body(visit).locator('img').count(), `images in the body, ${what}`).toBe(0);
      expect(visit.offOrigin, `requests to other origins, ${what}`).toEqual([]);
    }
  });

  it('runs none of it when its images are shown too (自动显示), whether they load or fail', async () => {
    for (const [what, id, expectCsp] of [['cleaned by the build', builtId, false], ['altered after the build', TAMPERED_ID, true]] as const) {
      const visit = await asking.newPage(site, { serviceWorkers: 'block' }, { cspReportsExpected: expectCsp });
      await visit.context.addInitScript(() => localStorage.setItem('reader.images', 'auto'));
      await visit.context.route('https://images.example.org/**', (route) => route.fulfill({ contentType: 'image/svg+xml', body: PICTURE }));
      await visit.context.route((url) => url.origin !== site.origin && url.hostname !== 'images.example.org', (route) => route.abort());
      await visit.page.goto(site.url(`a/${id}`));
      await articleReady(visit.page, '一篇藏着恶意代码的报道');
      const photo = visit.page.getByRole('img', { name: '现场照片' });
      await photo.waitFor();
      await visit.page.waitForFunction(() => [...document.images].every((image) => image.complete));
      await visit.page.waitForTimeout(300);
      expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth), `the photo loaded, ${what}`).toBeGreaterThan(0);
      expect(visit.offOrigin.map((r) => r.url), `images requested, ${what}`).toContain('https://images.example.org/photo.jpg');
      expect(visit.dialogs, `dialogs opened, ${what}`).toEqual([]);
      expect(await visit.page.evaluate(() => typeof (window as unknown as { __xss?: unknown }).__xss), `window.__xss, ${what}`).toBe('undefined');
      expect(visit.pageErrors, `uncaught errors, ${what}`).toEqual([]);
    }
  });
});

const PHOTOS_FIXTURE = readFileSync(join(ROOT, 'tests/fixtures/browser/photos.txt'), 'utf8');
const PHOTOS_TITLE = '台风过境后的港口：一组现场照片';
/** What the fake image hosts answer: a landscape drawing, 1280×720. */
const PICTURE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="720"><rect width="1280" height="720" fill="#6b8fa3"/><circle cx="300" cy="200" r="80" fill="#f3d27a"/><path d="M0 600 L400 350 L700 550 L1000 300 L1280 600 V720 H0Z" fill="#3d5a4a"/></svg>';
/** The buttons in place of the hero and the three body images, in page order. */
const PHOTO_BUTTONS = ['显示图片 · images.example.org', '显示图片 · images.example.org 返航的渔船停靠在码头', '显示图片 · images.example.org', '显示图片 · cdn.example.net 台风路径图'];

describe('an article with images from other sites', () => {
  let site: Site;
  let id: string;

  beforeAll(async () => {
    const outDir = buildSite(seedsFolder({ 'photos.txt': PHOTOS_FIXTURE }));
    id = builtBundle(outDir).summaries()[0]!.id;
    // Built articles carry their first body image as the hero, which the app then leaves to the body; this one
    // names a picture the body lacks, so the page shows a hero too.
    const file = join(outDir, articlePageFile(id));
    writeFileSync(file, withData(readFileSync(file, 'utf8'), (fields) => ({ ...fields, image: 'https://images.example.org/hero.jpg' })));
    site = await serveSite(outDir);
  });
  afterAll(() => site?.close());

  /** A page of `asking` on which the image hosts answer (images.example.org with PICTURE) or fail (every other). */
  async function askingPage(options: Parameters<typeof asking.newPage>[1] = {}) {
    const visit = await asking.newPage(site, { serviceWorkers: 'block', ...options });
    const requests: { url: string; referer: string | undefined }[] = [];
    visit.page.on('request', async (request) => {
      if (new URL(request.url()).origin !== site.origin) requests.push({ url: request.url(), referer: (await request.allHeaders()).referer });
    });
    await visit.context.route('https://images.example.org/**', (route) => route.fulfill({ contentType: 'image/svg+xml', body: PICTURE }));
    await visit.context.route((url) => url.origin !== site.origin && url.hostname !== 'images.example.org', (route) => route.abort());
    return { ...visit, requests };
  }

  const buttonNames = (page: Page) => page.locator('main article button').allTextContents();

  it('shows a 显示图片 button with the host and alt text for the hero and each body image, and requests none of them', async () => {
    const visit = await session.newPage(site);
    await visit.page.goto(site.url(`a/${id}`));
    await articleReady(visit.page, PHOTOS_TITLE);
    await visit.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await visit.page.waitForLoadState('networkidle');
    expect(await buttonNames(visit.page), 'buttons in the article').toEqual(PHOTO_BUTTONS);
    expect(await visit.page.locator('main img').count(), 'images in the article').toBe(0);
    expect(visit.offOrigin, 'requests to other origins').toEqual([]);
    expectQuiet(visit, 'the article with images');
  });

  it('loads only the image whose button is pressed from the keyboard, with no Referer, and shows it in the button\'s place', async () => {
    const visit = await askingPage();
    const { page } = visit;
    await page.goto(site.url(`a/${id}`));
    await articleReady(page, PHOTOS_TITLE);
    const target = PHOTO_BUTTONS[1]!;
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.textContent ?? '')) !== target; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent), 'reached with Tab').toBe(target);
    await page.keyboard.press('Enter');
    const photo = page.getByRole('img', { name: '返航的渔船停靠在码头' });
    await photo.waitFor();
    expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth), 'the picture loaded').toBe(1280);
    expect(await photo.evaluate((img) => img === document.activeElement), 'focus on the picture that replaced the button').toBe(true);
    expect(visit.requests, 'requests to other origins').toEqual([{ url: 'https://images.example.org/harbour.jpg', referer: undefined }]);
    expect(await buttonNames(page), 'buttons left').toEqual([PHOTO_BUTTONS[0], PHOTO_BUTTONS[2], PHOTO_BUTTONS[3]]);
    expectQuiet(visit, 'pressing 显示图片');
  });

  it('says 图片无法载入 where a pressed image cannot load, and does not follow the link around it', async () => {
    const visit = await askingPage();
    const { page } = visit;
    await page.goto(site.url(`a/${id}`));
    await articleReady(page, PHOTOS_TITLE);
    await page.getByRole('button', { name: PHOTO_BUTTONS[3] }).click();
    await page.getByText('图片无法载入 · cdn.example.net').waitFor();
    expect(visit.requests.map((r) => r.url), 'requests to other origins').toEqual(['https://cdn.example.net/map.png']);
    expect(await page.locator('main img').count(), 'no broken picture').toBe(0);
    expect(new URL(page.url()).pathname, 'still on the article').toBe(`/a/${id}`);
    expect(visit.context.pages(), 'no tab opened').toHaveLength(1);
    expectQuiet(visit, 'an image that cannot load');
  });

  it('loads every image, and the timeline\'s thumbnails, once 图片 is set to 自动显示, and keeps that after a reload', async () => {
    const visit = await askingPage();
    const { page } = visit;
    await page.goto(site.url(`a/${id}`));
    await articleReady(page, PHOTOS_TITLE);
    const control = page.getByRole('button', { name: /^图片：/ });
    expect(await control.textContent(), 'the default').toBe('图片：点击显示');
    await control.click();
    expect(await control.textContent(), 'after one click').toBe('图片：自动显示');
    await page.getByText('图片无法载入 · cdn.example.net').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('main img')].filter((img) => (img as HTMLImageElement).naturalWidth > 0).length === 3);
    expect(new Set(visit.requests.map((r) => r.url)), 'images requested').toEqual(
      new Set(['https://images.example.org/hero.jpg', 'https://images.example.org/harbour.jpg', 'https://images.example.org/crates.jpg', 'https://cdn.example.net/map.png']),
    );
    expect(visit.requests.filter((r) => r.referer !== undefined), 'requests with a Referer').toEqual([]);
    expect(await page.locator('.article-body img').evaluateAll((images) => images.map((img) => img.getAttribute('loading'))), 'body images lazy').toEqual(['lazy', 'lazy']);

    await page.reload();
    await articleReady(page, PHOTOS_TITLE);
    expect(await control.textContent(), 'after a reload').toBe('图片：自动显示');
    expect(await page.evaluate(() => localStorage.getItem('reader.images')), 'stored').toBe('auto');
    await page.waitForFunction(() => document.querySelectorAll('main img[src]').length === 3);
    expect(await buttonNames(page), 'no 显示图片 button after a reload').toEqual([]);

    visit.requests.length = 0;
    await page.getByRole('link', { name: '← 回到时间线' }).click();
    await timelineReady(page);
    const thumb = page.locator('.entry .thumb');
    await page.waitForFunction(() => (document.querySelector('.entry .thumb') as HTMLImageElement | null)?.naturalWidth === 1280);
    expect(await thumb.isVisible(), 'thumbnail on the timeline').toBe(true);
    expectQuiet(visit, '自动显示');
  });

  it('has no axe-core violations with its image buttons, one of them inside a link', async () => {
    const visit = await session.newPage(site, { bypassCSP: true });
    await visit.page.goto(site.url(`a/${id}`));
    await articleReady(visit.page, PHOTOS_TITLE);
    const violations = await axeViolations(visit.page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('saves screenshots of the image buttons on a phone, light and dark', async () => {
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await session.newPage(site, { ...phone, colorScheme });
      await page.goto(site.url(`a/${id}`));
      await articleReady(page, PHOTOS_TITLE);
      await page.evaluate(() => window.scrollTo(0, 200));
      console.log(`screenshot: ${await screenshot(page, `article-images-${colorScheme}-390x844`)}`);
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
    const before = await scrollFarDown(page, site);
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

  it('shows the same entry at the same place after the timeline is reloaded far down', async () => {
    const visit = await session.newPage(site);
    const { page } = visit;
    await scrollFarDown(page, site);
    /** The first row still on screen, and where its top is. */
    const topRow = () =>
      page.evaluate(() => {
        const rows = [...document.querySelectorAll<HTMLLIElement>('ol.entries > li')].filter((row) => row.getBoundingClientRect().bottom > 0);
        const row = rows.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))[0]!;
        return { index: row.dataset.index, title: row.querySelector('h3')?.textContent, top: Math.round(row.getBoundingClientRect().top) };
      });
    const before = await topRow();

    // After a reload the app has measured no row: the entry must be found again, not the pixel offset. Twice,
    // without scrolling in between.
    for (const reload of ['first', 'second']) {
      await page.reload();
      await timelineReady(page);
      await settledScrollY(page);
      await rowsFilled(page);
      const after = await topRow();
      expect({ index: after.index, title: after.title }, `the entry at the top after the ${reload} reload`).toEqual({ index: before.index, title: before.title });
      expect(Math.abs(after.top - before.top), `its top on screen after the ${reload} reload (before ${before.top}, after ${after.top})`).toBeLessThanOrEqual(4);
    }
    expectQuiet(visit, 'reloading the timeline far down');
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
  it('sends no request to another origin in any visit of this file where the reader asked for no image', async () => {
    // The timeline and both samples once more, scrolled to the end, so that lazy images would be requested too.
    const visit = await session.newPage(samples);
    const { page } = visit;
    await page.goto(samples.url());
    await timelineReady(page);
    await page.waitForLoadState('networkidle');
    for (const article of [KOREA, SHOIGU]) {
      await page.goto(samples.url(`a/${article.id}`));
      await articleReady(page, article.title);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForLoadState('networkidle');
    }
    expect(session.offOrigin, 'requests to other origins').toEqual([]);
  });
});

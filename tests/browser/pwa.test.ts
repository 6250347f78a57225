import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { CACHES } from '../../src/content/offline.ts';
import { SAMPLES, seedsFolder, tempDir } from '../helpers/run.ts';
import { articleReady, BrowserSession, CHROMIUM_ARGS, buildSite, serveStatic, type Site, type Visit } from './harness.ts';

const KOREA = { id: '6e5fxxdn32eb', title: '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易' };
const SHOIGU = { id: '0tert5bvzf9j', title: '俄罗斯国防部长称朝鲜为“重要伙伴”' };

/** Waits until a service worker controls the page. */
async function controlled(visit: Visit): Promise<void> {
  await visit.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
}

/**
 * Sets the context offline again, so that `page` knows it. Chromium 150 does not carry the emulated
 * offline state into a document the service worker served: its navigator.onLine is true, though no request
 * reaches the network. A second change reaches the page as a real device's would (an `offline` event).
 */
async function tellPageOffline(visit: Visit, page: Page): Promise<void> {
  if (await page.evaluate(() => navigator.onLine === false)) return;
  await visit.context.setOffline(false);
  await visit.context.setOffline(true);
}

describe('installable and offline, from a plain static server', () => {
  const session = new BrowserSession();
  let site: Site;

  beforeAll(async () => {
    site = await serveStatic(buildSite(SAMPLES));
    await session.launch();
  });
  afterAll(async () => {
    await session.close();
    await site?.close();
  });

  it('has a manifest that passes Chromium\'s installability checks', async () => {
    // Installability is not checked in incognito contexts: use a real profile.
    const context = await chromium.launchPersistentContext(tempDir('profile'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await context.newPage();
      await page.goto(site.url());
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
      expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
    } finally {
      await context.close();
    }
    const manifest = JSON.parse(readFileSync(join(site.outDir, 'manifest.webmanifest'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: '新闻存档', short_name: '新闻存档', display: 'standalone', lang: 'zh-Hans', start_url: './', scope: './', id: './' });
    const icons = manifest.icons as { sizes: string; purpose?: string }[];
    expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((i) => i.purpose === 'maskable')).toBe(true);
  });

  it('after one visit, starts cold with the network off: timeline, an opened article, its related article', async () => {
    const visit = await session.newPage(site);
    await visit.page.goto(site.url());
    await controlled(visit);
    await visit.page.getByRole('link', { name: new RegExp(KOREA.title.slice(0, 8)) }).click();
    await visit.page.getByRole('heading', { level: 1, name: KOREA.title }).waitFor();
    await visit.page.getByRole('region', { name: '相关报道' }).getByRole('link', { name: SHOIGU.title }).click();
    await visit.page.getByRole('heading', { level: 1, name: SHOIGU.title }).waitFor();

    await visit.context.setOffline(true);
    for (const path of ['', `a/${KOREA.id}`, `a/${SHOIGU.id}/`]) {
      const page = await visit.context.newPage();
      const served = await (await page.goto(site.url(path)))!.text();
      // `/` comes with the newest articles listed; an article's address with the bare shell, not that list first.
      expect(served.includes('<ol class="latest">'), `the newest articles in the document served for /${path}`).toBe(path === '');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const heading = await page.getByRole('heading', { level: 1 }).first().textContent();
      expect(heading, `cold offline load of /${path}`).toBe(path === '' ? '最新报道' : path.includes(KOREA.id) ? KOREA.title : SHOIGU.title);
      await tellPageOffline(visit, page);
      await page.getByText('当前离线').waitFor({ timeout: 5_000 });
      await page.close();
    }
    // A filtered timeline's address gets the bare shell too, not the unfiltered list: Workbox's precache
    // answers `/` with index.html only without such parameters.
    const filtered = await visit.context.newPage();
    const servedFiltered = await (await filtered.goto(site.url('?source=rfi.fr')))!.text();
    expect(servedFiltered.includes('<ol class="latest">'), 'the newest articles in the document served for /?source=rfi.fr').toBe(false);
    await filtered.close();
    await visit.page.reload();
    await visit.page.getByRole('heading', { level: 1, name: SHOIGU.title }).waitFor();
    await visit.context.setOffline(false);
  });

  it('says plainly that an article not saved is not available offline', async () => {
    const seeds = seedsFolder(Object.fromEntries(Array.from({ length: 3 }, (_, i) => [synthSeed(i, 5).name, synthSeed(i, 5).text])));
    const other = await serveStatic(buildSite(seeds));
    try {
      const visit = await session.newPage(other);
      await visit.page.goto(other.url());
      await controlled(visit);
      const ids = other.summaries().map((s) => s.id);
      await visit.context.setOffline(true);
      await visit.page.goto(other.url(`a/${ids[2]}`));
      // 现在没有网络连接 or 现在连不上存档所在的网站: which one depends on whether the browser knows it is offline.
      await visit.page.getByText(/，这部分内容也没有保存在本机。$/).waitFor();
      expect(await visit.page.getByRole('main').getByRole('link', { name: '离线保存' }).count()).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('offline under a sub-path', () => {
  const session = new BrowserSession();
  let site: Site;

  beforeAll(async () => {
    site = await serveStatic(buildSite(SAMPLES, { basePath: '/news/' }), { basePath: '/news/' });
    await session.launch();
  });
  afterAll(async () => {
    await session.close();
    await site?.close();
  });

  it('scopes the service worker to /news/ and starts cold offline there', async () => {
    const visit = await session.newPage(site);
    await visit.page.goto(site.url(`a/${KOREA.id}`));
    await controlled(visit);
    expect(await visit.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.scope))).toBe(site.url());
    await visit.page.reload();
    await visit.page.getByRole('heading', { level: 1, name: KOREA.title }).waitFor();
    await visit.context.setOffline(true);
    const page = await visit.context.newPage();
    await page.goto(site.url(`a/${KOREA.id}/`));
    await page.getByRole('heading', { level: 1, name: KOREA.title }).waitFor();
    await page.goto(site.url());
    await page.getByRole('heading', { level: 1, name: '最新报道' }).waitFor();
  });
});

describe('save the archive for offline', () => {
  const session = new BrowserSession();
  let site: Site;

  beforeAll(async () => {
    const seeds = seedsFolder(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [synthSeed(i, 9).name, synthSeed(i, 9).text])));
    site = await serveStatic(buildSite(seeds));
    await session.launch();
  });
  afterAll(async () => {
    await session.close();
    await site?.close();
  });

  it('shows the size first, saves every article with progress, and every article then opens offline', async () => {
    const visit = await session.newPage(site);
    await visit.page.goto(site.url('offline'));
    await controlled(visit);
    await visit.page.getByRole('heading', { level: 1, name: '离线保存' }).waitFor();
    expect(await visit.page.locator('.save-summary').textContent()).toMatch(/将下载 60 篇文章，约 [\d.]+ (KB|MB)/);
    await visit.page.getByRole('button', { name: '开始保存' }).click();
    await visit.page.getByText(/保存完成：60 篇/).waitFor({ timeout: 30_000 });
    expect(await visit.page.locator('progress').getAttribute('value')).toBe('60');

    await visit.context.setOffline(true);
    const page = await visit.context.newPage();
    for (const summary of site.summaries()) {
      await page.goto(site.url(`a/${summary.id}`));
      // The app's view, not the page the service worker kept: its data came from the saved articles.
      await articleReady(page, summary.title, 5_000);
    }
    // The timeline filtered by a source, never filtered online: its facets were saved with the articles.
    const source = site.summaries()[0]!.sourceId;
    const count = site.summaries().filter((s) => s.sourceId === source).length;
    await page.goto(site.url(`?source=${source}`));
    await page.getByText(`共 ${count} 篇`).waitFor({ timeout: 5_000 });
    await visit.context.setOffline(false);
  });

  it('can be cancelled and resumes where it stopped, without fetching saved articles again', async () => {
    const visit = await session.newPage(site);
    let articleRequests = 0;
    visit.page.on('request', (r) => {
      if (/\/a\/[0-9a-z]+\.html$/.test(new URL(r.url()).pathname) && r.resourceType() !== 'document') articleRequests++;
    });
    await visit.page.goto(site.url('offline'));
    await visit.page.getByRole('button', { name: '开始保存' }).click();
    await visit.page.getByRole('button', { name: '取消' }).click();
    await visit.page.getByRole('button', { name: '继续保存' }).waitFor();
    const afterCancel = articleRequests;
    expect(afterCancel).toBeLessThan(60);
    await visit.page.getByRole('button', { name: '继续保存' }).click();
    await visit.page.getByText(/保存完成：60 篇/).waitFor({ timeout: 30_000 });
    expect(articleRequests).toBeLessThanOrEqual(60 + 4);
  });
});

describe('a new deployment', () => {
  const session = new BrowserSession();
  let site: Site;
  let seeds: string;

  beforeAll(async () => {
    seeds = tempDir('deploy-seeds');
    cpSync(SAMPLES, seeds, { recursive: true });
    site = await serveStatic(buildSite(seeds));
    await session.launch();
  });
  afterAll(async () => {
    await session.close();
    await site?.close();
  });

  it('is offered to the open page, shows the new text once accepted, and an old tab keeps navigating', async () => {
    const first = await session.newPage(site);
    await first.page.goto(site.url(`a/${KOREA.id}`));
    await controlled(first);
    const second = await first.context.newPage();
    await second.goto(site.url());
    await second.getByRole('heading', { level: 1, name: '最新报道' }).waitFor();

    // What a reader of a version before this one saved for offline: the article as JSON, which no version
    // reads now. The new version's service worker deletes it, and keeps the pages saved.
    const stale = site.url(`data/articles/${KOREA.id}.json`);
    const page = site.url(`a/${KOREA.id}.html`);
    const saved = (url: string) => first.page.evaluate(([name, url]) => caches.open(name).then((c) => c.match(url)).then((r) => r !== undefined), [CACHES.articles, url] as const);
    const save = (url: string) => first.page.evaluate(([name, url]) => caches.open(name).then((c) => c.put(url, new Response('saved'))), [CACHES.articles, url] as const);
    await save(stale);
    await save(page);
    expect(await saved(stale), 'the old JSON, before').toBe(true);

    // Rebuild into the same folder with one seed changed, as a deployment would.
    const file = join(seeds, '000_128d1a5b117db0fb.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('据韩联社报导', '据韩联社最新报导'));
    const rebuilt = buildSite(seeds);
    // A deployment replaces the whole folder: the old version's files are gone from the server.
    for (const name of readdirSync(site.outDir)) rmSync(join(site.outDir, name), { recursive: true });
    cpSync(rebuilt, site.outDir, { recursive: true });

    await first.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await first.page.getByRole('alert').getByText('本站有新版本。').waitFor({ timeout: 20_000 });
    await first.page.getByRole('button', { name: '立即更新' }).click();
    await first.page.getByText('据韩联社最新报导').waitFor({ timeout: 20_000 });
    await expect.poll(() => saved(stale), { message: 'the old JSON, once the new version is active' }).toBe(false);
    expect(await saved(page), 'the page, still saved').toBe(true);

    // The second tab still runs the old version and still navigates.
    await second.getByRole('link', { name: new RegExp(SHOIGU.title.slice(0, 8)) }).click();
    await second.getByRole('heading', { level: 1, name: SHOIGU.title }).waitFor();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession, buildSite, serveStatic, type Site } from './harness.ts';
import { SAMPLES } from '../helpers/run.ts';

const KOREA = { id: '6e5fxxdn32eb', title: '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易' };
const SHOIGU = { id: '0tert5bvzf9j', title: '俄罗斯国防部长称朝鲜为“重要伙伴”' };

for (const basePath of ['/', '/news/']) {
  describe(`dist/ on a plain static server at ${basePath}`, () => {
    const session = new BrowserSession();
    let site: Site;

    beforeAll(async () => {
      site = await serveStatic(buildSite(SAMPLES, { basePath }), { basePath });
      await session.launch();
    });
    afterAll(async () => {
      await session.close();
      await site?.close();
    });

    it('renders an article deep link on a cold visit, with no rewrite rules', async () => {
      const { page, pageErrors, offOrigin } = await session.newPage(site);
      const response = await page.goto(site.url(`a/${KOREA.id}`));
      expect(response?.status()).toBe(200);
      await page.getByRole('heading', { level: 1, name: KOREA.title }).waitFor();
      await page.getByRole('region', { name: '相关报道' }).getByRole('link', { name: SHOIGU.title }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: KOREA.title }).waitFor();
      expect(pageErrors).toEqual([]);
      // Neither the static page nor the app that replaces it requests the article's image.
      await page.waitForLoadState('networkidle');
      expect(offOrigin, 'requests to other origins').toEqual([]);
    });

    it('renders a deep link written with a trailing slash, through 404.html and the app', async () => {
      const { page } = await session.newPage(site);
      await page.goto(site.url(`a/${SHOIGU.id}/`));
      await page.getByRole('heading', { level: 1, name: SHOIGU.title }).waitFor();
    });

    it('shows title, date, source and the full text with JavaScript off', async () => {
      const { page, offOrigin } = await session.newPage(site, { javaScriptEnabled: false });
      await page.goto(site.url(`a/${KOREA.id}`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(KOREA.title);
      const text = await page.locator('main').innerText();
      expect(text).toContain('RFI 法广 · 阅读原文');
      expect(text).toContain('2023年7月31日');
      expect(text).toContain('据韩联社报导');
      expect(text).toContain('强调朝鲜是俄罗斯的重要伙伴');
      expect(await page.title()).toBe(`${KOREA.title} · 新闻存档`);
      // The body image is a link to it: nothing is requested from the outlet unless the reader follows it.
      const image = page.getByRole('link', { name: '查看图片 · s.rfi.fr' });
      expect(await image.getAttribute('href')).toMatch(/^https:\/\/s\.rfi\.fr\/media\//);
      await page.waitForLoadState('networkidle');
      expect(offOrigin, 'requests to other origins').toEqual([]);
    });

    it('lists the newest articles on / with JavaScript off, and each opens its page', async () => {
      const { page, offOrigin } = await session.newPage(site, { javaScriptEnabled: false });
      await page.goto(site.url(''));
      const entries = page.getByRole('main').getByRole('link');
      expect(await entries.locator('h3').allTextContents()).toEqual([KOREA.title, SHOIGU.title]);
      await entries.filter({ hasText: SHOIGU.title }).click();
      await page.waitForURL(site.url(`a/${SHOIGU.id}`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(SHOIGU.title);
      expect(offOrigin, 'requests to other origins').toEqual([]);
    });

    it('sends an unknown path to the app, which says it does not exist', async () => {
      const { page } = await session.newPage(site);
      const response = await page.goto(site.url('no/such/page'));
      expect(response?.status()).toBe(404);
      await page.getByRole('heading', { level: 1, name: '找不到这个页面' }).waitFor();
      await page.getByRole('link', { name: '回到时间线' }).click();
      await page.getByRole('heading', { level: 1, name: '最新报道' }).waitFor();
      expect(new URL(page.url()).pathname.replace(/\/?$/, '/')).toBe(basePath);
    });
  });
}

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePageFile, readArticlePage, type Article, type Manifest } from '../../src/content/bundle.ts';
import { articleId } from '../../src/build/meta.ts';
import { newsBundle } from '../../src/build/vite-plugin.ts';
import { sample, seedsFolder } from '../helpers/run.ts';

const NEW_URL = 'https://www.rfi.fr/cn/中国/20240101-新文章';

function seed(title: string, url = NEW_URL): string {
  return `<!--1704067200000-->\n[${title}](${url})\n------\n\n<p>新的一年，新的报道。</p>`;
}

describe('vite dev server', () => {
  const seeds = seedsFolder({ 'a.txt': sample('000_128d1a5b117db0fb.txt'), 'b.txt': sample('001_a510cfd3fc0d4ab3.txt') });
  let server: ViteDevServer;
  let origin: string;

  beforeAll(async () => {
    server = await createServer({
      configFile: false,
      logLevel: 'silent',
      base: '/news/',
      server: { port: 0, host: '127.0.0.1' },
      plugins: [newsBundle({ seedsDir: seeds })],
    });
    await server.listen();
    origin = server.resolvedUrls!.local[0]!.replace(/\/news\/$/, '');
  });
  afterAll(() => server?.close());

  const get = async <T>(path: string): Promise<{ status: number; body: T | null }> => {
    const response = await fetch(`${origin}/news/data/${path}`);
    return { status: response.status, body: response.ok ? ((await response.json()) as T) : null };
  };

  /** The article as the app reads it, from its page. */
  const article = async (id: string): Promise<{ status: number; body: Article | null }> => {
    const response = await fetch(`${origin}/news/${articlePageFile(id)}`);
    return { status: response.status, body: response.ok ? readArticlePage(await response.text(), id) : null };
  };

  /** Polls until `check` holds: the watcher reports changes asynchronously. */
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not met within 10 s');
  };

  it('serves the bundle from memory under the base path', async () => {
    const { body } = await get<Manifest>('manifest.json');
    expect(body?.articleCount).toBe(2);
    const korea = await article('6e5fxxdn32eb');
    expect(korea.body?.title).toBe('韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易');
  });

  it('answers an article deep link with the app, so a reload shows the article', async () => {
    const response = await fetch(`${origin}/news/a/6e5fxxdn32eb`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it('answers 404 for an article that does not exist', async () => {
    expect((await article('zzzzzzzzzzzz')).status).toBe(404);
  });

  it('adds an article when a seed file is added, without a restart', async () => {
    writeFileSync(join(seeds, 'c.txt'), seed('新年第一篇'));
    await eventually(async () => (await get<Manifest>('manifest.json')).body?.articleCount === 3);
    expect((await article(articleId(NEW_URL))).body?.title).toBe('新年第一篇');
  });

  it('updates an article when its seed file changes', async () => {
    writeFileSync(join(seeds, 'c.txt'), seed('新年第一篇（更新）'));
    await eventually(async () => (await article(articleId(NEW_URL))).body?.title === '新年第一篇（更新）');
  });

  it('removes an article when its seed file is deleted', async () => {
    rmSync(join(seeds, 'c.txt'));
    await eventually(async () => (await get<Manifest>('manifest.json')).body?.articleCount === 2);
    expect((await article(articleId(NEW_URL))).status).toBe(404);
  });

  it('reads the seeds of a folder made inside the seeds folder, and drops them when the folder goes', async () => {
    const folder = join(seeds, '2024');
    mkdirSync(folder);
    writeFileSync(join(folder, 'd.txt'), seed('子文件夹里的新文章'));
    await eventually(async () => (await get<Manifest>('manifest.json')).body?.articleCount === 3);
    expect((await article(articleId(NEW_URL))).body?.title).toBe('子文件夹里的新文章');
    rmSync(folder, { recursive: true });
    await eventually(async () => (await get<Manifest>('manifest.json')).body?.articleCount === 2);
    expect((await article(articleId(NEW_URL))).status).toBe(404);
  });

  it('updates the links to an article in the others when its title changes', async () => {
    const korea = sample('000_128d1a5b117db0fb.txt');
    writeFileSync(join(seeds, 'a.txt'), korea.replace('[韩国防部', '[改题：韩国防部'));
    const shoigu = async () => (await article('0tert5bvzf9j')).body!;
    await eventually(async () => (await shoigu()).newer?.title.startsWith('改题：') ?? false);
    expect((await shoigu()).related.map((r) => r.title)).toContain('改题：韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易');
    writeFileSync(join(seeds, 'a.txt'), korea);
  });
});

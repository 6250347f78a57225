/** `npm run dev` on a seeds folder: the time from saving a seed to its new title in the open browser. */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { ROOT } from '../../tests/helpers/run.ts';
import { prepareContext, seen, watchFor } from './in-page.ts';
import { firstSeed, withSeedTitle } from './seeds.ts';

export interface DevEdit {
  seeds: number;
  /** From creating the server until it listens, the whole archive built in memory. */
  startMs: number;
  /** From writing the seed file until the article's <h1> shows the new title. */
  editMs: number | null;
  error?: string;
}

export async function measureDevEdit(browser: Browser, seedsDir: string, seeds: number): Promise<DevEdit> {
  const result: DevEdit = { seeds, startMs: 0, editMs: null };
  const previous = process.env.SEEDS_DIR;
  // vite.config.ts reads the folder from the environment, as `SEEDS_DIR=… npm run dev` does.
  process.env.SEEDS_DIR = seedsDir;
  let server: ViteDevServer | undefined;
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  try {
    const started = performance.now();
    server = await createServer({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', server: { port: 0, host: '127.0.0.1', strictPort: false } });
    await server.listen();
    result.startMs = performance.now() - started;
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!origin) throw new Error('the dev server reported no URL');

    const seed = firstSeed(seedsDir);
    await prepareContext(context);
    const page = await context.newPage();
    await page.goto(`${origin}/a/${seed.id}`);
    // The first visit compiles the app's modules on demand: slow, and not what is measured.
    await page.waitForFunction((title) => document.querySelector('main h1')?.textContent === title, seed.title, { timeout: 120_000 });
    await page.waitForTimeout(1000);

    const edited = `${seed.title}（基准测试修改）`;
    await watchFor(page, { selector: 'main h1', text: edited }, null, 30_000);
    result.editMs = await withSeedTitle(seed.path, edited, async (writtenAt) => (await seen(page)).seenAt - writtenAt);
  } catch (error) {
    result.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
  } finally {
    await context.close();
    await server?.close();
    if (previous === undefined) delete process.env.SEEDS_DIR;
    else process.env.SEEDS_DIR = previous;
  }
  return result;
}

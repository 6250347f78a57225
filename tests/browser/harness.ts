/**
 * Builds the real site with `vite build`, serves it with the real `vite preview`,
 * and drives Debian's Chromium through playwright-core. Every page records what a
 * reader never sees but a test should: console errors, uncaught exceptions,
 * dialogs, and every request that leaves the site's origin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { extname, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { MANIFEST_FILE, DATA_DIR, timelinePageCount, timelinePageFile, type Manifest, type TimelinePage, type ArticleSummary } from '../../src/content/bundle.ts';
import { npx, ROOT, tempDir } from '../helpers/run.ts';

export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface SiteOptions {
  /** Sub-path the site is built for and served under, e.g. `/news/`; default `/`. */
  basePath?: string;
  /** SITE_URL for the build: absolute links in previews and the sitemap. */
  siteUrl?: string;
}

export interface Site {
  outDir: string;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  /** Base path, starting and ending with `/`. */
  base: string;
  /** Absolute URL of an in-site path given without the base, e.g. `url('a/xyz')`. */
  url(path?: string): string;
  manifest(): Manifest;
  /** Every summary in timeline order, newest first, read from the built bundle. */
  summaries(): ArticleSummary[];
  close(): Promise<void>;
}

/** `vite build` into a fresh folder, as a user would run it; throws with Vite's output on failure. */
export function buildSite(seedsDir: string, options: SiteOptions = {}): string {
  const outDir = tempDir('site');
  const env: Record<string, string> = { SEEDS_DIR: seedsDir };
  if (options.basePath) env.BASE_PATH = options.basePath;
  if (options.siteUrl) env.SITE_URL = options.siteUrl;
  const result = npx(['vite', 'build', '--outDir', outDir, '--emptyOutDir'], env);
  if (result.status !== 0) throw new Error(`vite build failed (${result.status}):\n${result.output}`);
  return outDir;
}

/** A TCP port free on this machine now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Vite's own environment without Vitest's variables, so the preview server behaves as a user's would. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { VITEST: _v, VITEST_MODE: _m, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, NODE_ENV: _n, ...parentEnv } = process.env;
  return { ...parentEnv, ...extra };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    child.once('exit', () => resolve());
    // npx starts Vite as its own child: signal the process group this harness created, not just npx.
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

/** `vite preview` on a free port, resolved once it answers HTTP. */
export async function serveSite(outDir: string, options: SiteOptions = {}): Promise<Site> {
  const base = options.basePath ?? '/';
  const port = await freePort();
  const env: Record<string, string> = {};
  if (options.basePath) env.BASE_PATH = options.basePath;
  const child = spawn('npx', ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--open=false'], {
    cwd: ROOT,
    env: userEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}${base}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`vite preview did not answer on ${origin}${base} within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return siteAt(outDir, origin, base, () => stop(child));
}

/**
 * `dist/` served the way a plain static host serves it, with no rewrite rules:
 * a folder answers with its index.html, a folder without its trailing slash is
 * redirected to it, `/x` answers with `x.html` when there is one, anything else
 * missing gets 404.html with status 404.
 */
export async function serveStatic(outDir: string, options: SiteOptions = {}): Promise<Site> {
  const base = options.basePath ?? '/';
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain' };
  const server = createHttpServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const send = (file: string, status = 200) => {
      response.writeHead(status, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(readFileSync(file));
    };
    const notFound = () => send(join(outDir, '404.html'), 404);
    if (!path.startsWith(base)) return notFound();
    const file = join(outDir, path.slice(base.length));
    if (!file.startsWith(outDir)) return notFound();
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) {
        response.writeHead(301, { Location: `${path}/` });
        return response.end();
      }
      return existsSync(join(file, 'index.html')) ? send(join(file, 'index.html')) : notFound();
    }
    if (existsSync(file)) return send(file);
    // Like GitHub Pages, Netlify and Cloudflare Pages: `/a/<id>` answers with `a/<id>.html`.
    return extname(file) === '' && existsSync(`${file}.html`) ? send(`${file}.html`) : notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return siteAt(outDir, origin, base, () => new Promise<void>((resolve) => server.close(() => resolve())));
}

function siteAt(outDir: string, origin: string, base: string, close: () => Promise<void>): Site {
  const bundle = builtBundle(outDir);
  return {
    outDir,
    origin,
    base,
    url: (path = '') => `${origin}${base}${path.replace(/^\//, '')}`,
    manifest: bundle.manifest,
    summaries: bundle.summaries,
    close,
  };
}

/** The data bundle a build wrote, read from disk: what the app should show. */
export function builtBundle(outDir: string): Pick<Site, 'manifest' | 'summaries'> {
  const readData = <T>(file: string): T => JSON.parse(readFileSync(join(outDir, DATA_DIR, file), 'utf8')) as T;
  return {
    manifest: () => readData<Manifest>(MANIFEST_FILE),
    summaries: () => {
      const manifest = readData<Manifest>(MANIFEST_FILE);
      return Array.from({ length: timelinePageCount(manifest) }, (_, i) => readData<TimelinePage>(timelinePageFile(manifest, i)).items).flat();
    },
  };
}

/** Build and serve in one step. */
export function startSite(seedsDir: string, options: SiteOptions = {}): Promise<Site> {
  return serveSite(buildSite(seedsDir, options), options);
}

export interface OffOriginRequest {
  url: string;
  resourceType: string;
  /** Page URL the request was made from. */
  from: string;
}

export interface Visit {
  page: Page;
  context: BrowserContext;
  /** Console messages of type error, except failed loads of images from other origins (the machine is offline). */
  consoleErrors: string[];
  pageErrors: string[];
  /** Messages of alert/confirm/prompt dialogs, which are dismissed. */
  dialogs: string[];
  offOrigin: OffOriginRequest[];
}

/**
 * One browser for a test file. Every page it opens reports into the visit
 * returned with it and into `offOrigin`, the log of the whole session.
 */
export class BrowserSession {
  private browser: Browser | undefined;
  private contexts: BrowserContext[] = [];
  readonly offOrigin: OffOriginRequest[] = [];
  readonly cspViolations: string[] = [];

  async launch(): Promise<void> {
    this.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }

  /** A page in a fresh context (its own storage), in the reader's time zone and language. */
  async newPage(site: Site, options: BrowserContextOptions = {}, expect: { cspReportsExpected?: boolean } = {}): Promise<Visit> {
    if (!this.browser) throw new Error('BrowserSession.launch() first');
    const context = await this.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
      ...options,
    });
    this.contexts.push(context);
    // Every CSP (and Trusted Types) violation is reported; close() fails the test file if there was any.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
      );
    });
    const page = await context.newPage();
    const visit: Visit = { page, context, consoleErrors: [], pageErrors: [], dialogs: [], offOrigin: [] };
    const offSite = (url: string) => /^https?:/.test(url) && new URL(url).origin !== site.origin;

    page.on('request', (request) => {
      if (!offSite(request.url())) return;
      const entry = { url: request.url(), resourceType: request.resourceType(), from: page.url() };
      visit.offOrigin.push(entry);
      this.offOrigin.push(entry);
    });
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (message.text().startsWith('CSP violation') && !expect.cspReportsExpected) this.cspViolations.push(`${message.text()} on ${page.url()}`);
      const source = message.location().url;
      if (message.text().startsWith('Failed to load resource') && offSite(source)) return;
      visit.consoleErrors.push(`${message.text()} (${source})`);
    });
    page.on('pageerror', (error) => visit.pageErrors.push(String(error)));
    page.on('dialog', (dialog) => {
      visit.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    return visit;
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser?.close();
    if (this.cspViolations.length > 0) throw new Error(`Content-Security-Policy violations:\n${this.cspViolations.join('\n')}`);
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core's violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const { violations } = await axe.run();
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return result;
}

/** A readable list of violations for an assertion message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`)
    .join('\n');
}

/** Saves a PNG for people to look at; not an assertion. */
/**
 * Waits for the app's view of an article: its headline and the 分享 button, which only the app has. A deep
 * link's prerendered page shows the same headline until the app replaces it.
 */
export async function articleReady(page: Page, title: string, timeout?: number): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor({ timeout });
  await page.getByRole('button', { name: '分享' }).waitFor({ timeout });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  writeFileSync(path, await page.screenshot({ animations: 'disabled' }));
  return path;
}

/** Relative luminance (WCAG) of a CSS `rgb()`/`rgba()` colour. */
export function luminance(color: string): number {
  const channels = color.match(/[\d.]+/g)?.slice(0, 3).map(Number);
  if (!channels || channels.length < 3) throw new Error(`not an rgb() colour: ${color}`);
  const [r, g, b] = channels.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * `npm run lighthouse [-- --no-build]`
 *
 * Builds the site (or, with --no-build, takes the `dist/` already there), serves
 * it with `vite preview`, and runs Lighthouse's default mobile audit (simulated
 * throttling) in the system Chromium on the timeline and on one article. Prints
 * the scores, the core metrics and the audits that fail, checks them against the
 * budgets and writes the full reports to /tmp/news-lighthouse.json. A missed
 * budget is a finding, not an error: the exit code is non-zero only when the
 * measurement itself could not be made.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import lighthouse from 'lighthouse';
import type { Result } from 'lighthouse';
import { build, preview, type PreviewServer } from 'vite';
import { DATA_DIR, MANIFEST_FILE, readManifest, readTimelinePage, timelinePageFile } from '../src/content/bundle.ts';
import { freePort } from '../tests/browser/harness.ts';

const OUT_DIR = resolve('dist');
const REPORT_FILE = join(tmpdir(), 'news-lighthouse.json');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type CategoryId = (typeof CATEGORIES)[number];
/** Lowest passing score (0–100) of each category. */
const BUDGETS: Record<CategoryId, number> = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 };
/** Audits whose score says nothing about the page: they are not listed as failures. */
const NOT_SCORED = new Set(['informative', 'notApplicable', 'manual']);

/** The first article of the timeline, read from the built bundle as the app would. */
function firstArticleId(): string {
  const data = join(OUT_DIR, DATA_DIR);
  const manifest = readManifest(JSON.parse(readFileSync(join(data, MANIFEST_FILE), 'utf8')));
  if (manifest.articleCount === 0) throw new Error(`${join(data, MANIFEST_FILE)}: the timeline is empty, so there is no article to audit`);
  const file = timelinePageFile(manifest, 0);
  const id = readTimelinePage(JSON.parse(readFileSync(join(data, file), 'utf8')), file).items[0]?.id;
  if (!id) throw new Error(`${join(data, file)}: no items`);
  return id;
}

interface Chromium {
  process: ChildProcess;
  port: number;
  profile: string;
}

/** Starts Chromium in its own process group with a throw-away profile; resolves once DevTools listens. */
function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'news-lighthouse-profile-'));
  const child = spawn(CHROME, [...CHROME_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const chromium: Chromium = { process: child, port: 0, profile };
  return new Promise((resolve, reject) => {
    let stderr = '';
    const fail = (why: string) => {
      void stopChromium(chromium);
      reject(new Error(`${CHROME} ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail('did not open its DevTools port within 30 s'), 30_000);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code) => fail(`exited (${code}) before opening its DevTools port`));
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const port = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr)?.[1];
      if (!port) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume();
      chromium.port = Number(port);
      resolve(chromium);
    });
  });
}

function stopChromium({ process: child, profile }: Chromium): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      // Chromium's helper processes may still be writing to the profile for a moment after it exits.
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return done();
    const kill = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    // The renderer and GPU processes are Chromium's children: signal the whole group this script created.
    if (!signalGroup(child.pid, 'SIGTERM')) done();
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

const score = (lhr: Result, id: CategoryId) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
const metric = (lhr: Result, id: string) => lhr.audits[id]?.numericValue ?? NaN;

function printTable(results: Array<{ path: string; lhr: Result }>): void {
  const rows = [
    ['url', 'perf', 'a11y', 'best-pr', 'seo', 'LCP ms', 'TBT ms', 'CLS'],
    ...results.map(({ path, lhr }) => [
      path,
      ...CATEGORIES.map((id) => String(score(lhr, id))),
      String(Math.round(metric(lhr, 'largest-contentful-paint'))),
      String(Math.round(metric(lhr, 'total-blocking-time'))),
      metric(lhr, 'cumulative-layout-shift').toFixed(3),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

type Item = Record<string, unknown>;

/** One line for a row of an audit's details: the element, script or URL it names, and what it costs. */
function describeItem(item: Item): string | undefined {
  const node = item.node as { selector?: string; snippet?: string } | undefined;
  // `source` is a location in most audits but the string 'network' in errors-in-console, which has `sourceLocation`.
  const source = [item.sourceLocation, item.source].find((value) => typeof value === 'object') as
    | { url?: string; line?: number; column?: number; value?: string }
    | undefined;
  const where = [
    node?.selector && `${node.selector} ${node.snippet ?? ''}`.trim(),
    source?.url ? `${source.url}${source.line || source.column ? `:${source.line}:${source.column}` : ''}` : source?.value,
    typeof item.url === 'string' && item.url,
    typeof item.groupLabel === 'string' && item.groupLabel,
    typeof item.description === 'string' && item.description,
  ].filter((part): part is string => Boolean(part));
  const ms = [item.wastedMs, item.reflowTime, item.duration].find((value) => typeof value === 'number') as number | undefined;
  const cost = [
    ms !== undefined && `${Math.round(ms)} ms`,
    typeof item.wastedBytes === 'number' && `${Math.round(item.wastedBytes / 1024)} KiB`,
    typeof item.score === 'number' && `shift ${item.score.toFixed(3)}`,
  ].filter((part): part is string => Boolean(part));
  if (where.length === 0) return undefined;
  return `${where.join('  ')}${cost.length ? `  (${cost.join(', ')})` : ''}`;
}

interface NetworkNode {
  url: string;
  navStartToEndTime: number;
  isLongest?: boolean;
  children: Record<string, NetworkNode>;
}

/** The longest chain of requests, each found only after the one before it loaded. */
function longestChain(chains: Record<string, NetworkNode>): string {
  const urls: string[] = [];
  let end = 0;
  const longest = (level: Record<string, NetworkNode>) => Object.values(level).find((node) => node.isLongest);
  for (let node = longest(chains); node; node = longest(node.children)) {
    urls.push(node.url);
    end = node.navStartToEndTime;
  }
  return `${urls.join(' → ')}  (${Math.round(end)} ms)`;
}

/** The first rows of an audit's details; a list of tables (as the insights have) is read table by table. */
function auditItems(details: unknown): string[] {
  const items = (details as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  const lines = (items as Item[]).flatMap((item): Array<string | undefined> => {
    if (Array.isArray(item.items)) return (item.items as Item[]).map(describeItem);
    const value = item.value as { type?: string; chains?: Record<string, NetworkNode> } | undefined;
    if (item.type === 'list-section') return value?.type === 'network-tree' && value.chains ? [longestChain(value.chains)] : [];
    return [describeItem(item)];
  });
  return lines.filter((line): line is string => line !== undefined).slice(0, 5);
}

function printFailures(path: string, lhr: Result): void {
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    if (!category || score(lhr, id) >= BUDGETS[id]) continue;
    console.log(`\n${path}  ${category.title} ${score(lhr, id)}:`);
    const broken: string[] = [];
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (!audit || NOT_SCORED.has(audit.scoreDisplayMode)) continue;
      if (audit.scoreDisplayMode === 'error') broken.push(`${ref.id} (${audit.errorMessage ?? 'error'})`);
      if (audit.score === null || audit.score >= 1) continue;
      console.log(`  - ${audit.title} [${ref.id}]${audit.displayValue ? ` ${audit.displayValue}` : ''}`);
      for (const line of auditItems(audit.details)) console.log(`      ${line}`);
    }
    if (broken.length > 0) console.log(`  Lighthouse could not compute: ${broken.join('; ')}`);
  }
}

const started = performance.now();
let server: PreviewServer | undefined;
let chromium: Chromium | undefined;
const cleanUp = async () => {
  if (chromium) await stopChromium(chromium);
  chromium = undefined;
  await server?.close();
  server = undefined;
};
// However the process ends (an error, Ctrl-C, or the SIGTERM handler of Vite's preview server, which closes
// the server and exits at once), no Chromium or profile is left behind.
process.on('exit', () => {
  if (!chromium) return;
  signalGroup(chromium.process.pid!, 'SIGKILL');
  rmSync(chromium.profile, { recursive: true, force: true, maxRetries: 3 });
});
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

try {
  if (!('flatMap' in [].values())) {
    // Lighthouse 13 asks for Node 22.19; on older Node a few insights (weighted 0 in every score) fail.
    console.warn(`Node ${process.version} lacks iterator helpers: some Lighthouse insights will not be computed (scores are unaffected).`);
  }
  if (!process.argv.includes('--no-build')) await build({ logLevel: 'warn', build: { outDir: OUT_DIR, emptyOutDir: true } });
  const articleId = firstArticleId();
  server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port: await freePort(), strictPort: true, open: false } });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report its URL');

  const results: Array<{ path: string; lhr: Result }> = [];
  // The article at its deep link as the app and the sitemap write it, which answers with its prerendered page.
  for (const path of ['', `a/${articleId}`]) {
    const url = new URL(path, base).href;
    console.log(`auditing ${url}`);
    // A fresh browser per page: each is a reader's first visit, with no service worker or storage left by the last.
    chromium = await launchChromium();
    const run = await lighthouse(url, { port: chromium.port, output: 'json', logLevel: 'error' });
    await stopChromium(chromium);
    chromium = undefined;
    if (!run) throw new Error(`Lighthouse returned no result for ${url}`);
    if (run.lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${run.lhr.runtimeError.code} ${run.lhr.runtimeError.message}`);
    for (const warning of run.lhr.runWarnings) console.warn(`  warning: ${warning}`);
    results.push({ path: new URL(url).pathname, lhr: run.lhr });
  }
  writeFileSync(REPORT_FILE, JSON.stringify(results, null, 2));

  console.log('');
  printTable(results);
  for (const { path, lhr } of results) printFailures(path, lhr);
  console.log('');
  for (const { path, lhr } of results) {
    const missed = CATEGORIES.filter((id) => score(lhr, id) < BUDGETS[id]).map((id) => `${id} ${score(lhr, id)} < ${BUDGETS[id]}`);
    console.log(`${missed.length === 0 ? 'PASS' : 'FAIL'} ${path}${missed.length ? `: ${missed.join(', ')}` : ''}`);
  }
  console.log(`\nBudgets: performance ≥ ${BUDGETS.performance}; accessibility, best practices and SEO 100.`);
  console.log(`Full reports in ${REPORT_FILE}; ${((performance.now() - started) / 1000).toFixed(1)} s.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}

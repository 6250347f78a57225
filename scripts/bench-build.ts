/**
 * `npm run bench [-- --sizes 2,1000,10000,20000] [--with-100k] [--repeat 1] [--no-browser] [--no-dev] [--dev-size 10000]`
 *
 * For each size, builds a synthetic archive (scripts/synth-seeds.ts) with the
 * real `vite build` in a child process and measures: build wall time, time per
 * article and peak memory (with `--repeat N`, N builds from nothing: their
 * median time and highest peak); a rebuild after one seed changed (up to 10,000
 * articles); the output on disk, its largest file and the gzip size of a
 * sample of article files. Then, serving the output as a plain static host
 * would, in Chromium: what a first visit to `/` transfers, opening an article
 * from the timeline, and the timeline list's size while scrolling and jumping
 * to the oldest month. Once, the dev server: how soon an edited seed shows in
 * the open page. Prints a table and the budgets, each PASS, FAIL or n/a, and
 * writes everything to `<tmpdir>/news-bench.json`.
 *
 * Exits 0 when budgets fail: it is a measurement. Exits 1 only when a build fails.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { builtBundle, CHROMIUM_ARGS, serveStatic } from '../tests/browser/harness.ts';
import { BuildFailed, medianBuild, viteBuild, type BuildTiming } from './bench/build.ts';
import { measureSite } from './bench/browser.ts';
import { measureDevEdit } from './bench/dev.ts';
import { checkMachine } from './bench/machine.ts';
import { articleSizes, diskReport } from './bench/disk.ts';
import { budgetLines, detailLines, formatBudgets, REBUILD_MAX_SIZE, tableRows, type BenchResults, type SizeResult } from './bench/report.ts';
import { firstSeed, syntheticSeeds, withSeedTitle } from './bench/seeds.ts';

interface Options {
  sizes: number[];
  /** Builds from nothing per size: the budgets take their median time. */
  repeat: number;
  browser: boolean;
  dev: boolean;
  devSize: number;
}

const FLAGS = ['--with-100k', '--no-browser', '--no-dev'];
const FLAGS_WITH_VALUE = ['--sizes', '--dev-size', '--repeat'];

function readOptions(argv: readonly string[]): Options {
  for (let i = 0; i < argv.length; i++) {
    if (FLAGS_WITH_VALUE.includes(argv[i]!)) {
      if (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')) usage(`${argv[i]} needs a value`);
      i++;
    } else if (!FLAGS.includes(argv[i]!)) usage(`unknown argument ${argv[i]}`);
  }
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  const count = (text: string, flag: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) usage(`${flag}: "${text}" is not a positive whole number`);
    return n;
  };
  const sizes = (value('--sizes') ?? '2,1000,10000,20000').split(',').map((s) => count(s.trim(), '--sizes'));
  if (argv.includes('--with-100k') && !sizes.includes(100_000)) sizes.push(100_000);
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    repeat: count(value('--repeat') ?? '1', '--repeat'),
    browser: !argv.includes('--no-browser'),
    dev: !argv.includes('--no-dev'),
    devSize: count(value('--dev-size') ?? '10000', '--dev-size'),
  };
}

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run bench -- [--sizes 2,1000,10000,20000] [--with-100k] [--repeat 1] [--no-browser] [--no-dev] [--dev-size 10000]`);
  process.exit(2);
}

const outDirOf = (articles: number) => join(tmpdir(), `news-bench-dist-${articles}`);
const cacheDirOf = (articles: number) => join(tmpdir(), `news-bench-cache-${articles}`);

async function measureSize(articles: number, browser: Browser | undefined, repeat: number): Promise<SizeResult> {
  const seedsDir = syntheticSeeds(articles);
  const outDir = outDirOf(articles);
  const cacheDir = cacheDirOf(articles);
  // The first build is measured into an empty folder with an empty seeds cache, as in a fresh clone
  // (main moved earlier ones away), with no deletion left running from an earlier build. The rebuild below
  // measures the repeat case, with the cache the first build left.
  await waitForDeletions(outDir);
  const builds: BuildTiming[] = [];
  for (let attempt = 1; attempt <= repeat; attempt++) {
    // Each attempt from nothing too: the one before is moved away, to be deleted after the last measurement.
    if (attempt > 1) moveAside([outDir, cacheDir], `repeat-${articles}-${attempt}`);
    console.log(`${articles} articles: building${repeat > 1 ? ` (${attempt} of ${repeat})` : ''}…`);
    builds.push(viteBuild(seedsDir, outDir, cacheDir));
  }

  const bundle = builtBundle(outDir);
  const disk = diskReport(outDir);
  const articleFiles = articleSizes(
    outDir,
    bundle.summaries().map((s) => s.id),
  );

  let browserReport = null;
  if (browser) {
    console.log(`${articles} articles: measuring in Chromium…`);
    const site = await serveStatic(outDir);
    try {
      browserReport = await measureSite(browser, site);
    } finally {
      await site.close();
    }
  }

  // Last, as it leaves the output built from an edited seed.
  let rebuild = null;
  if (articles <= REBUILD_MAX_SIZE) {
    console.log(`${articles} articles: rebuilding after one seed changed…`);
    const seed = firstSeed(seedsDir);
    rebuild = await withSeedTitle(seed.path, `${seed.title}（基准测试修改）`, () => viteBuild(seedsDir, outDir, cacheDir));
  }
  return { articles, seedsDir, outDir, build: medianBuild(builds), builds, rebuild, disk, articleFiles, browser: browserReport };
}

/**
 * Waits until no deletion left running by an earlier build (builds delete the output they replace in a
 * detached process afterwards) is still going on.
 */
async function waitForDeletions(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  for (let waited = 0; waited < 300_000; waited += 500) {
    if (!readdirSync(parent).some((name) => name.startsWith('.news-bench-dist-') && name.includes('.deleting-'))) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Moves the output and seeds caches of earlier bench runs into one folder, to be deleted after the last
 * measurement: renaming frees no inode. On ext4 without a journal, as here, the kernel skips recently deleted
 * inodes when it creates a file, one by one, for minutes after they were deleted: 5,000 files took 1.4 s to
 * create right after 40,000 had been deleted, 0.8 s three minutes later, 65 ms with none deleted
 * (decision 0015). Deleted just before, they would be timed as part of the build.
 */
function moveEarlierOutput(sizes: readonly number[]): void {
  moveAside(
    sizes.flatMap((articles) => [outDirOf(articles), cacheDirOf(articles)]),
    String(Date.now()),
  );
}

/** Folders named so are deleted by deleteEarlierOutput, after the last measurement. */
const OLD_PREFIX = '.news-bench-old-';

function oldFolder(name: string): string {
  return join(tmpdir(), `${OLD_PREFIX}${process.pid}-${name}`);
}

/** Moves the folders that exist into one folder that deleteEarlierOutput deletes. */
function moveAside(folders: readonly string[], name: string): void {
  const old = oldFolder(name);
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    mkdirSync(old, { recursive: true });
    renameSync(folder, join(old, basename(folder)));
  }
}

/** Deletes what moveEarlierOutput moved, and what an interrupted run left. */
function deleteEarlierOutput(): void {
  const leftovers = readdirSync(tmpdir()).filter((name) => name.startsWith(OLD_PREFIX));
  if (leftovers.length > 0) console.log('deleting the output of earlier bench runs…');
  for (const name of leftovers) rmSync(join(tmpdir(), name), { recursive: true, force: true });
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  moveEarlierOutput(options.sizes);
  const results: BenchResults = { sizes: [], failures: [], dev: null, browserSkipped: !options.browser, speed: { before: checkMachine(oldFolder('machine-before')) } };
  const browser = options.browser ? await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }) : undefined;
  try {
    for (const articles of options.sizes) {
      try {
        results.sizes.push(await measureSize(articles, browser, options.repeat));
      } catch (error) {
        if (!(error instanceof BuildFailed)) throw error;
        results.failures.push({ articles, message: error.message });
        console.error(error.message);
      }
    }
    if (!browser) results.devSkipped = '--no-browser';
    else if (!options.dev) results.devSkipped = '--no-dev';
    else {
      console.log(`dev server on ${options.devSize} seeds: measuring an edit…`);
      results.dev = await measureDevEdit(browser, syntheticSeeds(options.devSize), options.devSize);
    }
  } finally {
    await browser?.close();
  }
  results.speed.after = checkMachine(oldFolder('machine-after'));

  const budgets = budgetLines(results, options);
  console.log();
  console.table(tableRows(results));
  console.log(detailLines(results).join('\n'));
  console.log(`\nBudgets:\n${formatBudgets(budgets)}`);

  const file = join(tmpdir(), 'news-bench.json');
  const machine = { cpus: cpus().length, node: process.version, platform: process.platform };
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, options, units: 'KB = 1024 bytes, MB = 1024² bytes', ...results, budgets }, null, 2));
  console.log(`\nJSON written to ${file}`);
  deleteEarlierOutput();
  return results.failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();

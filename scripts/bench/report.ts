/** The benchmark's results, its budgets, and how both are printed. KB and MB are 1024 and 1024² bytes. */
import type { BuildTiming } from './build.ts';
import type { BrowserReport } from './browser.ts';
import type { DevEdit } from './dev.ts';
import type { ArticleSizes, DiskReport } from './disk.ts';
import { machineLine, type MachineCheck } from './machine.ts';

export interface SizeResult {
  articles: number;
  seedsDir: string;
  outDir: string;
  /** The median of `builds` (medianBuild): what the budgets are checked against. */
  build: BuildTiming;
  /** Every build from nothing, in the order they ran (one unless --repeat). */
  builds: BuildTiming[];
  /** Build again after one seed's title changed; measured up to REBUILD_MAX_SIZE articles. */
  rebuild: BuildTiming | null;
  disk: DiskReport;
  articleFiles: ArticleSizes;
  /** Null with --no-browser. */
  browser: BrowserReport | null;
}

export interface BuildFailure {
  articles: number;
  message: string;
}

export interface BenchResults {
  sizes: SizeResult[];
  failures: BuildFailure[];
  dev: DevEdit | null;
  /** Why the dev edit was not measured, when it was not. */
  devSkipped?: string;
  browserSkipped: boolean;
  /** The machine's speed before the first build and after the last (machine.ts). */
  speed: { before: MachineCheck; after?: MachineCheck };
}

export type Status = 'PASS' | 'FAIL' | 'n/a';

export interface BudgetLine {
  status: Status;
  /** e.g. `build 100000: 1.55 ms/article (budget ≤ 0.5)` */
  text: string;
}

/** Sizes the build budgets are set for. */
export const BUILD_BUDGET_SIZES = [20_000, 100_000];
export const REBUILD_BUDGET_SIZE = 10_000;
export const DEV_BUDGET_SIZE = 10_000;
/** A rebuild costs a second full build: measured up to the size its budget is for. */
export const REBUILD_MAX_SIZE = REBUILD_BUDGET_SIZE;

const BUDGET = {
  msPerArticle: 0.5,
  peakMB: 2048,
  rebuildMs: 2000,
  devEditMs: 500,
  firstVisitKB: 150,
  appJsKB: 100,
  articleKB: 20,
  articleDataRequests: 1,
  articleOpenMs: 100,
  listElements: 300,
};

const kb = (bytes: number) => bytes / 1024;
const mb = (bytes: number) => bytes / 1024 / 1024;
const fixed = (n: number | null | undefined, digits = 1): string => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const round = (n: number | null | undefined): number | null => (n === null || n === undefined || Number.isNaN(n) ? null : Math.round(n));
const num = (n: number | null | undefined, digits = 1): number | null => (n === null || n === undefined || Number.isNaN(n) ? null : Number(n.toFixed(digits)));

/** One row of the console table per size. */
export function tableRows(results: BenchResults): Record<string, number | string | null>[] {
  return results.sizes.map((s) => {
    const visit = s.browser?.firstVisit ?? null;
    return {
      articles: s.articles,
      wallMs: round(s.build.wallMs),
      processMs: round(s.build.processMs),
      // The budget is for the whole `npm run build`: the process, Node's start and Vite's import included.
      'ms/article': num(s.build.processMs / s.articles, 3),
      peakMB: round(s.build.peakMB),
      rebuildMs: round(s.rebuild?.wallMs),
      distMB: num(mb(s.disk.distBytes), 1),
      dataMB: num(mb(s.disk.dataBytes), 1),
      files: s.disk.distFiles,
      firstVisitKB: num(visit && kb(visit.gzipBytes)),
      appJsKB: num(visit && kb(visit.gzipByKind.js)),
      cssKB: num(visit && kb(visit.gzipByKind.css)),
      requests: visit?.requests ?? null,
      articleMedianKB: num(kb(s.articleFiles.medianGzipBytes)),
      articleP95KB: num(kb(s.articleFiles.p95GzipBytes)),
      largestKB: num(s.disk.largest && kb(s.disk.largest.bytes)),
    };
  });
}

/** Details the table has no room for, a few lines per size. */
export function detailLines(results: BenchResults): string[] {
  const lines: string[] = [machineLine('before the builds', results.speed.before)];
  if (results.speed.after) lines.push(machineLine('after them', results.speed.after));
  for (const s of results.sizes) {
    lines.push(`${s.articles} articles (seeds ${s.seedsDir}, built into ${s.outDir}):`);
    const largest = s.disk.largest;
    if (largest) lines.push(`  largest file: ${largest.path}, ${fixed(kb(largest.bytes))} KB (gzip ${fixed(kb(largest.gzipBytes))} KB)`);
    lines.push(`  build: ${fixed(s.build.wallMs, 0)} ms in vite build(), ${fixed(s.build.processMs, 0)} ms for the whole process`);
    if (s.builds.length > 1) {
      const all = s.builds.map((b) => fixed(b.processMs / 1000, 2)).join(', ');
      lines.push(`  ${s.builds.length} builds from nothing: ${all} s for the whole process, in that order; the median above, and the highest peak of them`);
    }
    // Where each build spent its time, as it told it: which phase a slow build lost it in.
    s.builds.forEach((b, i) => {
      const cpu = b.cpu && `processor ${fixed(b.cpu.userMs / 1000, 1)} s user + ${fixed(b.cpu.systemMs / 1000, 1)} s system`;
      const told = [cpu, b.phases].filter(Boolean).join('; ');
      if (told) lines.push(`  build ${i + 1}: ${told}`);
    });
    lines.push(
      `  article files: median ${fixed(kb(s.articleFiles.medianGzipBytes))} KB gzip, p95 ${fixed(kb(s.articleFiles.p95GzipBytes))} KB, max ${fixed(kb(s.articleFiles.maxGzipBytes))} KB (${s.articleFiles.sampled} of ${s.articleFiles.total} files)`,
    );
    const b = s.browser;
    if (!b) continue;
    const v = b.firstVisit;
    if (v) {
      const kinds = Object.entries(v.gzipByKind)
        .map(([kind, bytes]) => `${kind} ${fixed(kb(bytes))}`)
        .join(', ');
      lines.push(
        `  first visit: ${v.requests} requests, ${fixed(kb(v.gzipBytes))} KB gzip (${kinds}); ${v.offSiteRequests} off-site (images); then the service worker (sw.js and its precache): ${v.swPrecache.requests} requests, ${fixed(kb(v.swPrecache.gzipBytes))} KB gzip`,
      );
    }
    const a = b.article;
    if (a) {
      lines.push(
        a.error && a.ms === null
          ? `  open article: not measured (${a.error})`
          : `  open article: ${fixed(a.ms, 0)} ms from the click (hover to article: ${a.dataRequests} data request${a.dataRequests === 1 ? '' : 's'}, ${a.clickDataRequests} of them after the click, ${fixed(kb(a.dataGzipBytes))} KB gzip; ${a.requests} requests in all); again after going back: ${fixed(a.cachedMs, 0)} ms (${a.cachedDataRequests} data requests)${a.error ? `; ${a.error}` : ''}`,
      );
    }
    const t = b.timeline;
    if (t) {
      const jump = t.jumpMs !== null ? `jump to ${t.jumpMonth}: ${fixed(t.jumpMs, 0)} ms` : `jump to oldest month: ${t.jumpNote ?? 'n/a'}`;
      lines.push(`  timeline list: ${t.top ?? 'n/a'} elements at the top, ${t.scrolled ?? 'n/a'} five screens down, ${t.afterJump ?? 'n/a'} after the jump, at most ${t.max ?? 'n/a'}; ${jump}`);
    }
    for (const error of b.errors) lines.push(`  browser: ${error}`);
  }
  if (results.dev) {
    const d = results.dev;
    lines.push(
      `dev server, ${d.seeds} seeds: ready in ${fixed(d.startMs / 1000)} s; an edited seed shown in the browser after ${d.editMs === null ? `n/a (${d.error ?? 'not measured'})` : `${fixed(d.editMs, 0)} ms`}`,
    );
  }
  for (const f of results.failures) lines.push(`BUILD FAILED at ${f.articles} articles: ${f.message.split('\n')[0]}`);
  return lines;
}

function line(status: Status, text: string): BudgetLine {
  return { status, text };
}

function check(ok: boolean): Status {
  return ok ? 'PASS' : 'FAIL';
}

export function budgetLines(results: BenchResults, options: { sizes: readonly number[] }): BudgetLine[] {
  const lines: BudgetLine[] = [];
  const at = (n: number) => results.sizes.find((s) => s.articles === n);

  for (const n of BUILD_BUDGET_SIZES) {
    const s = at(n);
    const hint = n === 100_000 ? 'add --with-100k' : `add ${n} to --sizes`;
    if (!s) {
      lines.push(line('n/a', `build ${n}: not run (${hint}) (budget ≤ ${BUDGET.msPerArticle} ms/article, peak < ${BUDGET.peakMB} MB)`));
      continue;
    }
    const perArticle = s.build.processMs / n;
    lines.push(line(check(perArticle <= BUDGET.msPerArticle), `build ${n}: ${fixed(perArticle, 3)} ms/article for the whole process (budget ≤ ${BUDGET.msPerArticle}; ${fixed(s.build.wallMs / n, 3)} inside Vite's build())`));
    lines.push(line(check(s.build.peakMB < BUDGET.peakMB), `build ${n}: ${fixed(s.build.peakMB, 0)} MB peak memory (budget < ${BUDGET.peakMB})`));
  }

  const r = at(REBUILD_BUDGET_SIZE)?.rebuild;
  lines.push(
    r
      ? line(check(r.wallMs < BUDGET.rebuildMs), `rebuild ${REBUILD_BUDGET_SIZE} after one seed changed: ${fixed(r.wallMs, 0)} ms (budget < ${BUDGET.rebuildMs})`)
      : line('n/a', `rebuild ${REBUILD_BUDGET_SIZE} after one seed changed: not run (add ${REBUILD_BUDGET_SIZE} to --sizes) (budget < ${BUDGET.rebuildMs} ms)`),
  );

  const d = results.dev;
  const devBudget = `budget ≤ ${BUDGET.devEditMs} ms at ${DEV_BUDGET_SIZE} seeds`;
  if (!d) lines.push(line('n/a', `dev edit: not run (${results.devSkipped ?? 'skipped'}) (${devBudget})`));
  else if (d.editMs === null) lines.push(line('n/a', `dev edit ${d.seeds} seeds: not measured (${d.error ?? 'unknown error'}) (${devBudget})`));
  else if (d.seeds !== DEV_BUDGET_SIZE) lines.push(line('n/a', `dev edit ${d.seeds} seeds: ${fixed(d.editMs, 0)} ms, not the budget's size (${devBudget}; --dev-size ${DEV_BUDGET_SIZE})`));
  else lines.push(line(check(d.editMs <= BUDGET.devEditMs), `dev edit ${d.seeds} seeds: ${fixed(d.editMs, 0)} ms (budget ≤ ${BUDGET.devEditMs})`));

  for (const s of results.sizes) {
    const n = s.articles;
    const median = kb(s.articleFiles.medianGzipBytes);
    lines.push(
      line(
        check(median <= BUDGET.articleKB),
        `article file ${n}: median ${fixed(median)} KB gzip, p95 ${fixed(kb(s.articleFiles.p95GzipBytes))} KB (budget ≤ ${BUDGET.articleKB} KB for a typical article)`,
      ),
    );
    const b = s.browser;
    if (!b) {
      lines.push(line('n/a', `first visit, article open, timeline ${n}: not measured (--no-browser)`));
      continue;
    }
    const v = b.firstVisit;
    if (v) {
      lines.push(line(check(kb(v.gzipBytes) <= BUDGET.firstVisitKB), `first visit ${n}: ${fixed(kb(v.gzipBytes))} KB gzip in ${v.requests} requests (budget ≤ ${BUDGET.firstVisitKB} KB)`));
      lines.push(line(check(kb(v.gzipByKind.js) <= BUDGET.appJsKB), `app JS ${n}: ${fixed(kb(v.gzipByKind.js))} KB gzip on first visit (budget ≤ ${BUDGET.appJsKB} KB)`));
    } else lines.push(line('n/a', `first visit ${n}: not measured (see the browser errors above)`));

    const a = b.article;
    if (a && a.ms !== null) {
      lines.push(line(check(a.dataRequests <= BUDGET.articleDataRequests), `article open ${n}: ${a.dataRequests} data request${a.dataRequests === 1 ? '' : 's'} from hover to article (budget ≤ ${BUDGET.articleDataRequests})`));
      lines.push(line(check(a.ms <= BUDGET.articleOpenMs), `article open ${n}: ${fixed(a.ms, 0)} ms from click, after hover (budget ≤ ${BUDGET.articleOpenMs})`));
    } else lines.push(line('n/a', `article open ${n}: not measured (${a?.error ?? 'see the browser errors above'})`));
    if (a && a.cachedMs !== null) lines.push(line(check(a.cachedMs <= BUDGET.articleOpenMs), `article open again ${n}: ${fixed(a.cachedMs, 0)} ms (budget ≤ ${BUDGET.articleOpenMs})`));
    else if (a && a.ms !== null) lines.push(line('n/a', `article open again ${n}: not measured (${a.error ?? 'unknown error'})`));

    const t = b.timeline;
    if (t && t.max !== null) {
      const samples = `top ${t.top ?? 'n/a'}, scrolled ${t.scrolled ?? 'n/a'}, after month jump ${t.afterJump ?? 'n/a'}`;
      lines.push(line(check(t.max < BUDGET.listElements), `timeline list ${n}: at most ${t.max} elements (${samples}) (budget < ${BUDGET.listElements})`));
    } else lines.push(line('n/a', `timeline list ${n}: not measured (see the browser errors above)`));
  }
  if (!options.sizes.includes(100_000)) {
    lines.push(line('n/a', `timeline list 100000: not run (add --with-100k) (budget < ${BUDGET.listElements} elements)`));
  }
  return lines;
}

export function formatBudgets(lines: readonly BudgetLine[]): string {
  return lines.map((l) => `${l.status.padEnd(4)} ${l.text}`).join('\n');
}

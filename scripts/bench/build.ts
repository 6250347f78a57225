/** The real `vite build`, run in a child Node process so its peak memory is its own. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../tests/helpers/run.ts';

export interface BuildTiming {
  /** Wall time of Vite's build() call, as measured inside the child. */
  wallMs: number;
  /** Wall time of the whole child process, Node's start-up and Vite's import included. */
  processMs: number;
  /** Max RSS of the child process; worker threads share it, so they are included. */
  peakMB: number;
  /**
   * Processor time of the child, all its threads: user and system, in ms. On two cores a build that keeps both
   * busy takes at least half its processor time; system time is where a slow disk or memory shows.
   */
  cpu?: { userMs: number; systemMs: number };
  /** The build's own account of its phases (the plugin's line from "seeds read in" on), if it printed one. */
  phases?: string;
}

export class BuildFailed extends Error {
  override name = 'BuildFailed';
}

const CHILD = `
  const { build } = await import('vite');
  const started = performance.now();
  await build({ root: process.env.BENCH_ROOT, logLevel: 'info', build: { outDir: process.env.BENCH_OUT, emptyOutDir: true } });
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ wallMs: performance.now() - started, maxRssKB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime }));
`;

/** `cacheDir` is the seeds cache's folder (SEEDS_CACHE). */
export function viteBuild(seedsDir: string, outDir: string, cacheDir: string): BuildTiming {
  const started = performance.now();
  // With the environment `npm run build` gives Vite (package.json), so the figures are those of that command.
  const result = spawnSync(process.execPath, [`--env-file=${join(ROOT, 'scripts', 'vite.env')}`, '--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    env: { ...process.env, SEEDS_DIR: seedsDir, SEEDS_CACHE: cacheDir, BENCH_OUT: outDir, BENCH_ROOT: ROOT },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const processMs = performance.now() - started;
  const last = result.stdout?.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) {
    throw new BuildFailed(`vite build of ${seedsDir} into ${outDir} failed (exit ${result.status ?? result.signal}):\n${result.stderr}\n${result.stdout}`);
  }
  const measured = JSON.parse(last) as { wallMs: number; maxRssKB: number; userUs: number; systemUs: number };
  const phases = /seeds read in [^\n]*/.exec(result.stdout)?.[0];
  const cpu = { userMs: measured.userUs / 1000, systemMs: measured.systemUs / 1000 };
  return { wallMs: measured.wallMs, processMs, peakMB: measured.maxRssKB / 1024, cpu, phases };
}

/**
 * Builds of one size as one figure: the median build by whole-process time (the middle one; of two, the
 * faster), with the highest peak memory of them all.
 */
export function medianBuild(builds: readonly BuildTiming[]): BuildTiming {
  const sorted = [...builds].sort((a, b) => a.processMs - b.processMs);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...middle, peakMB: Math.max(...builds.map((b) => b.peakMB)) };
}

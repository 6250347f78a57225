/**
 * `npm run bench [-- --sizes 2,1000,10000 [--with-100k]]`
 *
 * Builds synthetic archives with the real `vite build` in a child process and
 * prints, for each size: wall time, time per article, peak memory (max RSS of
 * the build process, worker threads included), bundle size on disk and file
 * count. Figures only; nothing here passes or fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Row {
  articles: number;
  wallMs: number;
  msPerArticle: number;
  peakMB: number;
  bundleMB: number;
  files: number;
}

const argv = process.argv.slice(2);
const sizesArg = argv[argv.indexOf('--sizes') + 1];
const sizes = argv.includes('--sizes') && sizesArg ? sizesArg.split(',').map(Number) : [2, 1000, 10000];
if (argv.includes('--with-100k')) sizes.push(100_000);

function synth(count: number): string {
  const dir = join(tmpdir(), `news-bench-seeds-${count}`);
  if (!existsSync(dir) || readdirSync(dir).length !== count) {
    const r = spawnSync('npx', ['tsx', 'scripts/synth-seeds.ts', '--count', String(count), '--out', dir], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`seed generation failed for ${count}`);
  }
  return dir;
}

function diskUsage(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        bytes += statSync(path).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

/** Runs Vite's build in a fresh Node process and reads that process's own peak RSS. */
const CHILD = `
  const { build } = await import('vite');
  const started = performance.now();
  await build({ logLevel: 'warn', build: { outDir: process.env.BENCH_OUT, emptyOutDir: true } });
  console.log(JSON.stringify({ wallMs: performance.now() - started, maxRssKB: process.resourceUsage().maxRSS }));
`;

const rows: Row[] = [];
for (const count of sizes) {
  const seeds = count === 2 ? 'seeds' : synth(count);
  const out = join(tmpdir(), `news-bench-dist-${count}`);
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, SEEDS_DIR: seeds, BENCH_OUT: out },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`build of ${count} failed:\n${r.stderr}`);
  const measured = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { wallMs: number; maxRssKB: number };
  const usage = diskUsage(join(out, 'data'));
  rows.push({
    articles: count,
    wallMs: Math.round(measured.wallMs),
    msPerArticle: Number((measured.wallMs / count).toFixed(3)),
    peakMB: Math.round(measured.maxRssKB / 1024),
    bundleMB: Number((usage.bytes / 1e6).toFixed(2)),
    files: usage.files,
  });
  console.table(rows);
}
writeFileSync(join(tmpdir(), 'news-bench.json'), JSON.stringify(rows, null, 2));
console.log(`JSON written to ${join(tmpdir(), 'news-bench.json')}`);

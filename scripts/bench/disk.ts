/** What a build left on disk: sizes, the largest file, and how big article files are once gzipped. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { articlePageFile, DATA_DIR } from '../../src/content/bundle.ts';

/** Bytes after gzip at level 9: what a compressing host would send, whatever the local server does. */
export function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

export interface LargestFile {
  /** Relative to the output folder. */
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface DiskReport {
  distBytes: number;
  distFiles: number;
  dataBytes: number;
  dataFiles: number;
  largest: LargestFile | null;
}

interface FileEntry {
  path: string;
  bytes: number;
}

function walk(dir: string, visit: (file: FileEntry) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit({ path, bytes: statSync(path).size });
  }
}

export function diskReport(outDir: string): DiskReport {
  const dataDir = join(outDir, DATA_DIR);
  const report: DiskReport = { distBytes: 0, distFiles: 0, dataBytes: 0, dataFiles: 0, largest: null };
  const largest: FileEntry = { path: '', bytes: -1 };
  walk(outDir, (file) => {
    report.distBytes += file.bytes;
    report.distFiles++;
    if (file.path.startsWith(dataDir + '/')) {
      report.dataBytes += file.bytes;
      report.dataFiles++;
    }
    if (file.bytes > largest.bytes) Object.assign(largest, file);
  });
  if (largest.path) report.largest = { path: relative(outDir, largest.path), bytes: largest.bytes, gzipBytes: gzipSize(readFileSync(largest.path)) };
  return report;
}

export interface ArticleSizes {
  /** Article files in the bundle. */
  total: number;
  /** Files measured: up to `limit`, spread evenly over the timeline. */
  sampled: number;
  medianGzipBytes: number;
  p95GzipBytes: number;
  maxGzipBytes: number;
}

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Gzip sizes of a sample of the article files (their pages), chosen by timeline position so every era is represented. */
export function articleSizes(outDir: string, ids: readonly string[], limit = 1000): ArticleSizes {
  const step = Math.max(1, ids.length / limit);
  const sizes: number[] = [];
  for (let at = 0; at < ids.length && sizes.length < limit; at += step) {
    sizes.push(gzipSize(readFileSync(join(outDir, articlePageFile(ids[Math.floor(at)]!)))));
  }
  sizes.sort((a, b) => a - b);
  return {
    total: ids.length,
    sampled: sizes.length,
    medianGzipBytes: percentile(sizes, 50),
    p95GzipBytes: percentile(sizes, 95),
    maxGzipBytes: sizes.at(-1) ?? NaN,
  };
}

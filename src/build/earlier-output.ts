/**
 * What the last build wrote, kept in the seeds cache's folder: for each
 * article, a digest of everything its data file and page were made from
 * (write-articles.ts), its revision and its size. A rebuild leaves the files of
 * an article whose inputs are the same as they are, so after one seed changed
 * only that article and the few that link to it are written again.
 *
 * The record is trusted only for the output folder it names, and only while
 * that folder's manifest is the one the record was saved with. It is deleted
 * as a build starts and saved again when the build has written everything: a
 * build stopped half-way leaves none, and the next build writes every file.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, MANIFEST_FILE } from '../content/bundle.ts';
import type { PreviousFiles, WrittenArticle } from './write-articles.ts';

const RECORD_FILE = 'output.json';
const RECORD_VERSION = 1;

interface OutputRecord {
  version: typeof RECORD_VERSION;
  outDir: string;
  /** The digest in the manifest written with these files. */
  manifest: string;
  /** id, inputs, rev, bytes. */
  files: [string, string, string, number][];
}

/** The files the last build left in `outDir`, by article id, if they can be trusted; forgets the record either way. */
export function takeOutputRecord(cacheDir: string, outDir: string): Map<string, PreviousFiles> | undefined {
  const path = join(cacheDir, RECORD_FILE);
  let record: OutputRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as OutputRecord;
  } catch {
    return undefined;
  } finally {
    rmSync(path, { force: true });
  }
  if (record.version !== RECORD_VERSION || record.outDir !== outDir || !Array.isArray(record.files)) return undefined;
  if (manifestDigest(outDir) !== record.manifest) return undefined; // the folder was changed or replaced since
  return new Map(record.files.map(([id, inputs, rev, bytes]) => [id, { inputs, rev, bytes }]));
}

/** Saves what this build wrote into `outDir`; nothing when some article's inputs are unknown. */
export function saveOutputRecord(cacheDir: string, outDir: string, written: readonly WrittenArticle[]): void {
  const manifest = manifestDigest(outDir);
  if (!manifest || written.some((w) => !w.inputs)) return;
  const record: OutputRecord = {
    version: RECORD_VERSION,
    outDir,
    manifest,
    files: written.map((w) => [w.summary.id, w.inputs!, w.summary.rev, w.bytes]),
  };
  const staged = join(cacheDir, `${RECORD_FILE}.${process.pid}`);
  writeFileSync(staged, JSON.stringify(record));
  renameSync(staged, join(cacheDir, RECORD_FILE));
}

function manifestDigest(outDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(outDir, DATA_DIR, MANIFEST_FILE), 'utf8')) as { digest?: string }).digest;
  } catch {
    return undefined;
  }
}

/**
 * How fast the machine is right now at the three things a build is made of: computing, filling memory it
 * has not used lately (the page cache a build writes its output into), and creating files. Measured before
 * the first build and after the last, and printed with the results.
 *
 * On this project's benchmark machine (a virtual machine whose kernel gives free memory back to its host) the
 * same code built 20,000 articles in 9.7 s and, an hour later, in 15.8 s; the 2-article build took 0.86 and
 * 1.16 s. Writing 240 MB into a new file took 0.2 s when the memory had just been freed by deleting other
 * files, and 3.7–4.2 s when it had not (decision 0017). These figures tell such runs apart: compare runs whose
 * machine lines are alike.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface MachineCheck {
  /** SHA-256 of 64 MB already in memory: the processor alone. */
  hashMs: number;
  /** 256 MB written into a new file, in 1 MB writes: the kernel filling page cache. */
  newFileMs: number;
  newFileSystemMs: number;
  /** 5,000 new files of 6 KB, one folder. */
  filesMs: number;
  filesSystemMs: number;
}

const HASHED = 64 << 20;
const WRITTEN = 256 << 20;
const FILES = 5000;

/**
 * Runs the three measurements in `dir` (created). The big file is deleted at once; the small files are left
 * for the caller to delete after the last build: deleting many files slows creating others for minutes on
 * this machine's file system (decision 0015).
 */
export function checkMachine(dir: string): MachineCheck {
  mkdirSync(dir, { recursive: true });
  const piece = Buffer.alloc(1 << 20, 0x61);

  let started = performance.now();
  const hash = createHash('sha256');
  for (let done = 0; done < HASHED; done += piece.length) hash.update(piece);
  hash.digest();
  const hashMs = performance.now() - started;

  const big = join(dir, 'new-file.bin');
  let system = process.cpuUsage().system;
  started = performance.now();
  const fd = openSync(big, 'w');
  try {
    for (let done = 0; done < WRITTEN; done += piece.length) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  const newFileMs = performance.now() - started;
  const newFileSystemMs = (process.cpuUsage().system - system) / 1000;
  rmSync(big, { force: true });

  const small = piece.subarray(0, 6000);
  const files = join(dir, 'files');
  mkdirSync(files, { recursive: true });
  system = process.cpuUsage().system;
  started = performance.now();
  for (let i = 0; i < FILES; i++) writeFileSync(join(files, `${i}.json`), small);
  const filesMs = performance.now() - started;
  const filesSystemMs = (process.cpuUsage().system - system) / 1000;

  return { hashMs, newFileMs, newFileSystemMs, filesMs, filesSystemMs };
}

/** One line per check, for the report. */
export function machineLine(label: string, m: MachineCheck): string {
  const msPerMB = m.newFileMs / (WRITTEN >> 20);
  return (
    `machine ${label}: SHA-256 of ${HASHED >> 20} MB ${m.hashMs.toFixed(0)} ms; ${WRITTEN >> 20} MB into a new file ${m.newFileMs.toFixed(0)} ms ` +
    `(${msPerMB.toFixed(1)} ms/MB, system ${m.newFileSystemMs.toFixed(0)} ms); ${FILES.toLocaleString('en')} files of 6 KB ${m.filesMs.toFixed(0)} ms ` +
    `(${((m.filesMs * 1000) / FILES).toFixed(0)} µs each, system ${m.filesSystemMs.toFixed(0)} ms)`
  );
}

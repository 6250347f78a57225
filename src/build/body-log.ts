/**
 * Article bodies set aside on disk while an archive is built. At 100,000
 * articles the bodies are a third of a gigabyte of strings that nothing needs
 * between reading a seed and writing its files: each seed worker appends the
 * bodies it cleans to a file of its own, and only where each one is (a
 * BodyRef) travels to the main thread. The writer reads them back, a batch at
 * a time, from the operating system's cache. The files are on disk, so a
 * worker that is replaced (a stuck or crashing seed) loses nothing.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { BuiltArticle } from './article.ts';

/**
 * How a body is stored: as a string's own UTF-16 code units. Bodies are mostly Chinese, which V8 turns into
 * UTF-8 and back slowly (22 µs to decode a typical body, 2 µs from UTF-16); the writers decode every one,
 * and UTF-16 takes only an eighth more room here.
 */
const BODY_ENCODING = 'utf16le';

/** A body's bytes as a log stores them. */
export function bodyBytes(html: string): Buffer {
  return Buffer.from(html, BODY_ENCODING);
}

/** Where one body is: `length` bytes (bodyBytes) at `offset` of `file`. */
export interface BodyRef {
  file: string;
  offset: number;
  length: number;
}

/** Appended bytes wait in memory until this many, or until the log is closed: one write, not one per body. */
const FLUSH_BYTES = 4 << 20;

/**
 * The appending side, one per worker thread: each thread writes a file of its own. What is appended is in
 * the file once the log is closed (a worker builds a batch of seeds, then closes its log, then answers for the
 * batch): a write per body was a system call per seed, 0.26 s of each seed worker's time at 20,000 seeds. The
 * file is open only until close(): a worker is terminated, not stopped, and an open file would stay taken
 * (its disk space too, once the folder is deleted) as long as the process runs.
 */
export class BodyLog {
  private fd: number | undefined;
  private file = '';
  private size = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly dir: string) {}

  append(html: string): BodyRef {
    return this.appendBytes(bodyBytes(html));
  }

  /** Appends the parts one after another; the reference covers them all. */
  appendBytes(...parts: Uint8Array[]): BodyRef {
    if (!this.file) {
      mkdirSync(this.dir, { recursive: true });
      // Unique to this log: a folder may hold the logs of earlier builds (seed-cache.ts), in this same process too.
      this.file = join(this.dir, `${process.pid}-${threadId}-${randomBytes(6).toString('hex')}.log`);
    }
    const offset = this.size;
    for (const part of parts) {
      this.pending.push(part);
      this.pendingBytes += part.length;
      this.size += part.length;
    }
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return { file: this.file, offset, length: this.size - offset };
  }

  /** Moves the article's body into the log. */
  setAside(built: BuiltArticle): void {
    built.body = this.append(built.article.html);
    built.article.html = '';
  }

  /** Writes out what was appended and closes the file; appending again opens it again. */
  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const at = this.size - this.pendingBytes;
    this.fd ??= openSync(this.file, at === 0 ? 'w' : 'r+');
    writeAll(this.fd, this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending), at);
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** The reading side: files opened once, closed with `close()`. */
export class BodyReader {
  private fds = new Map<string, number>();

  read(ref: BodyRef): string {
    return this.readBytes(ref).toString(BODY_ENCODING);
  }

  readBytes(ref: BodyRef): Buffer {
    let fd = this.fds.get(ref.file);
    if (fd === undefined) this.fds.set(ref.file, (fd = openSync(ref.file, 'r')));
    const bytes = Buffer.allocUnsafe(ref.length);
    for (let done = 0; done < ref.length; ) {
      const got = readSync(fd, bytes, done, ref.length - done, ref.offset + done);
      if (got === 0) throw new Error(`article body cut short in ${ref.file} at byte ${ref.offset + done}`);
      done += got;
    }
    return bytes;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** Writes all of `bytes` (writeSync may write fewer), at `position` or where the file is. */
export function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position === undefined ? null : position + done);
}

/** Removes a folder of body logs. */
export function removeBodyLogs(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

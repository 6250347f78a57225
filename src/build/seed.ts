/**
 * The seed file format, read and written. Pure: no file system here.
 *
 *   <!--1690811102000-->
 *   [title](https://canonical/url)
 *   ------
 *   (blank line)
 *   <html body to the end of the file>
 */
import { decodeHTML, escapeText } from 'entities';
import { seedError, type SeedError } from './errors.ts';

export interface Seed {
  /** Milliseconds since 1970-01-01 UTC, from line 1. */
  published: number;
  /** Title with entities decoded and markdown escapes removed. */
  title: string;
  /** Absolute http(s) URL as written (trimmed). */
  url: string;
  /** Raw, untrusted HTML body; may be empty. */
  body: string;
}

export type SeedResult = { ok: true; seed: Seed } | { ok: false; error: SeedError };

const MIN_TIME = Date.UTC(1990, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes a seed file's bytes as strict UTF-8; never guesses another encoding. */
export function decodeSeed(bytes: Uint8Array, file: string): { ok: true; text: string } | { ok: false; error: SeedError } {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, error: seedError('binary', file, lineAt(bytes, nul)) };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return { ok: false, error: seedError('notUtf8', file, lineAt(bytes, bad), bad) };
  }
}

/** Parses a decoded seed file. Never throws. */
export function parseSeed(text: string, file: string): SeedResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineReader(src);

  const first = lines.next();
  if (first === null || src.trim() === '') {
    return fail(seedError('emptyFile', file, 1));
  }
  const stamp = /^<!--\s*(\d+)\s*-->$/.exec(first.trim());
  if (!stamp) return fail(seedError('timestamp', file, 1, first.trim()));
  const published = Number(stamp[1]);
  if (!(published >= MIN_TIME && published < MAX_TIME)) {
    return fail(seedError('timestampRange', file, 1, stamp[1]!));
  }

  const linkLine = (lines.next() ?? '').trim();
  const link = splitLink(linkLine);
  if (link === 'not-a-link') return fail(seedError('link', file, 2, linkLine));
  if (link === 'bad-url') return fail(seedError('url', file, 2, linkLine));
  const title = cleanTitle(link.title);
  if (title === '') return fail(seedError('emptyTitle', file, 2));

  const rule = lines.next();
  if (rule === null || !/^-{3,}$/.test(rule.trim())) {
    return fail(seedError('separator', file, 3, (rule ?? '').trim()));
  }

  // Line 4 should be blank; when it is not, the body simply starts there.
  const bodyStart = lines.position;
  const blank = lines.next();
  const body = blank !== null && blank.trim() === '' ? lines.rest() : src.slice(bodyStart);
  return { ok: true, seed: { published, title, url: link.url, body } };
}

/** Writes a seed in the canonical format; parseSeed(printSeed(s)) gives s back. */
export function printSeed(seed: Seed): string {
  const title = escapeText(seed.title).replace(/[\\[\]]/g, (c) => `\\${c}`);
  return `<!--${seed.published}-->\n[${title}](${seed.url})\n------\n\n${seed.body}`;
}

function fail(error: SeedError): SeedResult {
  return { ok: false, error };
}

/**
 * Splits `[title](url)`. Titles may hold brackets and parentheses and URLs may
 * hold parentheses, so try each unescaped `](` from the left and take the first
 * whose remainder is a valid absolute http(s) URL without spaces.
 */
function splitLink(line: string): { title: string; url: string } | 'not-a-link' | 'bad-url' {
  if (!line.startsWith('[') || !line.endsWith(')')) return 'not-a-link';
  let sawSplit = false;
  for (let at = line.indexOf('](', 1); at !== -1; at = line.indexOf('](', at + 1)) {
    if (isEscaped(line, at)) continue;
    sawSplit = true;
    const url = line.slice(at + 2, -1).trim();
    if (isHttpUrl(url)) return { title: line.slice(1, at), url };
  }
  return sawSplit ? 'bad-url' : 'not-a-link';
}

function isEscaped(text: string, at: number): boolean {
  let slashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

function isHttpUrl(url: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.hostname !== '';
  } catch {
    return false;
  }
}

function cleanTitle(raw: string): string {
  const unescaped = raw.replace(/\\([\\[\]])/g, '$1');
  return decodeHTML(unescaped).replace(/\s+/g, ' ').trim();
}

/** Reads lines one at a time, so a 10 MB body is never split into an array. */
class LineReader {
  position = 0;
  constructor(private readonly text: string) {}

  next(): string | null {
    const { text } = this;
    if (this.position > text.length || (this.position === text.length && this.position !== 0)) return null;
    let end = this.position;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    const line = text.slice(this.position, end);
    if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) end++;
    this.position = end + 1;
    return line;
  }

  rest(): string {
    return this.position >= this.text.length ? '' : this.text.slice(this.position);
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  // Count line ends as LineReader does: LF, CRLF and a lone CR.
  for (let i = 0; i < offset; i++) if (bytes[i] === 10 || (bytes[i] === 13 && bytes[i + 1] !== 10)) line++;
  return line;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Walk the longest valid prefix; TextDecoder does not report where it failed.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0) {
      try {
        utf8.decode(bytes.subarray(i, i + need + 1));
      } catch {
        return i;
      }
    }
    i += need + 1;
  }
  return i;
}

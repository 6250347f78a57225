/**
 * Every way a seed file can be refused, in one catalog. Errors are data: the
 * pipeline collects them, prints them as `file:line: message` and goes on.
 */

export const SEED_ERRORS = {
  unreadable: (detail: string) => `cannot read the file (${detail})`,
  binary: () => 'expected a text file, found NUL bytes (binary data?)',
  notUtf8: (byte: number) =>
    `expected UTF-8 text, found an invalid byte sequence at byte ${byte} (GBK or Big5? convert the file to UTF-8)`,
  emptyFile: () => 'expected <!--epochMillis--> on line 1, found an empty file',
  timestamp: (found: string) => `expected <!--epochMillis--> (e.g. <!--1690811102000-->), found ${quote(found)}`,
  timestampRange: (value: string) =>
    `expected a time in milliseconds between 1990 and 2100, found ${value}${value.length <= 10 ? ' (seconds instead of milliseconds?)' : ''}`,
  link: (found: string) => `expected a markdown link [title](url), found ${quote(found)}`,
  url: (found: string) => `expected an absolute http(s) URL in [title](url), found ${quote(found)}`,
  emptyTitle: () => 'expected a non-empty title in [title](url)',
  separator: (found: string) => `expected a row of dashes (------), found ${quote(found)}`,
  duplicate: (keptFile: string) => `same canonical URL as ${keptFile}, which is newer or equal and was kept`,
  idCollision: (otherFile: string) => `article id collides with ${otherFile} (different URLs, same id)`,
  timeout: (ms: number) => `took longer than ${ms} ms to process; skipped`,
  crashed: (detail: string) => `could not be processed (${detail}); skipped`,
} as const;

export type SeedErrorKind = keyof typeof SEED_ERRORS;

export interface SeedError {
  kind: SeedErrorKind;
  /** Path as the user gave it (relative to the working directory when possible). */
  file: string;
  /** 1-based line the problem is on. */
  line: number;
  message: string;
}

function quote(text: string): string {
  if (text.length === 0) return 'an empty line';
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(shown);
}

export function seedError<K extends SeedErrorKind>(
  kind: K,
  file: string,
  line: number,
  ...args: Parameters<(typeof SEED_ERRORS)[K]>
): SeedError {
  const make = SEED_ERRORS[kind] as (...a: unknown[]) => string;
  return { kind, file, line, message: make(...args) };
}

export function formatSeedError(error: SeedError): string {
  return `${error.file}:${error.line}: ${error.message}`;
}

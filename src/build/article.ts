/** One seed file's bytes → one article (or a SeedError). Pure. */
import { EXCERPT_LENGTH, type Article } from '../content/bundle.ts';
import { cleanHtml } from './clean-html.ts';
import type { BodyRef } from './body-log.ts';
import type { CacheEntry, SeedStamp } from './seed-cache.ts';
import type { SeedError } from './errors.ts';
import { addStats, articleId, canonicalKey, languageOf, outletOf, readingMinutes, sectionOf, textStats, textStatsWithLead } from './meta.ts';
import { countTerms, INDEXED_TEXT_CHARS, type TermCounts } from './related.ts';
import { decodeSeed, parseSeed } from './seed.ts';

/** What one seed gives on its own; links to other articles are added once all are read (link-articles.ts). */
export type BaseArticle = Omit<Article, 'newer' | 'older' | 'related' | 'versions' | 'rev'>;

/** An article as the build holds it: the bundle's fields plus what only the build needs. */
export interface BuiltArticle {
  article: BaseArticle;
  /** Plain text of the body, for related-article indexing: as much of it as the index reads. */
  text: string;
  /** Terms of the title and text, counted where the article was read (in a worker thread); released once indexed. */
  counts?: TermCounts;
  /** Seed file it came from. */
  file: string;
  /** Two articles with equal keys are the same article. */
  key: string;
  /** Where the body was set aside (body-log.ts); `article.html` is empty meanwhile. */
  body?: BodyRef;
  /** The seeds cache's entry it was read from or saved to (seed-cache.ts). */
  cached?: CacheEntry;
  /** With the seeds cache: its file's stamp, taken as the file was opened to be read. */
  stamp?: SeedStamp;
}

export type BuildResult = { ok: true; built: BuiltArticle } | { ok: false; error: SeedError };

/** The language is told from the title and this many characters of the text. */
const LANGUAGE_LEAD = 2000;

export function buildArticle(bytes: Uint8Array, file: string): BuildResult {
  const decoded = decodeSeed(bytes, file);
  if (!decoded.ok) return decoded;
  const parsed = parseSeed(decoded.text, file);
  if (!parsed.ok) return parsed;
  const { seed } = parsed;
  const cleaned = cleanHtml(seed.body, seed.url);
  const { all: stats, lead } = textStatsWithLead(cleaned.text, LANGUAGE_LEAD);
  const outlet = outletOf(seed.url);
  const article: BaseArticle = {
    id: articleId(seed.url),
    title: seed.title,
    url: seed.url,
    published: seed.published,
    sourceId: outlet.id,
    source: outlet.name,
    section: sectionOf(seed.url),
    lang: languageOf(addStats(textStats(seed.title), lead)),
    excerpt: excerptOf(cleaned.text),
    image: cleaned.image,
    readingMinutes: readingMinutes(stats),
    html: cleaned.html,
    textLength: stats.length,
  };
  const text = cleaned.text.slice(0, INDEXED_TEXT_CHARS);
  return { ok: true, built: { article, text, counts: countTerms({ title: seed.title, text, source: outlet.name }), file, key: canonicalKey(seed.url) } };
}

/** The lead: the first paragraph long enough to say something, cut at EXCERPT_LENGTH characters. */
export function excerptOf(text: string): string {
  let lead = '';
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    if (line.length >= 20) {
      lead = line;
      break;
    }
    if (!lead && line) lead = line;
    start = end + 1;
  }
  const chars = Array.from(lead.slice(0, EXCERPT_LENGTH * 2));
  return chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH - 1).join('')}…` : chars.join('');
}

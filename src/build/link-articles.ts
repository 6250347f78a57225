/** Completes every article with what depends on the others: timeline neighbours, related articles, revision. */
import { createHash } from 'node:crypto';
import type { Article, ArticleLink } from '../content/bundle.ts';
import type { BaseArticle, BuiltArticle } from './article.ts';
import { computeRelated, type RelatedDoc, type RelatedMatch, type RelatedResult } from './related.ts';

/** Newest first; equal times by id, so the order never depends on the file system. */
export function timelineOrder(a: Pick<Article, 'published' | 'id'>, b: Pick<Article, 'published' | 'id'>): number {
  return b.published - a.published || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Articles in timeline order, complete. */
export function linkArticles(built: readonly BuiltArticle[]): Article[] {
  const ordered = [...built].sort((a, b) => timelineOrder(a.article, b.article));
  const results = computeRelated(ordered.map(relatedDoc));
  return completeArticles(ordered, (id) => results.get(id));
}

/** What the related-article engine needs of an article. */
export function relatedDoc({ article, text, counts }: BuiltArticle): RelatedDoc {
  return { id: article.id, title: article.title, text, published: article.published, source: article.source, counts };
}

/** An article with its links to others, before its revision is known. */
export type LinkedArticle = Omit<Article, 'rev'>;

/** Adds neighbours, related articles and the revision to articles already in timeline order. */
export function completeArticles(ordered: readonly BuiltArticle[], relatedOf: (id: string) => RelatedResult | undefined): Article[] {
  return linkedArticles(ordered, relatedOf).map((linked) => withRevision(linked).article);
}

/** Adds neighbours and related articles to articles already in timeline order. */
export function linkedArticles(ordered: readonly BuiltArticle[], relatedOf: (id: string) => RelatedResult | undefined): LinkedArticle[] {
  const byId = new Map(ordered.map((b) => [b.article.id, b.article]));
  const toLinks = (matches: RelatedMatch[] = []) =>
    matches.flatMap((match) => {
      const other = byId.get(match.id);
      return other ? [{ ...linkTo(other), source: other.source, score: match.score, terms: match.terms }] : [];
    });
  return ordered.map(({ article }, i) => {
    const result = relatedOf(article.id);
    return {
      ...article,
      newer: i > 0 ? linkTo(ordered[i - 1]!.article) : null,
      older: i + 1 < ordered.length ? linkTo(ordered[i + 1]!.article) : null,
      related: toLinks(result?.related),
      versions: toLinks(result?.versions),
    };
  });
}

/**
 * The article with its revision (a digest of everything else in it), and its
 * file's JSON, serialized once: the same text as JSON.stringify(article).
 */
export function withRevision(linked: LinkedArticle): { article: Article; json: string } {
  const json = JSON.stringify(linked);
  const rev = createHash('sha256').update(json).digest('base64url').slice(0, 10);
  return { article: { ...linked, rev }, json: `${json.slice(0, -1)},"rev":${JSON.stringify(rev)}}` };
}

function linkTo(article: BaseArticle): ArticleLink {
  return { id: article.id, title: article.title, published: article.published };
}

/** Completes every article with what depends on the others: timeline neighbours, related articles, revision. */
import { createHash } from 'node:crypto';
import type { Article, ArticleLink } from '../content/bundle.ts';
import type { BaseArticle, BuiltArticle } from './article.ts';
import { computeRelated } from './related.ts';

/** Newest first; equal times by id, so the order never depends on the file system. */
export function timelineOrder(a: Pick<Article, 'published' | 'id'>, b: Pick<Article, 'published' | 'id'>): number {
  return b.published - a.published || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Articles in timeline order, complete. */
export function linkArticles(built: readonly BuiltArticle[]): Article[] {
  const ordered = [...built].sort((a, b) => timelineOrder(a.article, b.article));
  const related = computeRelated(ordered.map((b) => ({ id: b.article.id, title: b.article.title, text: b.text, published: b.article.published })));
  const byId = new Map(ordered.map((b) => [b.article.id, b.article]));
  return ordered.map(({ article }, i) => {
    const linked: Omit<Article, 'rev'> = {
      ...article,
      newer: i > 0 ? linkTo(ordered[i - 1]!.article) : null,
      older: i + 1 < ordered.length ? linkTo(ordered[i + 1]!.article) : null,
      related: (related.get(article.id) ?? []).map((match) => {
        const other = byId.get(match.id)!;
        return { ...linkTo(other), source: other.source, score: match.score, terms: match.terms };
      }),
    };
    return { ...linked, rev: createHash('sha256').update(JSON.stringify(linked)).digest('base64url').slice(0, 10) };
  });
}

function linkTo(article: BaseArticle): ArticleLink {
  return { id: article.id, title: article.title, published: article.published };
}

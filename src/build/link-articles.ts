/** Completes every article with what depends on the others: timeline neighbours, related articles, revision. */
import { createHash } from 'node:crypto';
import { articleData, type Article, type ArticleLink, type RelatedArticle } from '../content/bundle.ts';
import type { BaseArticle, BuiltArticle } from './article.ts';
import { computeRelated, type RelatedDoc, type RelatedMatch, type RelatedResult } from './related.ts';

/** Newest first; equal times by id, so the order never depends on the file system. */
export function timelineOrder(a: Pick<Article, 'published' | 'id'>, b: Pick<Article, 'published' | 'id'>): number {
  return b.published - a.published || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Articles in timeline order, complete, in memory (the build writes them as it goes: write-articles.ts). */
export function linkArticles(built: readonly BuiltArticle[]): Article[] {
  const ordered = [...built].sort((a, b) => timelineOrder(a.article, b.article));
  // The index takes the term counts over (it writes into them): no article keeps them after.
  const results = computeRelated(
    ordered.map((b) => {
      const doc = relatedDoc(b);
      b.counts = undefined;
      return doc;
    }),
  );
  return linkedArticles(ordered, (id) => results.get(id)).map((linked) => withRevision(linked).article);
}

/** What the related-article engine needs of an article. */
export function relatedDoc(built: BuiltArticle): RelatedDoc {
  const { article, counts } = built;
  return {
    id: article.id,
    title: article.title,
    // Asked for only when needed: an article from the seeds cache may have left its text there (seed-cache.ts).
    get text() {
      return built.text;
    },
    published: article.published,
    source: article.source,
    counts,
  };
}

/** An article with its links to others, before its revision is known. */
export type LinkedArticle = Omit<Article, 'rev'>;

/** Adds neighbours and related articles to articles already in timeline order. */
export function linkedArticles(ordered: readonly BuiltArticle[], relatedOf: (id: string) => RelatedResult | undefined): LinkedArticle[] {
  const linker = new Linker(ordered, relatedOf);
  return ordered.map((_, i) => linker.link(i));
}

/** Links one article of the timeline at a time; what a link depends on can be asked first (the dev server reuses what did not change). */
export class Linker {
  private byId: Map<string, BuiltArticle>;

  constructor(
    private readonly ordered: readonly BuiltArticle[],
    private readonly relatedOf: (id: string) => RelatedResult | undefined,
  ) {
    this.byId = new Map(ordered.map((b) => [b.article.id, b]));
  }

  /** Everything article i's links are made of: equal lists (element by element) give equal links. */
  dependencies(i: number): unknown[] {
    const built = this.ordered[i]!;
    const result = this.relatedOf(built.article.id);
    const deps: unknown[] = [built, this.ordered[i - 1], this.ordered[i + 1], result];
    if (result) for (const match of [...result.related, ...result.versions]) deps.push(this.byId.get(match.id));
    return deps;
  }

  link(i: number): LinkedArticle {
    const { article } = this.ordered[i]!;
    const result = this.relatedOf(article.id);
    return {
      ...article,
      newer: i > 0 ? linkTo(this.ordered[i - 1]!.article) : null,
      older: i + 1 < this.ordered.length ? linkTo(this.ordered[i + 1]!.article) : null,
      related: this.toLinks(result?.related),
      versions: this.toLinks(result?.versions),
    };
  }

  private toLinks(matches: RelatedMatch[] = []): RelatedArticle[] {
    // A plain loop and one literal per link: flatMap with a spread object was a tenth of the main thread's
    // time while the build searched and wrote (profiled). The fields keep their order: the JSON is the same.
    const links: RelatedArticle[] = [];
    for (const match of matches) {
      const other = this.byId.get(match.id)?.article;
      if (other) links.push({ id: other.id, title: other.title, published: other.published, source: other.source, score: match.score, terms: match.terms });
    }
    return links;
  }
}

/**
 * The article with its revision (a digest of everything else in it), and the
 * JSON of its fields but the body, serialized once: the same text as
 * bundle.ts articleData(article), which its page holds.
 */
export function withRevision(linked: LinkedArticle): { article: Article; data: string } {
  // The fields as the page's data block holds them, the revision added.
  const json = articleData(linked);
  const rev = createHash('sha256').update(json).update(linked.html).digest('base64url').slice(0, 10);
  return { article: { ...linked, rev }, data: `${json.slice(0, -1)},"rev":${JSON.stringify(rev)}}` };
}

function linkTo(article: BaseArticle): ArticleLink {
  return { id: article.id, title: article.title, published: article.published };
}

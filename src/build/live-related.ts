/**
 * Related articles kept up to date one seed at a time, for the dev server:
 * after a change only the changed articles and their neighbours (articles that
 * listed them, or that they now list) are searched again.
 */
import type { BuiltArticle } from './article.ts';
import { relatedDoc } from './link-articles.ts';
import { RelatedIndex, type RelatedResult } from './related.ts';
import { searchAffected } from './related-state.ts';

export class LiveRelated {
  private index = new RelatedIndex();
  private results = new Map<string, RelatedResult>();
  private articles = new Map<string, BuiltArticle>();

  /** Brings the index in line with `articles`; returns how many articles were searched again. */
  update(articles: readonly BuiltArticle[]): number {
    const next = new Map(articles.map((b) => [b.article.id, b]));
    if (this.articles.size === 0) {
      this.index = RelatedIndex.build(articles.map(relatedDoc));
      this.results = this.index.queryAll();
      this.articles = next;
      return articles.length;
    }
    const changed = new Set<string>();
    for (const id of this.articles.keys()) {
      if (next.has(id)) continue;
      this.index.remove(id);
      changed.add(id);
    }
    for (const [id, built] of next) {
      if (this.articles.get(id) === built) continue; // unchanged files keep their BuiltArticle object
      this.index.set(relatedDoc(built));
      changed.add(id);
    }
    this.articles = next;
    if (changed.size === 0) return 0;

    return searchAffected(this.index, this.results, changed, (id) => next.has(id));
  }

  resultOf(id: string): RelatedResult | undefined {
    return this.results.get(id);
  }
}

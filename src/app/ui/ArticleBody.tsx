import { useMemo } from 'react';
import { sanitizeArticleHtml } from './sanitize.ts';

/** The only component that injects HTML into the page, and only after sanitizing it. */
export function ArticleBody({ html, lang }: { html: string; lang: string }) {
  const clean = useMemo(() => sanitizeArticleHtml(html), [html]);
  return <div className="article-body" lang={lang} dangerouslySetInnerHTML={{ __html: clean }} />;
}

import { useEffect, useMemo, useRef } from 'react';
import { sanitizeArticleHtml } from './sanitize.ts';

/** The only component that injects HTML into the page, and only after sanitizing it. */
export function ArticleBody({ html, lang }: { html: string; lang: string }) {
  const clean = useMemo(() => sanitizeArticleHtml(html), [html]);
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Offline or on a filtered network, remote images fail: hide them rather than show broken icons.
    const node = container.current;
    const hideBroken = (event: Event) => {
      if (event.target instanceof HTMLImageElement) event.target.hidden = true;
    };
    node?.addEventListener('error', hideBroken, true);
    return () => node?.removeEventListener('error', hideBroken, true);
  }, []);
  return <div ref={container} className="article-body" lang={lang} dangerouslySetInnerHTML={{ __html: clean }} />;
}

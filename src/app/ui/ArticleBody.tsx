import { use, useLayoutEffect, useMemo, useRef } from 'react';
import { ImageModeContext } from './image-mode.ts';
import { showImages } from './remote-images.ts';
import { sanitizeArticleHtml } from './sanitize.ts';

/** The only component that injects HTML into the page, and only after sanitizing it. */
export function ArticleBody({ html, lang }: { html: string; lang: string }) {
  const clean = useMemo(() => sanitizeArticleHtml(html), [html]);
  const images = use(ImageModeContext);
  const container = useRef<HTMLDivElement>(null);
  // Before the first paint, so a placeholder never flashes as an empty image.
  useLayoutEffect(() => {
    if (container.current) showImages(container.current, images);
  }, [clean, images]);
  // A new preference re-renders the body from the sanitized HTML, so every image follows it.
  return <div key={images} ref={container} className="article-body" lang={lang} dangerouslySetInnerHTML={{ __html: clean }} />;
}

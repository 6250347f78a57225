import { use, useLayoutEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Article, RelatedArticle } from '../../content/bundle.ts';
import { dateTime, shortDate } from '../data/dates.ts';
import type { ViewProps } from '../route-data.ts';
import { paths } from '../paths.ts';
import { ArticleBody } from '../ui/ArticleBody.tsx';
import { useFocusOnArrival } from '../ui/focus.ts';
import { ImageModeContext } from '../ui/image-mode.ts';
import { deferredImage, showImages } from '../ui/remote-images.ts';

export function ArticleView({ data }: ViewProps<Article | null>) {
  const article = use(data);
  const { id } = useParams();
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusOnArrival(heading, id);

  if (!article) {
    return (
      <main id="main" tabIndex={-1} className="message-page">
        <title>找不到这篇文章 · 新闻存档</title>
        <h1 ref={heading} tabIndex={-1}>
          找不到这篇文章
        </h1>
        <p>
          存档里没有编号为 <code>{id}</code> 的文章。链接可能抄错了，或者这篇文章不在这份存档中。
        </p>
        <p>
          <Link to={paths.timeline()}>回到时间线</Link>
        </p>
      </main>
    );
  }

  const heroInBody = article.image !== null && article.html.includes(article.image.replace(/&/g, '&amp;'));
  return (
    <div className="article-layout">
      <main id="main" tabIndex={-1}>
        <title>{`${article.title} · 新闻存档`}</title>
        <article lang={article.lang}>
          <header className="article-header">
            <h1 ref={heading} tabIndex={-1}>
              {article.title}
            </h1>
            <p className="meta" lang="zh-Hans">
              <a href={article.url} target="_blank" rel="noopener noreferrer">
                {article.source} · 阅读原文
              </a>
              {article.section && <Link to={paths.timeline({ section: article.section })}>{article.section}</Link>}
              <time dateTime={new Date(article.published).toISOString()}>{dateTime(article.published)}</time>
              <span>约 {article.readingMinutes} 分钟读完</span>
            </p>
          </header>
          {article.image && !heroInBody && <HeroImage src={article.image} />}
          <ArticleBody html={article.html} lang={article.lang} />
        </article>
        <ArticleFooter article={article} />
      </main>
      <aside className="related" aria-label="相关报道和其他版本">
        {article.versions.length > 0 && <Versions versions={article.versions} />}
        <RelatedList related={article.related} />
      </aside>
    </div>
  );
}

/** The article's picture when its body has none, held back like the body's images until the reader's choice allows it. */
function HeroImage({ src }: { src: string }) {
  const images = use(ImageModeContext);
  const frame = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const node = frame.current;
    if (!node) return;
    node.replaceChildren(deferredImage(src, ''));
    showImages(node, images);
    return () => node.replaceChildren();
  }, [src, images]);
  return <div ref={frame} className="hero" />;
}

function ArticleFooter({ article }: { article: Article }) {
  return (
    <footer className="article-footer">
      <ShareButton title={article.title} />
      <nav aria-label="上一篇和下一篇" className="neighbours">
        {article.newer && (
          <Link to={paths.article(article.newer.id)} rel="prev">
            <span className="label">← 较新一篇</span>
            <span className="title">{article.newer.title}</span>
          </Link>
        )}
        {article.older && (
          <Link to={paths.article(article.older.id)} rel="next">
            <span className="label">较早一篇 →</span>
            <span className="title">{article.older.title}</span>
          </Link>
        )}
      </nav>
      <p>
        <Link to={paths.timeline()}>← 回到时间线</Link>
      </p>
    </footer>
  );
}

function ShareButton({ title }: { title: string }) {
  const [status, setStatus] = useState('');
  const share = async () => {
    const url = window.location.href;
    if (navigator.share) {
      try {
        await navigator.share({ title, url });
        return;
      } catch (error) {
        if ((error as DOMException).name === 'AbortError') return;
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setStatus('链接已复制');
    } catch {
      setStatus(`无法自动复制，请手动复制：${url}`);
    }
  };
  return (
    <div className="share">
      <button type="button" onClick={share}>
        分享
      </button>
      <span role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

/** One entry of the sidebar: title, source and date, and why it is listed when there is a reason to give. */
function SidebarEntry({ entry, why }: { entry: RelatedArticle; why?: string }) {
  return (
    <li>
      <Link to={paths.article(entry.id)}>{entry.title}</Link>
      <p className="meta">
        <span>{entry.source}</span>
        <time dateTime={new Date(entry.published).toISOString()}>{shortDate(entry.published)}</time>
      </p>
      {why && <p className="why">{why}</p>}
    </li>
  );
}

/** The same story saved again or republished elsewhere: not "related", but other copies of this one. */
function Versions({ versions }: { versions: RelatedArticle[] }) {
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">其他版本</h2>
      <p className="why">同一篇报道的其他存档或转载，文字略有出入。</p>
      <ol>
        {versions.map((v) => (
          <SidebarEntry key={v.id} entry={v} />
        ))}
      </ol>
    </section>
  );
}

function RelatedList({ related }: { related: RelatedArticle[] }) {
  return (
    <section aria-labelledby="related-heading">
      <h2 id="related-heading">相关报道</h2>
      {related.length === 0 ? (
        <p>暂无相关报道。</p>
      ) : (
        <ol>
          {related.map((r) => (
            <SidebarEntry key={r.id} entry={r} why={r.terms.length > 0 ? `共同关键词：${r.terms.join('、')}` : undefined} />
          ))}
        </ol>
      )}
    </section>
  );
}

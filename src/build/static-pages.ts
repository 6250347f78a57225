/**
 * Real HTML pages, written next to the app: a page for every article at
 * `a/<id>.html`, where a cold visit, a reload or a crawler gets the article
 * (title, preview tags, JSON-LD, the full text) from any static host with no
 * rewrite rules, and readers whose scripts are blocked can still read it; and
 * `/` with the newest articles listed. The app replaces a page's content when
 * its script runs.
 *
 * The body is the build cleaner's output: an allowlist of elements and
 * attributes, escaped text, only http(s) and mailto URLs. Its images are
 * written as links (imagesAsLinks): the page requests nothing from the
 * outlet's servers, with or without scripts.
 */
import { decodeHTMLAttribute, escapeAttribute, escapeText } from 'entities';
import { ARTICLE_BODY_END, ARTICLE_BODY_START, ARTICLE_DATA_START, articleData, DATA_DIR, imageAttributeValue, type Article, type ArticleSummary } from '../content/bundle.ts';

export interface SiteOptions {
  /** Vite's base, e.g. `/` or `/news/`. */
  base: string;
  /** Origin the site is served from, e.g. `https://user.github.io`, for absolute links; empty when unknown. */
  siteUrl: string;
  /** Site name shown in previews. */
  name: string;
}

/** The site's name in titles and previews when none is set (SITE_NAME). */
export const DEFAULT_SITE_NAME = '新闻存档';

/** The site's options where none are given: the bundle command's, and tests'. */
export const BARE_SITE: SiteOptions = { base: '/', siteUrl: '', name: DEFAULT_SITE_NAME };

/** A page template without the app, for article pages written by the bundle command alone. */
export const BARE_TEMPLATE = '<!doctype html>\n<html lang="zh-Hans">\n  <head>\n    <meta charset="utf-8" />\n    <meta name="viewport" content="width=device-width, initial-scale=1" />\n    <title></title>\n  </head>\n  <body>\n    <div id="root"></div>\n  </body>\n</html>\n';

/** The article's address under the site's base, as the app links it. */
function articleHref(id: string): string {
  return `a/${id}`;
}

/** Absolute URL of a path under the site's base, or a root-relative one when the site URL is unknown. */
export function siteHref(site: SiteOptions, path: string): string {
  return `${site.siteUrl.replace(/\/$/, '')}${site.base}${path}`;
}

/**
 * The page with `<link rel="preload">` for data files (paths under the data folder) the app fetches first:
 * they download alongside its code. `as="fetch"` with `crossorigin` matches the app's own fetch() calls.
 */
export function withPreloads(html: string, base: string, dataFiles: readonly string[]): string {
  return withHeadLinks(html, dataFiles.map((file) => `<link rel="preload" href="${escapeAttribute(`${base}${DATA_DIR}/${file}`)}" as="fetch" crossorigin />`));
}

/**
 * The page with `<link rel="modulepreload">` for the code of the view it opens on (a lazily loaded chunk and
 * the chunks it imports): the browser fetches it alongside the app's entry, not after the entry has run and
 * asked for it. `files` are paths under the site's base, as in Vite's bundle.
 */
export function withModulePreloads(html: string, base: string, files: readonly string[]): string {
  return withHeadLinks(html, files.map((file) => `<link rel="modulepreload" crossorigin href="${escapeAttribute(`${base}${file}`)}" />`));
}

/** The page with these tags at the end of its head. */
function withHeadLinks(html: string, links: readonly string[]): string {
  return links.length === 0 ? html : html.replace('</head>', () => `  ${links.join('\n    ')}\n  </head>`);
}

/**
 * The built index.html with the article's head tags, its data (`data`: bundle.ts articleData, or the same JSON made
 * along with the article's revision) and a static rendering of it in #root: the page is the article's only file,
 * `a/<id>.html` (bundle.ts articlePageFile), served at the deep link `/a/<id>` by hosts that resolve clean URLs
 * (GitHub Pages, Netlify, Cloudflare Pages, vite preview); elsewhere 404.html hands the address to the app.
 */
export function articlePage(template: string, article: Article, site: SiteOptions, data = articleData(article)): string {
  const title = `${article.title} · ${site.name}`;
  const pageUrl = siteHref(site, articleHref(article.id));
  const published = new Date(article.published).toISOString();
  const meta = (attr: 'name' | 'property', key: string, value: string) =>
    `<meta ${attr}="${key}" content="${escapeAttribute(value)}" />`;
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    datePublished: published,
    description: article.excerpt,
    ...(article.image ? { image: [article.image] } : {}),
    publisher: { '@type': 'Organization', name: article.source },
    mainEntityOfPage: pageUrl,
    isBasedOn: article.url,
    inLanguage: article.lang,
  };
  const head = [
    `<title>${escapeText(title)}</title>`,
    meta('name', 'description', article.excerpt),
    `<link rel="canonical" href="${escapeAttribute(article.url)}" />`,
    meta('property', 'og:type', 'article'),
    meta('property', 'og:site_name', site.name),
    meta('property', 'og:title', article.title),
    meta('property', 'og:description', article.excerpt),
    meta('property', 'og:url', pageUrl),
    meta('property', 'og:locale', article.lang.startsWith('zh') ? 'zh_CN' : 'und'),
    meta('property', 'article:published_time', published),
    ...(article.image ? [meta('property', 'og:image', article.image)] : []),
    // X reads the title, description and image from og:title, og:description and og:image when its own
    // tags are absent (its card markup reference); only the card type has no Open Graph equivalent.
    meta('name', 'twitter:card', article.image ? 'summary_large_image' : 'summary'),
    // A data block, not a script: browsers do not run it, and CSP does not apply to it.
    `<script type="application/ld+json">${JSON.stringify(jsonLd).replace(/</g, '\\u003c')}</script>`,
    // What the app reads the article from, body aside (it is below, shown); a data block too.
    `${ARTICLE_DATA_START}${data.replace(/</g, '\\u003c')}</script>`,
  ].join('\n    ');
  const body = `${siteHeader(site)}
<div class="article-layout"><main id="main"><article lang="${escapeAttribute(article.lang)}">
<header class="article-header"><h1>${escapeText(article.title)}</h1>
<p class="meta" lang="zh-Hans"><a href="${escapeAttribute(article.url)}" rel="noopener noreferrer">${escapeText(article.source)} · 阅读原文</a> <time datetime="${published}">${chineseDate(article.published)}</time> <span>约 ${article.readingMinutes} 分钟读完</span></p></header>
${ARTICLE_BODY_START}${imagesAsLinks(article.html)}${ARTICLE_BODY_END}
${relatedBlock(article, site)}</div>`;
  return template
    .replace(/<title>[^<]*<\/title>/, '')
    .replace(/<meta name="description"[^>]*>/, '')
    // Replaced by a function: a replacement string would read `$&`, `$'` and the like in an article's text as patterns.
    .replace('</head>', () => `    ${head}\n  </head>`)
    .replace('<div id="root"></div>', () => `<div id="root">${body}</div>`);
}

/** The site's name, linking to `/`, as the app's header starts. */
function siteHeader(site: SiteOptions): string {
  return `<header class="site-header"><a class="site-name" href="${escapeAttribute(site.base)}">${escapeText(site.name)}</a></header>`;
}

/** Articles the built `/` lists before any script runs: a phone's first screen and more, a few KB gzip. */
export const LATEST_ON_PAGE = 12;

/**
 * The built index.html with the newest articles listed in #root: on a slow connection their headlines show
 * before the app's code has arrived, and a reader whose scripts are blocked can still find and open them
 * (each links to its own page). Not the app's list (`ol.entries`, virtualized): the app replaces it, as it
 * replaces an article page, once it can show the timeline. Dates are UTC, as on the article pages.
 */
export function timelinePage(template: string, latest: readonly ArticleSummary[], site: SiteOptions): string {
  let previousDay = '';
  const items = latest.slice(0, LATEST_ON_PAGE).map((item) => {
    const day = new Date(item.published).toISOString().slice(0, 10);
    const heading = day === previousDay ? '' : `<h2 class="day"><time datetime="${day}">${chineseDate(item.published)}</time></h2>`;
    previousDay = day;
    const meta = [item.source, item.section].filter(Boolean).map((text) => `<span>${escapeText(text!)}</span>`).join('');
    return `<li>${heading}<a class="entry" href="${escapeAttribute(`${site.base}${articleHref(item.id)}`)}"><div class="entry-text"><h3 lang="${escapeAttribute(item.lang)}">${escapeText(item.title)}</h3><p class="meta">${meta}</p><p class="excerpt" lang="${escapeAttribute(item.lang)}">${escapeText(item.excerpt)}</p></div></a></li>`;
  });
  const body = `${siteHeader(site)}
<main id="main" class="timeline"><h1>最新报道</h1>${items.length > 0 ? `<ol class="latest">${items.join('\n')}</ol>` : '<p class="empty">存档里还没有文章。</p>'}</main>`;
  return template.replace('<div id="root"></div>', () => `<div id="root">${body}</div>`);
}

/**
 * A tag as the cleaner writes it: `<name attr="value">` or `</name>`, lowercase names, `"` escaped in values.
 * The cleaner also escapes `<` in text, so in its output every `<` starts such a tag and matching from
 * one tag to the next never lands inside an attribute value.
 */
const CLEANED_TAG = /<(\/?)([a-z][a-z0-9]*)((?: [a-z-]+="[^"]*")*)>/g;
const CLEANED_ATTRIBUTE = / ([a-z-]+)="([^"]*)"/g;

/**
 * The cleaned body with each `<img>` written as a link to the picture (`查看图片 · s.rfi.fr`, then its alt
 * text), or as that text alone inside a link, where a second link would not be valid: the static page shows
 * where each picture was and requests none. The app, once its script runs, shows its own placeholders. Each
 * keeps the image's attributes, as the cleaner wrote them, in `data-img`: the app reads the image back from
 * it (bundle.ts linksAsImages). The cleaner keeps no data-* attribute, so no article can write one.
 */
export function imagesAsLinks(html: string): string {
  if (!html.includes('<img ')) return html;
  let linkDepth = 0;
  return html.replace(CLEANED_TAG, (tag: string, close: string, name: string, attributes: string) => {
    if (name === 'a') linkDepth += close ? -1 : 1;
    if (name !== 'img') return tag;
    const values = new Map([...attributes.matchAll(CLEANED_ATTRIBUTE)].map(([, key, value]) => [key!, value!]));
    const src = values.get('src') ?? '';
    const alt = decodeHTMLAttribute(values.get('alt') ?? '').trim();
    const label = (verb: string) => `<span>${escapeText(`${verb}${imageHost(decodeHTMLAttribute(src))}`)}</span>${alt ? ` <span>${escapeText(alt)}</span>` : ''}`;
    // `src` is still escaped as the cleaner wrote it, so it goes back into an attribute as it is.
    const img = ` data-img="${imageAttributeValue(attributes)}"`;
    return linkDepth > 0 || !src
      ? `<span data-remote-image="text"${img}>${label('图片')}</span>`
      : `<a href="${src}" rel="noopener noreferrer" data-remote-image="link"${img}>${label('查看图片')}</a>`;
  });
}

/** ` · s.rfi.fr`, or nothing for an address without a host. */
function imageHost(src: string): string {
  try {
    const { host } = new URL(src);
    return host ? ` · ${host}` : '';
  } catch {
    return '';
  }
}

function relatedBlock(article: Article, site: SiteOptions): string {
  if (article.related.length === 0) return '';
  const items = article.related
    .map((r) => `<li><a href="${escapeAttribute(`${site.base}${articleHref(r.id)}`)}">${escapeText(r.title)}</a></li>`)
    .join('');
  return `<aside class="related"><h2>相关报道</h2><ol>${items}</ol></aside>`;
}

/** Sitemaps hold at most 50,000 URLs; larger archives get an index of several. */
const SITEMAP_URLS = 40_000;

/**
 * `sitemap.xml` (and `sitemap-<n>.xml` beyond 40,000 articles) for the timeline and every article;
 * needs the site URL, since sitemaps hold absolute URLs.
 */
export function sitemapFiles(articles: readonly Pick<ArticleSummary, 'id' | 'published'>[], site: SiteOptions): Map<string, string> {
  const url = (loc: string, lastmod?: number) =>
    `<url><loc>${escapeText(loc)}</loc>${lastmod ? `<lastmod>${new Date(lastmod).toISOString().slice(0, 10)}</lastmod>` : ''}</url>`;
  const urls = [url(siteHref(site, '')), ...articles.map((a) => url(siteHref(site, articleHref(a.id)), a.published))];
  const urlset = (part: string[]) =>
    ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...part, '</urlset>', ''].join('\n');
  const files = new Map<string, string>();
  if (urls.length <= SITEMAP_URLS) {
    files.set('sitemap.xml', urlset(urls));
    return files;
  }
  const parts: string[] = [];
  for (let i = 0; i < urls.length; i += SITEMAP_URLS) {
    const name = `sitemap-${parts.length + 1}.xml`;
    files.set(name, urlset(urls.slice(i, i + SITEMAP_URLS)));
    parts.push(`<sitemap><loc>${escapeText(siteHref(site, name))}</loc></sitemap>`);
  }
  files.set(
    'sitemap.xml',
    ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...parts, '</sitemapindex>', ''].join('\n'),
  );
  return files;
}

export function robots(site: SiteOptions): string {
  return `User-agent: *\nAllow: /\n${site.siteUrl ? `Sitemap: ${siteHref(site, 'sitemap.xml')}\n` : ''}`;
}

/** `2023年7月31日`, in UTC: the build does not know the reader's time zone (the app shows local time). */
function chineseDate(time: number): string {
  const d = new Date(time);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

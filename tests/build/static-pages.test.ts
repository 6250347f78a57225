import fc from 'fast-check';
import { DomUtils, parseDocument } from 'htmlparser2';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanHtml } from '../../src/build/clean-html.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/build/csp.ts';
import { articlePage, BARE_TEMPLATE, imagesAsLinks, LATEST_ON_PAGE, timelinePage } from '../../src/build/static-pages.ts';
import { linksAsImages, readArticlePage, BundleFormatError, type Article, type ArticleSummary } from '../../src/content/bundle.ts';
import { npx, tempDir } from '../helpers/run.ts';

const KOREA = { id: '6e5fxxdn32eb', title: '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易' };
const SHOIGU = { id: '0tert5bvzf9j', title: '俄罗斯国防部长称朝鲜为“重要伙伴”' };
const IMAGE = 'https://s.rfi.fr/media/display/5c598f8a-2f9d-11ee-aa56-005056bfb2b6/w:1280/p:16x9/2023-07-28T035707Z_1520581082_RC23C2AN9VE1_RTRMADP_3_NORTHKOREA-ANNIVERSARY.JPG';

function build(env: Record<string, string>): string {
  const out = tempDir('pages');
  const result = npx(['vite', 'build', '--outDir', out, '--emptyOutDir'], env);
  expect(result.status, result.output).toBe(0);
  return out;
}

describe('static pages of a build with SITE_URL under /news/', () => {
  const out = build({ SITE_URL: 'https://example.github.io', BASE_PATH: '/news/' });
  const html = readFileSync(join(out, 'a', `${KOREA.id}.html`), 'utf8');

  it('gives each article a page of its own with its title, preview tags and body text, before any script runs', () => {
    expect(html).toContain(`<title>${KOREA.title} · 新闻存档</title>`);
    expect(html).toContain(`<meta property="og:title" content="${KOREA.title}" />`);
    expect(html).toContain(`<meta property="og:image" content="${IMAGE}" />`);
    expect(html).toContain('<meta property="og:url" content="https://example.github.io/news/a/6e5fxxdn32eb" />');
    const description = /<meta name="description" content="([^"]+)" \/>/.exec(html)?.[1];
    expect(description).toContain('韩国国防部');
    expect(html).toContain(`<meta property="og:description" content="${description}" />`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image" />');
    // X falls back to the og: tags; the page does not carry the title, excerpt and image a fourth time.
    expect(html).not.toMatch(/twitter:(title|description|image)/);
    expect(html).toContain('<meta property="article:published_time" content="2023-07-31T13:45:02.000Z" />');
    expect(html).toContain('<link rel="canonical" href="https://www.rfi.fr/cn/');
    expect(html).toContain('据韩联社报导，韩国国防部发言人全河奎周一在例行记者会上作出如上表态。');
    expect(html).toContain('src="/news/assets/');
  });

  it('writes the body image as a link to it, so that the page itself requests nothing from the outlet', () => {
    const body = /<div class="article-body">(.*?)<\/div><\/article>/s.exec(html)![1]!;
    expect(body, 'images in the body').not.toContain('<img');
    expect(body).toContain(`<a href="${IMAGE}" rel="noopener noreferrer" data-remote-image="link" data-img=" src=&quot;${IMAGE}&quot;"><span>查看图片 · s.rfi.fr</span></a>`);
  });

  it('puts the Content-Security-Policy on every page it writes', () => {
    const csp = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
    for (const page of ['index.html', '404.html', join('a', `${KOREA.id}.html`)]) {
      expect(readFileSync(join(out, page), 'utf8'), page).toContain(csp);
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("require-trusted-types-for 'script'");
  });

  it('describes the article as a NewsArticle in JSON-LD', () => {
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!;
    const data = JSON.parse(json) as Record<string, unknown>;
    expect(data['@type']).toBe('NewsArticle');
    expect(data.headline).toBe(KOREA.title);
    expect(data.datePublished).toBe('2023-07-31T13:45:02.000Z');
    expect(data.image).toEqual([IMAGE]);
  });

  it('lists the newest articles on / before any script runs, newest first, each linking to its page', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    const root = /<div id="root">(.*)<\/div>\s*<\/body>/s.exec(index)![1]!;
    const document = parseDocument(root);
    const links = DomUtils.findAll((node) => node.name === 'a' && node.attribs.class === 'entry', document.children);
    expect(links.map((a) => [a.attribs.href, DomUtils.textContent(DomUtils.findOne((n) => n.name === 'h3', a.children)!)])).toEqual([
      [`/news/a/${KOREA.id}`, KOREA.title],
      [`/news/a/${SHOIGU.id}`, SHOIGU.title],
    ]);
    expect(DomUtils.textContent(document.children)).toContain('2023年7月31日');
    expect(root, 'no picture from the outlet').not.toContain('<img');
  });

  it('writes 404.html, a sitemap of absolute URLs and robots.txt pointing to it', () => {
    // The app itself, without index.html's preloads of the timeline's data and code (404.html answers any path).
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<link rel="preload" href="/news/data/manifest.json" as="fetch" crossorigin />');
    // …and without the newest articles index.html lists before the app runs.
    const appOnly = (html: string) =>
      html
        .replace(/<link rel="(?:module)?preload"[^>]*>/g, '')
        .replace(/<div id="root">.*<\/div>(\s*<\/body>)/s, '<div id="root"></div>$1')
        .replace(/\s+/g, '');
    expect(appOnly(readFileSync(join(out, '404.html'), 'utf8'))).toBe(appOnly(index));
    const sitemap = readFileSync(join(out, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain('<loc>https://example.github.io/news/</loc>');
    expect(sitemap).toContain(`<loc>https://example.github.io/news/a/${KOREA.id}</loc><lastmod>2023-07-31</lastmod>`);
    expect(readFileSync(join(out, 'robots.txt'), 'utf8')).toBe('User-agent: *\nAllow: /\nSitemap: https://example.github.io/news/sitemap.xml\n');
  });
});

describe('a build without SITE_URL', () => {
  it('writes no sitemap, since sitemaps need absolute URLs, and says so', () => {
    const out = tempDir('pages');
    const result = npx(['vite', 'build', '--outDir', out, '--emptyOutDir']);
    expect(result.output).toContain('SITE_URL is not set: no sitemap.xml, and preview links are relative');
    expect(existsSync(join(out, 'sitemap.xml'))).toBe(false);
    expect(readFileSync(join(out, 'robots.txt'), 'utf8')).toBe('User-agent: *\nAllow: /\n');
    expect(readFileSync(join(out, 'a', `${KOREA.id}.html`), 'utf8')).toContain('<meta property="og:url" content="/a/6e5fxxdn32eb" />');
  });
});

describe('imagesAsLinks', () => {
  it('writes an image as a link to it, labelled with its host and alt text', () => {
    expect(imagesAsLinks('<p>前<img src="https://s.rfi.fr/a.jpg?w=1&amp;h=2" alt="现场 &lt;照片&gt; &quot;一&quot;" width="640">后</p>')).toBe(
      '<p>前<a href="https://s.rfi.fr/a.jpg?w=1&amp;h=2" rel="noopener noreferrer" data-remote-image="link" data-img=" src=&quot;https://s.rfi.fr/a.jpg?w=1&amp;amp;h=2&quot; alt=&quot;现场 &amp;lt;照片&amp;gt; &amp;quot;一&amp;quot;&quot; width=&quot;640&quot;"><span>查看图片 · s.rfi.fr</span> <span>现场 &lt;照片&gt; "一"</span></a>后</p>',
    );
  });

  it('writes an image inside a link as text, since a link cannot hold another', () => {
    expect(imagesAsLinks('<a href="https://e.org/big"><img src="https://cdn.e.org/s.jpg"></a><img src="https://cdn.e.org/t.jpg">')).toBe(
      '<a href="https://e.org/big"><span data-remote-image="text" data-img=" src=&quot;https://cdn.e.org/s.jpg&quot;"><span>图片 · cdn.e.org</span></span></a>' +
        '<a href="https://cdn.e.org/t.jpg" rel="noopener noreferrer" data-remote-image="link" data-img=" src=&quot;https://cdn.e.org/t.jpg&quot;"><span>查看图片 · cdn.e.org</span></a>',
    );
  });

  it('leaves alone text and attribute values that only look like an image', () => {
    const html = '<p><a href="https://e.org/" title="<img src=x> </a>">&lt;img src="x"&gt;</a></p>';
    expect(imagesAsLinks(html)).toBe(html);
  });

  it('leaves no image in any body the cleaner writes, and replaces each one', () => {
    const count = (html: string, match: (name: string, attribs: Record<string, string>) => boolean) => {
      let n = 0;
      const visit = (nodes: ReturnType<typeof parseDocument>['children']) => {
        for (const node of nodes) {
          if (node.type !== 'tag') continue;
          if (match(node.name, node.attribs)) n++;
          visit(node.children);
        }
      };
      visit(parseDocument(html).children);
      return n;
    };
    const piece = fc.oneof(
      fc.constantFrom('<p>', '</p>', '<a href="https://e.org/">', '</a>', '<figure>', '</figure>', '<img src="x">', '<img src=y width=10>', '文字', '&lt;img src="z"&gt;', '<b>', '</b>'),
      fc.string({ maxLength: 16 }).map((alt) => `<img src="https://i.example/${encodeURIComponent(alt)}" alt='${alt}'>`),
      fc.string({ maxLength: 16 }).map((title) => `<a href="https://e.org/t" title='${title}'>`),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const cleaned = cleanHtml(pieces.join(''), 'https://www.rfi.fr/cn/a').html;
        const page = imagesAsLinks(cleaned);
        expect(count(page, (name) => name === 'img'), page).toBe(0);
        expect(count(page, (_, attribs) => attribs['data-remote-image'] !== undefined), page).toBe(count(cleaned, (name) => name === 'img'));
        // The app reads the body back from the page: the very HTML the cleaner wrote.
        expect(linksAsImages(page)).toBe(cleaned);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('timelinePage', () => {
  const site = { base: '/', siteUrl: '', name: '新闻存档' };
  const template = '<html><body><div id="root"></div></body></html>';
  const summary = (i: number, fields: Partial<ArticleSummary> = {}): ArticleSummary => ({
    id: `id${i}`, title: `标题${i}`, url: `https://example.com/${i}`, published: Date.UTC(2024, 0, 31 - i), sourceId: 'example.com',
    source: '来源', section: null, lang: 'zh-Hans', excerpt: '摘要', image: null, readingMinutes: 1, rev: 'r', ...fields,
  });
  const rootOf = (html: string) => parseDocument(/<div id="root">(.*)<\/div><\/body>/s.exec(html)![1]!);
  // Any text, and text made of what HTML and String.replace give a meaning to.
  const text = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('$', '&', "'", '`', '<', '>', '"', '/', 'a', '中', ' ') }));

  it('shows titles, sources, sections and excerpts as the text they are, whatever they hold', () => {
    fc.assert(
      fc.property(text, text, text, text, (title, source, section, excerpt) => {
        const root = rootOf(timelinePage(template, [summary(0, { title, source, section, excerpt })], site));
        expect(DomUtils.findAll((n) => !['header', 'a', 'main', 'h1', 'ol', 'li', 'h2', 'time', 'div', 'h3', 'p', 'span'].includes(n.name), root.children), 'elements').toEqual([]);
        expect(DomUtils.textContent(DomUtils.findOne((n) => n.name === 'h3', root.children)!)).toBe(title);
        expect(DomUtils.findAll((n) => n.name === 'span', root.children).map((n) => DomUtils.textContent(n))).toEqual([source, section].filter(Boolean));
        expect(DomUtils.textContent(DomUtils.findOne((n) => n.attribs.class === 'excerpt', root.children)!)).toBe(excerpt);
      }),
    );
  });

  it(`lists the newest ${LATEST_ON_PAGE} only, with a heading for each day`, () => {
    const root = rootOf(timelinePage(template, Array.from({ length: 40 }, (_, i) => summary(Math.floor(i / 2))), site));
    expect(DomUtils.findAll((n) => n.name === 'li', root.children)).toHaveLength(LATEST_ON_PAGE);
    expect(DomUtils.findAll((n) => n.name === 'h2', root.children)).toHaveLength(LATEST_ON_PAGE / 2);
  });

  it('says the archive is empty when it is', () => {
    expect(DomUtils.textContent(rootOf(timelinePage(template, [], site)).children)).toContain('存档里还没有文章。');
  });
});

describe('an article page as the article\'s file', () => {
  const site = { base: '/', siteUrl: '', name: '新闻存档' };
  const article = (fields: Partial<Article>): Article => ({
    id: 'id0', title: '标题', url: 'https://example.com/0', published: Date.UTC(2024, 0, 1), sourceId: 'example.com', source: '来源',
    section: null, lang: 'zh-Hans', excerpt: '摘要', image: null, readingMinutes: 1, rev: 'r', html: '<p>正文</p>', textLength: 2,
    newer: null, older: null, versions: [],
    related: [{ id: 'id1', title: '</script><script>alert(1)</script>', published: 1, source: '来源', score: 0.5, terms: ['<!--', '</script>'] }],
    ...fields,
  });
  // Any text, and text made of what HTML, JSON and a script element give a meaning to.
  const text = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('<', '>', '/', '"', "'", '&', '\\', '!', '-', 's', 'c', 'r', 'i', 'p', 't', '中', ' ', '\u2028') }));

  it('gives back the article it was written from, whatever its fields and body hold', () => {
    const piece = fc.oneof(
      fc.constantFrom('<p>', '</p>', '<a href="https://e.org/">', '</a>', '<img src="x">', '</div></article></main>', '<div class="article-body">', '文字'),
      text.map((alt) => `<img src="https://i.example/${encodeURIComponent(alt)}?a=1&b=2" alt='${alt}'>`),
      text,
    );
    fc.assert(
      fc.property(text, text, fc.array(piece, { maxLength: 20 }), (title, excerpt, pieces) => {
        const written = article({ title, excerpt, html: cleanHtml(pieces.join(''), 'https://www.rfi.fr/cn/a').html });
        expect(readArticlePage(articlePage(BARE_TEMPLATE, written, site), 'a/id0.html')).toEqual(written);
      }),
      { numRuns: 500 },
    );
  });

  it('is not read as an article when it holds none (a host\'s fallback page), and a damaged one is an error', () => {
    expect(readArticlePage('<!doctype html><title>新闻存档</title><div id="root"></div>', 'a/x.html')).toBeNull();
    const page = articlePage(BARE_TEMPLATE, article({}), site);
    expect(() => readArticlePage(page.replace('"title":', '"title"'), 'a/id0.html')).toThrow(BundleFormatError);
    expect(() => readArticlePage(page.slice(0, page.indexOf('<div class="article-body">')), 'a/id0.html')).toThrow('a/id0.html: expected the article\'s data and body');
  });
});

describe('articlePage', () => {
  it("keeps `$&`, `$'`, `$`` and `$$` in an article's title and text as they are", () => {
    const template = '<html><head><title>新闻存档</title></head><body><div id="root"></div></body></html>';
    const odd = "价格 $& 与 $' 及 $` 和 $$ 美元";
    const article: Article = {
      id: 'id0', title: odd, url: 'https://example.com/0', published: Date.UTC(2024, 0, 1), sourceId: 'example.com', source: '来源',
      section: null, lang: 'zh-Hans', excerpt: odd, image: null, readingMinutes: 1, rev: 'r', html: `<p>${odd}</p>`, textLength: odd.length,
      newer: null, older: null, related: [], versions: [],
    };
    const page = parseDocument(articlePage(template, article, { base: '/', siteUrl: '', name: '新闻存档' }));
    expect(DomUtils.textContent(DomUtils.findOne((n) => n.name === 'h1', page.children)!)).toBe(odd);
    expect(DomUtils.textContent(DomUtils.findOne((n) => n.attribs.class === 'article-body', page.children)!)).toBe(odd);
    expect(DomUtils.textContent(DomUtils.findOne((n) => n.name === 'title', page.children)!)).toBe(`${odd} · 新闻存档`);
    expect(DomUtils.findAll((n) => n.name === 'title', page.children), 'one title').toHaveLength(1);
  });
});

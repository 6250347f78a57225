/**
 * Hostile and broken input: the parser and the cleaner never throw, never let
 * script through, and a build of a folder full of such files reports each bad
 * one and builds the good ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildArticle } from '../../src/build/article.ts';
import { readArchive } from '../../src/build/archive.ts';
import { cleanHtml } from '../../src/build/clean-html.ts';
import { formatSeedError } from '../../src/build/errors.ts';
import { decodeSeed, parseSeed, printSeed } from '../../src/build/seed.ts';
import { sample, seedsFolder } from '../helpers/run.ts';

const BASE = 'https://www.rfi.fr/cn/国际/20230731-x';
const HEADER = '<!--1690811102000-->\n[标题](https://example.com/a)\n------\n\n';

/** Tag soup: real and made-up elements, hostile attributes, unbalanced closes, comments, entities, CJK text. */
const TAGS = ['p', 'div', 'span', 'a', 'img', 'script', 'style', 'svg', 'math', 'noscript', 'template', 'textarea', 'iframe', 'form', 'table', 'td', 'li', 'share-button', 'base', 'meta', 'object', 'b'];
const ATTRS = ['href="javascript:alert(1)"', 'src="x"', 'onerror="alert(1)"', 'onclick=alert(1)', 'style="x:url(javascript:1)"', 'href="&#106;avascript:1"', 'href="  java\tscript:1"', 'data-x="1"', 'srcdoc="<script>1</script>"', 'href="https://ok.example/"', 'width="1" height="1"', 'formaction="javascript:1"'];
const soupToken = fc.oneof(
  fc.constantFrom(...TAGS).chain((t) => fc.subarray(ATTRS, { maxLength: 3 }).map((a) => `<${t}${a.length ? ` ${a.join(' ')}` : ''}>`)),
  fc.constantFrom(...TAGS).map((t) => `</${t}>`),
  fc.constantFrom('<!--', '-->', '<![CDATA[', ']]>', '&lt;script&gt;', '&#x3C;', '<', '>', '"', "'", '\u0000', '\uD800', '中文', 'text '),
  fc.string({ maxLength: 12 }),
);
const soup = fc.array(soupToken, { maxLength: 60 }).map((tokens) => tokens.join(''));

function assertNoScript(html: string) {
  expect(html).not.toMatch(/<(script|style|iframe|object|embed|svg|math|form|base|meta|template|noscript|textarea)\b/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/(href|src)="\s*(javascript|data|vbscript):/i);
  expect(html).not.toMatch(/\sstyle\s*=/i);
}

describe('cleanHtml on arbitrary tag soup', () => {
  it('never throws and never lets script, handlers, styles or script URLs through', () => {
    fc.assert(
      fc.property(soup, (html) => {
        assertNoScript(cleanHtml(html, BASE).html);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps its output stable: cleaning cleaned HTML changes nothing', () => {
    fc.assert(
      fc.property(soup, (html) => {
        const once = cleanHtml(html, BASE).html;
        expect(cleanHtml(once, BASE).html).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('buildArticle on arbitrary input', () => {
  it('never throws on random bytes, and answers an article or an error naming the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const result = buildArticle(bytes, 'seeds/x.txt');
        if (!result.ok) expect(formatSeedError(result.error)).toMatch(/^seeds\/x\.txt:\d+: /);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on a valid header with a body of tag soup, and keeps the body clean', () => {
    fc.assert(
      fc.property(soup, (body) => {
        const result = buildArticle(new TextEncoder().encode(HEADER + body), 'x.txt');
        // A NUL byte makes it binary, which is reported rather than read.
        if (body.includes('\u0000')) expect(!result.ok && result.error.kind).toBe('binary');
        else if (result.ok) assertNoScript(result.built.article.html);
        else expect.unreachable(formatSeedError(result.error));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads every truncation of a real seed without throwing', () => {
    const text = sample('000_128d1a5b117db0fb.txt');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), (cut) => {
        const result = parseSeed(text.slice(0, cut), 'x.txt');
        if (cut > text.indexOf('------') + 6) expect(result.ok).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('handles lone surrogates in the text', () => {
    const result = parseSeed(`${HEADER}<p>\uD800半个\uDC00字符</p>`, 'x.txt');
    expect(result.ok).toBe(true);
    if (result.ok) expect(cleanHtml(result.seed.body, BASE).text).toContain('半个');
  });

  it('reports NUL bytes and invalid UTF-8 instead of guessing', () => {
    expect(decodeSeed(new Uint8Array([0x3c, 0x00, 0x3e]), 'x.txt').ok).toBe(false);
    expect(decodeSeed(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]), 'x.txt').ok).toBe(false);
  });
});

describe('large and deep input', () => {
  it('reads a title line of a megabyte', () => {
    const title = '长'.repeat(1_000_000);
    const result = parseSeed(printSeed({ published: 1690811102000, title, url: 'https://example.com/long', body: '<p>正文</p>' }), 'x.txt');
    expect(result.ok && result.seed.title.length).toBe(1_000_000);
  });

  it('cleans 100,000 levels of nesting, keeping the text and capping the depth', () => {
    const { html, text } = cleanHtml(`${'<div><blockquote>'.repeat(50_000)}最深处${'</blockquote></div>'.repeat(50_000)}<p>之后</p>`, BASE);
    expect(text).toContain('最深处');
    expect(text).toContain('之后');
    expect((html.match(/<blockquote>/g) ?? []).length).toBeLessThanOrEqual(32);
  });

  it('cleans a 10 MB body', () => {
    const paragraph = '<p><span><span>据报道，这是一段很长的新闻正文，用来测试十兆字节的文章。</span></span></p>';
    const body = paragraph.repeat(Math.ceil(10_000_000 / paragraph.length));
    const result = buildArticle(new TextEncoder().encode(HEADER + body), 'big.txt');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.built.article.textLength).toBeGreaterThan(2_000_000);
  });
});

describe('a build of a folder of broken files', () => {
  it('reports each bad file with its line and builds the good ones', async () => {
    const seeds = seedsFolder({
      'good.txt': sample('000_128d1a5b117db0fb.txt'),
      'binary.bin': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      'latin1.txt': new Uint8Array([...new TextEncoder().encode('<!--1690811102000-->\n[caf'), 0xe9, ...new TextEncoder().encode('](https://example.com/c)\n------\n\n')]),
      'truncated.txt': '<!--1690811102000-->\n[只有标题](https://exa',
      'soup.txt': `${HEADER}${'<div>'.repeat(20_000)}<script>alert(1)</script>`,
      'empty.txt': '',
    });
    const archive = await readArchive(seeds);
    expect(archive.fileCount).toBe(6);
    expect(archive.articles.map((a) => a.file.split('/').pop()).sort()).toEqual(['good.txt', 'soup.txt']);
    expect(archive.errors.map((e) => `${e.file.split('/').pop()}:${e.line}: ${e.kind}`)).toEqual([
      'binary.bin:1: binary',
      'empty.txt:1: emptyFile',
      'latin1.txt:2: notUtf8',
      'truncated.txt:2: link',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeSeed, parseSeed, printSeed, type Seed, type SeedResult } from '../../src/build/seed.ts';
import { formatSeedError } from '../../src/build/errors.ts';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const readBytes = (path: string): Uint8Array => readFileSync(root(path));
const readText = (path: string): string => readFileSync(root(path), 'utf8');

const FILE = 'seeds/x.txt';
const STAMP = '<!--1690811102000-->';

/** A seed whose lines 1 and 3 are valid, with the given link line and body. */
const seedText = (link: string, body = '<p>body</p>') => `${STAMP}\n${link}\n------\n\n${body}`;

function parsed(text: string): Seed {
  const result = parseSeed(text, FILE);
  if (!result.ok) throw new Error(`expected the seed to parse, got ${formatSeedError(result.error)}`);
  return result.seed;
}

function refusal(result: SeedResult | ReturnType<typeof decodeSeed>): string {
  if (result.ok) throw new Error('expected a refusal, got a parsed seed');
  return formatSeedError(result.error);
}

const SAMPLE_0_URL =
  'https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20230731-%E9%9F%A9%E5%9B%BD%E5%9B%BD%E9%98%B2%E9%83%A8%E5%9B%9E%E5%BA%94%E6%9C%9D%E4%BF%84%E6%AD%A6%E5%99%A8%E8%B4%B8%E6%98%93%E6%8A%A5%E9%81%93-%E5%BF%85%E9%A1%BB%E7%AB%8B%E5%8D%B3%E5%81%9C%E6%AD%A2%E9%9D%9E%E6%B3%95%E8%B4%B8%E6%98%93';
const SAMPLE_1_URL =
  'https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20230726-%E4%BF%84%E7%BD%97%E6%96%AF%E5%9B%BD%E9%98%B2%E9%83%A8%E9%95%BF%E7%A7%B0%E6%9C%9D%E9%B2%9C%E4%B8%BA-%E9%87%8D%E8%A6%81%E4%BC%99%E4%BC%B4';

describe('parseSeed', () => {
  describe('the real samples', () => {
    it('reads every field of seeds/000_128d1a5b117db0fb.txt', () => {
      const seed = parsed(readText('seeds/000_128d1a5b117db0fb.txt'));
      expect(seed.published, 'line 1 epoch millis').toBe(1690811102000);
      expect(new Date(seed.published).toISOString(), 'published as a date').toBe('2023-07-31T13:45:02.000Z');
      expect(seed.title, 'title').toBe('韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易');
      expect(seed.url, 'url as written').toBe(SAMPLE_0_URL);
      expect(seed.body.startsWith('<div>31/07/2023 - 14:38</div><img src="https://s.rfi.fr/media/display/5c598f8a-'), 'body start').toBe(true);
      expect(seed.body.endsWith('</share-modal></span></div></div>\n'), 'body runs to the end of the file').toBe(true);
      expect(seed.body, 'body holds no header line').not.toContain('------');
    });

    it('reads every field of seeds/001_a510cfd3fc0d4ab3.txt', () => {
      const seed = parsed(readText('seeds/001_a510cfd3fc0d4ab3.txt'));
      expect(seed.published, 'line 1 epoch millis').toBe(1690379102000);
      expect(new Date(seed.published).toISOString(), 'published as a date').toBe('2023-07-26T13:45:02.000Z');
      expect(seed.title, 'title keeps its curly quotes').toBe('俄罗斯国防部长称朝鲜为“重要伙伴”');
      expect(seed.url, 'url as written').toBe(SAMPLE_1_URL);
      expect(seed.body.startsWith('<div>26/07/2023 - 15:39</div><img src="https://s.rfi.fr/media/display/8e23e03e-'), 'body start').toBe(true);
      expect(seed.body.endsWith('</share-modal></span></div></div>\n'), 'body runs to the end of the file').toBe(true);
    });

    it('gives the body byte for byte from line 5 to the end of the file', () => {
      const text = readText('seeds/000_128d1a5b117db0fb.txt');
      const lines = text.split('\n');
      expect(parsed(text).body, 'body = lines 5…').toBe(lines.slice(4).join('\n'));
    });
  });

  describe('accepted variants', () => {
    it('accepts a UTF-8 BOM, CRLF line ends and trailing spaces on lines 1–3 (fixture bom-crlf.txt)', () => {
      const decoded = decodeSeed(readBytes('tests/fixtures/seeds/bom-crlf.txt'), 'bom-crlf.txt');
      expect(decoded.ok, 'decodes as UTF-8').toBe(true);
      if (!decoded.ok) return;
      const seed = parsed(decoded.text);
      expect(seed.published).toBe(1690811102000);
      expect(seed.title, 'title has no BOM and no trailing space').toBe('带 BOM 的标题');
      expect(seed.url, 'url has no trailing space or CR').toBe('https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/bom');
      expect(seed.body, 'body keeps its own CRLF line ends').toBe('<p>第一段</p>\r\n<p>第二段</p>\r\n');
    });

    it('accepts a BOM left in the text by the caller', () => {
      const seed = parsed(`\ufeff${seedText('[BOM](https://example.com/a)')}`);
      expect(seed.published).toBe(1690811102000);
      expect(seed.title).toBe('BOM');
    });

    it('accepts CRLF line ends', () => {
      const seed = parsed(`${STAMP}\r\n[CRLF title](https://example.com/a)\r\n------\r\n\r\n<p>x</p>`);
      expect(seed.title).toBe('CRLF title');
      expect(seed.url).toBe('https://example.com/a');
      expect(seed.body).toBe('<p>x</p>');
    });

    it('accepts trailing spaces and tabs on lines 1–3', () => {
      const seed = parsed(`${STAMP}  \t\n[Spaces](https://example.com/a)   \n------\t \n\n<p>x</p>`);
      expect(seed.published).toBe(1690811102000);
      expect(seed.title).toBe('Spaces');
      expect(seed.url).toBe('https://example.com/a');
      expect(seed.body).toBe('<p>x</p>');
    });

    it('keeps a title that contains brackets', () => {
      expect(parsed(seedText('[[快讯] 标题 [更新]](https://example.com/a)')).title).toBe('[快讯] 标题 [更新]');
    });

    it('keeps a title that contains parentheses', () => {
      expect(parsed(seedText('[美国(华盛顿) 会谈 (图)](https://example.com/a)')).title).toBe('美国(华盛顿) 会谈 (图)');
    });

    it('keeps a title that contains a closing bracket followed by a parenthesis', () => {
      const seed = parsed(seedText('[a](b) c](https://example.com/a)'));
      expect(seed.title).toBe('a](b) c');
      expect(seed.url).toBe('https://example.com/a');
    });

    it('keeps a URL that contains parentheses', () => {
      const seed = parsed(seedText('[Foo (bar)](https://en.wikipedia.org/wiki/Foo_(bar))'));
      expect(seed.title).toBe('Foo (bar)');
      expect(seed.url).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    });

    it('keeps a percent-encoded URL exactly as written', () => {
      const url = 'https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20230731-%e4%b8%ad?q=%20a%2Fb';
      expect(parsed(seedText(`[编码](${url})`)).url).toBe(url);
    });

    it('keeps an unencoded Chinese URL exactly as written', () => {
      const url = 'https://www.rfi.fr/cn/国际/20230731-标题';
      expect(parsed(seedText(`[未编码](${url})`)).url).toBe(url);
    });

    it('accepts an empty body after the blank line', () => {
      expect(parsed(seedText('[Empty](https://example.com/a)', '')).body).toBe('');
    });

    it('accepts an empty body when the file ends right after the dashes', () => {
      expect(parsed(`${STAMP}\n[Empty](https://example.com/a)\n------`).body).toBe('');
      expect(parsed(`${STAMP}\n[Empty](https://example.com/a)\n------\n`).body).toBe('');
    });

    it('accepts a body with no tags', () => {
      expect(parsed(seedText('[Plain](https://example.com/a)', '纯文本正文\n第二行')).body).toBe('纯文本正文\n第二行');
    });

    it('decodes HTML entities in the title', () => {
      const seed = parsed(seedText('[A &amp; B say &quot;no&quot; &#8220;quoted&#8221; &#x4E2D;](https://example.com/a)'));
      expect(seed.title).toBe('A & B say "no" “quoted” 中');
    });

    it('starts the body on line 4 when the blank line is missing', () => {
      const seed = parsed(`${STAMP}\n[No blank](https://example.com/a)\n------\n<p>line 4</p>\n<p>line 5</p>`);
      expect(seed.body).toBe('<p>line 4</p>\n<p>line 5</p>');
    });

    it('removes markdown escapes from brackets in the title', () => {
      const seed = parsed(seedText('[a \\[b\\] c\\](https://example.com/x)](https://example.com/a)'));
      expect(seed.title).toBe('a [b] c](https://example.com/x)');
      expect(seed.url).toBe('https://example.com/a');
    });

    it('keeps an escaped backslash in the title as one backslash', () => {
      expect(parsed(seedText('[C:\\\\dir](https://example.com/a)')).title).toBe('C:\\dir');
    });

    it('collapses whitespace inside the title', () => {
      expect(parsed(seedText('[  two   words\there  ](https://example.com/a)')).title).toBe('two words here');
    });

    it('accepts http as well as https', () => {
      expect(parsed(seedText('[Plain http](http://example.com/a)')).url).toBe('http://example.com/a');
    });

    it('accepts the edges of the time range', () => {
      expect(parsed(`<!--631152000000-->\n[1990](https://example.com/a)\n------\n\nx`).published).toBe(Date.UTC(1990, 0, 1));
      expect(parsed(`<!--4102444799999-->\n[2099](https://example.com/a)\n------\n\nx`).published).toBe(Date.UTC(2100, 0, 1) - 1);
    });

    it('accepts spaces inside the timestamp comment', () => {
      expect(parsed(`<!-- 1690811102000 -->\n[t](https://example.com/a)\n------\n\nx`).published).toBe(1690811102000);
    });
  });

  describe('refusals, word for word', () => {
    it('refuses an empty file', () => {
      expect(refusal(parseSeed('', FILE))).toBe('seeds/x.txt:1: expected <!--epochMillis--> on line 1, found an empty file');
    });

    it('refuses a file of only whitespace as empty', () => {
      expect(refusal(parseSeed('  \n', FILE))).toBe('seeds/x.txt:1: expected <!--epochMillis--> on line 1, found an empty file');
    });

    it('refuses a BOM-only file as empty', () => {
      expect(refusal(parseSeed('\ufeff', FILE))).toBe('seeds/x.txt:1: expected <!--epochMillis--> on line 1, found an empty file');
    });

    it('refuses a bad line 1', () => {
      expect(refusal(parseSeed(`hello\n[a](https://example.com/a)\n------\n\nbody`, FILE))).toBe(
        'seeds/x.txt:1: expected <!--epochMillis--> (e.g. <!--1690811102000-->), found "hello"',
      );
    });

    it('refuses a date string on line 1', () => {
      expect(refusal(parseSeed(`<!--2023-07-31-->\n[a](https://example.com/a)\n------\n\nbody`, FILE))).toBe(
        'seeds/x.txt:1: expected <!--epochMillis--> (e.g. <!--1690811102000-->), found "<!--2023-07-31-->"',
      );
    });

    it('refuses a timestamp in seconds and says so', () => {
      expect(refusal(parseSeed(`<!--1690811102-->\n[a](https://example.com/a)\n------\n\nbody`, FILE))).toBe(
        'seeds/x.txt:1: expected a time in milliseconds between 1990 and 2100, found 1690811102 (seconds instead of milliseconds?)',
      );
    });

    it('refuses a timestamp after 2100 without the seconds hint', () => {
      expect(refusal(parseSeed(`<!--4102444800000-->\n[a](https://example.com/a)\n------\n\nbody`, FILE))).toBe(
        'seeds/x.txt:1: expected a time in milliseconds between 1990 and 2100, found 4102444800000',
      );
    });

    it('refuses a line 2 that is not a markdown link', () => {
      expect(refusal(parseSeed(seedText('韩国防部 https://example.com/a'), FILE))).toBe(
        'seeds/x.txt:2: expected a markdown link [title](url), found "韩国防部 https://example.com/a"',
      );
    });

    it('refuses a link line whose brackets never meet the parenthesis', () => {
      expect(refusal(parseSeed(seedText('[title] (https://example.com/a)'), FILE))).toBe(
        'seeds/x.txt:2: expected a markdown link [title](url), found "[title] (https://example.com/a)"',
      );
    });

    it('shortens a long bad line to 60 characters in the message', () => {
      const line = 'x'.repeat(80);
      expect(refusal(parseSeed(seedText(line), FILE))).toBe(
        `seeds/x.txt:2: expected a markdown link [title](url), found "${'x'.repeat(60)}…"`,
      );
    });

    it('refuses a javascript: URL', () => {
      expect(refusal(parseSeed(seedText('[a](javascript:alert(1))'), FILE))).toBe(
        'seeds/x.txt:2: expected an absolute http(s) URL in [title](url), found "[a](javascript:alert(1))"',
      );
    });

    it('refuses an ftp: URL', () => {
      expect(refusal(parseSeed(seedText('[a](ftp://example.com/a)'), FILE))).toBe(
        'seeds/x.txt:2: expected an absolute http(s) URL in [title](url), found "[a](ftp://example.com/a)"',
      );
    });

    it('refuses a relative URL', () => {
      expect(refusal(parseSeed(seedText('[a](/cn/国际/a)'), FILE))).toBe(
        'seeds/x.txt:2: expected an absolute http(s) URL in [title](url), found "[a](/cn/国际/a)"',
      );
    });

    it('refuses a URL with a space in it', () => {
      expect(refusal(parseSeed(seedText('[a](https://example.com/a b)'), FILE))).toBe(
        'seeds/x.txt:2: expected an absolute http(s) URL in [title](url), found "[a](https://example.com/a b)"',
      );
    });

    it('refuses an empty title', () => {
      expect(refusal(parseSeed(seedText('[](https://example.com/a)'), FILE))).toBe(
        'seeds/x.txt:2: expected a non-empty title in [title](url)',
      );
    });

    it('refuses a title that is only whitespace or entities for whitespace', () => {
      expect(refusal(parseSeed(seedText('[ &nbsp; ](https://example.com/a)'), FILE))).toBe(
        'seeds/x.txt:2: expected a non-empty title in [title](url)',
      );
    });

    it('refuses a missing dashes line', () => {
      expect(refusal(parseSeed(`${STAMP}\n[a](https://example.com/a)\n<p>body</p>`, FILE))).toBe(
        'seeds/x.txt:3: expected a row of dashes (------), found "<p>body</p>"',
      );
    });

    it('refuses a blank line where the dashes belong', () => {
      expect(refusal(parseSeed(`${STAMP}\n[a](https://example.com/a)\n\n<p>body</p>`, FILE))).toBe(
        'seeds/x.txt:3: expected a row of dashes (------), found an empty line',
      );
    });

    it('refuses a file that ends after the link line', () => {
      expect(refusal(parseSeed(`${STAMP}\n[a](https://example.com/a)`, FILE))).toBe(
        'seeds/x.txt:3: expected a row of dashes (------), found an empty line',
      );
    });

    it('refuses a file of only line 1', () => {
      expect(refusal(parseSeed(STAMP, FILE))).toBe('seeds/x.txt:2: expected a markdown link [title](url), found an empty line');
      expect(refusal(parseSeed(`${STAMP}\n`, FILE))).toBe(
        'seeds/x.txt:2: expected a markdown link [title](url), found an empty line',
      );
    });

    it('counts lines after a BOM and CRLF line ends', () => {
      expect(refusal(parseSeed(`\ufeff${STAMP}\r\n[a](https://example.com/a)\r\nbody\r\n`, FILE))).toBe(
        'seeds/x.txt:3: expected a row of dashes (------), found "body"',
      );
    });

    it('names the file as given', () => {
      expect(refusal(parseSeed('', 'archive/2023/07/a.txt'))).toBe(
        'archive/2023/07/a.txt:1: expected <!--epochMillis--> on line 1, found an empty file',
      );
    });
  });

  describe('property: never throws', () => {
    it('never throws on arbitrary unicode strings', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
          const result = parseSeed(text, FILE);
          expect(typeof result.ok).toBe('boolean');
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on arbitrary strings that look like a seed header', () => {
      const line = fc.string({ unit: fc.constantFrom('[', ']', '(', ')', '\\', '-', ' ', '\r', '\n', 'a', '中', '&', ';', ':', '/', 'h', 't', 'p', 's') , maxLength: 40 });
      fc.assert(
        fc.property(line, line, line, (l2, l3, rest) => {
          const result = parseSeed(`${STAMP}\n${l2}\n${l3}\n${rest}`, FILE);
          expect(typeof result.ok).toBe('boolean');
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on arbitrary bytes through decodeSeed then parseSeed, and never returns mojibake', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          const decoded = decodeSeed(bytes, FILE);
          if (!decoded.ok) {
            expect(['binary', 'notUtf8']).toContain(decoded.error.kind);
            return;
          }
          expect(decoded.text, 'no replacement characters').not.toContain('\ufffd');
          const result = parseSeed(decoded.text, FILE);
          expect(typeof result.ok).toBe('boolean');
        }),
        { numRuns: 500 },
      );
    });
  });
});

describe('decodeSeed', () => {
  it('decodes UTF-8 and drops the BOM', () => {
    const decoded = decodeSeed(readBytes('tests/fixtures/seeds/bom-crlf.txt'), 'bom-crlf.txt');
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.text.startsWith(STAMP)).toBe(true);
  });

  it('reports GBK bytes as not UTF-8 on the line they are on', () => {
    const result = decodeSeed(readBytes('tests/fixtures/seeds/gbk.txt'), 'tests/fixtures/seeds/gbk.txt');
    expect(result.ok, 'refused').toBe(false);
    expect('text' in result, 'no text, so no mojibake').toBe(false);
    expect(refusal(result)).toBe(
      'tests/fixtures/seeds/gbk.txt:2: expected UTF-8 text, found an invalid byte sequence at byte 22 (GBK or Big5? convert the file to UTF-8)',
    );
  });

  it('reports Big5 bytes as not UTF-8 on the line they are on', () => {
    const result = decodeSeed(readBytes('tests/fixtures/seeds/big5.txt'), 'tests/fixtures/seeds/big5.txt');
    expect(result.ok, 'refused').toBe(false);
    expect('text' in result, 'no text, so no mojibake').toBe(false);
    expect(refusal(result)).toBe(
      'tests/fixtures/seeds/big5.txt:5: expected UTF-8 text, found an invalid byte sequence at byte 65 (GBK or Big5? convert the file to UTF-8)',
    );
  });

  it('reports NUL bytes as binary on the line they are on', () => {
    const result = decodeSeed(readBytes('tests/fixtures/seeds/binary.bin'), 'tests/fixtures/seeds/binary.bin');
    expect(result.ok, 'refused').toBe(false);
    expect('text' in result, 'no text').toBe(false);
    expect(refusal(result)).toBe('tests/fixtures/seeds/binary.bin:3: expected a text file, found NUL bytes (binary data?)');
  });

  it('reports UTF-16 text as binary', () => {
    const utf16 = new Uint8Array(Buffer.from(`${STAMP}\n`, 'utf16le'));
    expect(refusal(decodeSeed(utf16, FILE))).toBe('seeds/x.txt:1: expected a text file, found NUL bytes (binary data?)');
  });

  it('reports an invalid sequence after valid multi-byte UTF-8 at its own offset', () => {
    // 中 (3 bytes) on line 1, then a lone continuation byte on line 2 at byte 4.
    const bytes = new Uint8Array([0xe4, 0xb8, 0xad, 0x0a, 0x80, 0x0a]);
    expect(refusal(decodeSeed(bytes, FILE))).toBe(
      'seeds/x.txt:2: expected UTF-8 text, found an invalid byte sequence at byte 4 (GBK or Big5? convert the file to UTF-8)',
    );
  });

  it('counts lone CR line ends the way parseSeed does when it reports invalid bytes', () => {
    // parseSeed treats a lone \r as a line end, so GBK bytes after the first \r are on line 2.
    const bytes = new Uint8Array(
      Buffer.concat([Buffer.from(`${STAMP}\r[`), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('](https://example.com/a)\r')]),
    );
    expect(refusal(decodeSeed(bytes, FILE))).toBe(
      'seeds/x.txt:2: expected UTF-8 text, found an invalid byte sequence at byte 22 (GBK or Big5? convert the file to UTF-8)',
    );
  });

  it('refuses overlong encodings and encoded surrogates', () => {
    expect(decodeSeed(new Uint8Array([0x41, 0xc0, 0xaf]), FILE).ok, 'overlong /').toBe(false);
    expect(decodeSeed(new Uint8Array([0x41, 0xed, 0xa0, 0x80]), FILE).ok, 'surrogate').toBe(false);
    expect(decodeSeed(new Uint8Array([0x41, 0xe4, 0xb8]), FILE).ok, 'truncated at the end').toBe(false);
  });
});

describe('printSeed', () => {
  it('writes the canonical layout', () => {
    expect(printSeed({ published: 1690811102000, title: 'A [b] & c', url: 'https://example.com/a', body: '<p>x</p>' })).toBe(
      '<!--1690811102000-->\n[A \\[b\\] &amp; c](https://example.com/a)\n------\n\n<p>x</p>',
    );
  });

  it('round-trips both samples', () => {
    for (const file of ['seeds/000_128d1a5b117db0fb.txt', 'seeds/001_a510cfd3fc0d4ab3.txt']) {
      const seed = parsed(readText(file));
      expect(parsed(printSeed(seed)), file).toEqual(seed);
    }
  });

  it('round-trips through parseSeed for any valid seed (property)', () => {
    const titleChar = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('[', ']', '(', ')', '\\', '&', ';', '#', '<', '>', '"', "'", '`', '*', '_', ' ', '](', '\\]', '&amp;', '&#8220;', '&quot;', '-', '!') },
      { weight: 3, arbitrary: fc.constantFrom('中', '文', '國', '际', '“', '”', '：', '（', '）', '《', '》', '。', '，') },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
    );
    // Already trimmed and collapsed, no line breaks, non-empty: what parseSeed gives back.
    const title = fc
      .array(titleChar, { minLength: 1, maxLength: 20 })
      .map((parts) => parts.join(''))
      .filter((t) => !/[\r\n]/.test(t) && t === t.replace(/\s+/g, ' ').trim() && t !== '');
    const segment = fc.constantFrom('cn', '国际', '%E5%9B%BD%E9%99%85', 'Foo_(bar)', '(x)', 'a%20b', '20230731-abc', 'wiki', 'a]b', 'a](b', 'x(y)z');
    const url = fc
      .record({
        scheme: fc.constantFrom('https://', 'http://'),
        host: fc.constantFrom('www.rfi.fr', 'example.com', 'en.wikipedia.org', 'news.example.co.uk:8443'),
        path: fc.array(segment, { maxLength: 4 }),
        query: fc.constantFrom('', '?a=1', '?q=%E4%B8%AD&b=(2)', '?utm_source=x'),
        hash: fc.constantFrom('', '#top', '#(1)'),
      })
      .map(({ scheme, host, path, query, hash }) => `${scheme}${host}/${path.join('/')}${query}${hash}`);
    const seed = fc.record({
      published: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) - 1 }),
      title,
      url,
      body: fc.string({ unit: 'grapheme', maxLength: 200 }),
    });
    fc.assert(
      fc.property(seed, (s) => {
        const result = parseSeed(printSeed(s), FILE);
        expect(result.ok ? result.seed : formatSeedError(result.error)).toEqual(s);
      }),
      { numRuns: 1000 },
    );
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  articleId,
  canonicalKey,
  ID_LENGTH,
  languageOf,
  outletOf,
  readingMinutes,
  sectionOf,
  textStats,
  textStatsWithLead,
  addStats,
} from '../../src/build/meta.ts';

const SAMPLE_URL =
  'https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20230731-%E9%9F%A9%E5%9B%BD%E5%9B%BD%E9%98%B2%E9%83%A8%E5%9B%9E%E5%BA%94%E6%9C%9D%E4%BF%84%E6%AD%A6%E5%99%A8%E8%B4%B8%E6%98%93%E6%8A%A5%E9%81%93-%E5%BF%85%E9%A1%BB%E7%AB%8B%E5%8D%B3%E5%81%9C%E6%AD%A2%E9%9D%9E%E6%B3%95%E8%B4%B8%E6%98%93';
const SAMPLE_URL_UNENCODED = 'https://www.rfi.fr/cn/国际/20230731-韩国国防部回应朝俄武器贸易报道-必须立即停止非法贸易';

describe('articleId', () => {
  it('is stable: the same URL gives the same id every time', () => {
    const id = articleId(SAMPLE_URL);
    expect(articleId(SAMPLE_URL)).toBe(id);
    // Pinned so a change to the hash or alphabet, which would break every deep link, shows up here.
    expect(id).toBe('6e5fxxdn32eb');
  });

  it('is 12 characters of [0-9a-z]', () => {
    for (const url of [SAMPLE_URL, 'https://example.com/', 'https://example.com/a?b=c', 'http://x.example/中文']) {
      const id = articleId(url);
      expect(ID_LENGTH).toBe(12);
      expect(id, url).toMatch(/^[0-9a-z]{12}$/);
    }
  });

  it('is the same for the encoded and the unencoded Chinese URL', () => {
    expect(SAMPLE_URL_UNENCODED).toBe(decodeURI(SAMPLE_URL));
    expect(articleId(SAMPLE_URL_UNENCODED)).toBe(articleId(SAMPLE_URL));
  });

  it('is the same for lower-case percent escapes', () => {
    expect(articleId(SAMPLE_URL.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()))).toBe(articleId(SAMPLE_URL));
  });

  it('is the same with and without www.', () => {
    expect(articleId(SAMPLE_URL.replace('://www.', '://'))).toBe(articleId(SAMPLE_URL));
  });

  it('is the same over http and https and for an upper-case host', () => {
    expect(articleId(SAMPLE_URL.replace('https://', 'http://'))).toBe(articleId(SAMPLE_URL));
    expect(articleId(SAMPLE_URL.replace('www.rfi.fr', 'WWW.RFI.FR'))).toBe(articleId(SAMPLE_URL));
  });

  it('ignores utm and other tracking parameters', () => {
    const id = articleId(SAMPLE_URL);
    expect(articleId(`${SAMPLE_URL}?utm_source=twitter&utm_medium=social`)).toBe(id);
    expect(articleId(`${SAMPLE_URL}?fbclid=abc&xtor=RSS-1`)).toBe(id);
  });

  it('ignores the #fragment', () => {
    expect(articleId(`${SAMPLE_URL}#comments`)).toBe(articleId(SAMPLE_URL));
    expect(articleId(`${SAMPLE_URL}?utm_campaign=x#top`)).toBe(articleId(SAMPLE_URL));
  });

  it('keeps query parameters that are not tracking', () => {
    expect(articleId('https://example.com/a?id=1')).not.toBe(articleId('https://example.com/a?id=2'));
    expect(articleId('https://example.com/a?id=1&utm_source=x')).toBe(articleId('https://example.com/a?id=1'));
  });

  it('differs for different paths', () => {
    const id = articleId(SAMPLE_URL);
    expect(articleId('https://www.rfi.fr/cn/国际/20230726-俄罗斯国防部长称朝鲜为-重要伙伴')).not.toBe(id);
    expect(articleId('https://www.rfi.fr/cn/国际/other')).not.toBe(id);
    expect(articleId('https://example.com/a')).not.toBe(articleId('https://example.com/b'));
  });

  it('differs for different hosts with the same path', () => {
    expect(articleId('https://a.example/x')).not.toBe(articleId('https://b.example/x'));
  });
});

describe('canonicalKey', () => {
  it('drops scheme, www., fragment and tracking parameters', () => {
    expect(canonicalKey('https://www.Example.com/a/%e4%b8%ad?utm_source=x&q=1#f')).toBe('example.com/a/%E4%B8%AD?q=1');
  });
});

describe('outletOf', () => {
  it('names RFI', () => {
    expect(outletOf(SAMPLE_URL)).toEqual({ id: 'rfi.fr', name: 'RFI 法广' });
    expect(outletOf('https://www.rfi.fr/cn/').name).toBe('RFI 法广');
  });

  it('matches a known outlet on a subdomain', () => {
    expect(outletOf('https://cn.nytimes.com/world/x/').name).toBe('纽约时报中文网');
  });

  it('falls back to the host without www. for an unknown outlet', () => {
    expect(outletOf('https://www.example.com/a')).toEqual({ id: 'example.com', name: 'example.com' });
    expect(outletOf('https://news.example.org/a')).toEqual({ id: 'news.example.org', name: 'news.example.org' });
  });
});

describe('sectionOf', () => {
  it('reads the section of the sample URL', () => {
    expect(sectionOf(SAMPLE_URL)).toBe('国际');
    expect(sectionOf(SAMPLE_URL_UNENCODED)).toBe('国际');
  });

  it('is null for a path segment named after an Object.prototype property', () => {
    expect(sectionOf('https://www.rfi.fr/cn/constructor/20230731-abc')).toBeNull();
    expect(sectionOf('https://www.bbc.com/zhongwen/simp/valueof-66343218')).toBeNull();
  });

  it('is null for a URL with no section', () => {
    expect(sectionOf('https://www.rfi.fr/cn/20230731-abc')).toBeNull();
    expect(sectionOf('https://example.com/abc')).toBeNull();
    expect(sectionOf('https://example.com/')).toBeNull();
    expect(sectionOf('https://example.com/news/2023/123.html')).toBeNull();
  });

  it('skips a malformed percent escape instead of throwing', () => {
    expect(sectionOf('https://example.com/%E5%9B/world/a')).toBe('国际');
  });

  it('reads the section from a BBC-style slug', () => {
    expect(sectionOf('https://www.bbc.com/zhongwen/simp/world-66343218')).toBe('国际');
    expect(sectionOf('https://www.bbc.com/zhongwen/trad/chinese-news-66343218')).toBe('中国');
  });

  it('does not take an article slug or id for a section', () => {
    expect(sectionOf('https://www.dw.com/zh/德国总理访华/a-66351234')).toBeNull();
    expect(sectionOf('https://www.voachinese.com/a/some-story-7218361.html')).toBeNull();
  });
});

describe('languageOf', () => {
  const simplified = '这是一个关于国家经济发展的新闻报道。国务院总理说，经济会继续增长。';
  const traditional = '這是一個關於國家經濟發展的新聞報道。國務院總理說，經濟會繼續增長。';

  it('says zh-Hans for simplified text', () => {
    expect(languageOf(textStats(simplified))).toBe('zh-Hans');
  });

  it('says zh-Hant for traditional text', () => {
    expect(languageOf(textStats(traditional))).toBe('zh-Hant');
  });

  it('says und for English', () => {
    expect(languageOf(textStats('The quick brown fox jumps over the lazy dog.'))).toBe('und');
  });

  it('says und for empty text', () => {
    expect(languageOf(textStats(''))).toBe('und');
  });
});

describe('readingMinutes', () => {
  it('is 1 for 400 Han characters', () => {
    expect(readingMinutes(textStats('字'.repeat(400)))).toBe(1);
  });

  it('is 10 for 4000 Han characters', () => {
    expect(readingMinutes(textStats('字'.repeat(4000)))).toBe(10);
  });

  it('is at least 1 for empty text', () => {
    expect(readingMinutes(textStats(''))).toBe(1);
  });

  it('counts Latin words at 200 a minute', () => {
    expect(readingMinutes(textStats('word '.repeat(2000)))).toBe(10);
  });
});

describe('textStats', () => {
  it('counts visible characters, Han characters and Latin words', () => {
    expect(textStats('中文 text, two-words 國\n')).toEqual({ length: 17, han: 3, latinWords: 2, simplified: 0, traditional: 1 });
  });

  it('completes on a 1,000,000-character string', () => {
    const text = '国際 word '.repeat(125_000);
    expect(text.length).toBe(1_000_000);
    const stats = textStats(text);
    expect(stats.han).toBe(250_000);
    expect(stats.latinWords).toBe(125_000);
    expect(stats.length).toBe(750_000);
  });

  it('completes on 1,000,000 characters of a single repeated run', () => {
    expect(textStats("a'".repeat(500_000)).latinWords).toBe(1);
    expect(textStats(' \n'.repeat(500_000)).length).toBe(0);
  });
});

describe('textStatsWithLead', () => {
  // Han (simplified, traditional, supplementary), Latin words, apostrophes, spaces and lone surrogates.
  const unit = fc.constantFrom('国', '國', '字', '𠀀', 'a', 'Z', '7', "'", '-', ' ', '\n', '\u3000', '\ud840', '\udc00', '。');
  const text = fc.array(unit, { maxLength: 40 }).map((units) => units.join(''));

  it('gives the lead the stats of the text cut there, a surrogate pair cut in two included', () => {
    fc.assert(
      fc.property(text, fc.nat(45), (t, lead) => {
        const { all, lead: leadStats } = textStatsWithLead(t, lead);
        expect(all).toEqual(textStats(t));
        expect(leadStats).toEqual(textStats(t.slice(0, lead)));
      }),
      { numRuns: 2000 },
    );
  });

  it("adds two texts' stats up to the stats of the two joined by a line break", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(addStats(textStats(a), textStats(b))).toEqual(textStats(`${a}\n${b}`));
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { RelatedIndex, computeRelated, countTerms, type RelatedDoc } from '../../src/build/related.ts';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { LiveRelated } from '../../src/build/live-related.ts';
import { buildArticle, type BuiltArticle } from '../../src/build/article.ts';
import { seedText } from '../helpers/bundle.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 4, 1);

function doc(id: string, title: string, text: string, published = T0, source?: string): RelatedDoc {
  return { id, title, text, published, source };
}

const QUAKE_1 = doc(
  'quake1',
  '花莲发生七点二级强烈地震',
  '台湾东部花莲县周三清晨发生七点二级强烈地震，太鲁阁国家公园多处山体滑坡，救援人员正在搜救受困游客。\n中央气象局表示，花莲地震是二十五年来最强的一次，余震仍在持续。',
);
const QUAKE_2 = doc(
  'quake2',
  '花莲地震死亡人数上升 太鲁阁游客获救',
  '花莲强烈地震发生后第二天，救援队在太鲁阁国家公园救出数十名受困游客。\n气象部门警告，未来几天花莲仍可能发生强烈余震，居民应远离山区。',
  T0 + DAY,
);
const BUDGET = doc(
  'budget',
  '欧盟通过新年度预算案',
  '欧洲议会在布鲁塞尔投票通过了明年的欧盟预算，重点投入绿色能源和农业补贴。\n多个成员国对预算分配表示不满，认为东欧国家获得的资金过多。',
  T0 + 2 * DAY,
);
const CHIPS = doc(
  'chips',
  '美国扩大对华芯片出口管制',
  '美国商务部宣布扩大对中国的先进半导体出口限制，涉及人工智能芯片和制造设备。\n北京外交部回应称，这种做法违反市场规律，中方将采取必要措施。',
  T0 + 3 * DAY,
);

describe('computeRelated', () => {
  it('pairs two reports of one event and leaves unrelated stories out', () => {
    const results = computeRelated([QUAKE_1, BUDGET, QUAKE_2, CHIPS]);
    expect(results.get('quake1')!.related.map((m) => m.id)).toEqual(['quake2']);
    expect(results.get('quake2')!.related.map((m) => m.id)).toEqual(['quake1']);
    expect(results.get('budget')!.related).toEqual([]);
    expect(results.get('chips')!.related).toEqual([]);
  });

  it('explains a match with the key terms both articles share, joined back into words', () => {
    const match = computeRelated([QUAKE_1, QUAKE_2]).get('quake1')!.related[0]!;
    expect(match.terms.length).toBeGreaterThanOrEqual(2);
    expect(match.terms.some((t) => t.includes('花莲'))).toBe(true);
    expect(match.terms.some((t) => t.includes('太鲁阁'))).toBe(true);
    expect(match.score).toBeGreaterThan(0);
    expect(match.score).toBeLessThanOrEqual(1);
  });

  it('lists a republished copy as another version, not as related', () => {
    const copy = doc('copy', `${QUAKE_1.title}（转载）`, QUAKE_1.text.replace('周三清晨', '周三早上'), T0 + DAY / 2);
    const result = computeRelated([QUAKE_1, QUAKE_2, copy, BUDGET]).get('quake1')!;
    expect(result.versions.map((m) => m.id)).toEqual(['copy']);
    expect(result.related.map((m) => m.id)).toEqual(['quake2']);
  });

  it('does not relate articles that share only the outlet name, credits and dates', () => {
    const boiler = '\n法广 RFI 2024年5月1日 图片来源：路透社 记者 编辑';
    const a = doc('a', '欧盟通过新年度预算案', BUDGET.text + boiler, T0, 'RFI 法广');
    const b = doc('b', '美国扩大对华芯片出口管制', CHIPS.text + boiler, T0, 'RFI 法广');
    const results = computeRelated([a, b]);
    expect(results.get('a')!.related).toEqual([]);
    const counts = countTerms(a);
    const terms = new Set([...Array.from(counts.bigrams, (k) => String.fromCharCode(k >>> 16, k & 0xffff)), ...counts.words]);
    expect(terms.has('预算'), 'a real term').toBe(true);
    expect(terms.has('法广'), 'the outlet name').toBe(false);
    expect(terms.has('2024'), 'a year').toBe(false);
  });

  it('handles a very long article and one with no text', () => {
    const long = doc('long', '花莲地震特别报道', `${QUAKE_1.text}\n${'花莲余震持续，太鲁阁步道关闭。'.repeat(70_000)}`);
    const empty = doc('empty', '', '');
    const results = computeRelated([long, QUAKE_2, empty, BUDGET]);
    expect(results.get('long')!.related.map((m) => m.id)).toContain('quake2');
    expect(results.get('empty')).toEqual({ related: [], versions: [] });
  });

  it('prefers the nearer date between two equally close matches', () => {
    const early = { ...QUAKE_2, id: 'early', published: T0 - 30 * DAY };
    const late = { ...QUAKE_2, id: 'late', published: T0 + DAY };
    const related = computeRelated([QUAKE_1, early, late], { limit: 5 }).get('quake1')!;
    const ids = [...related.versions, ...related.related].map((m) => m.id);
    expect(ids.indexOf('late')).toBeLessThan(ids.indexOf('early'));
  });

  it('gives the same answer whatever order the articles come in', () => {
    const docs = [QUAKE_1, BUDGET, QUAKE_2, CHIPS];
    const forward = computeRelated(docs);
    const backward = computeRelated([...docs].reverse());
    for (const d of docs) expect(backward.get(d.id)).toEqual(forward.get(d.id));
  });

  it('returns at most five related articles', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...QUAKE_2, id: `q${i}`, text: `${QUAKE_2.text}\n第${i}次更新：${'花莲'.repeat(i + 1)}` }));
    const result = computeRelated([QUAKE_1, ...many]).get('quake1')!;
    expect(result.related.length + result.versions.length).toBeGreaterThan(0);
    expect(result.related.length).toBeLessThanOrEqual(5);
    expect(result.versions.length).toBeLessThanOrEqual(5);
  });
});

describe('RelatedIndex', () => {
  it('updates one article without rebuilding: a new report of the event finds, and is found by, the others', () => {
    const index = RelatedIndex.build([QUAKE_1, BUDGET, CHIPS]);
    expect(index.query('quake1').related).toEqual([]);
    index.set(QUAKE_2);
    expect(index.query('quake1').related.map((m) => m.id)).toEqual(['quake2']);
    index.remove('quake2');
    expect(index.query('quake1').related).toEqual([]);
    expect(index.size).toBe(3);
  });
});

describe('LiveRelated', () => {
  const built = (id: string, title: string, body: string, published: number): BuiltArticle => {
    const r = buildArticle(new TextEncoder().encode(seedText({ url: `https://example.com/${id}`, title, body, published })), `${id}.txt`);
    if (!r.ok) throw new Error(r.error.message);
    return r.built;
  };
  const quake1 = built('q1', QUAKE_1.title, `<p>${QUAKE_1.text}</p>`, T0);
  const budget = built('b', BUDGET.title, `<p>${BUDGET.text}</p>`, T0);
  const chips = built('c', CHIPS.title, `<p>${CHIPS.text}</p>`, T0);

  it('searches again only the changed article and its neighbours', () => {
    const live = new LiveRelated();
    const filler = Array.from({ length: 30 }, (_, i) => built(`f${i}`, `无关报道${i}`, `<p>${'经济'.repeat(i + 1)}${BUDGET.text}</p>`, T0));
    expect(live.update([quake1, budget, chips, ...filler])).toBe(33);
    const quake2 = built('q2', QUAKE_2.title, `<p>${QUAKE_2.text}</p>`, T0 + DAY);
    const searched = live.update([quake1, budget, chips, ...filler, quake2]);
    expect(searched).toBeLessThan(10);
    expect(live.resultOf(quake2.article.id)!.related.map((m) => m.id)).toEqual([quake1.article.id]);
    expect(live.resultOf(quake1.article.id)!.related.map((m) => m.id)).toEqual([quake2.article.id]);
    live.update([quake1, budget, chips, ...filler]);
    expect(live.resultOf(quake1.article.id)!.related).toEqual([]);
  });
});

describe('terms counted in the worker that read the article', () => {
  it('give the same related articles, scores and terms as counting in the index', () => {
    const docs: RelatedDoc[] = [];
    for (let i = 0; i < 300; i++) {
      const built = buildArticle(new TextEncoder().encode(synthSeed(i, 3).text), `s${i}`);
      if (!built.ok) throw new Error(built.error.kind);
      const { article, text } = built.built;
      docs.push({ id: article.id, title: article.title, text, published: article.published, source: article.source });
    }
    const counted = docs.map((d) => ({ ...d, counts: countTerms(d) }));
    const expected = computeRelated(docs);
    expect([...expected.values()].filter((r) => r.related.length > 0).length, 'articles with related ones').toBeGreaterThan(250);
    expect(computeRelated(counted)).toEqual(expected);
  });
  it('agree for articles with more distinct terms than the counter first makes room for', () => {
    // A long title and 4,000 characters, mostly Han characters that seldom repeat: over 4,096 distinct
    // bigrams. Two phrases, repeated, make the long article and another one related.
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const han = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x4e00 + Math.floor(random() * 20000))).join('');
    const [first, second] = [han(12), han(12)];
    const paragraphs = (n: number) => Array.from({ length: n }, () => `${first}${han(80)}${second}${han(80)}`).join('');
    const docs: RelatedDoc[] = [
      { id: 'long', title: han(600), text: `法广${paragraphs(22)}`, published: 1, source: 'RFI 法广' },
      { id: 'near', title: han(20), text: paragraphs(5), published: 2, source: 'RFI 法广' },
      ...Array.from({ length: 40 }, (_, i) => ({ id: `other${i}`, title: han(20), text: han(1500), published: 3 + i })),
    ];
    expect(countTerms(docs[0]!).bigrams.length, 'distinct bigrams of the long article').toBeGreaterThan(4096);
    const expected = computeRelated(docs);
    expect(expected.get('long')!.related.map((r) => r.id), 'related to the long article').toEqual(['near']);
    expect(computeRelated(docs.map((d) => ({ ...d, counts: countTerms(d) })))).toEqual(expected);
  });
});

/** What an article's URL and text say about it: id, outlet, section, language, reading time. */
import { createHash } from 'node:crypto';

const TRACKING_PARAM = /^(utm_[a-z]+|fbclid|gclid|xtor|at_[a-z_]+|ref|cmpid)$/i;

/**
 * The key two URLs share when they name the same article: scheme and `www.`
 * dropped, host lower-cased, fragment and tracking parameters removed, percent
 * escapes in one case. Unencoded and encoded Chinese paths give the same key.
 */
export function canonicalKey(url: string): string {
  const u = new URL(url);
  const params = [...u.searchParams].filter(([name]) => !TRACKING_PARAM.test(name));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  const host = u.hostname.replace(/^www\./, '');
  const port = u.port ? `:${u.port}` : '';
  const path = u.pathname.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
  return `${host}${port}${path}${query}`;
}

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case
export const ID_LENGTH = 12;

/** Stable 12-character id (60 bits of SHA-256 over the canonical key). */
export function articleId(url: string): string {
  const digest = createHash('sha256').update(canonicalKey(url)).digest();
  let id = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; id.length < ID_LENGTH; i++) {
    value = (value << 8) | digest[i]!;
    bits += 8;
    while (bits >= 5 && id.length < ID_LENGTH) {
      bits -= 5;
      id += ID_ALPHABET[(value >> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return id;
}

/** Known outlets by registrable host. Unknown hosts fall back to the host itself. A Map: hosts are the seeds' own text. */
const OUTLETS = new Map<string, string>(Object.entries({
  'rfi.fr': 'RFI 法广',
  'bbc.com': 'BBC 中文',
  'bbc.co.uk': 'BBC 中文',
  'nytimes.com': '纽约时报中文网',
  'voachinese.com': '美国之音',
  'rfa.org': '自由亚洲电台',
  'dw.com': '德国之声',
  'theinitium.com': '端传媒',
  'zaobao.com': '联合早报',
  'zaobao.com.sg': '联合早报',
  'cna.com.tw': '中央社',
  'rthk.hk': '香港电台',
  'thestandnews.com': '立场新闻',
  'chinadigitaltimes.net': '中国数字时代',
  'ftchinese.com': 'FT中文网',
  'wsj.com': '华尔街日报中文网',
  'cn.wsj.com': '华尔街日报中文网',
  'abc.net.au': 'ABC 中文',
  'sbs.com.au': 'SBS 中文',
}));

export interface Outlet {
  id: string;
  name: string;
}

export function outletOf(url: string): Outlet {
  const host = new URL(url).hostname.replace(/^www\./, '');
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const candidate = labels.slice(i).join('.');
    const name = OUTLETS.get(candidate);
    if (name) return { id: candidate, name };
  }
  return { id: host, name: host };
}

/**
 * Section names that outlets put in their URL paths, as a reader would say them.
 * Only known names count: a path segment may as well be a slug or an id, and
 * guessing would fill the filter with nonsense. A Map, as OUTLETS: a segment named `constructor` found
 * Object.prototype's function in an object (and the seed was refused as crashed).
 */
const SECTIONS = new Map<string, string>(Object.entries({
  国际: '国际', 中国: '中国', 台湾: '台湾', 香港: '香港', 港澳: '港澳', 澳门: '澳门', 亚洲: '亚洲', 亚太: '亚太',
  欧洲: '欧洲', 美洲: '美洲', 非洲: '非洲', 中东: '中东', 乌克兰: '乌克兰', 法国: '法国', 美国: '美国',
  财经: '财经', 经济: '经济', 科技: '科技', 文化: '文化', 体育: '体育', 社会: '社会', 评论: '评论', 政治: '政治',
  人权: '人权', 环境: '环境', 健康: '健康', 专题: '专题', 观点: '观点', 国內: '国内', 国内: '国内', 國際: '國際',
  world: '国际', international: '国际', china: '中国', 'chinese-news': '中国', taiwan: '台湾', hongkong: '香港',
  'hong-kong': '香港', asia: '亚洲', europe: '欧洲', americas: '美洲', africa: '非洲', 'middle-east': '中东',
  business: '财经', economy: '经济', finance: '财经', science: '科技', technology: '科技', tech: '科技',
  culture: '文化', sport: '体育', sports: '体育', opinion: '观点', politics: '政治', health: '健康',
  environment: '环境', uk: '英国', us: '美国', ukraine: '乌克兰',
}));

/**
 * The section the URL path names: RFI's `/cn/国际/20230731-…` → `国际`, BBC's
 * `/zhongwen/simp/world-66343218` → `国际`; null when the path names none.
 */
export function sectionOf(url: string): string | null {
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  const slug = segments.pop() ?? '';
  // BBC-style slugs start with the section: `world-66343218`.
  const slugPrefix = /^([a-z-]+?)-\d+$/i.exec(slug)?.[1];
  for (const raw of slugPrefix ? [...segments, slugPrefix] : segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      continue;
    }
    const section = SECTIONS.get(segment.toLowerCase());
    if (section) return section;
  }
  return null;
}

// Characters whose simplified and traditional forms differ and that are common in news text.
const SIMPLIFIED = new Set([...'国这说为对时会来发们经过还与东长门问间关见认让话请进开学点当业产实现动'].map((c) => c.charCodeAt(0)));
const TRADITIONAL = new Set([...'國這說為對時會來發們經過還與東長門問間關見認讓話請進開學點當業產實現動'].map((c) => c.charCodeAt(0)));

export interface TextStats {
  /** Visible characters (code points), whitespace excluded. */
  length: number;
  han: number;
  latinWords: number;
  simplified: number;
  traditional: number;
}

/** Unicode's Han script, as \p{Script=Han} has it, by code point range. */
function isHan(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x3134f) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2e80 && cp <= 0x2fdf) || cp === 0x3005 || cp === 0x3007 ||
    (cp >= 0x3021 && cp <= 0x3029) || (cp >= 0x3038 && cp <= 0x303b)
  );
}

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029;
}

/** Character classes of the Basic Multilingual Plane, looked up once per character by textStats. */
const SPACE = 1;
const WORD = 2;
const HAN = 4;
const SIMPLIFIED_HAN = 8;
const TRADITIONAL_HAN = 16;
const BMP_CLASSES = (() => {
  const classes = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) classes[c] = (isSpace(c) ? SPACE : 0) | (isWordChar(c) ? WORD : 0) | (isHan(c) ? HAN : 0);
  for (const c of SIMPLIFIED) classes[c]! |= SIMPLIFIED_HAN;
  for (const c of TRADITIONAL) classes[c]! |= TRADITIONAL_HAN;
  return classes;
})();

/** Counts what reading time and language need, in one pass: linear in the text's length. */
export function textStats(text: string): TextStats {
  return textStatsWithLead(text, text.length).all;
}

/**
 * The text's stats and its first `lead` UTF-16 units' (what textStats(text.slice(0, lead)) gives), in the same
 * one pass: the article's language is told from its lead, its reading time from all of it.
 */
export function textStatsWithLead(text: string, lead: number): { all: TextStats; lead: TextStats } {
  let length = 0;
  let han = 0;
  let latinWords = 0;
  let simplified = 0;
  let traditional = 0;
  let inWord = false;
  let leadStats: TextStats | undefined;
  for (let i = 0; i < text.length; i++) {
    if (i === lead) leadStats = { length, han, latinWords, simplified, traditional };
    let cp = text.charCodeAt(i);
    let cls: number;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A pair the lead cuts in two (so i never equals lead): in the sliced text its first half is a character of no class.
      if (i + 1 === lead) leadStats = { length: length + 1, han, latinWords, simplified, traditional };
      cp = (cp - 0xd800) * 0x400 + (text.charCodeAt(i + 1) - 0xdc00) + 0x10000;
      i++;
      cls = isHan(cp) ? HAN : 0;
    } else cls = BMP_CLASSES[cp]!;
    if (cls & SPACE) {
      inWord = false;
      continue;
    }
    length++;
    if (cls & WORD) {
      if (!inWord) latinWords++;
      inWord = true;
      continue;
    }
    // Apostrophes and hyphens continue a word (don't, COVID-19) without starting one.
    if (!(inWord && (cp === 0x27 || cp === 0x2019 || cp === 0x2d))) inWord = false;
    if (cls & HAN) {
      han++;
      if (cls & SIMPLIFIED_HAN) simplified++;
      else if (cls & TRADITIONAL_HAN) traditional++;
    }
  }
  const all = { length, han, latinWords, simplified, traditional };
  return { all, lead: leadStats ?? all };
}

/** The sum of two texts' stats: the stats of the two joined by white space. */
export function addStats(a: TextStats, b: TextStats): TextStats {
  return { length: a.length + b.length, han: a.han + b.han, latinWords: a.latinWords + b.latinWords, simplified: a.simplified + b.simplified, traditional: a.traditional + b.traditional };
}

/** Chinese readers take in about 400 characters a minute; Latin text about 200 words. */
export function readingMinutes(stats: TextStats): number {
  return Math.max(1, Math.round(stats.han / 400 + stats.latinWords / 200));
}

/** `zh-Hans`, `zh-Hant` or `zh` for Chinese text, `und` (undetermined) otherwise. */
export function languageOf(stats: TextStats): string {
  if (stats.han === 0 || stats.han < stats.latinWords) return 'und';
  if (stats.simplified > stats.traditional * 2) return 'zh-Hans';
  if (stats.traditional > stats.simplified * 2) return 'zh-Hant';
  return 'zh';
}

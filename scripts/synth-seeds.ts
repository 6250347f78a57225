/**
 * `npm run seeds:synth -- --count N --out DIR [--seed S]`
 *
 * Writes N realistic seed files, the same bytes for the same arguments: RFI-like
 * HTML noise (nested spans, date lines, share bars, newsletter slots, images),
 * Chinese text drawn from a Zipf-distributed vocabulary around recurring
 * stories, several outlets and sections, dates over six years.
 *
 * Articles come in events of EVENT_SIZE consecutive indexes: reports of one
 * event share its story, its people and places (names made up per event) and
 * fall within ten days. Every REPUBLISH_EVERY-th article is the previous one
 * republished elsewhere with small edits, as outlets do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSeed } from '../src/build/seed.ts';

const COMMON = `的 在 了 和 是 对 表示 进行 国家 政府 发展 合作 问题 报道 人 也 将 与 中 已经 一个 没有 可能 认为 他们 我们 今天 周一 周二 周三 周四 周五 此前 同时 目前 相关 方面 继续 要求 指出 强调 据 称 记者 消息 官员 发言人 会议 声明 安全 经济 社会 国际 地区 关系 问题 情况 重要 支持 反对 决定 计划 宣布 举行 访问 会谈 领导人 部长 总统 总理 外交部 国防部 议会 选举 法律 法院 警方 抗议 人权 媒体 公司 市场 投资 贸易 出口 增长 下降 百分之 亿 万 美元 人民币 欧元 去年 今年 明年 上月 本周 记者会 新闻稿 调查 事件 影响 危机 风险 措施 政策 改革 制度 自由 民主 战争 和平 军队 军事 冲突 谈判 协议 制裁 援助 难民 移民 疫情 病毒 疫苗 医院 学生 大学 教育 科技 网络 数据 平台 互联网 审查 言论 环境 气候 能源 石油 天然气 电力 交通 城市 农村 工人 家庭 儿童 妇女 老人 历史 文化 宗教 民族 边境 海上 空中 导弹 核 武器 弹药 士兵 伤亡 死亡 受伤 救援 地震 洪水 火灾 台风`.split(/\s+/);

const STORIES = [
  { section: '国际', words: '朝鲜 俄罗斯 绍伊古 金正恩 平壤 莫斯科 武器 弹药 军事合作 联合国安理会 制裁决议 韩国国防部'.split(' ') },
  { section: '中国', words: '北京 上海 国务院 习近平 李强 经济增长 房地产 地方债 青年失业率 消费 出口管制'.split(' ') },
  { section: '台湾', words: '台北 赖清德 立法院 国民党 民进党 两岸关系 台湾海峡 解放军 军演 总统大选'.split(' ') },
  { section: '香港', words: '香港 国安法 立法会 李家超 黎智英 苹果日报 民主派 法院审讯 移民潮'.split(' ') },
  { section: '欧洲', words: '欧盟 布鲁塞尔 马克龙 法国 德国 柏林 巴黎 冯德莱恩 电动汽车 反补贴调查'.split(' ') },
  { section: '美洲', words: '美国 华盛顿 白宫 拜登 特朗普 国会 关税 芯片 出口限制 国务卿 布林肯'.split(' ') },
  { section: '乌克兰', words: '乌克兰 基辅 泽连斯基 普京 前线 无人机 反攻 顿巴斯 扎波罗热 北约 援助'.split(' ') },
  { section: '中东', words: '以色列 加沙 哈马斯 伊朗 德黑兰 停火 人质 红海 胡塞武装 黎巴嫩'.split(' ') },
  { section: '科技', words: '人工智能 华为 芯片 半导体 台积电 字节跳动 TikTok 数据安全 算法 卫星'.split(' ') },
  { section: '人权', words: '新疆 维吾尔 西藏 达赖喇嘛 人权观察 劳改营 宗教自由 联合国人权理事会 律师'.split(' ') },
];

const OUTLETS = [
  { host: 'www.rfi.fr', path: (s: string, slug: string, d: Date) => `/cn/${encodeURIComponent(s)}/${ymd(d)}-${slug}` },
  { host: 'www.bbc.com', path: (_s: string, slug: string) => `/zhongwen/simp/world-${slug}` },
  { host: 'www.voachinese.com', path: (_s: string, slug: string) => `/a/${slug}.html` },
  { host: 'www.dw.com', path: (_s: string, slug: string) => `/zh/${slug}/a-${slug.length * 7919}` },
  { host: 'www.rfa.org', path: (s: string, slug: string) => `/mandarin/${encodeURIComponent(s)}/${slug}.html` },
];

/** Characters Chinese names and places are commonly written with. */
const NAME_CHARS = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文安华明伟强军平建国志海波斌宇浩凯德兴盛林山河州城港湾岛峰江泉宁远'];
export const EVENT_SIZE = 5;
export const REPUBLISH_EVERY = 50;

const START = Date.UTC(2019, 0, 1);
const SPAN = Date.UTC(2025, 0, 1) - START;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf's law over a vocabulary: the k-th word is drawn with weight 1/k. */
function zipf(words: readonly string[], random: () => number): () => string {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 1; k <= words.length; k++) cumulative.push((total += 1 / k));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function synthSeed(index: number, seed = 1): { name: string; text: string } {
  if (index % REPUBLISH_EVERY === REPUBLISH_EVERY - 1) return republish(index, seed);
  const event = Math.floor(index / EVENT_SIZE);
  const eventRandom = mulberry32(seed * 7919 + event * 104_729);
  const story = STORIES[Math.floor(eventRandom() * STORIES.length)]!;
  const names = Array.from({ length: 3 + Math.floor(eventRandom() * 3) }, () => {
    const length = 2 + Math.floor(eventRandom() * 2);
    return Array.from({ length }, () => NAME_CHARS[Math.floor(eventRandom() * NAME_CHARS.length)]).join('');
  });
  const eventStart = START + Math.floor(eventRandom() * SPAN);

  const random = mulberry32(seed * 1_000_003 + index);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const common = zipf(COMMON, random);
  // Each report also has people and places of its own, named throughout it.
  const own = Array.from({ length: 2 }, () => {
    const length = 2 + Math.floor(random() * 2);
    return Array.from({ length }, () => NAME_CHARS[Math.floor(random() * NAME_CHARS.length)]).join('');
  });
  const topical = zipf([...own, ...names, ...story.words], random);
  const word = () => (random() < 0.25 ? topical() : common());
  const sentence = () => {
    const n = 8 + Math.floor(random() * 18);
    let s = '';
    for (let i = 0; i < n; i++) s += word() + (i > 0 && i < n - 1 && random() < 0.12 ? '，' : '');
    return `${s}${random() < 0.1 ? '！' : '。'}`;
  };
  const published = eventStart + Math.floor(random() * 10 * 86_400_000);
  const date = new Date(published);
  const outlet = pick(OUTLETS);
  const slug = `${index.toString(36)}-${Math.floor(random() * 1e9).toString(36)}`;
  const url = `https://${outlet.host}${outlet.path(story.section, slug, date)}`;
  const title = `${names[0]}${common()}${topical()}：${common()}${word()}${word()}`;

  const nest = (html: string) => {
    const depth = Math.floor(random() * 6);
    return '<span>'.repeat(depth) + html + '</span>'.repeat(depth);
  };
  const paragraphs: string[] = [];
  const target = 4000 + Math.floor(random() * 3000);
  let size = 0;
  while (size < target) {
    let p = '';
    const sentences = 2 + Math.floor(random() * 4);
    for (let i = 0; i < sentences; i++) p += nest(sentence());
    paragraphs.push(`<p>${p}</p>`);
    size += Buffer.byteLength(p);
  }
  const image = `https://s.example-media.net/media/display/${slug}/w:1280/p:16x9/${ymd(date)}.JPG`;
  const stamp = `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()} - ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  const share = `<div><div>分享 :</div><div><a href="https://www.facebook.com/dialog/share?app_id=1&amp;href=${encodeURIComponent(url)}" target="_blank" rel="noopener nofollow"><span></span></a><a href="https://twitter.com/intent/tweet?url=${encodeURIComponent(url)}" target="_blank"><span></span></a><a href="whatsapp://send?text=${encodeURIComponent(url)}"><span></span></a><span data-root-share><share-button v-on:open="openModal"></share-button><share-modal v-if="displayModal" v-on:close="closeModal"></share-modal></span></div></div>`;
  const body =
    `<div>${stamp}</div>` +
    (random() < 0.8 ? `<img src="${image}">` : '') +
    `<p><strong>${sentence()}${sentence()}        </strong></p><div>${paragraphs.join('')}` +
    `<div data-selfpromo-newsletter></div><div data-selfpromo-app></div></div>${share}`;
  const name = `${String(index).padStart(6, '0')}_${slug}.txt`;
  return { name, text: printSeed({ published, title, url, body }) };
}

/** The previous article, republished under another URL a day later with its title and a few sentences edited. */
function republish(index: number, seed: number): { name: string; text: string } {
  const original = synthSeed(index - 1, seed).text;
  const random = mulberry32(seed * 31 + index);
  const published = Number(/^<!--(\d+)-->/.exec(original)![1]) + 86_400_000;
  const slug = `${index.toString(36)}-copy`;
  let edits = 0;
  const text = original
    .replace(/^<!--\d+-->/, `<!--${published}-->`)
    .replace(/^(\[[^\n]*?)\]\(https:\/\/[^/]+[^)]*\)/m, (_m, title: string) => `${title}（转载）](https://www.chinadigitaltimes.net/chinese/${slug}.html)`)
    .replace(/。/g, (dot) => (random() < 0.05 && edits++ < 8 ? '，据报道。' : dot));
  return { name: `${String(index).padStart(6, '0')}_${slug}.txt`, text };
}

function main(argv: string[]): void {
  const option = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at === -1 ? undefined : argv[at + 1];
  };
  const count = Number(option('count'));
  const out = option('out');
  const seed = Number(option('seed') ?? 1);
  if (!Number.isInteger(count) || count < 0 || !out) {
    console.error('usage: npm run seeds:synth -- --count N --out DIR [--seed S]');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const { name, text } = synthSeed(i, seed);
    writeFileSync(join(out, name), text);
    bytes += Buffer.byteLength(text);
  }
  console.log(`Wrote ${count} seed files (${(bytes / 1e6).toFixed(1)} MB) to ${out}.`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));

// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MANIFEST_FILE, articlePageFile } from '../../src/content/bundle.ts';
import { articleId } from '../../src/build/meta.ts';
import { bundleFrom, changeArticle, seedText, withBody } from '../helpers/bundle.ts';
import { renderApp } from '../helpers/render-app.tsx';
import { sample } from '../helpers/run.ts';

const SAMPLES = [sample('000_128d1a5b117db0fb.txt'), sample('001_a510cfd3fc0d4ab3.txt')];
const KOREA = '6e5fxxdn32eb';
/** An article page cut off in its data, as a failed upload might leave it. */
const CORRUPT_PAGE = '<!doctype html><html><head><script type="application/json" id="article-data">{"id": "6e5f';
const SHOIGU = '0tert5bvzf9j';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  localStorage.clear();
});

describe('timeline', () => {
  it('groups articles by day under 今天, 昨天 and full dates', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2024, 2, 10, 12, 0));
    const files = bundleFrom([
      seedText({ url: 'https://www.rfi.fr/cn/中国/a', title: '今天的报道', published: new Date(2024, 2, 10, 9, 0).getTime() }),
      seedText({ url: 'https://www.rfi.fr/cn/中国/b', title: '昨天的报道', published: new Date(2024, 2, 9, 9, 0).getTime() }),
      ...SAMPLES,
    ]);
    await renderApp('/', files);
    const headings = await screen.findAllByRole('heading', { level: 2 });
    expect(headings.map((h) => h.textContent)).toEqual(['今天', '昨天', '2023年7月31日 星期一', '2023年7月26日 星期三']);
    const titles = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(titles).toEqual(['今天的报道', '昨天的报道', '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易', '俄罗斯国防部长称朝鲜为“重要伙伴”']);
  });

  it('shows source, section, time and excerpt for each entry, and links it to its article', async () => {
    await renderApp('/', bundleFrom(SAMPLES));
    const link = await screen.findByRole('link', { name: /韩国防部回应朝俄武器贸易报道/ });
    expect(link.getAttribute('href')).toBe(`/a/${KOREA}`);
    expect(link.textContent).toContain('RFI 法广');
    expect(link.textContent).toContain('国际');
    expect(link.textContent).toContain('7月31日，韩国国防部就外媒报道朝鲜有输俄武器迹象表示');
    expect(within(link).getByRole('presentation', { hidden: true }).getAttribute('referrerpolicy')).toBe('no-referrer');
  });

  it('filters by source and keeps the filter in the URL', async () => {
    const files = bundleFrom([...SAMPLES, seedText({ url: 'https://www.bbc.com/zhongwen/simp/business-1', title: 'BBC 的报道' })]);
    const { location } = await renderApp('/', files);
    await screen.findByText('BBC 的报道');
    await act(async () => fireEvent.change(screen.getByRole('combobox', { name: '来源' }), { target: { value: 'bbc.com' } }));
    await waitFor(() => expect(location().search).toBe('?source=bbc.com'));
    await waitFor(() => expect(screen.queryByText('俄罗斯国防部长称朝鲜为“重要伙伴”')).toBeNull());
    expect(screen.getByText('BBC 的报道')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('共 1 篇');
  });

  it('opens a filtered view straight from its URL', async () => {
    const files = bundleFrom([...SAMPLES, seedText({ url: 'https://www.bbc.com/zhongwen/simp/business-1', title: 'BBC 的报道' })]);
    await renderApp('/?section=国际', files);
    await screen.findByText('俄罗斯国防部长称朝鲜为“重要伙伴”');
    expect(screen.queryByText('BBC 的报道')).toBeNull();
    expect((screen.getByRole('combobox', { name: '栏目' }) as HTMLSelectElement).value).toBe('国际');
  });

  it('fetches an article when the pointer rests on its entry, so the click finds it loaded', async () => {
    const { requests } = await renderApp('/', bundleFrom(SAMPLES));
    const link = await screen.findByRole('link', { name: /韩国防部回应朝俄武器贸易报道/ });
    const file = `/${articlePageFile(KOREA)}`;
    expect(requests, 'before the pointer comes').not.toContain(file);
    fireEvent.pointerEnter(link);
    await waitFor(() => expect(requests).toContain(file));
    fireEvent.click(link);
    await screen.findByRole('heading', { level: 1, name: /韩国防部回应朝俄武器贸易报道/ });
    expect(requests.filter((r) => r === file), 'requests for the article\'s page').toHaveLength(1);
  });

  it('says so when the archive is empty', async () => {
    await renderApp('/', bundleFrom([]));
    expect(await screen.findByText('存档里还没有文章。')).toBeTruthy();
  });
});

describe('article', () => {
  beforeEach(() => {
    // jsdom has no layout; the related list and body still render.
  });

  it('shows title, source linking to the original, date, reading time and body', async () => {
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES));
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading.textContent).toBe('韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易');
    const original = screen.getByRole('link', { name: 'RFI 法广 · 阅读原文' });
    expect(original.getAttribute('href')).toMatch(/^https:\/\/www\.rfi\.fr\/cn\//);
    expect(original.getAttribute('rel')).toBe('noopener noreferrer');
    expect(original.getAttribute('target')).toBe('_blank');
    expect(screen.getByText(/2023年7月31日 星期一/)).toBeTruthy();
    expect(screen.getByText(/约 \d+ 分钟读完/)).toBeTruthy();
    expect(screen.getByText(/据韩联社报导/)).toBeTruthy();
  });

  it('accepts a slug after the id', async () => {
    await renderApp(`/a/${KOREA}/han-guo-fang-bu`, bundleFrom(SAMPLES));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toContain('韩国防部');
  });

  it('lists the related article with the shared key terms as the reason', async () => {
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES));
    await screen.findByRole('complementary', { name: '相关报道和其他版本' });
    const related = screen.getByRole('region', { name: '相关报道' });
    const link = within(related).getByRole('link', { name: '俄罗斯国防部长称朝鲜为“重要伙伴”' });
    expect(link.getAttribute('href')).toBe(`/a/${SHOIGU}`);
    expect(within(related).getByText(/共同关键词：.*朝鲜/)).toBeTruthy();
    expect(within(related).getByText('2023年7月26日')).toBeTruthy();
  });

  it('lists a republished copy under 其他版本, not among the related articles', async () => {
    const copy = SAMPLES[0]!.replace(/\]\(https:[^)]+\)/, '](https://www.chinadigitaltimes.net/chinese/copy.html)').replace('<!--1690811102000-->', '<!--1690900000000-->');
    await renderApp(`/a/${KOREA}`, bundleFrom([...SAMPLES, copy]));
    const versions = await screen.findByRole('region', { name: '其他版本' });
    const copyId = articleId('https://www.chinadigitaltimes.net/chinese/copy.html');
    expect(within(versions).getByRole('link').getAttribute('href')).toBe(`/a/${copyId}`);
    const related = screen.getByRole('region', { name: '相关报道' });
    expect(within(related).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual([`/a/${SHOIGU}`]);
  });

  it('links to the newer and older article', async () => {
    await renderApp(`/a/${SHOIGU}`, bundleFrom(SAMPLES));
    const nav = await screen.findByRole('navigation', { name: '上一篇和下一篇' });
    expect(within(nav).getByRole('link', { name: /较新一篇/ }).getAttribute('href')).toBe(`/a/${KOREA}`);
    expect(within(nav).queryByRole('link', { name: /较早一篇/ })).toBeNull();
  });

  it('renders hostile body HTML only after sanitizing it', async () => {
    const url = 'https://example.com/news/evil';
    const files = bundleFrom([seedText({ url, title: '恶意正文' })]);
    // Tamper with the bundle itself: the app must not trust what the build cleaned.
    const file = articlePageFile(articleId(url));
    const html =
      '<p>正文<img src="x" onerror="window.__xss=1"><script>window.__xss=2</script>' +
      '<a href="javascript:window.__xss=3">坏链接</a><a href="https://example.org/">好链接</a>' +
      '<svg onload="window.__xss=4"></svg><iframe srcdoc="<script>parent.__xss=5</script>"></iframe>' +
      '<img src="https://example.org/a.jpg" alt="图"><img src="https://t.example/p.gif" width="1" height="1"></p>';
    files.set(file, withBody(files.get(file)!, html));
    const { container } = await renderApp(`/a/${articleId(url)}`, files);
    await screen.findByText('好链接');
    const body = container.querySelector('.article-body')!;
    expect(body.querySelectorAll('script, svg, iframe, [onerror], [onload]')).toHaveLength(0);
    expect(screen.getByText('坏链接').getAttribute('href')).toBeNull();
    const good = screen.getByRole('link', { name: '好链接' });
    expect([good.getAttribute('target'), good.getAttribute('rel')]).toEqual(['_blank', 'noopener noreferrer']);
    // The broken image and the tracking pixel are gone; the photo waits behind its button.
    expect(body.querySelectorAll('img')).toHaveLength(0);
    expect(within(body as HTMLElement).getAllByRole('button').map((b) => b.textContent)).toEqual(['显示图片 · example.org 图']);
    fireEvent.click(within(body as HTMLElement).getByRole('button', { name: '显示图片 · example.org 图' }));
    const image = body.querySelector('img')!;
    expect([image.getAttribute('src'), image.getAttribute('referrerpolicy'), image.getAttribute('decoding')]).toEqual(['https://example.org/a.jpg', 'no-referrer', 'async']);
    expect((window as { __xss?: number }).__xss).toBeUndefined();
  });

  it('copies the link and says so where the browser cannot share', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'share', { value: undefined, configurable: true });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES));
    fireEvent.click(await screen.findByRole('button', { name: '分享' }));
    await waitFor(() => expect(screen.getByText('链接已复制')).toBeTruthy());
    expect(writeText).toHaveBeenCalledWith(window.location.href);
  });

  it('uses the system share sheet where there is one', async () => {
    const share = vi.fn(async (_data: ShareData) => undefined);
    Object.defineProperty(navigator, 'share', { value: share, configurable: true });
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES));
    fireEvent.click(await screen.findByRole('button', { name: '分享' }));
    await waitFor(() => expect(share).toHaveBeenCalledWith({ title: '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易', url: window.location.href }));
    Object.defineProperty(navigator, 'share', { value: undefined, configurable: true });
  });

  it('moves focus to the article heading after navigating to it', async () => {
    await renderApp('/', bundleFrom(SAMPLES));
    const link = await screen.findByRole('link', { name: /俄罗斯国防部长称朝鲜/ });
    await act(async () => fireEvent.click(link));
    const heading = await screen.findByRole('heading', { level: 1, name: '俄罗斯国防部长称朝鲜为“重要伙伴”' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('says plainly when the id is unknown', async () => {
    await renderApp('/a/zzzzzzzzzzzz', bundleFrom(SAMPLES));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('找不到这篇文章');
    expect(screen.getByText('zzzzzzzzzzzz')).toBeTruthy();
    expect(screen.getByRole('link', { name: '回到时间线' }).getAttribute('href')).toBe('/');
  });
});

describe('article images', () => {
  const PHOTOS = 'https://www.rfi.fr/cn/中国/photos';
  const photos = () =>
    bundleFrom([
      seedText({
        url: PHOTOS,
        title: '港口的照片',
        body:
          '<p>台风过境后，港口的渔船陆续返航。</p><figure><img src="https://images.example.org/harbour.jpg" alt="返航的渔船"></figure>' +
          '<p>码头正在清理。</p><p><a href="https://example.org/map"><img src="https://cdn.example.net/map.png"></a></p>',
      }),
    ]);
  const body = () => document.querySelector<HTMLElement>('.article-body')!;
  const addresses = () => [...document.querySelectorAll('main img')].map((img) => img.getAttribute('src'));

  it('shows a 显示图片 button with the host and alt text in place of each image, and gives no image an address', async () => {
    await renderApp(`/a/${articleId(PHOTOS)}`, photos());
    await screen.findByText('码头正在清理。');
    expect(within(body()).getAllByRole('button').map((b) => b.textContent)).toEqual(['显示图片 · images.example.org 返航的渔船', '显示图片 · cdn.example.net']);
    expect(addresses()).toEqual([]);
  });

  it('loads only the image whose button is pressed, and puts it in the button\'s place once it has loaded', async () => {
    await renderApp(`/a/${articleId(PHOTOS)}`, photos());
    const button = await screen.findByRole('button', { name: '显示图片 · images.example.org 返航的渔船' });
    fireEvent.click(button);
    expect(addresses()).toEqual(['https://images.example.org/harbour.jpg']);
    const image = body().querySelector('img')!;
    expect([image.getAttribute('referrerpolicy'), image.getAttribute('decoding'), image.hidden]).toEqual(['no-referrer', 'async', true]);
    expect(button.textContent, 'while it loads').toBe('正在载入图片 · images.example.org 返航的渔船');
    fireEvent.load(image);
    expect(image.hidden).toBe(false);
    expect(image.alt).toBe('返航的渔船');
    expect(button.isConnected, 'the button gave way').toBe(false);
    expect(screen.getByRole('button', { name: '显示图片 · cdn.example.net' }), 'the other image still waits').toBeTruthy();
  });

  it('says 图片无法载入 where a pressed image fails to load, instead of showing a broken picture', async () => {
    await renderApp(`/a/${articleId(PHOTOS)}`, photos());
    fireEvent.click(await screen.findByRole('button', { name: '显示图片 · cdn.example.net' }));
    fireEvent.error(body().querySelector('img')!);
    expect(within(body()).getByText('图片无法载入 · cdn.example.net')).toBeTruthy();
    expect(addresses()).toEqual([]);
    expect(screen.queryByRole('button', { name: '显示图片 · cdn.example.net' })).toBeNull();
  });

  it('holds back the hero image of an article whose body has none the same way', async () => {
    const files = bundleFrom([seedText({ url: PHOTOS, title: '港口的照片', body: '<p>没有图片的正文。</p>' })]);
    changeArticle(files, articleId(PHOTOS), (article) => ({ ...article, image: 'https://images.example.org/hero.jpg' }));
    await renderApp(`/a/${articleId(PHOTOS)}`, files);
    const button = await screen.findByRole('button', { name: '显示图片 · images.example.org' });
    expect(addresses()).toEqual([]);
    fireEvent.click(button);
    expect(addresses()).toEqual(['https://images.example.org/hero.jpg']);
  });
});

describe('reading preferences', () => {
  it('loads every image lazily once 图片 is switched to 自动显示, and remembers that on the device', async () => {
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES));
    await screen.findByText(/据韩联社报导/);
    expect(screen.getByRole('button', { name: /^显示图片 · s\.rfi\.fr/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '图片：点击显示（点击切换）' }));
    const image = document.querySelector('.article-body img')!;
    expect(image.getAttribute('src')).toMatch(/^https:\/\/s\.rfi\.fr\/media\//);
    expect([image.getAttribute('loading'), image.getAttribute('referrerpolicy')]).toEqual(['lazy', 'no-referrer']);
    expect(screen.queryByRole('button', { name: /^显示图片/ })).toBeNull();
    expect([localStorage.getItem('reader.images'), document.documentElement.dataset.images]).toEqual(['auto', 'auto']);

    cleanup();
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES));
    expect(await screen.findByRole('button', { name: '图片：自动显示（点击切换）' })).toBeTruthy();
    expect(document.querySelector('.article-body img')?.getAttribute('src')).toMatch(/^https:\/\/s\.rfi\.fr\//);
  });

  it('changes the font size and theme and remembers both on the device', async () => {
    localStorage.clear();
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES));
    fireEvent.click(await screen.findByRole('button', { name: 'A+ 放大字号' }));
    expect(document.documentElement.dataset.fontSize).toBe('l');
    fireEvent.click(screen.getByRole('button', { name: /主题：跟随系统/ }));
    expect(document.documentElement.dataset.theme).toBe('light');
    fireEvent.click(screen.getByRole('button', { name: /主题：浅色/ }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect([localStorage.getItem('reader.fontSize'), localStorage.getItem('reader.theme')]).toEqual(['l', 'dark']);
    cleanup();
    await renderApp('/', bundleFrom(SAMPLES));
    expect(await screen.findByRole('button', { name: /主题：深色/ })).toBeTruthy();
  });
});

describe('not found', () => {
  it('offers a way home from an unknown path', async () => {
    await renderApp('/no/such/page', bundleFrom(SAMPLES));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('找不到这个页面');
    expect(screen.getByRole('link', { name: '回到时间线' }).getAttribute('href')).toBe('/');
  });
});

describe('a bad bundle', () => {
  it('explains an unknown bundle version instead of showing a blank page', async () => {
    const files = bundleFrom(SAMPLES);
    files.set(MANIFEST_FILE, JSON.stringify({ ...JSON.parse(files.get(MANIFEST_FILE)!), version: 99 }));
    await renderApp('/', files);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('无法载入存档');
    expect(screen.getByText(/存档数据的格式无法识别/)).toBeTruthy();
    expect(screen.getByText(/bundle version 99 is not supported/)).toBeTruthy();
  });

  it('explains a corrupt manifest', async () => {
    const files = bundleFrom(SAMPLES);
    files.set(MANIFEST_FILE, '{"version": 1, "articleCou');
    await renderApp('/', files);
    expect(await screen.findByText(/存档数据的格式无法识别/)).toBeTruthy();
  });

  it('shows the next view after one failed: the error stays with the page it came from', async () => {
    const files = bundleFrom(SAMPLES);
    files.set(articlePageFile(KOREA), CORRUPT_PAGE);
    await renderApp(`/a/${KOREA}`, files);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('无法载入存档');
    await act(async () => fireEvent.click(screen.getByRole('link', { name: '新闻存档' })));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('最新报道');
    expect(await screen.findByRole('link', { name: /俄罗斯国防部长称朝鲜/ })).toBeTruthy();
  });

  it('tries again when the reader comes back to a view that failed', async () => {
    const files = bundleFrom(SAMPLES);
    const good = files.get(articlePageFile(KOREA))!;
    files.set(articlePageFile(KOREA), CORRUPT_PAGE);
    const { go } = await renderApp(`/a/${KOREA}`, files);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('无法载入存档');
    await act(async () => fireEvent.click(screen.getByRole('link', { name: '新闻存档' })));
    await screen.findByRole('heading', { level: 1, name: '最新报道' });
    files.set(articlePageFile(KOREA), good);
    await go(-1);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易');
  });

  it('says an article the network cannot reach is not saved on this device, and where to save it', async () => {
    await renderApp(`/a/${KOREA}`, bundleFrom(SAMPLES), { unreachable: [articlePageFile(KOREA)] });
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('无法载入存档');
    expect(screen.getByText('现在连不上存档所在的网站，这部分内容也没有保存在本机。')).toBeTruthy();
    expect(within(screen.getByRole('main')).getByRole('link', { name: '离线保存' })).toBeTruthy();
    expect(screen.queryByText(/读取存档时出错/)).toBeNull();
  });

  it('explains a missing bundle', async () => {
    await renderApp('/', new Map());
    expect(await screen.findByText(/读取存档时出错/)).toBeTruthy();
    expect(screen.getByText(/manifest.json: HTTP 404/)).toBeTruthy();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArchiveClient } from '../../src/app/data/archive-client.ts';
import { dayLabel, dateTime } from '../../src/app/data/dates.ts';
import { firstRowAtOrAfter, pagesFor } from '../../src/app/data/timeline-window.ts';
import { paths, readFilter } from '../../src/app/paths.ts';
import { bundleFrom, fakeFetch, seedText } from '../helpers/bundle.ts';

afterEach(() => vi.useRealTimers());

describe('ArchiveClient', () => {
  const files = bundleFrom([
    seedText({ url: 'https://www.rfi.fr/cn/国际/1', title: 'A', published: Date.UTC(2024, 0, 3) }),
    seedText({ url: 'https://www.bbc.com/zhongwen/simp/2', title: 'B', published: Date.UTC(2024, 0, 2) }),
    seedText({ url: 'https://www.rfi.fr/cn/中国/3', title: 'C', published: Date.UTC(2024, 0, 1) }),
  ]);

  it('finds the timeline positions of a source, a section, and both', async () => {
    const client = new ArchiveClient('/', fakeFetch(files).fetcher);
    expect(await client.positions({})).toBeNull();
    expect(await client.positions({ source: 'rfi.fr' })).toEqual([0, 2]);
    expect(await client.positions({ section: '中国' })).toEqual([2]);
    expect(await client.positions({ source: 'bbc.com', section: '中国' })).toEqual([]);
    expect(await client.positions({ source: 'nowhere.example' })).toEqual([]);
  });

  it('fetches each file once and keeps it for the next view', async () => {
    const { fetcher, requests } = fakeFetch(files);
    const client = new ArchiveClient('/', fetcher);
    await client.getTimelinePage(0);
    await client.getTimelinePage(0);
    expect(client.peekTimelinePage(0)?.map((i) => i.title)).toEqual(['A', 'B', 'C']);
    expect(requests.filter((r) => r.includes('timeline/0.'))).toHaveLength(1);
    expect(requests.filter((r) => r.endsWith('manifest.json'))).toHaveLength(1);
  });

  it('answers null for an id that is not in the archive or not an id at all', async () => {
    const { fetcher, requests } = fakeFetch(files);
    const client = new ArchiveClient('/', fetcher);
    expect(await client.getArticle('zzzzzzzzzzzz')).toBeNull();
    expect(await client.getArticle('../manifest')).toBeNull();
    expect(requests).toEqual(['/a/zzzzzzzzzzzz.html']);
  });

  it('takes an HTML fallback page for a missing article, as static hosts serve it', async () => {
    const client = new ArchiveClient('/', async () => new Response('<!doctype html><title>app</title>', { headers: { 'Content-Type': 'text/html' } }));
    expect(await client.getArticle('zzzzzzzzzzzz')).toBeNull();
  });

  it('reads under the base path', async () => {
    const { requests } = fakeFetch(files);
    const client = new ArchiveClient('/news/', async (url) => {
      requests.push(url);
      return new Response('{}', { status: 404 });
    });
    await expect(client.getManifest()).rejects.toThrow('manifest.json: HTTP 404');
    expect(requests).toEqual(['/news/data/manifest.json']);
  });
});

describe('pagesFor', () => {
  it('includes the page of the row before the first, which decides its day heading', () => {
    expect(pagesFor(200, 210, null, 200, 1000)).toEqual([0, 1]);
  });

  it('maps filtered rows to the pages of their positions', () => {
    expect(pagesFor(0, 2, [5, 450, 901], 200, 3)).toEqual([0, 2, 4]);
  });
});

describe('firstRowAtOrAfter', () => {
  it('is the position itself when no filter applies', () => {
    expect(firstRowAtOrAfter(5000, null)).toBe(5000);
  });

  it('finds the first filtered row at or after a month start', () => {
    const positions = [3, 10, 11, 40, 41];
    expect(firstRowAtOrAfter(0, positions)).toBe(0);
    expect(firstRowAtOrAfter(10, positions)).toBe(1);
    expect(firstRowAtOrAfter(12, positions)).toBe(3);
    expect(firstRowAtOrAfter(42, positions)).toBe(5);
  });
});

describe('dates', () => {
  it('labels today, yesterday and older days the way Chinese readers write them', () => {
    const now = new Date(2024, 0, 1, 10, 0).getTime();
    expect(dayLabel(new Date(2024, 0, 1, 0, 5).getTime(), now)).toBe('今天');
    expect(dayLabel(new Date(2023, 11, 31, 23, 59).getTime(), now)).toBe('昨天');
    expect(dayLabel(new Date(2023, 6, 31, 12, 0).getTime(), now)).toBe('2023年7月31日 星期一');
    expect(dateTime(new Date(2023, 6, 31, 9, 5).getTime())).toBe('2023年7月31日 星期一 09:05');
  });
});

describe('paths', () => {
  it('round-trips a filter through the URL', () => {
    const path = paths.timeline({ source: 'rfi.fr', section: '国际' });
    expect(readFilter(new URL(path, 'https://x.test').searchParams)).toEqual({ source: 'rfi.fr', section: '国际' });
    expect(paths.timeline()).toBe('/');
    expect(paths.article('abc123')).toBe('/a/abc123');
  });
});

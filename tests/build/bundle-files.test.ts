import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE, readManifest, readTimelinePage, timelinePageCount, timelinePageFile, type ArticleSummary } from '../../src/content/bundle.ts';
import { indexFiles } from '../../src/build/bundle-files.ts';

/** `count` articles spread evenly over one year. */
function summaries(count: number): { summary: ArticleSummary; bytes: number }[] {
  return Array.from({ length: count }, (_, i) => ({
    summary: {
      id: `id${String(i).padStart(8, '0')}`,
      title: `标题 ${i}`,
      url: `https://www.rfi.fr/cn/国际/${i}`,
      published: Date.UTC(2020, 0, 1) + Math.floor((i * 365 * 86_400_000) / count),
      sourceId: 'rfi.fr',
      source: 'RFI 法广',
      section: '国际',
      lang: 'zh-Hans',
      excerpt: '摘要',
      image: null,
      readingMinutes: 1,
      rev: `rev${i}`,
    },
    bytes: 5000,
  }));
}

describe('indexFiles', () => {
  it('keeps the manifest the same size however many timeline pages there are', () => {
    const small = indexFiles(summaries(150), 100).get(MANIFEST_FILE)!;
    const large = indexFiles(summaries(150_000), 100).get(MANIFEST_FILE)!;
    expect(timelinePageCount(readManifest(JSON.parse(large))), 'pages of the large archive').toBe(1500);
    // Over the same year: only counts and sizes get more digits.
    expect(large.length - small.length, 'bytes more for 1,000 times the articles').toBeLessThan(200);
  });

  it('names every page with the digest of all pages, newest article first, each page holding pageSize items', () => {
    const files = indexFiles(summaries(250), 100);
    const manifest = readManifest(JSON.parse(files.get(MANIFEST_FILE)!));
    const pages = Array.from({ length: timelinePageCount(manifest) }, (_, i) => {
      const file = timelinePageFile(manifest, i);
      return readTimelinePage(JSON.parse(files.get(file)!), file);
    });
    expect(pages.map((p) => p.items.length)).toEqual([100, 100, 50]);
    expect(pages[0]!.items[0]!.id, 'newest first').toBe('id00000249');
    const changed = summaries(250);
    changed[3]!.summary.rev = 'changed';
    expect(readManifest(JSON.parse(indexFiles(changed, 100).get(MANIFEST_FILE)!)).digest, 'digest after one article changed').not.toBe(manifest.digest);
  });
});

/**
 * `vite build` run again on the same seeds folder, output folder and seeds
 * cache, as a writer rebuilds after changing a seed: what the rebuild may skip
 * (seed-cache.ts, earlier-output.ts, related-state.ts) must never show.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { articlePageFile, readArticlePage, type Article, type Manifest, type TimelinePage } from '../../src/content/bundle.ts';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { npx, readTree, tempDir } from '../helpers/run.ts';

/** Enough seeds for the seed workers (200 and more) and for related articles worth the name. */
const SEEDS = 240;

/** A round time, which utimes can set back exactly (it takes microseconds, a file keeps nanoseconds). */
const MTIME = 1_700_000_000;

function synthFolder(): string {
  const dir = tempDir('seeds');
  for (let i = 0; i < SEEDS; i++) {
    const { name, text } = synthSeed(i, 11);
    writeFileSync(join(dir, name), text);
    utimesSync(join(dir, name), MTIME, MTIME);
  }
  return dir;
}

/** Files changed in the last 2 s are read again by a rebuild whatever their stamp: wait that out, as a writer would have. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2100));
}

function build(seeds: string, outDir: string, cache: string): string {
  const result = npx(['vite', 'build', '--outDir', outDir], { SEEDS_DIR: seeds, SEEDS_CACHE: cache });
  expect(result.status, result.output).toBe(0);
  return result.output;
}

function articles(outDir: string): Article[] {
  const root = join(outDir, 'a');
  return readdirSync(root).map((name) => readArticlePage(readFileSync(join(root, name), 'utf8'), name)!);
}

function timeline(outDir: string): TimelinePage['items'] {
  const manifest = JSON.parse(readFileSync(join(outDir, 'data', 'manifest.json'), 'utf8')) as Manifest;
  const folder = join(outDir, 'data', 'timeline');
  return readdirSync(folder)
    .filter((name) => name.endsWith(`.${manifest.digest}.json`))
    .flatMap((name) => (JSON.parse(readFileSync(join(folder, name), 'utf8')) as TimelinePage).items);
}

/** Every link to `id` in every article file: neighbours, related articles, other versions. */
function linksTo(all: Article[], id: string) {
  return all.flatMap((a) => [a.newer, a.older, ...a.related, ...a.versions].filter((link) => link?.id === id).map((link) => ({ from: a.id, title: link!.title })));
}

/** The seed file an article was read from. */
function seedOf(seeds: string, article: Article): string {
  const name = readdirSync(seeds).find((n) => readFileSync(join(seeds, n), 'utf8').includes(`](${article.url})`));
  if (!name) throw new Error(`no seed for ${article.url}`);
  return join(seeds, name);
}

function sameTrees(a: string, b: string): void {
  const [left, right] = [readTree(a), readTree(b)];
  expect([...left.keys()].sort(), 'the same files').toEqual([...right.keys()].sort());
  for (const [path, bytes] of left) expect(bytes.equals(right.get(path)!), `${path} is the same`).toBe(true);
}

describe('a rebuild with the seeds cache', () => {
  const seeds = synthFolder();
  const cache = tempDir('seeds-cache');
  const out = tempDir('site');
  let first = '';

  beforeAll(async () => {
    await settle();
    first = build(seeds, out, cache);
  });

  it('writes the very same site again when no seed changed, without reading any seed', () => {
    expect(first, 'the first build reads every seed').toContain(`seeds read in`);
    expect(first).toContain(`0 of them unchanged (from the cache; 0 files not read at all)`);
    const before = join(tempDir('before'), 'site');
    cpSync(out, before, { recursive: true });
    const output = build(seeds, out, cache);
    expect(output).toContain(`${SEEDS} of them unchanged (from the cache; ${SEEDS} files not read at all)`);
    expect(output).toContain(`${SEEDS} articles' files unchanged`);
    sameTrees(out, before);
  });

  it('names an article by its new title everywhere once its seed changed', () => {
    const all = articles(out);
    const listed = all.find((a) => a.older && a.newer && all.some((other) => other.related.some((r) => r.id === a.id)))!;
    expect(listed, 'an article with neighbours that another lists as related').toBeDefined();
    const file = seedOf(seeds, listed);
    const renamed = `更正：${listed.title}`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(`[${listed.title}](`, `[${renamed}](`));

    const output = build(seeds, out, cache);
    expect(output, 'only the changed seed is read').toContain(`${SEEDS - 1} of them unchanged (from the cache;`);
    const after = articles(out);
    expect(after.find((a) => a.id === listed.id)?.title, 'its page\'s data').toBe(renamed);
    expect(readFileSync(join(out, articlePageFile(listed.id)), 'utf8'), 'its page').toContain(`<title>${renamed}`);
    const links = linksTo(after, listed.id);
    expect(links.length, 'links to it from neighbours and related lists').toBeGreaterThanOrEqual(3);
    for (const link of links) expect(link.title, `the link from ${link.from}`).toBe(renamed);
    expect(timeline(out).find((s) => s.id === listed.id)?.title, 'the timeline').toBe(renamed);
  });

  it('leaves no file of a removed seed and no link to its article', () => {
    const all = articles(out);
    const removed = all.find((a) => linksTo(all, a.id).length >= 3)!;
    rmSync(seedOf(seeds, removed));

    build(seeds, out, cache);
    const after = articles(out);
    expect(after.length, 'one article fewer').toBe(all.length - 1);
    expect(existsSync(join(out, articlePageFile(removed.id))), 'its page').toBe(false);
    expect(linksTo(after, removed.id), 'links to it').toEqual([]);
    expect(timeline(out).some((s) => s.id === removed.id), 'in the timeline').toBe(false);
  });

  it('reads a seed again when its bytes changed but its size and modification time were put back', async () => {
    const target = articles(out).find((a) => /[\u0800-\uffff]$/.test(a.title) && statSync(seedOf(seeds, a)).mtimeMs === MTIME * 1000)!;
    const file = seedOf(seeds, target);
    const { size } = statSync(file);
    const text = readFileSync(file, 'utf8');
    // Same length in bytes: a different character of the same UTF-8 width in the title.
    const title = `${target.title.slice(0, -1)}${target.title.endsWith('讯') ? '报' : '讯'}`;
    writeFileSync(file, text.replace(`[${target.title}](`, `[${title}](`));
    utimesSync(file, MTIME, MTIME);
    expect(statSync(file).size, 'same size').toBe(size);
    // As `cp -p` or `rsync -t` would leave it, long before the rebuild.
    await settle();

    const output = build(seeds, out, cache);
    const unread = Number(/(\d+) files not read at all/.exec(output)?.[1]);
    expect(unread, 'the other files are known by their stamps').toBeGreaterThan(SEEDS - 5);
    expect(articles(out).find((a) => a.id === target.id)?.title).toBe(title);
  });
});

/** A synthetic archive built once, with a seeds cache of its own. */
function builtOnce(): { seeds: string; cache: string; out: string } {
  const built = { seeds: synthFolder(), cache: tempDir('seeds-cache'), out: tempDir('site') };
  build(built.seeds, built.out, built.cache);
  return built;
}

/** The site in `out` is the one a build without the cache makes of `seeds`. */
function sameAsWithoutCache(seeds: string, out: string): void {
  const clean = tempDir('clean');
  build(seeds, clean, '0');
  sameTrees(out, clean);
}

/** Adds a sentence to the body of the first `count` seeds; returns their names. */
function changeSeeds(seeds: string, count: number): string[] {
  const names = readdirSync(seeds).slice(0, count);
  for (const name of names) writeFileSync(join(seeds, name), readFileSync(join(seeds, name), 'utf8').replace('。', '。据最新消息，事件仍在发展。'));
  return names;
}

describe('a rebuild after many seeds changed', () => {
  it('searches everything again, and builds the very site a build without the cache builds', () => {
    const { seeds, cache, out } = builtOnce();
    // More than 2% of the archive (and more than 20 articles): the last search is not updated but redone.
    const names = changeSeeds(seeds, 30);
    const output = build(seeds, out, cache);
    expect(output).toContain(`${SEEDS - names.length} of them unchanged (from the cache;`);
    expect(output, 'a full search').toContain('related-article index');
    sameAsWithoutCache(seeds, out);
  });
});

/** Bytes of the seeds cache's packs. */
function packBytes(cache: string): number {
  const folder = join(cache, readdirSync(cache)[0]!);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.log'))
    .reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
}

describe('a rebuild after most seeds changed twice', () => {
  it('copies the entries still used into a new pack and deletes the old ones, and the cache still gives every article', async () => {
    const { seeds, cache, out } = builtOnce();
    const once = packBytes(cache);
    changeSeeds(seeds, 200);
    build(seeds, out, cache);
    const grown = packBytes(cache);
    expect(grown, 'the changed seeds appended to the packs').toBeGreaterThan(once * 1.5);
    // The same 200 changed again: now less than half of the packs' bytes are in use.
    changeSeeds(seeds, 200);
    await settle();
    let output = build(seeds, out, cache);
    expect(output).toContain(`${SEEDS - 200} of them unchanged (from the cache;`);
    const compacted = packBytes(cache);
    expect(compacted, 'the packs hold what is in use, about one entry per seed').toBeLessThan(once * 1.2);
    sameAsWithoutCache(seeds, out);
    output = build(seeds, out, cache);
    expect(output, 'every article from the compacted pack').toContain(`${SEEDS} of them unchanged (from the cache; ${SEEDS} files not read at all)`);
    sameAsWithoutCache(seeds, out);
  });
});

describe('seeds given new stamps, their bytes the same', () => {
  it('reads every seed but takes the unchanged articles from the cache, and builds the very site a build without the cache builds', async () => {
    const { seeds, cache, out } = builtOnce();
    // As a copy that does not keep times would leave them: every stamp is new, so every file is read, and
    // the digest of each unchanged one finds its article, text and body in the cache's packs. Enough
    // seeds changed that the search is done again, from the texts the cache gives.
    const changed = changeSeeds(seeds, 30);
    for (const name of readdirSync(seeds)) utimesSync(join(seeds, name), MTIME + 60, MTIME + 60);
    await settle();
    const output = build(seeds, out, cache);
    expect(output).toContain(`${SEEDS - changed.length} of them unchanged (from the cache; 0 files not read at all)`);
    expect(output, 'a full search').toContain('related-article index');
    sameAsWithoutCache(seeds, out);
  });
});

describe('a damaged seeds cache', () => {
  it('costs a full read, not a wrong site', () => {
    const { seeds, cache, out } = builtOnce();
    const folder = join(cache, readdirSync(cache)[0]!);
    for (const name of readdirSync(folder)) {
      if (name.endsWith('.log')) truncateSync(join(folder, name), 100);
      else writeFileSync(join(folder, name), 'not what it was');
    }
    readsEverySeedAgain(seeds, out, cache);
  });

  it('is not trusted when only its index was cut off in place: every seed is read again', () => {
    const { seeds, cache, out } = builtOnce();
    const index = join(cache, readdirSync(cache)[0]!, 'index.bin');
    truncateSync(index, Math.floor(statSync(index).size * 0.9));
    readsEverySeedAgain(seeds, out, cache);
  });
});

/** Builds again with the cache, which gives nothing, and gets the site a build without it gets. */
function readsEverySeedAgain(seeds: string, out: string, cache: string): void {
  const output = build(seeds, out, cache);
  expect(output).toContain('0 of them unchanged (from the cache;');
  sameAsWithoutCache(seeds, out);
}

describe('a build stopped while it wrote the seeds cache\'s index', () => {
  it('leaves a partial index that the next build deletes, and never reads', () => {
    const { seeds, cache, out } = builtOnce();
    const folder = join(cache, readdirSync(cache)[0]!);
    const index = readFileSync(join(folder, 'index.bin'));
    // What a stopped build leaves: its index cut off half-way, under its own name.
    const left = join(folder, 'index.bin.4242');
    writeFileSync(left, index.subarray(0, index.length / 2));
    const output = build(seeds, out, cache);
    expect(output).toContain(`${SEEDS} of them unchanged (from the cache;`);
    expect(existsSync(left), 'the partial index is gone').toBe(false);
    expect(readdirSync(folder).filter((name) => name.startsWith('index.bin')), 'one index').toEqual(['index.bin']);
  });
});

import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_VERSION, timelinePageCount, timelinePageFile, type Manifest, type TimelinePage } from '../../src/content/bundle.ts';
import { builtArticle } from '../helpers/bundle.ts';
import { npx, readTree, sample, seedsFolder, tempDir } from '../helpers/run.ts';

const KOREA = { id: '6e5fxxdn32eb', title: '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易', published: 1690811102000 };
const SHOIGU = { id: '0tert5bvzf9j', title: '俄罗斯国防部长称朝鲜为“重要伙伴”', published: 1690379102000 };

function build(outDir: string, env: Record<string, string> = {}) {
  return npx(['vite', 'build', '--outDir', outDir, '--emptyOutDir'], env);
}

function json<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, 'data', file), 'utf8')) as T;
}

describe('vite build on the bundled seeds', () => {
  const out = tempDir('dist');
  const result = build(out);

  it('succeeds and reports what it read', () => {
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('Read 2 articles from 2 files; 0 files refused.');
  });

  it('writes a manifest with the bundle version, the count and the timeline pages', () => {
    const manifest = json<Manifest>(out, 'manifest.json');
    expect(manifest.version, 'manifest version').toBe(BUNDLE_VERSION);
    expect(manifest.articleCount, 'article count').toBe(2);
    expect(timelinePageCount(manifest), 'one timeline page').toBe(1);
    expect(manifest.sources, 'sources facet').toEqual([{ key: 'rfi.fr', label: 'RFI 法广', count: 2 }]);
    expect(manifest.sections, 'sections facet').toEqual([{ key: '国际', label: '国际', count: 2 }]);
    const page = json<TimelinePage>(out, timelinePageFile(manifest, 0));
    expect(page.items.map((i) => i.id), 'newest first').toEqual([KOREA.id, SHOIGU.id]);
  });

  it('keeps each article under an id that deep links can rely on', () => {
    for (const expected of [KOREA, SHOIGU]) {
      const article = builtArticle(out, expected.id);
      expect(article.title, `title of ${expected.id}`).toBe(expected.title);
      expect(article.published, `date of ${expected.id}`).toBe(expected.published);
      expect(article.source, `source of ${expected.id}`).toBe('RFI 法广');
      expect(article.section, `section of ${expected.id}`).toBe('国际');
      expect(article.lang, `language of ${expected.id}`).toBe('zh-Hans');
      expect(article.html, `body of ${expected.id}`).toContain('<img src="https://s.rfi.fr/media/display/');
      expect(article.html, `share bar of ${expected.id}`).not.toMatch(/分享|facebook|share-button/);
    }
  });

  it('leaves the sanitizer out of the code a first visit downloads: it comes with the article view', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const entry = [...html.matchAll(/<script type="module"[^>]* src="\/([^"]+)"|<link rel="modulepreload"[^>]* href="\/([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
    expect(entry.length, 'entry scripts in index.html').toBeGreaterThan(0);
    // DOMPurify's own messages name it: a marker of its code in a chunk.
    const withSanitizer = readdirSync(join(out, 'assets')).filter((f) => readFileSync(join(out, 'assets', f), 'utf8').includes('DOMPurify'));
    expect(withSanitizer.length, 'a chunk holds the sanitizer').toBeGreaterThan(0);
    for (const file of entry) expect(withSanitizer, `${file} is loaded on every first visit`).not.toContain(file.replace(/^assets\//, ''));
  });

  it('starts fetching the code of the timeline with the app, not after the app has run', () => {
    const preloads = (file: string) => [...readFileSync(join(out, file), 'utf8').matchAll(/<link rel="modulepreload"[^>]* href="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
    const home = preloads('index.html');
    expect(home.filter((f) => /^timeline-[\w-]+\.js$/.test(f)), `index.html preloads ${home.join(', ')}`).toHaveLength(1);
    expect(home.filter((f) => f.startsWith('article-')), 'index.html leaves the article view for later').toEqual([]);
    for (const file of home) expect(existsSync(join(out, 'assets', file)), `${file} exists`).toBe(true);
    // An article page is on screen before any code runs: its code need not compete with the page for bandwidth.
    expect(preloads(`a/${SHOIGU.id}.html`), 'the article page preloads no view').toEqual([]);
    expect(preloads('404.html'), 'the not-found page preloads no view').toEqual([]);
  });

  it('gives byte-identical output when built twice', () => {
    const again = tempDir('dist');
    expect(build(again).status).toBe(0);
    const first = readTree(out);
    const second = readTree(again);
    expect([...second.keys()].sort(), 'same files').toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) expect(second.get(file)?.equals(bytes), `${file} identical`).toBe(true);
  });

  it('writes the same timeline and articles as the bundle command, which writes its pages without the app', () => {
    const cliOut = join(tempDir('cli'), 'bundle');
    const cli = npx(['tsx', 'src/build/cli.ts', 'seeds', cliOut]);
    expect(cli.status, cli.output).toBe(0);
    expect(readdirSync(cliOut).sort()).toEqual(['a', 'data']);
    const fromCli = readTree(join(cliOut, 'data'));
    const fromVite = readTree(join(out, 'data'));
    expect([...fromCli.keys()].sort()).toEqual([...fromVite.keys()].sort());
    // The manifest counts the bytes of each month's pages, which the app's template makes larger.
    const withoutBytes = (bytes: Buffer) => ({ ...(JSON.parse(bytes.toString()) as Manifest), months: [] });
    for (const [file, bytes] of fromVite) {
      if (file === 'manifest.json') expect(withoutBytes(fromCli.get(file)!), file).toEqual(withoutBytes(bytes));
      else expect(fromCli.get(file)?.equals(bytes), `${file} identical`).toBe(true);
    }
    for (const { id } of [KOREA, SHOIGU]) expect(builtArticle(cliOut, id), `${id} as its page holds it`).toEqual(builtArticle(out, id));
    expect(readFileSync(join(cliOut, 'a', `${KOREA.id}.html`), 'utf8'), 'no app on the page').not.toContain('<script type="module"');
  });
});

describe('a seeds folder with a bad file', () => {
  const seeds = seedsFolder({
    'good.txt': sample('000_128d1a5b117db0fb.txt'),
    'bad.txt': '<!--1690811102000-->\nnot a link\n------\n\n<p>x</p>',
  });

  it('builds the good files and names the bad one with its line and what was expected', () => {
    const out = tempDir('dist');
    const result = build(out, { SEEDS_DIR: seeds });
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('Read 1 article from 2 files; 1 file refused:');
    expect(result.output).toContain(`${join(seeds, 'bad.txt')}:2: expected a markdown link [title](url), found "not a link"`);
    expect(json<Manifest>(out, 'manifest.json').articleCount).toBe(1);
  });

  it('fails with SEEDS_STRICT=1 and leaves the previous output alone', () => {
    const out = tempDir('dist');
    mkdirSync(join(out, 'data'));
    writeFileSync(join(out, 'data', 'manifest.json'), 'previous');
    const result = build(out, { SEEDS_DIR: seeds, SEEDS_STRICT: '1' });
    expect(result.status, result.output).not.toBe(0);
    expect(result.output).toContain('strict: 1 seed file(s) refused; nothing written');
    expect(readFileSync(join(out, 'data', 'manifest.json'), 'utf8')).toBe('previous');
  });

  it('makes the bundle command fail under --strict without writing anything', () => {
    const out = join(tempDir('cli'), 'bundle');
    const result = npx(['tsx', 'src/build/cli.ts', seeds, out, '--strict']);
    expect(result.status).toBe(1);
    expect(result.output).toContain('--strict: 1 file(s) refused; nothing written.');
    expect(existsSync(out), 'no output folder').toBe(false);
  });
});

describe('a seeds folder that cannot be read', () => {
  it('gets a one-line error from the build, not a stack trace', () => {
    const result = build(tempDir('dist'), { SEEDS_DIR: '/nonexistent/seeds' });
    expect(result.status).not.toBe(0);
    expect(result.output.split('\n').filter((l) => l.startsWith('error'))).toEqual([
      'error: seeds folder /nonexistent/seeds does not exist (set SEEDS_DIR to a folder of seed files)',
    ]);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('gets a one-line error from the bundle command', () => {
    const file = join(seedsFolder({ 'x.txt': 'x' }), 'x.txt');
    const result = npx(['tsx', 'src/build/cli.ts', file, join(tempDir('cli'), 'out')]);
    expect(result.status).toBe(1);
    expect(result.output.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toEqual([
      `error: seeds folder ${file} is a file, expected a folder of seed files`,
    ]);
  });
});

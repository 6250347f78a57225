import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { archiveReport, listSeedFiles, readArchive } from '../../src/build/archive.ts';
import { formatSeedError } from '../../src/build/errors.ts';
import { buildFile } from '../../src/build/build-file.ts';
import { buildFiles } from '../../src/build/worker-pool.ts';
import { workerExecArgv } from '../../src/build/worker-bundle.ts';
import { synthSeed } from '../../scripts/synth-seeds.ts';
import { ROOT, sample, seedsFolder } from '../helpers/run.ts';

const KOREA_URL_LINE = sample('000_128d1a5b117db0fb.txt').split('\n')[1]!;

function withTime(text: string, millis: number): string {
  return text.replace(/^<!--\d+-->/, `<!--${millis}-->`);
}

describe('readArchive', () => {
  it('keeps the newer of two files with the same canonical URL and reports the other', async () => {
    const korea = sample('000_128d1a5b117db0fb.txt');
    const seeds = seedsFolder({ 'old.txt': withTime(korea, 1690000000000), 'new.txt': korea });
    const archive = await readArchive(seeds);
    expect(archive.articles.map((a) => a.file)).toEqual([join(seeds, 'new.txt')]);
    expect(archive.errors.map(formatSeedError)).toEqual([
      `${join(seeds, 'old.txt')}:2: same canonical URL as ${join(seeds, 'new.txt')}, which is newer or equal and was kept`,
    ]);
  });

  it('treats an unencoded Chinese URL, www and http variants as the same article', async () => {
    const korea = sample('000_128d1a5b117db0fb.txt');
    const decoded = korea.replace(KOREA_URL_LINE, decodeURI(KOREA_URL_LINE).replace('https://www.', 'http://'));
    const seeds = seedsFolder({ 'a.txt': korea, 'b.txt': withTime(decoded, 1690811103000) });
    const archive = await readArchive(seeds);
    expect(archive.articles).toHaveLength(1);
    expect(archive.articles[0]!.file).toBe(join(seeds, 'b.txt'));
    expect(archive.errors).toHaveLength(1);
  });

  it('accounts for every file: each is an article or a reported refusal', async () => {
    const seeds = seedsFolder({
      'a.txt': sample('000_128d1a5b117db0fb.txt'),
      'nested/b.txt': sample('001_a510cfd3fc0d4ab3.txt'),
      'empty.txt': '',
      'gbk.txt': new Uint8Array([0x3c, 0x21, 0x2d, 0x2d, 0x31, 0x2d, 0x2d, 0x3e, 0x0a, 0xd6, 0xd0, 0xce, 0xc4]),
      '.hidden': 'ignored: dotfiles are editor and system files',
    });
    const archive = await readArchive(seeds);
    expect(archive.fileCount).toBe(4);
    expect(archive.articles.length + archive.errors.length).toBe(4);
    expect(archiveReport(archive)).toBe(
      [
        'Read 2 articles from 4 files; 2 files refused:',
        `  ${join(seeds, 'empty.txt')}:1: expected <!--epochMillis--> on line 1, found an empty file`,
        `  ${join(seeds, 'gbk.txt')}:2: expected UTF-8 text, found an invalid byte sequence at byte 9 (GBK or Big5? convert the file to UTF-8)`,
      ].join('\n'),
    );
  });
});

describe('buildFiles', () => {
  it('gives the same results on worker threads as on one thread', async () => {
    const seeds = seedsFolder(Object.fromEntries(Array.from({ length: 300 }, (_, i) => {
      const { name, text } = synthSeed(i, 7);
      return [name, text];
    })));
    const files = listSeedFiles(seeds);
    const parallel = await buildFiles(files, { threads: 2 });
    const single = files.map((f) => buildFile(f.path, f.shown));
    expect(parallel).toHaveLength(300);
    expect(parallel).toEqual(single);
  });
  it.each([
    ['whose main code came from -e with --input-type=module (as the bench runs vite build)', ['--input-type=module']],
    ['started with V8 options (node --max-old-space-size=4096, as large archives are built)', ['--max-old-space-size=4096', '--stack-size=2000', '--input-type=module']],
  ])('starts its workers in a process %s', (_, options) => {
    const seeds = seedsFolder({ 'a.txt': sample('000_128d1a5b117db0fb.txt'), 'b.txt': sample('001_a510cfd3fc0d4ab3.txt') });
    const pool = pathToFileURL(join(ROOT, 'src/build/worker-pool.ts')).href;
    const archive = pathToFileURL(join(ROOT, 'src/build/archive.ts')).href;
    const code = `
      const { buildFiles } = await import(${JSON.stringify(pool)});
      const { listSeedFiles } = await import(${JSON.stringify(archive)});
      const results = await buildFiles(listSeedFiles(${JSON.stringify(seeds)}), { threads: 1, forceWorkers: true });
      console.log(JSON.stringify(results.map((r) => (r.ok ? r.built.article.title : r.error.kind))));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', ...options, '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr, 'stderr').toBe('');
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual(['韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易', '俄罗斯国防部长称朝鲜为“重要伙伴”']);
  });
});

describe('workerExecArgv', () => {
  it('drops what names the main entry and keeps every other option', () => {
    expect(workerExecArgv(['--import', 'tsx', '--input-type=module', '-e', 'code()', '--max-old-space-size=4096'])).toEqual(['--import', 'tsx', '--max-old-space-size=4096']);
    expect(workerExecArgv(['--eval=code()', '-p', '1 + 1', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });
});

describe('the watchdog', () => {
  it('reports a file that takes too long, skips it, and builds the others', async () => {
    const slow = `<!--1690811102000-->\n[很慢](https://example.com/slow)\n------\n\n${'<div>'.repeat(300_000)}深${'</span>'.repeat(100_000)}`;
    const seeds = seedsFolder({ 'a.txt': sample('000_128d1a5b117db0fb.txt'), 'b-slow.txt': slow, 'c.txt': sample('001_a510cfd3fc0d4ab3.txt') });
    const files = listSeedFiles(seeds);
    const results = await buildFiles(files, { threads: 1, fileTimeoutMs: 1500, forceWorkers: true });
    expect(results.map((r) => (r.ok ? r.built.article.title : formatSeedError(r.error)))).toEqual([
      '韩国防部回应朝俄武器贸易报道：必须立即停止非法贸易',
      `${join(seeds, 'b-slow.txt')}:1: took longer than 1500 ms to process; skipped`,
      '俄罗斯国防部长称朝鲜为“重要伙伴”',
    ]);
  });

  it('builds every other file again when a stuck one ends a worker that had answered for none of its batch', async () => {
    // Workers answer once per batch of 128 files: the files before the stuck one, in its batch, and the batch
    // waiting behind it were built or sent but never answered for, so the new worker must build them.
    const slow = `<!--1690811102000-->\n[很慢](https://example.com/slow)\n------\n\n${'<div>'.repeat(300_000)}深${'</span>'.repeat(100_000)}`;
    const seeds = seedsFolder({
      ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => {
        const { name, text } = synthSeed(i, 11);
        return [name, text];
      })),
      '000150_slow.txt': slow,
    });
    const files = listSeedFiles(seeds);
    const at = files.findIndex((f) => f.shown.endsWith('000150_slow.txt'));
    expect(at).toBeGreaterThan(128);
    const results = await buildFiles(files, { threads: 1, fileTimeoutMs: 1500, forceWorkers: true });
    const expected = files.map((f, i) =>
      i === at ? `${f.shown}:1: took longer than 1500 ms to process; skipped` : buildFile(f.path, f.shown),
    );
    expect(results.map((r, i) => (i === at && !r.ok ? formatSeedError(r.error) : r))).toEqual(expected);
  });
});

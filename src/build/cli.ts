/**
 * `npm run bundle -- <seedsDir> <outDir> [--strict]`: writes the data bundle (`<outDir>/data`) and the article
 * pages (`<outDir>/a`), on a bare template, without building the app.
 */
import { performance } from 'node:perf_hooks';
import { archiveReport, readArchive, SeedsDirError } from './archive.ts';
import { removeBodyLogs } from './body-log.ts';
import { writeArchive } from './write-articles.ts';
import { TextArena } from './text-arena.ts';
import { BARE_SITE, BARE_TEMPLATE } from './static-pages.ts';
import { join } from 'node:path';
import { DATA_DIR } from '../content/bundle.ts';

const USAGE = 'usage: npm run bundle -- <seedsDir> <outDir> [--strict]';

async function main(argv: string[]): Promise<number> {
  const strict = argv.includes('--strict');
  const [seedsDir, outDir, ...extra] = argv.filter((a) => a !== '--strict');
  if (!seedsDir || !outDir || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const started = performance.now();
  // Bodies wait on disk beside the output, not in memory, until they are written (body-log.ts).
  const bodies = `${outDir}.bodies-${process.pid}`;
  try {
    const texts = new TextArena();
    const archive = await readArchive(seedsDir, { bodies, texts });
    console.log(archiveReport(archive));
    if (strict && archive.errors.length > 0) {
      console.error(`--strict: ${archive.errors.length} file(s) refused; nothing written.`);
      return 1;
    }
    const pages = { outDir, template: BARE_TEMPLATE, site: BARE_SITE };
    const { timings } = await writeArchive(archive.articles, join(outDir, DATA_DIR), pages, { texts });
    console.log(`Timings: ${timings}.`);
    console.log(`Wrote ${outDir} in ${Math.round(performance.now() - started)} ms.`);
    return 0;
  } finally {
    removeBodyLogs(bodies);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof SeedsDirError ? `error: ${error.message}` : error);
    process.exit(1);
  },
);

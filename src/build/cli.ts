/** `npm run bundle -- <seedsDir> <outDir> [--strict]`: writes the data bundle without building the app. */
import { performance } from 'node:perf_hooks';
import { archiveReport, readArchive, SeedsDirError } from './archive.ts';
import { writeArchive } from './write-articles.ts';

const USAGE = 'usage: npm run bundle -- <seedsDir> <outDir> [--strict]';

async function main(argv: string[]): Promise<number> {
  const strict = argv.includes('--strict');
  const [seedsDir, outDir, ...extra] = argv.filter((a) => a !== '--strict');
  if (!seedsDir || !outDir || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const started = performance.now();
  const archive = await readArchive(seedsDir);
  console.log(archiveReport(archive));
  if (strict && archive.errors.length > 0) {
    console.error(`--strict: ${archive.errors.length} file(s) refused; nothing written.`);
    return 1;
  }
  const { timings } = await writeArchive(archive.articles, outDir);
  console.log(`Timings: ${timings}.`);
  console.log(`Wrote ${outDir} in ${Math.round(performance.now() - started)} ms.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof SeedsDirError ? `error: ${error.message}` : error);
    process.exit(1);
  },
);

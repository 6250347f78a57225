/**
 * `npm run bench:related -- <seedsDir>`: time and memory of the related-article
 * computation alone, on an archive already read.
 */
import { performance } from 'node:perf_hooks';
import { readArchive } from '../src/build/archive.ts';
import { relatedDoc } from '../src/build/link-articles.ts';
import { RelatedIndex } from '../src/build/related.ts';

const seedsDir = process.argv[2];
if (!seedsDir) {
  console.error('usage: npm run bench:related -- <seedsDir>');
  process.exit(2);
}
const archive = await readArchive(seedsDir);
const docs = archive.articles.map(relatedDoc);
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const index = RelatedIndex.build(docs);
const built = performance.now();
const results = index.queryAll();
const done = performance.now();
let related = 0;
let versions = 0;
for (const r of results.values()) {
  related += r.related.length;
  versions += r.versions.length;
}
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
console.log(`${docs.length} articles: index ${Math.round(built - started)} ms, search ${Math.round(done - built)} ms, total ${Math.round(done - started)} ms`);
console.log(`${related} related links, ${versions} other-version links`);
console.log(`process RSS before ${mb(rssBefore)}, peak ${mb(process.resourceUsage().maxRSS * 1024)}`);

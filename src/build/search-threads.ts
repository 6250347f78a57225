/**
 * The related-article search of a whole archive on threads of its own. They
 * share the index's typed arrays and the articles' texts (a TextArena) with
 * the thread that built the index; each searches the ranges of slots it is
 * sent and answers with every result as JSON.
 *
 * On the thread that built the index, the search was the longest chain of a
 * large build: it searched while the writers waited (decision 0013).
 */
import type { Worker } from 'node:worker_threads';
import type { BuiltArticle } from './article.ts';
import type { RelatedIndex } from './related.ts';
import { BODY_CHARS, type SearchDocs, type SearchTables } from './related-search.ts';
import { readText, type TextArena } from './text-arena.ts';
import { startWorker } from './worker-bundle.ts';

/** The articles as search threads read them: ids and titles as they are, texts in an arena's shared memory. */
export interface SharedDocs {
  ids: string[];
  titles: string[];
  /** The arena's chunks (TextArena). */
  chunks: SharedArrayBuffer[];
  /** The text of slot i: chunk, first unit and length at 3i, 3i+1, 3i+2. */
  refs: Int32Array;
}

export type SearchJob = { tables: SearchTables; docs: SharedDocs } | { from: number; to: number };
export type SearchReply = { ready: true } | { results: string[] } | { failed: string };

/** The articles in the index's slots (`ordered[i]` in slot i), their texts in `arena` (moved there now if not yet). */
export function shareDocs(ordered: readonly BuiltArticle[], arena: TextArena): SharedDocs {
  const refs = new Int32Array(ordered.length * 3);
  ordered.forEach((b, slot) => {
    const ref = arena.refOf(b);
    refs[slot * 3] = ref.chunk;
    refs[slot * 3 + 1] = ref.at;
    refs[slot * 3 + 2] = ref.length;
  });
  return { ids: ordered.map((b) => b.article.id), titles: ordered.map((b) => b.article.title), chunks: arena.chunks, refs };
}

/** SharedDocs read back on a search thread; the texts of the articles searched last stay decoded. */
export class SharedSearchDocs implements SearchDocs {
  private decoded = new Map<number, string>();
  /** The arena's chunks as Buffers, made when first searched. */
  private buffers: Buffer[] = [];

  constructor(private readonly shared: SharedDocs) {}

  id(slot: number): string | undefined {
    return this.shared.ids[slot];
  }

  title(slot: number): string {
    return this.shared.titles[slot]!;
  }

  text(slot: number): string {
    let text = this.decoded.get(slot);
    if (text === undefined) {
      const { chunks, refs } = this.shared;
      text = readText(chunks[refs[slot * 3]!]!, refs[slot * 3 + 1]!, refs[slot * 3 + 2]!);
      // An article and its candidates, near it in time: a few hundred recent texts serve nearly every call.
      if (this.decoded.size >= DECODED_TEXTS) this.decoded.delete(this.decoded.keys().next().value!);
      this.decoded.set(slot, text);
    }
    return text;
  }

  /**
   * Searches the text where it lies, as UTF-16 (Buffer's indexOf compares whole units), without decoding it:
   * a candidate's text was decoded only for this, 12 KB of garbage per candidate listed. The view starts on
   * an even byte, as it must: on an odd one, Node 20's indexOf with 'utf16le' does not return (tried).
   */
  hasWord(slot: number, word: string): boolean {
    if (this.shared.titles[slot]!.includes(word)) return true;
    const { chunks, refs } = this.shared;
    const units = Math.min(refs[slot * 3 + 2]!, BODY_CHARS);
    if (word.length > units) return false;
    const chunk = refs[slot * 3]!;
    const buffer = (this.buffers[chunk] ??= Buffer.from(chunks[chunk]!));
    const at = refs[slot * 3 + 1]! * 2;
    return buffer.subarray(at, at + units * 2).indexOf(word, 0, 'utf16le') !== -1;
  }
}

const DECODED_TEXTS = 512;

/** Search threads, each given the index once; ranges of slots go to the one with the least work waiting. */
export class SearchThreads {
  private constructor(private readonly lanes: { worker: Worker; waiting: ((reply: SearchReply) => void)[]; failed: Promise<never> }[]) {}

  /**
   * Starts `threads` search threads on the index of `ordered` (article i in slot i) as it is now: it must
   * not change while they search. The texts are read from `arena`.
   */
  static start(index: RelatedIndex, ordered: readonly BuiltArticle[], arena: TextArena, threads: number): SearchThreads {
    const tables = index.shareTables();
    const docs = shareDocs(ordered, arena);
    return new SearchThreads(
      Array.from({ length: threads }, () => {
        const worker = startWorker('search-worker');
        const waiting: ((reply: SearchReply) => void)[] = [];
        worker.on('message', (reply: SearchReply) => {
          if (!('ready' in reply)) waiting.shift()!(reply);
        });
        const failed = new Promise<never>((_, reject) => worker.once('error', reject));
        failed.catch(() => undefined); // reported by the search that waits on it
        worker.postMessage({ tables, docs } satisfies SearchJob);
        return { worker, waiting, failed };
      }),
    );
  }

  /** Every result of slots from … to−1 as JSON, in slot order ('' for a removed article). */
  search(from: number, to: number): Promise<string[]> {
    const lane = this.lanes.reduce((a, b) => (b.waiting.length < a.waiting.length ? b : a));
    const answered = new Promise<string[]>((resolve, reject) => {
      lane.waiting.push((reply) => ('results' in reply ? resolve(reply.results) : reject(new Error(`the related-article search failed: ${(reply as { failed: string }).failed}`))));
    });
    lane.worker.postMessage({ from, to } satisfies SearchJob);
    return Promise.race([answered, lane.failed]);
  }

  close(): Promise<unknown> {
    return Promise.all(this.lanes.map(({ worker }) => worker.terminate()));
  }
}

/**
 * Articles' indexed texts, kept out of the JavaScript heap in shared memory
 * from the moment they arrive from the thread that read them: the search
 * threads read them there (search-threads.ts), and the main thread's heap no
 * longer carries them through the build (at 100,000 articles, 300 MB its
 * garbage collector copied and marked, and a second copy for the threads).
 */
import type { BuiltArticle } from './article.ts';

/** Where a text is: `length` UTF-16 units from unit `at` of chunk `chunk`. */
export interface TextRef {
  chunk: number;
  at: number;
  length: number;
}

/** Units per chunk of shared memory (64 MB); a text is never split across two. */
const CHUNK_UNITS = 32 * 2 ** 20;

export class TextArena {
  readonly chunks: SharedArrayBuffer[] = [];
  /** Units used in the last chunk. */
  private used = 0;
  private refs = new WeakMap<BuiltArticle, TextRef>();

  /** Where the article's text is, moving it here first if it is not yet. */
  refOf(built: BuiltArticle): TextRef {
    return this.refs.get(built) ?? this.adopt(built);
  }

  /** Moves the article's text here; `built.text` reads it back when asked, and setting it lets it go. */
  adopt(built: BuiltArticle): TextRef {
    const ref = this.append(built.text);
    this.refs.set(built, ref);
    Object.defineProperty(built, 'text', {
      enumerable: true,
      configurable: true,
      get: () => this.read(ref),
      set: (value: string) => {
        this.refs.delete(built);
        Object.defineProperty(built, 'text', { value, writable: true, enumerable: true, configurable: true });
      },
    });
    return ref;
  }

  /** Lets go of every text: none may be read after. */
  clear(): void {
    this.chunks.length = 0;
    this.used = 0;
    this.refs = new WeakMap();
  }

  read({ chunk, at, length }: TextRef): string {
    return readText(this.chunks[chunk]!, at, length);
  }

  private append(text: string): TextRef {
    if (this.chunks.length === 0 || this.used + text.length > CHUNK_UNITS) {
      this.chunks.push(new SharedArrayBuffer(Math.max(CHUNK_UNITS, text.length) * 2));
      this.used = 0;
    }
    const ref = { chunk: this.chunks.length - 1, at: this.used, length: text.length };
    Buffer.from(this.chunks[ref.chunk]!).write(text, ref.at * 2, text.length * 2, 'utf16le');
    this.used += text.length;
    return ref;
  }
}

/** The text of `length` units from unit `at` of a chunk (on any thread that was given the chunk). */
export function readText(chunk: SharedArrayBuffer, at: number, length: number): string {
  return Buffer.from(chunk, at * 2, length * 2).toString('utf16le');
}

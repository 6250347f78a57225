/**
 * The build-time HTML cleaner: one streaming pass over htmlparser2's events
 * that keeps an allowlist of reading elements and attributes, drops junk
 * (scripts, widgets, share bars, tracking pixels, empty wrappers) and collects
 * the plain text at the same time.
 *
 * It compacts; it is not the security boundary. The app sanitizes again with
 * DOMPurify before anything reaches the page.
 *
 * Cost is linear in the input: every decision is made on a stack frame in O(1),
 * and dropping a finished element truncates the output array to where it began.
 */
import { Parser } from 'htmlparser2';
import { escapeAttribute, escapeText } from 'entities';

export interface CleanResult {
  /** Cleaned body HTML. */
  html: string;
  /** Visible text, one line per block. */
  text: string;
  /** First image kept in the body, or null. */
  image: string | null;
}

/**
 * Elements kept, mapped to the name written out. A Map, not an object: a tag may be named `constructor` or
 * `toString`, and an object's lookup finds Object.prototype's functions under such names.
 */
const KEEP = new Map<string, string>(Object.entries({
  p: 'p', div: 'div', h1: 'h2', h2: 'h2', h3: 'h3', h4: 'h4', h5: 'h5', h6: 'h6',
  blockquote: 'blockquote', pre: 'pre', ul: 'ul', ol: 'ol', li: 'li', dl: 'dl', dt: 'dt', dd: 'dd',
  table: 'table', caption: 'caption', thead: 'thead', tbody: 'tbody', tfoot: 'tfoot', tr: 'tr', th: 'th', td: 'td',
  figure: 'figure', figcaption: 'figcaption', hr: 'hr',
  a: 'a', strong: 'strong', b: 'strong', em: 'em', i: 'em', u: 'u', s: 's', del: 'del', ins: 'ins',
  sub: 'sub', sup: 'sup', small: 'small', mark: 'mark', code: 'code', q: 'q', cite: 'cite', abbr: 'abbr', time: 'time',
  br: 'br', img: 'img',
}));

const BLOCK = new Set([
  'p', 'div', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table',
  'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'figure', 'figcaption', 'hr',
]);
const VOID = new Set(['br', 'img', 'hr']);
/** What a start tag ends when it opens straight inside it (htmlparser2's table, as a browser's: a <p> ends a <p>). */
const ENDS: Record<string, ReadonlySet<string>> = (() => {
  const p = new Set(['p']);
  const headings = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
  const terms = new Set(['dd', 'dt']);
  const sections = new Set(['thead', 'tbody']);
  return {
    tr: new Set(['tr', 'th', 'td']), th: new Set(['th']), td: new Set(['thead', 'th', 'td']), a: new Set(['a']), li: new Set(['li']),
    p, h2: headings, h3: headings, h4: headings, h5: headings, h6: headings, dd: terms, dt: terms, tbody: sections, tfoot: sections,
    blockquote: p, div: p, dl: p, figcaption: p, figure: p, hr: p, ol: p, pre: p, table: p, ul: p,
  };
})();

/** Kept even when empty, so tables keep their shape. */
const KEEP_EMPTY = new Set(['td', 'th', 'br', 'img', 'hr']);

/** Dropped together with everything inside them. */
const DROP = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'noframes', 'object', 'embed', 'applet',
  'form', 'button', 'input', 'select', 'textarea', 'option', 'optgroup', 'datalist', 'output', 'svg', 'math', 'canvas',
  'video', 'audio', 'source', 'track', 'map', 'area', 'head', 'title', 'meta', 'link', 'base', 'nav', 'aside', 'footer',
  'dialog', 'param', 'portal', 'xmp', 'noembed', 'slot', 'plaintext',
]);

/** Attributes kept per element; values are checked below. */
const ATTRS: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  ol: ['start'],
  abbr: ['title'],
  time: ['datetime'],
};
const NUMERIC = new Set(['width', 'height', 'colspan', 'rowspan', 'start']);

/** Widgets announced by their class, id, role or data-* attribute names. */
const WIDGET = /(^|[-_\s])(share|sharing|social|selfpromo|newsletter|advert|adsbygoogle|sponsor|promo|subscribe)([-_\s]|$)/i;
/** Links that only share the page somewhere else. */
const SHARE_HREF =
  /^(whatsapp:|fb-messenger:|tg:|weixin:|line:|sms:|mailto:\?)|^https?:\/\/(www\.|m\.|api\.|web\.)?(facebook\.com\/(dialog\/share|sharer)|twitter\.com\/(intent|share)|x\.com\/intent|whatsapp\.com\/send|wa\.me\/|t\.me\/share|telegram\.me\/share|service\.weibo\.com\/share|linkedin\.com\/share|reddit\.com\/submit|line\.me\/R\/msg|social-plugins\.line\.me|pinterest\.com\/pin\/create|getpocket\.com\/save)/i;
const TRACKER_SRC = /([/._-](pixel|beacon|tracking|tracker|spacer|blank)\.(gif|png)|\/b\.gif|[?&](utm_|tracking))/i;
/** A block that only repeats the publication time, like RFI's `31/07/2023 - 14:38`. */
const DATELINE = /^\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)\s*(-|–|,)?\s*(\d{1,2}:\d{2}(:\d{2})?)?\s*(UTC|GMT|CST)?\s*$/;
/** Deeper output nesting is flattened: no reader needs it, and it only burdens the browser. */
const MAX_DEPTH = 32;
const CJK_EDGE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
const SPACE = /\s/;
/** A line break between two CJK characters inside one text node. */
const CJK_LINE_BREAK = /([\p{Script=Han}\u3000-\u303f\uff00-\uffef])[ \t]*[\r\n]\s*(?=[\p{Script=Han}\u3000-\u303f\uff00-\uffef])/gu;

interface Frame {
  /** Name written out, or null when the element is unwrapped. */
  out: string | null;
  /** Index in the output array where this element began. */
  start: number;
  textStart: number;
  /** Non-space characters of text inside (kept content only). */
  chars: number;
  /** Images and line breaks inside. */
  media: number;
  shareLinks: number;
  otherLinks: number;
  /** Text had been emitted before this element opened. */
  afterText: boolean;
  /** A pending space was written just before the element (it goes back to pending if the element is dropped). */
  spaced: boolean;
  /** The element written out that content here goes into: this one, or the nearest around it. */
  within: string | null;
}

export function cleanHtml(html: string, baseUrl: string): CleanResult {
  const out: string[] = [];
  const text: string[] = [];
  const stack: Frame[] = [];
  let dropDepth = 0;
  let emittedDepth = 0;
  let pendingSpace = false;
  let pendingNewline = false;
  let lastChar = '';
  let emittedChars = 0;
  let preDepth = 0;

  const top = (): Frame | undefined => stack[stack.length - 1];

  /** Writes a pending space before what comes next; says whether it wrote one. */
  const flushSpace = (next: string): boolean => {
    let wrote = false;
    if (pendingSpace && lastChar !== '') {
      // A line break between two CJK characters is not a space in Chinese text.
      if (!(pendingNewline && CJK_EDGE.test(lastChar) && CJK_EDGE.test(next))) {
        out.push(' ');
        text.push(' ');
        wrote = true;
      }
    }
    pendingSpace = false;
    pendingNewline = false;
    return wrote;
  };

  const blockBoundary = () => {
    pendingSpace = false;
    pendingNewline = false;
    lastChar = '';
    text.push('\n');
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0) {
          dropDepth++;
          return;
        }
        const parent = top();
        if (DROP.has(name) || name.includes('-') || isWidget(attribs)) {
          dropDepth = 1;
          return;
        }
        let outName: string | null = KEEP.get(name) ?? null;
        let attrs = '';
        if (name === 'a') {
          const href = attribs.href?.trim() ?? '';
          if (SHARE_HREF.test(href)) {
            if (parent) parent.shareLinks++;
            dropDepth = 1;
            return;
          }
          const resolved = resolveLink(href, baseUrl);
          if (resolved === null) outName = null;
          else attrs = ` href="${escapeAttribute(resolved)}"` + keepAttrs('a', attribs, ['title']);
          if (parent && resolved !== null) parent.otherLinks++;
        } else if (name === 'img') {
          const src = imageSource(attribs, baseUrl);
          if (src === null || isTracker(attribs, src)) {
            dropDepth = 1; // the void element's close event ends the drop
            return;
          }
          attrs = ` src="${escapeAttribute(src)}"` + keepAttrs('img', attribs, ['alt', 'width', 'height']);
        } else if (outName !== null) {
          const allowed = ATTRS[outName];
          if (allowed) attrs = keepAttrs(outName, attribs, allowed);
        }
        if (outName !== null && !VOID.has(outName) && emittedDepth >= MAX_DEPTH) outName = null;

        // An element written straight into one that its start tag ends (a <p> into a <p> that an unwrapped
        // <a> hid from the parser) would be read back as a sibling: it is unwrapped instead, into a line
        // break, so that the output parses as written and cleaning it again changes nothing.
        const within = parent?.within ?? null;
        if (outName !== null && within !== null && ENDS[outName]?.has(within)) {
          const block = BLOCK.has(outName);
          outName = null;
          if (block) {
            if (lastChar !== '') {
              out.push('<br>');
              parent!.media++;
            }
            blockBoundary();
          }
        }

        const isBlock = outName !== null ? BLOCK.has(outName) : false;
        let spaced = false;
        if (isBlock) blockBoundary();
        else if (outName !== null) spaced = flushSpace('a');

        // A space written just before this element belongs to it if the element is dropped later.
        stack.push({
          out: outName,
          start: out.length - (spaced ? 1 : 0),
          textStart: text.length - (spaced ? 1 : 0),
          spaced,
          chars: 0,
          media: 0,
          shareLinks: 0,
          otherLinks: 0,
          afterText: emittedChars > 0,
          within: outName !== null && !VOID.has(outName) ? outName : within,
        });
        if (outName !== null) {
          out.push(`<${outName}${attrs}>`);
          if (!VOID.has(outName)) emittedDepth++;
          if (outName === 'pre') preDepth++;
          if (outName === 'img' || outName === 'br') {
            top()!.media++;
            if (outName === 'br') text.push('\n');
          }
        }
      },

      ontext(data) {
        if (dropDepth > 0) return;
        if (preDepth > 0) {
          out.push(escapeText(data));
          text.push(data);
          countChars(data);
          return;
        }
        // Most text in Chinese pages has no white space at all: then there is nothing to collapse.
        const collapsed = SPACE.test(data) ? data.replace(CJK_LINE_BREAK, '$1').replace(/\s+/g, ' ') : data;
        if (collapsed === ' ') {
          if (lastChar !== '') {
            pendingSpace = true;
            pendingNewline ||= /[\n\r]/.test(data);
          }
          return;
        }
        let body = collapsed;
        if (body.startsWith(' ')) {
          if (lastChar !== '') {
            pendingSpace = true;
            pendingNewline ||= /^\s*[\n\r]/.test(data);
          }
          body = body.slice(1);
        }
        const trailing = body.endsWith(' ');
        if (trailing) body = body.slice(0, -1);
        flushSpace(body[0]!);
        out.push(escapeText(body));
        text.push(body);
        countChars(body);
        lastChar = body[body.length - 1]!;
        if (trailing) {
          pendingSpace = true;
          pendingNewline = /[\n\r]\s*$/.test(data);
        }
      },

      onclosetag() {
        if (dropDepth > 0) {
          dropDepth--;
          return;
        }
        const frame = stack.pop();
        if (!frame) return;
        const parent = top();
        const { out: name } = frame;
        if (name !== null && !VOID.has(name)) emittedDepth--;
        if (name === 'pre') preDepth--;

        const isShareBar = frame.shareLinks > 0 && frame.otherLinks === 0 && frame.chars <= 16 && frame.media === 0;
        const isEmpty = name !== null && frame.chars === 0 && frame.media === 0 && !KEEP_EMPTY.has(name);
        const isDateline =
          !frame.afterText && frame.chars > 0 && frame.chars <= 40 && name !== null && BLOCK.has(name) &&
          DATELINE.test(text.slice(frame.textStart).join(''));
        if (isShareBar || isEmpty || isDateline) {
          out.length = frame.start;
          text.length = frame.textStart;
          if (frame.spaced) pendingSpace = true;
          if (isDateline) emittedChars -= frame.chars;
          if (parent) parent.shareLinks += frame.shareLinks;
          if (name !== null && BLOCK.has(name)) blockBoundary();
          return;
        }
        if (name !== null && !VOID.has(name)) out.push(`</${name}>`);
        if (name !== null && BLOCK.has(name)) blockBoundary();
        if (parent) {
          parent.chars += frame.chars;
          parent.media += frame.media;
          parent.shareLinks += frame.shareLinks;
          parent.otherLinks += frame.otherLinks;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );

  function countChars(data: string) {
    let n = 0;
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 9 && c !== 13) n++;
    }
    emittedChars += n;
    const frame = top();
    if (frame) frame.chars += n;
  }

  parser.end(html);
  const cleaned = out.join('');
  const imageMatch = /<img src="([^"]*)"/.exec(cleaned);
  return {
    html: cleaned,
    text: text.join('').replace(/[ \t]*\n[\s]*/g, '\n').trim(),
    image: imageMatch ? decodeAttribute(imageMatch[1]!) : null,
  };
}

function isWidget(attribs: Record<string, string>): boolean {
  for (const name in attribs) {
    if (name.startsWith('data-') && WIDGET.test(name.slice(4))) return true;
    if ((name === 'class' || name === 'id' || name === 'role') && WIDGET.test(attribs[name]!)) return true;
  }
  return false;
}

function keepAttrs(tag: string, attribs: Record<string, string>, names: readonly string[]): string {
  let result = '';
  for (const name of names) {
    const value = attribs[name];
    if (value === undefined || name === 'href' || name === 'src') continue;
    if (NUMERIC.has(name)) {
      if (/^\d{1,5}$/.test(value.trim())) result += ` ${name}="${value.trim()}"`;
    } else if (!(tag === 'th' && name === 'scope' && !/^(row|col|rowgroup|colgroup)$/.test(value))) {
      result += ` ${name}="${escapeAttribute(value.replace(/\s+/g, ' ').trim())}"`;
    }
  }
  return result;
}

/** Resolves against the article URL; keeps only http(s) and mailto. Links to a place on the page itself go. */
function resolveLink(href: string, baseUrl: string): string | null {
  if (href === '' || href.startsWith('#')) return null;
  let url: URL;
  try {
    url = new URL(href, baseUrl);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return url.href;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href;
}

/** The image's real address: lazy loaders keep it in data-src while src holds a placeholder. */
function imageSource(attribs: Record<string, string>, baseUrl: string): string | null {
  const candidates = [attribs['data-src'], attribs['data-original'], attribs['data-lazy-src'], attribs.src];
  for (const candidate of candidates) {
    const value = candidate?.trim();
    if (!value || value.startsWith('data:')) continue;
    try {
      const url = new URL(value, baseUrl);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
    } catch {
      // try the next candidate
    }
  }
  return null;
}

function isTracker(attribs: Record<string, string>, src: string): boolean {
  const tiny = (v: string | undefined) => v !== undefined && /^\s*[0-2](px)?\s*$/.test(v);
  if (tiny(attribs.width) || tiny(attribs.height)) return true;
  const style = attribs.style ?? '';
  if (/(^|;)\s*(width|height)\s*:\s*[0-2]px/i.test(style) || /display\s*:\s*none/i.test(style)) return true;
  return TRACKER_SRC.test(src);
}

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|quot|lt|gt|#39);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'lt' ? '<' : e === 'gt' ? '>' : "'",
  );
}

/**
 * The one sanitizing policy. Article HTML from the bundle is untrusted (it was
 * scraped from the open web and may have been altered on the way), so it
 * passes through DOMPurify with an explicit allowlist before it reaches the
 * page. Link and image rewriting happens inside DOMPurify's hooks, never on the
 * string afterwards.
 */
import DOMPurify from 'dompurify';

/**
 * Where a sanitized image keeps its address instead of `src`. DOMPurify drops every data-* attribute of
 * the input (ALLOW_DATA_ATTR is off), so this one is only ever set by the hook below, after the address passed
 * the URI check.
 */
export const DEFERRED_SRC = 'data-src';

const ALLOWED_TAGS = [
  'p', 'div', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'figure', 'figcaption', 'hr',
  'a', 'strong', 'em', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'code', 'q', 'cite', 'abbr', 'time',
  'br', 'img',
];
const ALLOWED_ATTR = ['href', 'title', 'src', 'alt', 'width', 'height', 'colspan', 'rowspan', 'scope', 'start', 'datetime'];
/** Absolute http(s) and mailto only: the build resolved every relative URL already. */
const ALLOWED_URI = /^(?:https?:\/\/|mailto:)/i;

let purifier: ReturnType<typeof DOMPurify> | undefined;

function createPurifier(): ReturnType<typeof DOMPurify> {
  const purify = DOMPurify(window);
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName !== 'img' || !(node instanceof Element)) return;
    // 1×1 images are tracking pixels, not pictures.
    const tiny = (name: string) => /^\s*[0-2](px)?\s*$/.test(node.getAttribute(name) ?? 'x');
    if (tiny('width') || tiny('height')) node.parentNode?.removeChild(node);
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      if (!node.hasAttribute('href')) return;
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    } else if (node.tagName === 'IMG') {
      const src = node.getAttribute('src');
      if (!src) {
        node.parentNode?.removeChild(node);
        return;
      }
      // Parsed into the page with a src, the image would be requested at once. Its checked address
      // waits in DEFERRED_SRC until remote-images.ts applies the reader's choice.
      node.removeAttribute('src');
      node.setAttribute(DEFERRED_SRC, src);
      node.setAttribute('decoding', 'async');
      node.setAttribute('referrerpolicy', 'no-referrer');
    }
  });
  return purify;
}

/**
 * Sanitized article HTML, safe to inject. Where the browser has Trusted Types
 * (the site's CSP requires them for every HTML sink), it comes back as
 * TrustedHTML from DOMPurify's own policy, the only one the CSP allows.
 */
export function sanitizeArticleHtml(html: string): string | TrustedHTML {
  purifier ??= createPurifier();
  return purifier.sanitize(html, {
    RETURN_TRUSTED_TYPE: true,
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: ALLOWED_URI,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    KEEP_CONTENT: true,
  });
}

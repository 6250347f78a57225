/**
 * Article images live on the outlets' servers. A request there tells the network what the reader is
 * reading, and costs data, so by default none is made until the reader asks for that one image. The
 * sanitizer leaves every image without a src (its address waits in DEFERRED_SRC); this module applies the
 * reader's choice to such images, with DOM calls only: no HTML string is parsed here, which Trusted Types
 * would refuse anyway.
 */
import type { ImageMode } from './prefs.ts';
import { DEFERRED_SRC } from './sanitize.ts';

/**
 * Marks what this module puts in place of an image, for CSS: `placeholder`, `loading` or `failed`.
 * Sanitized HTML carries no data-* attribute, so no article can fake one (nor a class, which the XSS tests forbid).
 */
const MARK = 'data-remote-image';

/** An image that waits for the reader's choice, for pictures that are not part of the article HTML (the hero). */
export function deferredImage(src: string, alt: string): HTMLImageElement {
  const img = document.createElement('img');
  img.alt = alt;
  img.setAttribute(DEFERRED_SRC, src);
  return img;
}

/**
 * Every waiting image under `root`: with `auto`, loaded in place, lazily; with `click`, replaced by a
 * button that loads that one image and then gives way to it. An image that cannot load leaves a note.
 */
export function showImages(root: ParentNode, mode: ImageMode): void {
  for (const img of root.querySelectorAll<HTMLImageElement>(`img[${DEFERRED_SRC}]`)) {
    const src = img.getAttribute(DEFERRED_SRC)!;
    img.removeAttribute(DEFERRED_SRC);
    if (mode === 'auto') load(img, src, 'lazy', null);
    else img.replaceWith(placeholder(img, src));
  }
}

function placeholder(img: HTMLImageElement, src: string): HTMLButtonElement {
  const button = labelled(document.createElement('button'), 'placeholder', `显示图片${fromHost(src)}`, img.alt);
  button.type = 'button';
  button.addEventListener('click', (event) => {
    // Inside a link, the button shows the picture; it does not follow the link.
    event.preventDefault();
    if (button.getAttribute(MARK) !== 'placeholder') return;
    labelled(button, 'loading', `正在载入图片${fromHost(src)}`, img.alt);
    button.setAttribute('aria-busy', 'true');
    img.hidden = true;
    button.after(img);
    load(img, src, 'eager', button);
  });
  return button;
}

/** Requests the image; `standIn` (the pressed button) stays until it has loaded or failed. */
function load(img: HTMLImageElement, src: string, loading: 'lazy' | 'eager', standIn: HTMLElement | null): void {
  // Before src, so that the request is made with them.
  img.setAttribute('loading', loading);
  img.setAttribute('decoding', 'async');
  img.setAttribute('referrerpolicy', 'no-referrer');
  img.addEventListener(
    'load',
    () => {
      img.hidden = false;
      if (standIn) replaceKeepingFocus(standIn, img);
    },
    { once: true },
  );
  img.addEventListener(
    'error',
    () => {
      // Offline, blocked or gone: say so rather than show a broken picture or nothing at all.
      const note = labelled(document.createElement('span'), 'failed', `图片无法载入${fromHost(src)}`, img.alt);
      if (standIn) {
        img.remove();
        replaceKeepingFocus(standIn, note);
      } else {
        img.replaceWith(note);
      }
    },
    { once: true },
  );
  img.src = src;
}

/** Fills `element` with its first line (what it is or does) and, when there is one, the image's alt text. */
function labelled<T extends HTMLElement>(element: T, state: 'placeholder' | 'loading' | 'failed', line: string, alt: string): T {
  element.setAttribute(MARK, state);
  const first = document.createElement('span');
  first.textContent = line;
  element.replaceChildren(first);
  if (alt.trim()) {
    const second = document.createElement('span');
    second.textContent = alt.trim();
    // The space separates the two in the accessible name; between flex items it takes no room.
    element.append(' ', second);
  }
  return element;
}

/** A keyboard or screen-reader user who pressed the button lands on what replaced it, not at the top of the page. */
function replaceKeepingFocus(old: HTMLElement, next: HTMLElement): void {
  const focused = old === document.activeElement;
  if (next.isConnected) old.remove();
  else old.replaceWith(next);
  if (focused) {
    next.tabIndex = -1;
    next.focus();
  }
}

/** ` · s.rfi.fr`: where the image would come from; empty for an address with no host. */
function fromHost(src: string): string {
  try {
    const { host } = new URL(src);
    return host ? ` · ${host}` : '';
  } catch {
    return '';
  }
}

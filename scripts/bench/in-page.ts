/**
 * Timers that run inside the page, so a measurement is not stretched by the
 * round trips between this process and the browser.
 */
import type { BrowserContext, Page } from 'playwright-core';

interface BenchWindow {
  __benchSeen?: Promise<{ triggeredAt: number; seenAt: number }>;
  __benchDomMax?: number;
}

export interface Target {
  /** Elements matching this selector... */
  selector: string;
  /** ...one of which has exactly this text... */
  text: string;
  /** ...and, when asked, is at least partly inside the viewport. */
  inViewport?: boolean;
}

/**
 * Prepares a context for the functions below: tsx compiles with esbuild's
 * keepNames, which wraps named functions in `__name(...)`; functions sent to
 * the page carry those calls, so the page needs a `__name` that does nothing.
 * With `countListElements`, also counts the timeline list's elements at every
 * change (for `listElements().max`): a little work on every change, so it is
 * left out of the context that times opening an article.
 */
export async function prepareContext(context: BrowserContext, options: { countListElements?: boolean } = {}): Promise<void> {
  await context.addInitScript((countListElements) => {
    const w = window as unknown as BenchWindow & { __name?: (f: unknown) => unknown };
    w.__name = (f) => f;
    if (!countListElements) return;
    w.__benchDomMax = 0;
    new MutationObserver(() => {
      const count = document.querySelectorAll('ol.entries, ol.entries *').length;
      if (count > (w.__benchDomMax ?? 0)) w.__benchDomMax = count;
    }).observe(document, { childList: true, subtree: true });
  }, options.countListElements ?? false);
}

/**
 * Starts watching for `target`. With a `trigger` event name, the clock starts
 * when that event is dispatched (capture phase, before the app's handlers);
 * without one, it starts now. Read the result with `seen`.
 */
export async function watchFor(page: Page, target: Target, trigger: 'click' | 'change' | null, timeoutMs: number): Promise<void> {
  await page.evaluate(
    ({ target, trigger, timeoutMs }) => {
      const w = window as unknown as BenchWindow;
      const epoch = () => performance.timeOrigin + performance.now();
      w.__benchSeen = new Promise((resolve, reject) => {
        let triggeredAt = trigger ? -1 : epoch();
        const inView = (el: Element) => {
          const rect = el.getBoundingClientRect();
          return rect.bottom > 0 && rect.top < window.innerHeight && rect.height > 0;
        };
        let done = false;
        const check = () => {
          if (done || triggeredAt < 0) return;
          const found = [...document.querySelectorAll(target.selector)].some((el) => el.textContent === target.text && (!target.inViewport || inView(el)));
          if (!found) return;
          done = true;
          observer.disconnect();
          clearTimeout(timer);
          // The next frame is the one that paints it.
          requestAnimationFrame(() => resolve({ triggeredAt, seenAt: epoch() }));
        };
        // Mutations catch new text at once; a check every frame catches what only moved into view (scrolling mutates nothing).
        const observer = new MutationObserver(check);
        observer.observe(document, { childList: true, subtree: true, characterData: true });
        const everyFrame = () => {
          check();
          if (!done) requestAnimationFrame(everyFrame);
        };
        requestAnimationFrame(everyFrame);
        const timer = setTimeout(() => {
          done = true;
          observer.disconnect();
          reject(new Error(`${target.selector} with text "${target.text}" not on screen within ${timeoutMs} ms`));
        }, timeoutMs);
        if (trigger) {
          document.addEventListener(trigger, () => (triggeredAt = epoch()), { capture: true, once: true });
        } else {
          check();
        }
      });
      w.__benchSeen.catch(() => undefined);
    },
    { target, trigger, timeoutMs },
  );
}

/** What `watchFor` saw: the trigger's and the sighting's times, ms since 1970. */
export async function seen(page: Page): Promise<{ triggeredAt: number; seenAt: number }> {
  return page.evaluate(() => {
    const pending = (window as unknown as BenchWindow).__benchSeen;
    if (!pending) throw new Error('watchFor() first');
    return pending;
  });
}

/** Elements in the timeline's list now, and the most seen at any moment since the page loaded (null unless counted). */
export async function listElements(page: Page): Promise<{ now: number; max: number | null }> {
  return page.evaluate(() => ({
    now: document.querySelectorAll('ol.entries, ol.entries *').length,
    max: (window as unknown as BenchWindow).__benchDomMax ?? null,
  }));
}

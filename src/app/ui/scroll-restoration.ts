import { useLayoutEffect } from 'react';
import { useLocation, useNavigationType } from 'react-router';

const STORAGE_KEY = 'scroll-positions';

/** Scroll offsets by history entry, kept across reloads of the tab like the browser's own. */
const positions: Record<string, number> = readPositions();

function readPositions(): Record<string, number> {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * Back and forward come back to where the reader was on that page; any other
 * navigation starts at the top, or at the element its #hash names. Runs after
 * the new view is on screen (navigations render in a transition, so the view
 * already has its data), which the browser's own restoration cannot know.
 */
export function useScrollRestoration(): void {
  const { key, hash } = useLocation();
  const action = useNavigationType();

  useLayoutEffect(() => {
    history.scrollRestoration = 'manual';
    const save = () => {
      try {
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(positions));
      } catch {
        // Private modes may refuse storage: positions then last as long as the page.
      }
    };
    window.addEventListener('pagehide', save);
    return () => window.removeEventListener('pagehide', save);
  }, []);

  useLayoutEffect(() => {
    const saved = positions[key];
    const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    if (action === 'POP' && saved !== undefined) window.scrollTo(0, saved);
    else if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
    const record = () => void (positions[key] = window.scrollY);
    window.addEventListener('scroll', record, { passive: true });
    return () => window.removeEventListener('scroll', record);
  }, [key, hash, action]);
}

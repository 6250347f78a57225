import { useLayoutEffect } from 'react';
import { useLocation, useNavigationType } from 'react-router';

/** A record kept for the tab in sessionStorage, so it outlives a reload as the browser's own scroll positions do. */
export function sessionRecord<T>(name: string): Record<string, T> {
  let record: Record<string, T> = {};
  try {
    record = JSON.parse(sessionStorage.getItem(name) ?? '{}') as Record<string, T>;
  } catch {
    // Unreadable or refused (some private modes): start afresh.
  }
  window.addEventListener('pagehide', () => {
    try {
      sessionStorage.setItem(name, JSON.stringify(record));
    } catch {
      // Refused: the record then lasts as long as the page.
    }
  });
  return record;
}

/** Scroll offsets by history entry. */
const positions = sessionRecord<number>('scroll-positions');

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

import { useEffect, type RefObject } from 'react';

let firstView = true;

/**
 * Moves focus to a view's heading after an in-app navigation, so screen reader
 * and keyboard users start where the new content starts. The first view of a
 * visit keeps the browser's own focus.
 */
export function useFocusOnArrival(ref: RefObject<HTMLElement | null>, key: unknown): void {
  useEffect(() => {
    if (firstView) {
      firstView = false;
      return;
    }
    ref.current?.focus({ preventScroll: true });
  }, [ref, key]);
}

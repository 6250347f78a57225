/**
 * Where the reader was in the timeline, by history entry: the row at the top
 * of the screen and how far it is scrolled past. After a reload the rows'
 * heights are not known again, so the window's scroll offset alone would land
 * on another row; this finds the row again.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useLocation, useNavigationType } from 'react-router';
import type { WindowVirtualizerHandle } from 'virtua';
import { sessionRecord } from '../ui/scroll-restoration.ts';

const anchors = sessionRecord<[row: number, offset: number]>('timeline-anchors');

/** The row is back in place once it has not moved for this long; restoring gives up after GIVE_UP_MS. */
const SETTLED_MS = 500;
const GIVE_UP_MS = 3000;

/** Input that means the reader is scrolling: restoring stops fighting it. */
const READER_INPUT = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

interface AnchorOptions {
  /** Whether to restore at all: not when the heights measured in this visit are back (useScrollRestoration's offset is exact then). */
  restore: boolean;
  /** Whether the row has its entry (and the row before, for its day heading): a placeholder is shorter. */
  ready: (row: number) => boolean;
  /** Asks for the row's entry. */
  load: (row: number) => void;
}

/** Restores the anchored row on a back, forward or reload; returns what records the row now at the top. */
export function useRowAnchor(list: RefObject<WindowVirtualizerHandle | null>, { restore, ready, load }: AnchorOptions): (top: number) => void {
  const { key } = useLocation();
  const action = useNavigationType();
  const restoring = useRef(action === 'POP' && restore ? anchors[key] : undefined);

  useEffect(() => {
    const anchor = restoring.current;
    if (!anchor) return;
    const [row, offset] = anchor;
    if (!ready(row)) return load(row);
    restoring.current = undefined;
    list.current?.scrollToIndex(row, { align: 'start', offset });
    // Rows drawn meanwhile are measured later and move it: put it back until it has stayed put for half a
    // second (three at the most), unless the reader scrolls first.
    let stopped = false;
    const stop = () => void (stopped = true);
    for (const input of READER_INPUT) window.addEventListener(input, stop, { passive: true, once: true });
    const started = performance.now();
    let still = started;
    const settle = (now: number) => {
      const top = document.querySelector(`ol.entries > li[data-index="${row}"]`)?.getBoundingClientRect().top;
      if (!stopped && top !== undefined && Math.abs(top + offset) > 1) {
        window.scrollBy(0, top + offset);
        still = now;
      }
      if (!stopped && now - still < SETTLED_MS && now - started < GIVE_UP_MS) requestAnimationFrame(settle);
      else for (const input of READER_INPUT) window.removeEventListener(input, stop);
    };
    requestAnimationFrame(settle);
  });

  const remember = (top: number) => {
    const handle = list.current;
    const listTop = document.querySelector('ol.entries')?.getBoundingClientRect().top;
    if (!handle || listTop === undefined) return;
    // The row's offset is rounded differently from the list's, hence max(); at the top of the page, the
    // scroll offset alone finds the place.
    const above = handle.scrollOffset - (listTop + window.scrollY) - handle.getItemOffset(top);
    if (handle.scrollOffset > listTop + window.scrollY) anchors[key] = [top, Math.max(0, Math.round(above))];
    else delete anchors[key];
  };

  // Rows can change height after the last scroll event (their entries arrive): record the place once more as
  // the page goes. A capturing listener runs before sessionRecord's, which saves the record.
  useEffect(() => {
    const onHide = () => {
      const handle = list.current;
      if (handle) remember(handle.findItemIndex(handle.scrollOffset + 1));
    };
    window.addEventListener('pagehide', onHide, { capture: true });
    return () => window.removeEventListener('pagehide', onHide, { capture: true });
  });

  return remember;
}

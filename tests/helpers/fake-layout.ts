/**
 * jsdom lays nothing out, and the timeline's virtual list draws only rows it
 * has measured. This gives it a window 1,000 px tall and every row 100 px, so
 * the first ten or so rows are drawn. Real layout is tested in Chromium.
 */
export function installFakeLayout(): void {
  if ((window as { ResizeObserver?: unknown }).ResizeObserver) return;
  Object.defineProperty(document, 'scrollingElement', { configurable: true, get: () => document.documentElement });
  Object.defineProperty(document.documentElement, 'clientHeight', { configurable: true, get: () => 1000 });
  Object.defineProperty(HTMLElement.prototype, 'offsetParent', {
    configurable: true,
    get(this: HTMLElement) {
      return this.parentElement;
    },
  });
  window.ResizeObserver = class {
    constructor(private readonly report: ResizeObserverCallback) {}
    observe(target: Element): void {
      queueMicrotask(() => this.report([{ target, contentRect: { width: 800, height: 100 } } as unknown as ResizeObserverEntry], this));
    }
    unobserve(): void {}
    disconnect(): void {}
  };
}

/**
 * Every request a browser context makes, the service worker's included, with
 * the gzip size of each response body: the local servers do not compress, a
 * real host would.
 */
import type { BrowserContext, Request } from 'playwright-core';
import { gzipSize } from './disk.ts';

export type Kind = 'html' | 'js' | 'css' | 'data' | 'other';
export const KINDS: readonly Kind[] = ['html', 'js', 'css', 'data', 'other'];

export interface LoggedRequest {
  /** Path and query for the site's own requests, the full URL for others. */
  url: string;
  kind: Kind;
  /** Label of the step that was running when the request was made. */
  phase: string;
  /** Made by the service worker itself (precache, or a fetch on the page's behalf). */
  bySW: boolean;
  /** Answered by the service worker rather than the network. */
  viaSW: boolean;
  offSite: boolean;
  status: number | null;
  bytes: number;
  gzipBytes: number;
  failed?: string;
}

export interface Tally {
  requests: number;
  bytes: number;
  gzipBytes: number;
  gzipByKind: Record<Kind, number>;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  phase = '';
  private inflight = 0;
  private lastActivity = performance.now();
  private bodies = new Set<Promise<void>>();
  private byRequest = new WeakMap<Request, LoggedRequest>();

  constructor(
    context: BrowserContext,
    private readonly origin: string,
    private readonly base: string,
  ) {
    context.on('request', (request) => this.started(request));
    context.on('requestfinished', (request) => this.finished(request));
    context.on('requestfailed', (request) => this.ended(request, request.failure()?.errorText ?? 'failed'));
  }

  /** Resolves once no request has been open for `quietMs` (or after `maxMs`), with every body measured. */
  async settle(quietMs = 500, maxMs = 20_000): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (performance.now() < deadline && (this.inflight > 0 || performance.now() - this.lastActivity < quietMs)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(this.bodies);
  }

  /** The site's own requests made by the page (not by the service worker) during `phase`. */
  pageRequests(phase: string): LoggedRequest[] {
    return this.entries.filter((e) => e.phase === phase && !e.offSite && !e.bySW);
  }

  static tally(entries: readonly LoggedRequest[]): Tally {
    const gzipByKind = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    let bytes = 0;
    let gzipBytes = 0;
    for (const e of entries) {
      bytes += e.bytes;
      gzipBytes += e.gzipBytes;
      gzipByKind[e.kind] += e.gzipBytes;
    }
    return { requests: entries.length, bytes, gzipBytes, gzipByKind };
  }

  private started(request: Request): void {
    const url = new URL(request.url());
    const offSite = url.origin !== this.origin;
    const entry: LoggedRequest = {
      url: offSite ? request.url() : url.pathname + url.search,
      kind: this.kindOf(url, request.resourceType()),
      phase: this.phase,
      bySW: request.serviceWorker() !== null,
      viaSW: false,
      offSite,
      status: null,
      bytes: 0,
      gzipBytes: 0,
    };
    this.entries.push(entry);
    this.byRequest.set(request, entry);
    this.inflight++;
    this.lastActivity = performance.now();
  }

  private finished(request: Request): void {
    const entry = this.byRequest.get(request);
    if (!entry) return;
    const measured = (async () => {
      const response = await request.response();
      entry.status = response?.status() ?? null;
      entry.viaSW = response?.fromServiceWorker() ?? false;
      try {
        const body = (await response?.body()) ?? Buffer.alloc(0);
        entry.bytes = body.length;
        entry.gzipBytes = body.length === 0 ? 0 : gzipSize(body);
      } catch {
        // Chromium keeps no body for some responses (redirects, some service worker answers): count what went over the wire.
        entry.bytes = entry.gzipBytes = (await request.sizes().catch(() => ({ responseBodySize: 0 }))).responseBodySize;
      }
    })().finally(() => {
      this.ended(request);
      this.bodies.delete(measured);
    });
    this.bodies.add(measured);
  }

  private ended(request: Request, failure?: string): void {
    const entry = this.byRequest.get(request);
    if (!entry) return;
    this.byRequest.delete(request);
    if (failure) entry.failed = failure;
    this.inflight--;
    this.lastActivity = performance.now();
  }

  private kindOf(url: URL, resourceType: string): Kind {
    const path = url.pathname;
    if (/\.m?js$/.test(path)) return 'js';
    if (path.endsWith('.css')) return 'css';
    if (path.startsWith(`${this.base}data/`) || path.endsWith('.json')) return 'data';
    // An article's page fetched by the app is its data (bundle.ts readArticlePage); opened by the browser, a page.
    if (resourceType !== 'document' && path.startsWith(`${this.base}a/`) && path.endsWith('.html')) return 'data';
    if (resourceType === 'document' || path.endsWith('.html') || path.endsWith('/')) return 'html';
    return 'other';
  }
}

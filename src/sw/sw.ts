/// <reference lib="webworker" />
/**
 * The service worker, composed from Workbox: the app shell is precached; data
 * and images are cached at run time by Workbox strategies. Vite-plugin-pwa
 * injects the precache manifest (`self.__WB_MANIFEST`) at build time.
 */
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { warmStrategyCache } from 'workbox-recipes';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { PAGES_DIR } from '../content/bundle.ts';
import { CACHES, IMAGE_CACHE_LIMIT, SKIP_WAITING } from '../content/offline.ts';

declare let self: ServiceWorkerGlobalScope;

const scope = new URL(self.registration.scope).pathname;
const entries = self.__WB_MANIFEST.map((e) => (typeof e === 'string' ? { url: e, revision: null } : e));
const isAsset = (url: string) => url.startsWith('assets/') || url.startsWith(`${scope}assets/`);

// Hashed JS and CSS go to a cache that updates never empty: a tab still running an older
// version can load the chunks it has not loaded yet. Everything else is the precached shell.
const assets = new CacheFirst({ cacheName: CACHES.assets, plugins: [new ExpirationPlugin({ maxEntries: 300 })] });
warmStrategyCache({ urls: entries.filter((e) => isAsset(e.url)).map((e) => new URL(e.url, self.registration.scope).href), strategy: assets });
registerRoute(({ url }) => url.origin === self.location.origin && url.pathname.startsWith(`${scope}assets/`), assets);

precacheAndRoute(entries.filter((e) => !isAsset(e.url)));
cleanupOutdatedCaches();

// Every in-app address opens the app shell, so deep links work offline: `/` its precached index.html (above),
// which lists the newest articles until the app shows the timeline; any other address 404.html, the same
// shell with nothing in it, so that an article opened offline does not show that list first.
registerRoute(new NavigationRoute(createHandlerBoundToURL(`${scope}404.html`)));

const data = (path: string) => ({ url }: { url: URL }) => url.origin === self.location.origin && url.pathname.startsWith(`${scope}data/${path}`);

// Timeline pages have content-hashed names: what is cached is never stale.
registerRoute(data('timeline/'), new CacheFirst({ cacheName: CACHES.timeline, plugins: [new ExpirationPlugin({ maxEntries: 2000 })] }));

// Articles, read by the app from their pages (not the navigations to them, which the shell answers): fresh
// from the network when it answers, from the cache when it does not. No expiry: this cache holds what the
// reader saved for offline.
registerRoute(
  ({ request, url }) => request.mode !== 'navigate' && url.origin === self.location.origin && url.pathname.startsWith(`${scope}${PAGES_DIR}/`) && url.pathname.endsWith('.html'),
  new NetworkFirst({ cacheName: CACHES.articles, networkTimeoutSeconds: 4 }),
);

// Remote images: bounded in count, and opaque answers (no CORS) only within that bound.
registerRoute(
  ({ request, url }) => request.destination === 'image' && url.origin !== self.location.origin,
  new CacheFirst({
    cacheName: CACHES.images,
    plugins: [
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({ maxEntries: IMAGE_CACHE_LIMIT, maxAgeSeconds: 60 * 86_400, purgeOnQuotaError: true }),
    ],
  }),
);

// Articles saved by versions before the page became the article's file (bundle version 3 and earlier) are JSON
// under data/articles/: nothing reads them any more, and an archive saved for offline would keep their space.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.open(CACHES.articles).then(async (cache) => {
      const stale = (await cache.keys()).filter((request) => new URL(request.url).pathname.startsWith(`${scope}data/articles/`));
      await Promise.all(stale.map((request) => cache.delete(request)));
    }),
  );
});

// The first version takes charge of open pages at once; later ones wait for the reader (UpdatePrompt).
clientsClaim();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === SKIP_WAITING) void self.skipWaiting();
});

/**
 * Names shared by the service worker and the app: the app's "save for offline"
 * writes into the same caches the service worker reads from. Changing a name
 * orphans what readers saved under the old one, so names carry a version and
 * change only with a migration.
 */
export const CACHES = {
  /** Hashed JS and CSS of every version seen, kept so an open tab on an older version keeps working. */
  assets: 'news-assets-v1',
  /** Timeline pages and facet indexes (content-hashed names: never stale). */
  timeline: 'news-timeline-v1',
  /** Article pages (each article's file), by URL: everything opened or saved for offline. */
  articles: 'news-articles-v1',
  /** Remote article images, bounded in count. */
  images: 'news-images-v1',
} as const;

/** Remote images kept for offline reading. Opaque responses count as several MB each against the quota in Chromium. */
export const IMAGE_CACHE_LIMIT = 60;

/** Message the app posts to a waiting service worker when the reader accepts an update. */
export const SKIP_WAITING = 'SKIP_WAITING';

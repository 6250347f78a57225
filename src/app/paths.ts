/** Every in-app URL is built here; components never assemble paths by hand. */

export interface TimelineFilter {
  /** A sourceId, e.g. `rfi.fr`. */
  source?: string;
  /** A section name, e.g. `国际`. */
  section?: string;
}

export const ROUTES = {
  timeline: '/',
  article: '/a/:id/:slug?',
  offline: '/offline',
} as const;

export const paths = {
  timeline(filter: TimelineFilter = {}): string {
    const query = new URLSearchParams();
    if (filter.source) query.set('source', filter.source);
    if (filter.section) query.set('section', filter.section);
    const text = query.toString();
    return text ? `/?${text}` : '/';
  },
  article(id: string): string {
    return `/a/${id}`;
  },
  offline(): string {
    return '/offline';
  },
};

export function readFilter(search: URLSearchParams): TimelineFilter {
  return { source: search.get('source') ?? undefined, section: search.get('section') ?? undefined };
}

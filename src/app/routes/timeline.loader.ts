import type { LoaderFunctionArgs } from 'react-router';
import type { Manifest } from '../../content/bundle.ts';
import type { ArchiveClient } from '../data/archive-client.ts';
import { readFilter } from '../paths.ts';

export interface TimelineData {
  manifest: Manifest;
  /** Positions matching the filter, or null for the whole timeline. */
  positions: number[] | null;
}

export function timelineLoader(client: ArchiveClient) {
  return async ({ request }: LoaderFunctionArgs): Promise<TimelineData> => {
    const filter = readFilter(new URL(request.url).searchParams);
    const [manifest, positions] = await Promise.all([client.getManifest(), client.positions(filter)]);
    // The first screen should not wait for a second round trip.
    const first = positions ? positions[0] : 0;
    if (first !== undefined && manifest.articleCount > 0) await client.getTimelinePage(Math.floor(first / manifest.pageSize));
    return { manifest, positions };
  };
}


import type { Manifest } from '../../content/bundle.ts';
import type { Loader } from '../route-data.ts';
import { readFilter } from '../paths.ts';

export interface TimelineData {
  manifest: Manifest;
  /** Positions matching the filter, or null for the whole timeline. */
  positions: number[] | null;
}

export const timelineLoader: Loader<TimelineData> = async (client, { search }) => {
  const [manifest, positions] = await Promise.all([client.getManifest(), client.positions(readFilter(search))]);
  // The first screen should not wait for a second round trip.
  const first = positions ? positions[0] : 0;
  if (first !== undefined && manifest.articleCount > 0) await client.getTimelinePage(Math.floor(first / manifest.pageSize));
  return { manifest, positions };
};

/**
 * Each route's data, started when a navigation renders its route and read by
 * the view with React's `use()`, so a view's code and its data download side
 * by side. Data is kept per history entry: going back to a view finds the
 * same promise, already settled; a new visit, or coming back to a view that
 * failed, loads again. The archive client keeps what it fetched, so loading again is cheap.
 */
import { createContext, use } from 'react';
import { useLocation, type Params } from 'react-router';
import type { ArchiveClient } from './data/archive-client.ts';

export interface LoaderArgs {
  params: Params;
  search: URLSearchParams;
}

/** A route's loader: what its view needs before it can show anything. */
export type Loader<T> = (client: ArchiveClient, args: LoaderArgs) => Promise<T>;

/** What a route's view is given: the archive client and its loader's promise. */
export interface ViewProps<T> {
  client: ArchiveClient;
  data: Promise<T>;
}

/** Bumped when the bundle changed (the dev server says when), so every view loads its data again. */
export const DataRevision = createContext(0);

/** History entries remembered: enough for going back and forth a while. */
const KEPT = 50;

interface Loaded {
  data: Promise<unknown>;
  failed: boolean;
}
const loadedBy = new WeakMap<ArchiveClient, Map<string, Loaded>>();

export function useRouteData<T>(client: ArchiveClient, load: Loader<T>, params: Params): Promise<T> {
  const { key, pathname, search } = useLocation();
  const id = `${use(DataRevision)} ${key} ${pathname}${search}`;
  let loaded = loadedBy.get(client);
  if (!loaded) loadedBy.set(client, (loaded = new Map()));
  let entry = loaded.get(id);
  if (!entry) {
    // A load that failed is kept while its view shows the error (forgetting it there would load again and
    // again), and forgotten at the next navigation, so that coming back to that entry tries again.
    for (const [other, { failed }] of loaded) if (failed) loaded.delete(other);
    const added: Loaded = { data: load(client, { params, search: new URLSearchParams(search) }), failed: false };
    added.data.catch(() => void (added.failed = true));
    loaded.set(id, (entry = added));
    if (loaded.size > KEPT) loaded.delete(loaded.keys().next().value!);
  }
  return entry.data as Promise<T>;
}

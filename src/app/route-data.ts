/**
 * Each route's data, started when a navigation renders its route and read by
 * the view with React's `use()`, so a view's code and its data download side
 * by side. Data is kept per history entry: going back to a view finds the
 * same promise, already settled, and a new visit (after an error, say) loads
 * again. The archive client keeps what it fetched, so loading again is cheap.
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
const loadedBy = new WeakMap<ArchiveClient, Map<string, Promise<unknown>>>();

export function useRouteData<T>(client: ArchiveClient, load: Loader<T>, params: Params): Promise<T> {
  const { key, pathname, search } = useLocation();
  const id = `${use(DataRevision)} ${key} ${pathname}${search}`;
  let loaded = loadedBy.get(client);
  if (!loaded) loadedBy.set(client, (loaded = new Map()));
  let data = loaded.get(id) as Promise<T> | undefined;
  if (!data) {
    data = load(client, { params, search: new URLSearchParams(search) });
    loaded.set(id, data);
    if (loaded.size > KEPT) loaded.delete(loaded.keys().next().value!);
  }
  return data;
}

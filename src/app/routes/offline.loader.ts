import type { Manifest } from '../../content/bundle.ts';
import type { Loader } from '../route-data.ts';

/** The months and their sizes, to choose what to save. */
export const offlineLoader: Loader<Manifest> = (client) => client.getManifest();

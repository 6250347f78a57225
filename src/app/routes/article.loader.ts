import type { Article } from '../../content/bundle.ts';
import type { Loader } from '../route-data.ts';

/** The article, or null when the archive has none with this id. */
export const articleLoader: Loader<Article | null> = (client, { params }) => client.getArticle(params.id ?? '');

import type { LoaderFunctionArgs } from 'react-router';
import type { Article } from '../../content/bundle.ts';
import type { ArchiveClient } from '../data/archive-client.ts';

/** Loaded before the view's code arrives, so data and code download side by side. */
export function articleLoader(client: ArchiveClient) {
  return ({ params }: LoaderFunctionArgs): Promise<Article | null> => client.getArticle(params.id ?? '');
}

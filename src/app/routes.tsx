/** The route table: one entry per view, each view in a module of its own. */
import type { RouteObject } from 'react-router';
import type { ArchiveClient } from './data/archive-client.ts';
import { ROUTES } from './paths.ts';
import { articleLoader } from './routes/article.loader.ts';
import { RouteError } from './routes/error.tsx';
import { timelineLoader } from './routes/timeline.loader.ts';
import { Layout } from './ui/Layout.tsx';

export function createRoutes(client: ArchiveClient): RouteObject[] {
  return [
    {
      element: <Layout />,
      hydrateFallbackElement: <p className="loading">载入中…</p>,
      children: [
        {
          errorElement: <RouteError />,
          children: [
            {
              path: ROUTES.timeline,
              loader: timelineLoader(client),
              lazy: async () => {
                const { Timeline } = await import('./routes/timeline.tsx');
                return { Component: () => <Timeline client={client} /> };
              },
            },
            {
              path: ROUTES.article,
              loader: articleLoader(client),
              lazy: async () => ({ Component: (await import('./routes/article.tsx')).ArticleView }),
            },
            {
              path: ROUTES.offline,
              loader: () => client.getManifest(),
              lazy: async () => {
                const { SaveOffline } = await import('./routes/offline.tsx');
                return { Component: () => <SaveOffline client={client} /> };
              },
            },
            {
              path: '*',
              lazy: async () => ({ Component: (await import('./routes/not-found.tsx')).NotFound }),
            },
          ],
        },
      ],
    },
  ];
}

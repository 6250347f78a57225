/** The route table: one entry per view, each view in a module of its own, loaded on first use. */
import { lazy, type ComponentType } from 'react';
import { Route, Routes, useParams } from 'react-router';
import type { ArchiveClient } from './data/archive-client.ts';
import { ROUTES } from './paths.ts';
import { useRouteData, type Loader, type ViewProps } from './route-data.ts';
import { articleLoader } from './routes/article.loader.ts';
import { offlineLoader } from './routes/offline.loader.ts';
import { timelineLoader } from './routes/timeline.loader.ts';
import { Layout } from './ui/Layout.tsx';

const Timeline = lazy(async () => ({ default: (await import('./routes/timeline.tsx')).Timeline }));
const ArticleView = lazy(async () => ({ default: (await import('./routes/article.tsx')).ArticleView }));
const SaveOffline = lazy(async () => ({ default: (await import('./routes/offline.tsx')).SaveOffline }));
const NotFound = lazy(async () => ({ default: (await import('./routes/not-found.tsx')).NotFound }));

export function AppRoutes({ client }: { client: ArchiveClient }) {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path={ROUTES.timeline} element={<RouteView client={client} load={timelineLoader} view={Timeline} />} />
        <Route path={ROUTES.article} element={<RouteView client={client} load={articleLoader} view={ArticleView} />} />
        <Route path={ROUTES.offline} element={<RouteView client={client} load={offlineLoader} view={SaveOffline} />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** Starts the route's loader, then renders its view, whose code may still be on its way. */
function RouteView<T>({ client, load, view: View }: { client: ArchiveClient; load: Loader<T>; view: ComponentType<ViewProps<T>> }) {
  const data = useRouteData(client, load, useParams());
  return <View client={client} data={data} />;
}

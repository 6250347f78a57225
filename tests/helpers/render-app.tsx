import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { ArchiveClient } from '../../src/app/data/archive-client.ts';
import { createRoutes } from '../../src/app/routes.tsx';
import { fakeFetch, type BundleFiles } from './bundle.ts';

/** The whole app over a memory router, reading `files` as its bundle. */
export function renderApp(path: string, files: BundleFiles) {
  const { fetcher, requests } = fakeFetch(files);
  const router = createMemoryRouter(createRoutes(new ArchiveClient('/', fetcher)), { initialEntries: [path] });
  const view = render(<RouterProvider router={router} />);
  return { ...view, router, requests };
}

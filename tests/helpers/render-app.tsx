import { act, render, type RenderResult } from '@testing-library/react';
import { MemoryRouter, useLocation, useNavigate, type Location, type NavigateFunction } from 'react-router';
import { ArchiveClient } from '../../src/app/data/archive-client.ts';
import { AppRoutes } from '../../src/app/routes.tsx';
import { fakeFetch, type BundleFiles } from './bundle.ts';
import { installFakeLayout } from './fake-layout.ts';

/**
 * The whole app over a memory router, reading `files` as its bundle (`options.unreachable`: files whose request gets no answer); `location()` is where it is now, and
 * `go(-1)` goes back as the browser's back button does. Rendered in an awaited act(), as React needs for views that suspend on their data.
 */
export async function renderApp(path: string, files: BundleFiles, options?: Parameters<typeof fakeFetch>[1]) {
  installFakeLayout();
  const { fetcher, requests } = fakeFetch(files, options);
  let current: Location | undefined;
  let navigate: NavigateFunction | undefined;
  function Spy() {
    current = useLocation();
    navigate = useNavigate();
    return null;
  }
  let view: RenderResult | undefined;
  await act(async () => {
    view = render(
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes client={new ArchiveClient('/', fetcher)} />
        <Spy />
      </MemoryRouter>,
    );
  });
  return { ...view!, location: () => current!, go: (delta: number) => act(async () => navigate!(delta)), requests };
}

/**
 * The app's router: react-router in declarative mode over the browser's
 * history. Each navigation renders in a transition, so the page on screen
 * stays until the next one has its code and data, and the layout shows a
 * progress bar meanwhile. The data router (createBrowserRouter) does the same
 * with loaders, at 17 KB gzip more on every first visit (decision 0010).
 */
import { createContext, useLayoutEffect, useState, useTransition, type ReactNode } from 'react';
import { Router, UNSAFE_createBrowserHistory as createBrowserHistory, type Location, type NavigationType } from 'react-router';

/** True while a navigation's view or data is still loading. */
export const NavigationPending = createContext(false);

export function AppRouter({ basename, children }: { basename: string; children: ReactNode }) {
  const [history] = useState(() => createBrowserHistory({ v5Compat: true }));
  const [state, setState] = useState<{ action: NavigationType; location: Location }>(() => ({ action: history.action, location: history.location }));
  const [pending, startTransition] = useTransition();
  useLayoutEffect(() => history.listen(({ action, location }) => startTransition(() => setState({ action, location }))), [history]);
  return (
    <NavigationPending value={pending}>
      <Router basename={basename} location={state.location} navigationType={state.action} navigator={history}>
        {children}
      </Router>
    </NavigationPending>
  );
}

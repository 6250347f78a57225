import { StrictMode, startTransition, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ArchiveClient } from './data/archive-client.ts';
import { installScriptUrlPolicy } from './pwa/script-url-policy.ts';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { DataRevision } from './route-data.ts';
import { AppRouter } from './router.tsx';
import { AppRoutes } from './routes.tsx';
import { applyPrefs, storedFontSize, storedTheme } from './ui/prefs.ts';
import './styles.css';

installScriptUrlPolicy(import.meta.env.BASE_URL);
applyPrefs(storedTheme(), storedFontSize());

const client = new ArchiveClient(import.meta.env.BASE_URL);

function App() {
  const [revision, setRevision] = useState(0);
  // In `npm run dev`, a changed seed reloads the data of the open view, which stays on screen meanwhile.
  useEffect(() => {
    const hot = import.meta.hot;
    if (!hot) return;
    const reload = () => {
      client.forget();
      startTransition(() => setRevision((n) => n + 1));
    };
    hot.on('news:bundle-updated', reload);
    return () => hot.off('news:bundle-updated', reload);
  }, []);
  return (
    <DataRevision value={revision}>
      <AppRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '') || '/'}>
        <AppRoutes client={client} />
      </AppRouter>
      <UpdatePrompt />
    </DataRevision>
  );
}

// No Suspense boundary: a view waits for its code and data with the page before it still on screen. The first
// render too, in a transition, so a prerendered article page stays as it is until the app can show the same.
const root = createRoot(document.getElementById('root')!);
startTransition(() =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);

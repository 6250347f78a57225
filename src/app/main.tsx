import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ArchiveClient } from './data/archive-client.ts';
import { installScriptUrlPolicy } from './pwa/script-url-policy.ts';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { createRoutes } from './routes.tsx';
import { applyPrefs, storedFontSize, storedTheme } from './ui/prefs.ts';
import './styles.css';

installScriptUrlPolicy(import.meta.env.BASE_URL);
applyPrefs(storedTheme(), storedFontSize());

const client = new ArchiveClient(import.meta.env.BASE_URL);
const router = createBrowserRouter(createRoutes(client), { basename: import.meta.env.BASE_URL.replace(/\/$/, '') || '/' });

// In `npm run dev`, a changed seed reloads the data of the open view.
if (import.meta.hot) {
  import.meta.hot.on('news:bundle-updated', () => {
    client.forget();
    void router.revalidate();
  });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
    <UpdatePrompt />
  </StrictMode>,
);

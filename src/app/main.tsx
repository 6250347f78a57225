import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ArticleSummary } from '../content/bundle.ts';
import { ArchiveClient } from './data/archive-client.ts';

const client = new ArchiveClient(import.meta.env.BASE_URL);

function App() {
  const [items, setItems] = useState<ArticleSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.getTimelinePage(0).then((page) => setItems(page.items), (e: unknown) => setError(String(e)));
  }, []);
  if (error) return <p role="alert">无法载入存档：{error}</p>;
  if (!items) return <p>载入中…</p>;
  return (
    <main>
      <h1>新闻存档</h1>
      <ul>
        {items.map((a) => (
          <li key={a.id}>
            <a href={a.url}>{a.title}</a> · {a.source}
          </li>
        ))}
      </ul>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

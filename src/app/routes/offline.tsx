import { use, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Manifest } from '../../content/bundle.ts';
import { OfflineStore, type SaveProgress } from '../data/offline-store.ts';
import { paths } from '../paths.ts';
import type { ViewProps } from '../route-data.ts';
import { useFocusOnArrival } from '../ui/focus.ts';

function megabytes(bytes: number): string {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}

/** Save the archive for offline: pick months, see the size first, watch the progress, cancel, resume. */
export function SaveOffline({ client, data }: ViewProps<Manifest>) {
  const manifest = use(data);
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusOnArrival(heading, 'offline');
  const store = useMemo(() => new OfflineStore(import.meta.env.BASE_URL, client), [client]);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(manifest.months.map((m) => m.month)));
  const [estimate, setEstimate] = useState<StorageEstimate | null>(null);
  const [progress, setProgress] = useState<SaveProgress | null>(null);
  const [state, setState] = useState<'idle' | 'saving' | 'done' | 'cancelled'>('idle');
  const [savedCount, setSavedCount] = useState(0);
  const controller = useRef<AbortController | null>(null);
  const cacheAvailable = typeof caches !== 'undefined';

  useEffect(() => {
    void navigator.storage?.estimate?.().then(setEstimate);
    if (cacheAvailable) void store.savedRevisions().then((saved) => setSavedCount(saved.size));
  }, [store, state, cacheAvailable]);

  const months = manifest.months.filter((m) => chosen.has(m.month));
  const count = months.reduce((n, m) => n + m.count, 0);
  const bytes = months.reduce((n, m) => n + m.bytes, 0);

  const start = async () => {
    controller.current = new AbortController();
    setState('saving');
    // Ask the browser not to evict what is saved when space runs low.
    void navigator.storage?.persist?.();
    const articles = await store.articlesOf(manifest, months);
    const result = await store.save(articles, setProgress, controller.current.signal);
    setState(controller.current.signal.aborted ? 'cancelled' : 'done');
    setProgress(result);
  };

  const toggle = (month: string) => {
    const next = new Set(chosen);
    if (next.has(month)) next.delete(month);
    else next.add(month);
    setChosen(next);
  };

  return (
    <main id="main" tabIndex={-1} className="message-page offline-page">
      <title>离线保存 · 新闻存档</title>
      <h1 ref={heading} tabIndex={-1}>
        离线保存
      </h1>
      <p>把存档下载到本机后，没有网络也能阅读。已打开过的文章会自动保存。</p>
      {!cacheAvailable ? (
        <p role="alert">这个浏览器不支持离线保存。</p>
      ) : (
        <>
          <p>
            已保存 {savedCount} 篇，共 {manifest.articleCount} 篇。
            {estimate?.quota ? ` 本机存储：已用 ${megabytes(estimate.usage ?? 0)}，可用约 ${megabytes(estimate.quota)}。` : ''}
          </p>
          {manifest.months.length > 1 && (
            <fieldset disabled={state === 'saving'}>
              <legend>选择月份</legend>
              <p>
                <button type="button" className="link-button" onClick={() => setChosen(new Set(manifest.months.map((m) => m.month)))}>
                  全选
                </button>
                <button type="button" className="link-button" onClick={() => setChosen(new Set())}>
                  全不选
                </button>
              </p>
              <ul className="months">
                {manifest.months.map((m) => (
                  <li key={m.month}>
                    <label>
                      <input type="checkbox" checked={chosen.has(m.month)} onChange={() => toggle(m.month)} /> {monthLabel(m.month)}（{m.count} 篇，约{' '}
                      {megabytes(m.bytes)}）
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          <p className="save-summary">
            将下载 {count} 篇文章，约 {megabytes(bytes)}（已保存且未更新的文章不会重复下载）。
          </p>
          {state === 'saving' ? (
            <button type="button" onClick={() => controller.current?.abort()}>
              取消
            </button>
          ) : (
            <button type="button" onClick={() => void start()} disabled={count === 0}>
              {state === 'cancelled' ? '继续保存' : '开始保存'}
            </button>
          )}
          {progress && (
            <div className="save-progress">
              <progress max={progress.total} value={progress.done} aria-label="保存进度" />
              <p role="status">
                {state === 'done'
                  ? `保存完成：${progress.done} 篇${progress.failed ? `，${progress.failed} 篇失败（可再试一次）` : ''}。`
                  : state === 'cancelled'
                    ? `已取消：保存了 ${progress.done} / ${progress.total} 篇，可随时继续。`
                    : `正在保存 ${progress.done} / ${progress.total} 篇…`}
              </p>
            </div>
          )}
        </>
      )}
      <p>
        <Link to={paths.timeline()}>回到时间线</Link>
      </p>
    </main>
  );
}

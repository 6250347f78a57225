import { useRegisterSW } from 'virtual:pwa-register/react';

const CHECK_EVERY = 30 * 60 * 1000;

/**
 * Registers the service worker (from the app's bundle: no inline script) and
 * tells the reader when a new version of the site is deployed. Nothing reloads
 * until the reader chooses to; workbox-window then posts SKIP_WAITING
 * (src/content/offline.ts) to the waiting worker.
 */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      // A tab left open for days still learns about new deployments.
      const check = () => {
        if (navigator.onLine && document.visibilityState === 'visible') void registration.update();
      };
      setInterval(check, CHECK_EVERY);
      document.addEventListener('visibilitychange', check);
      window.addEventListener('online', check);
    },
  });
  if (!needRefresh) return null;
  const accept = () => {
    // workbox-window reloads only pages that were controlled when they loaded; a first visit was not.
    navigator.serviceWorker?.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void updateServiceWorker(true);
  };
  return (
    <div className="update-prompt" role="alert">
      <p>本站有新版本。</p>
      <button type="button" onClick={accept}>
        立即更新
      </button>
      <button type="button" onClick={() => setNeedRefresh(false)}>
        稍后
      </button>
    </div>
  );
}

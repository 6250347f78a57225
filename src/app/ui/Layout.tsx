import { use, useEffect, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { RouteErrorBoundary } from '../routes/error.tsx';
import { NavigationPending } from '../router.tsx';
import { paths } from '../paths.ts';
import {
  FONT_SIZES,
  applyPrefs,
  saveFontSize,
  saveImageMode,
  saveTheme,
  storedFontSize,
  storedImageMode,
  storedTheme,
  type ImageMode,
  type Theme,
} from './prefs.ts';
import { ImageModeContext } from './image-mode.ts';
import { useScrollRestoration } from './scroll-restoration.ts';

const THEME_LABELS: Record<Theme, string> = { system: '跟随系统', light: '浅色', dark: '深色' };
const NEXT_THEME: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const IMAGE_LABELS: Record<ImageMode, string> = { click: '点击显示', auto: '自动显示' };
const NEXT_IMAGES: Record<ImageMode, ImageMode> = { click: 'auto', auto: 'click' };

export function Layout() {
  const pending = use(NavigationPending);
  const { key } = useLocation();
  useScrollRestoration();
  const online = useOnline();
  const [theme, setTheme] = useState(storedTheme);
  const [fontSize, setFontSize] = useState(storedFontSize);
  const [images, setImages] = useState(storedImageMode);
  const sizeIndex = FONT_SIZES.indexOf(fontSize);

  const changeTheme = () => {
    const next = NEXT_THEME[theme];
    setTheme(next);
    saveTheme(next);
    applyPrefs(next, fontSize, images);
  };
  const changeSize = (step: number) => {
    const next = FONT_SIZES[Math.min(FONT_SIZES.length - 1, Math.max(0, sizeIndex + step))]!;
    setFontSize(next);
    saveFontSize(next);
    applyPrefs(theme, next, images);
  };
  const changeImages = () => {
    const next = NEXT_IMAGES[images];
    setImages(next);
    saveImageMode(next);
    applyPrefs(theme, fontSize, next);
  };

  return (
    <>
      <a className="skip-link" href="#main">
        跳到正文
      </a>
      {pending && <div className="progress" role="progressbar" aria-label="载入中" />}
      <header className="site-header">
        <Link to={paths.timeline()} className="site-name">
          新闻存档
        </Link>
        <nav aria-label="站点">
          <Link to={paths.offline()}>离线保存</Link>
        </nav>
        <div className="controls" role="group" aria-label="阅读设置">
          <button type="button" onClick={() => changeSize(-1)} disabled={sizeIndex === 0} aria-label="A− 缩小字号">
            A−
          </button>
          <button type="button" onClick={() => changeSize(1)} disabled={sizeIndex === FONT_SIZES.length - 1} aria-label="A+ 放大字号">
            A+
          </button>
          <button type="button" onClick={changeTheme} aria-label={`主题：${THEME_LABELS[theme]}（点击切换）`}>
            {THEME_LABELS[theme]}
          </button>
          <button type="button" onClick={changeImages} aria-label={`图片：${IMAGE_LABELS[images]}（点击切换）`}>
            图片：{IMAGE_LABELS[images]}
          </button>
        </div>
      </header>
      {!online && (
        <p className="offline-banner" role="status">
          当前离线：可以阅读已打开或已保存的文章。
        </p>
      )}
      <RouteErrorBoundary location={key}>
        <ImageModeContext value={images}>
          <Outlet />
        </ImageModeContext>
      </RouteErrorBoundary>
      <footer className="site-footer">
        <p>
          文章版权归原媒体所有。本站不加载任何第三方脚本、字体或统计。文章图片存放在原媒体的服务器上，只在你点击“显示图片”或把图片设为“自动显示”时才从那里载入，不附带本站网址。
        </p>
      </footer>
    </>
  );
}

/** Whether the browser believes it is online, kept current. */
function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

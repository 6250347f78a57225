import { Component, type ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '../paths.ts';
import { BundleFormatError } from '../../content/bundle.ts';
import { NetworkError } from '../data/archive-client.ts';

/**
 * Shows RouteError in place of a view that failed (its data could not be
 * loaded, say), keeping the site's header; the next navigation tries again.
 */
export class RouteErrorBoundary extends Component<{ location: string; children: ReactNode }, { error: unknown; location: string; failed: boolean }> {
  override state = { error: undefined as unknown, location: this.props.location, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  static getDerivedStateFromProps(props: { location: string }, state: { location: string }) {
    return props.location === state.location ? null : { error: undefined, location: props.location, failed: false };
  }

  override render() {
    return this.state.failed ? <RouteError error={this.state.error} /> : this.props.children;
  }
}

/** What a reader sees when the archive cannot be loaded: a plain message, never a blank page. */
export function RouteError({ error }: { error: unknown }) {
  const detail = error instanceof Error ? error.message : String(error);
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  // No answer at all: the same advice as offline, whatever the browser believes about its connection.
  const unreachable = offline || error instanceof NetworkError;
  return (
    <main id="main" tabIndex={-1} className="message-page">
      <title>无法载入 · 新闻存档</title>
      <h1>无法载入存档</h1>
      {error instanceof BundleFormatError || error instanceof SyntaxError ? (
        <p>存档数据的格式无法识别，可能已损坏，或者由另一版本的程序生成。请重新生成网站。</p>
      ) : unreachable ? (
        <>
          <p>{offline ? '现在没有网络连接' : '现在连不上存档所在的网站'}，这部分内容也没有保存在本机。</p>
          <p>
            可以阅读<Link to={paths.timeline()}>时间线</Link>上已保存的文章；联网后可在<Link to={paths.offline()}>离线保存</Link>
            里下载整个存档。
          </p>
        </>
      ) : (
        <p>读取存档时出错。请检查网络后重试。</p>
      )}
      <p className="detail">
        <code>{detail}</code>
      </p>
      <p>
        <button type="button" onClick={() => window.location.reload()}>
          重试
        </button>
      </p>
    </main>
  );
}

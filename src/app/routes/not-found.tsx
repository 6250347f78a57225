import { useRef } from 'react';
import { Link, useLocation } from 'react-router';
import { paths } from '../paths.ts';
import { useFocusOnArrival } from '../ui/focus.ts';

export function NotFound() {
  const heading = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();
  useFocusOnArrival(heading, pathname);
  return (
    <main id="main" tabIndex={-1} className="message-page">
      <title>找不到页面 · 新闻存档</title>
      <h1 ref={heading} tabIndex={-1}>
        找不到这个页面
      </h1>
      <p>
        地址 <code>{pathname}</code> 不对应存档里的任何页面。
      </p>
      <p>
        <Link to={paths.timeline()}>回到时间线</Link>，从最新报道开始浏览。
      </p>
    </main>
  );
}

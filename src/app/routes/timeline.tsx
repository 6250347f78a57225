import { createContext, use, useEffect, useReducer, useRef, useState, type ReactNode, type Ref } from 'react';
import { WindowVirtualizer, type CacheSnapshot, type CustomContainerComponentProps, type CustomItemComponentProps, type WindowVirtualizerHandle } from 'virtua';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ArticleSummary, Manifest } from '../../content/bundle.ts';
import type { ArchiveClient } from '../data/archive-client.ts';
import type { ViewProps } from '../route-data.ts';
import { useRowAnchor } from './timeline-anchor.ts';
import type { TimelineData } from './timeline.loader.ts';
import { clockTime, dayKey, dayLabel } from '../data/dates.ts';
import { firstRowAtOrAfter, pagesFor, positionOf } from '../data/timeline-window.ts';
import { paths, readFilter } from '../paths.ts';
import { useFocusOnArrival } from '../ui/focus.ts';
import { ShortcutsDialog } from '../ui/ShortcutsDialog.tsx';

/** Row heights measured in this visit, per filter, so returning restores the exact scroll position. */
const measured = new Map<string, CacheSnapshot>();

/** The row chosen with j/k (or focused), -1 when none is. */
const SelectedRow = createContext(-1);

export function Timeline({ client, data }: ViewProps<TimelineData>) {
  const { manifest, positions } = use(data);
  const [search, setSearch] = useSearchParams();
  const filter = readFilter(search);
  const filterKey = search.toString();
  const navigate = useNavigate();
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<WindowVirtualizerHandle>(null);
  const [, pageArrived] = useReducer((n: number) => n + 1, 0);
  const [selected, setSelected] = useState(-1);
  const [top, setTop] = useState(0);
  const [showKeys, setShowKeys] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const rows = positions ? positions.length : manifest.articleCount;
  useFocusOnArrival(heading, filterKey);

  useEffect(() => {
    const handle = list.current;
    return () => void (handle && measured.set(filterKey, handle.cache));
  }, [filterKey]);

  const itemAt = (row: number): ArticleSummary | undefined => {
    if (row < 0 || row >= rows) return undefined;
    const position = positionOf(row, positions);
    return client.peekTimelinePage(Math.floor(position / manifest.pageSize))?.[position % manifest.pageSize];
  };

  /** Rows drawn without their page (a far jump, a fast scroll) ask for it once drawn. */
  const loadRow = (row: number) => {
    for (const page of pagesFor(row, row, positions, manifest.pageSize, rows)) {
      if (client.peekTimelinePage(page)) continue;
      client.getTimelinePage(page).then(pageArrived, (e: unknown) => setLoadError(String(e)));
    }
  };
  const rememberTop = useRowAnchor(list, {
    restore: !measured.has(filterKey),
    ready: (row) => itemAt(row) !== undefined && (row === 0 || itemAt(row - 1) !== undefined),
    load: loadRow,
  });
  const onScroll = () => {
    const handle = list.current;
    if (!handle) return;
    // The row under the top edge; one pixel down, so a row that starts there is not taken for the one above it.
    const row = handle.findItemIndex(handle.scrollOffset + 1);
    setTop(row);
    rememberTop(row);
  };

  // j/k move the selection, Enter opens it, ? lists the shortcuts.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea, dialog[open]')) return;
      const current = selectedRef.current;
      if (event.key === 'j' || event.key === 'k') {
        const next = Math.max(0, Math.min(rows - 1, current + (event.key === 'j' ? 1 : -1)));
        setSelected(next);
        list.current?.scrollToIndex(next, { align: 'nearest' });
        event.preventDefault();
      } else if (event.key === 'Enter' && current >= 0 && target === document.body) {
        const item = itemAt(current);
        if (item) navigate(paths.article(item.id));
      } else if (event.key === '?') {
        setShowKeys(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    if (selected < 0) return;
    const link = document.querySelector<HTMLAnchorElement>(`ol.entries > li[data-index="${selected}"] a.entry`);
    link?.focus({ preventScroll: true });
  });

  /** Scrolls so the month's newest article (under the current filter) is at the top. */
  const jumpToMonth = (month: string) => {
    const ref = manifest.months.find((m) => m.month === month);
    if (!ref || rows === 0) return;
    const row = Math.min(rows - 1, firstRowAtOrAfter(ref.start, positions));
    setSelected(row);
    list.current?.scrollToIndex(row, { align: 'start' });
  };

  const setFilter = (name: 'source' | 'section', value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSelected(-1);
    setSearch(next);
  };

  return (
    <main id="main" tabIndex={-1} className="timeline">
      <title>{filter.source || filter.section ? `${[filter.source && labelOf(manifest.sources, filter.source), filter.section].filter(Boolean).join(' · ')} · 新闻存档` : '新闻存档'}</title>
      <h1 ref={heading} tabIndex={-1}>
        最新报道
      </h1>
      <form className="filters" aria-label="筛选" onSubmit={(e) => e.preventDefault()}>
        <FacetSelect label="来源" all="全部来源" facets={manifest.sources} value={filter.source} onChange={(v) => setFilter('source', v)} />
        <FacetSelect label="栏目" all="全部栏目" facets={manifest.sections} value={filter.section} onChange={(v) => setFilter('section', v)} />
        <MonthSelect months={manifest.months} value={monthOf(itemAt(top))} onChange={jumpToMonth} />
        <p className="count" role="status">
          共 {rows} 篇
        </p>
        <button type="button" className="link-button" onClick={() => setShowKeys(true)}>
          快捷键
        </button>
      </form>
      {loadError && <p role="alert">部分时间线无法载入：{loadError}</p>}
      {rows === 0 ? (
        <p className="empty">{positions ? '没有符合筛选条件的文章。' : '存档里还没有文章。'}</p>
      ) : (
        <SelectedRow value={selected}>
          <WindowVirtualizer ref={list} as={List} item={Row} data={{ length: rows }} cache={measured.get(filterKey)} onScroll={onScroll}>
            {(_, row) => {
              const item = itemAt(row);
              const previous = itemAt(row - 1);
              const newDay = item && (row === 0 || (previous && dayKey(previous.published) !== dayKey(item.published)));
              return (
                <RowContent key={positionOf(row, positions)} loaded={item !== undefined && (row === 0 || previous !== undefined)} load={() => loadRow(row)}>
                  {newDay && <h2 className="day">{dayLabel(item.published)}</h2>}
                  {item ? (
                    <Entry item={item} onFocus={() => setSelected(row)} onIntent={() => prefetchArticle(client, item.id)} />
                  ) : (
                    <div className="entry placeholder" aria-hidden="true" />
                  )}
                </RowContent>
              );
            }}
          </WindowVirtualizer>
        </SelectedRow>
      )}
      {showKeys && <ShortcutsDialog onClose={() => setShowKeys(false)} />}
    </main>
  );
}

function List({ style, children, ref }: CustomContainerComponentProps) {
  return (
    <ol ref={ref as Ref<HTMLOListElement>} className="entries" style={style}>
      {children}
    </ol>
  );
}

function Row({ style, index, children, ref }: CustomItemComponentProps) {
  return (
    <li ref={ref as Ref<HTMLLIElement>} style={style} data-index={index} className={use(SelectedRow) === index ? 'selected' : undefined}>
      {children}
    </li>
  );
}

/** A row's content; until its timeline page (and the one before, for its day heading) is loaded, it asks for it. */
function RowContent({ loaded, load, children }: { loaded: boolean; load: () => void; children: ReactNode }) {
  useEffect(() => {
    if (!loaded) load();
  });
  return children;
}

/**
 * A pointer over an entry, a touch or keyboard focus says the reader may open
 * it: its data file and the article view's code are fetched then, so the click
 * finds them loaded.
 */
function prefetchArticle(client: ArchiveClient, id: string): void {
  client.getArticle(id).catch(() => undefined);
  import('./article.tsx').catch(() => undefined);
}

function Entry({ item, onFocus, onIntent }: { item: ArticleSummary; onFocus: () => void; onIntent: () => void }) {
  return (
    <Link
      to={paths.article(item.id)}
      className="entry"
      onFocus={() => {
        onFocus();
        onIntent();
      }}
      onPointerEnter={onIntent}
      onTouchStart={onIntent}
    >
      <div className="entry-text">
        <h3 lang={item.lang}>{item.title}</h3>
        <p className="meta">
          <span>{item.source}</span>
          {item.section && <span>{item.section}</span>}
          <time dateTime={new Date(item.published).toISOString()}>{clockTime(item.published)}</time>
        </p>
        <p className="excerpt" lang={item.lang}>
          {item.excerpt}
        </p>
      </div>
      {item.image && <img className="thumb" src={item.image} alt="" width={96} height={72} loading="lazy" decoding="async" referrerPolicy="no-referrer" onError={hide} />}
    </Link>
  );
}

/** A picture that cannot load (offline, blocked) is hidden rather than shown broken. */
function hide(event: { currentTarget: HTMLElement }): void {
  event.currentTarget.hidden = true;
}

function FacetSelect(props: { label: string; all: string; facets: Manifest['sources']; value: string | undefined; onChange: (value: string) => void }) {
  return (
    <label>
      {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.all}</option>
        {props.facets.map((f) => (
          <option key={f.key} value={f.key}>
            {f.label}（{f.count}）
          </option>
        ))}
      </select>
    </label>
  );
}

/** `YYYY-MM` (UTC, as the manifest's months) of an article, or '' while it is loading. */
function monthOf(item: ArticleSummary | undefined): string {
  return item ? new Date(item.published).toISOString().slice(0, 7) : '';
}

function MonthSelect(props: { months: Manifest['months']; value: string; onChange: (month: string) => void }) {
  return (
    <label>
      跳到月份
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.value === '' && <option value="">…</option>}
        {props.months.map((m) => (
          <option key={m.month} value={m.month}>
            {Number(m.month.slice(0, 4))}年{Number(m.month.slice(5))}月（{m.count}）
          </option>
        ))}
      </select>
    </label>
  );
}

function labelOf(facets: Manifest['sources'], key: string): string {
  return facets.find((f) => f.key === key)?.label ?? key;
}

import { useEffect, useRef } from 'react';

const SHORTCUTS: [string, string][] = [
  ['j', '下一篇'],
  ['k', '上一篇'],
  ['Enter', '打开选中的文章'],
  ['?', '显示快捷键'],
  ['Esc', '关闭本窗口'],
];

/** The keyboard shortcuts, in a modal dialog the browser manages (focus trap, Esc). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const node = dialog.current;
    if (node && !node.open) node.showModal?.();
  }, []);
  return (
    <dialog ref={dialog} className="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose} onCancel={onClose}>
      <h2 id="shortcuts-title">快捷键</h2>
      <dl>
        {SHORTCUTS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose} autoFocus>
        关闭
      </button>
    </dialog>
  );
}

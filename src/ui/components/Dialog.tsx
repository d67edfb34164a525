/**
 * A modal dialog: native <dialog> with showModal() (the page behind is
 * inert), Tab / Shift+Tab kept inside, Esc closes, focus returns to what
 * had it before.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from './Icon';

interface Props {
  title: string;
  /** Esc, the close button, and a click on the backdrop. Omit to require a choice. */
  onClose?: () => void;
  children: ComponentChildren;
  /** CSS class for sizing. */
  class?: string;
  /** What gets the focus first (a selector inside the dialog); default: the first focusable. */
  initialFocus?: string;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
let counter = 0;

export function Dialog({ title, onClose, children, class: cls, initialFocus }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useRef(`dlg-${++counter}`);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // What had the focus when the dialog was first drawn: the effect below
  // runs after a paint, and on a busy page the focus can move in between.
  const [opener] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));

  useEffect(() => {
    const el = ref.current!;
    const now = document.activeElement as HTMLElement | null;
    const before = opener && opener !== document.body ? opener : now;
    if (!el.open) {
      try {
        el.showModal();
      } catch {
        el.setAttribute('open', '');
      }
    }
    const first = (initialFocus && el.querySelector<HTMLElement>(initialFocus)) || el.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (el.open) el.close();
      if (!before || !document.contains(before)) return;
      before.focus();
      // Closing can settle the focus after this runs (the dialog's own focus
      // steps, its removal): put it back if it ended up nowhere.
      requestAnimationFrame(() => {
        const a = document.activeElement;
        if (document.contains(before) && a !== before && (!a || a === document.body)) before.focus();
      });
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      closeRef.current?.();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((n) => n.offsetParent !== null || n === document.activeElement);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && (document.activeElement === first || !ref.current!.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !ref.current!.contains(document.activeElement))) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      class={`dialog${cls ? ` ${cls}` : ''}`}
      aria-labelledby={id.current}
      aria-modal="true"
      onKeyDown={onKeyDown}
      // Esc on a native dialog fires "cancel": the choice stays ours.
      onCancel={(e) => {
        e.preventDefault();
        closeRef.current?.();
      }}
      onClick={(e) => {
        if (e.target === ref.current && onClose) onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={id.current}>{title}</h2>
        {onClose && (
          <button class="icon-btn" aria-label="Close" onClick={onClose}>
            <Icon name="close" size={12} />
          </button>
        )}
      </div>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}

/** A read-only text field with a Copy button (the clipboard when allowed, else the text is selected). */
export function CopyField({ label, value, rows = 1, id }: { label: string; value: string; rows?: number; id: string }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const status = useRef<HTMLSpanElement>(null);
  const copy = async () => {
    ref.current?.select();
    let ok = false;
    try {
      await navigator.clipboard.writeText(value);
      ok = true;
    } catch {
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    if (status.current) status.current.textContent = ok ? 'Copied.' : 'Select the text and copy it (Ctrl+C).';
  };
  return (
    <div class="copy-field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <textarea id={id} ref={ref} class="mono" readOnly rows={rows} value={value} onFocus={(e) => (e.target as HTMLTextAreaElement).select()} />
        <button class="btn small" type="button" onClick={() => void copy()} aria-describedby={`${id}-status`}>
          Copy
        </button>
      </div>
      <span id={`${id}-status`} ref={status} class="muted small copy-status" role="status" aria-live="polite" />
    </div>
  );
}

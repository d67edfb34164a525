/** A draggable, keyboard-operable splitter (role=separator) that resizes a CSS variable. */
import { useRef } from 'preact/hooks';

interface Props {
  label: string;
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  /** +1: dragging right/down grows the value; -1: shrinks it. */
  sign?: 1 | -1;
  onChange(v: number): void;
}

export function Splitter({ label, orientation, value, min, max, sign = 1, onChange }: Props) {
  const start = useRef<{ pos: number; value: number } | null>(null);
  const clamp = (v: number) => Math.max(min, Math.min(max, Math.round(v)));
  return (
    <div
      class={`splitter ${orientation}`}
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      onPointerDown={(e) => {
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        start.current = { pos: orientation === 'vertical' ? e.clientX : e.clientY, value };
        document.body.classList.add('resizing');
      }}
      onPointerMove={(e) => {
        if (!start.current) return;
        const pos = orientation === 'vertical' ? e.clientX : e.clientY;
        onChange(clamp(start.current.value + sign * (pos - start.current.pos)));
      }}
      onPointerUp={() => {
        start.current = null;
        document.body.classList.remove('resizing');
      }}
      onKeyDown={(e) => {
        const grow = orientation === 'vertical' ? ['ArrowRight'] : ['ArrowDown'];
        const shrink = orientation === 'vertical' ? ['ArrowLeft'] : ['ArrowUp'];
        const step = e.shiftKey ? 64 : 16;
        if (grow.includes(e.key)) onChange(clamp(value + sign * step));
        else if (shrink.includes(e.key)) onChange(clamp(value - sign * step));
        else return;
        e.preventDefault();
      }}
    />
  );
}

/** Small inline SVG icons (no icon font: every glyph renders, offline). */
const PATHS: Record<string, string> = {
  first: 'M4 3v10M13 3L6 8l7 5z',
  back: 'M12 3L5 8l7 5z',
  play: 'M5 3l8 5-8 5z',
  pause: 'M5 3h2v10H5zM9 3h2v10H9z',
  step: 'M4 3l7 5-7 5zM12 3v10',
  last: 'M3 3l7 5-7 5zM12 3v10',
  sun: 'M8 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6L13 13M3 13l1.4-1.4M11.6 4.4L13 3',
  moon: 'M12.5 10.5A5.5 5.5 0 0 1 5.5 3.5 5.5 5.5 0 1 0 12.5 10.5z',
  close: 'M4 4l8 8M12 4l-8 8',
  up: 'M3 10l5-5 5 5',
  down: 'M3 6l5 5 5-5',
  search: 'M7 2.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zM10.3 10.3L14 14',
  gear: 'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5zM8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6L13 13M3 13l1.4-1.4M11.6 4.4L13 3',
  files: 'M3 4h10M3 8h10M3 12h10',
};

export function Icon({ name, size = 14 }: { name: keyof typeof PATHS | string; size?: number }) {
  const filled = ['first', 'back', 'play', 'pause', 'step', 'last', 'moon'].includes(name);
  return (
    <svg class={`icon i-${name}`} width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name] ?? ''} fill={filled ? 'currentColor' : 'none'} stroke="currentColor" stroke-width={filled ? 1 : 1.6} stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

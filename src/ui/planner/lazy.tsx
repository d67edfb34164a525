/**
 * The planner mode, loaded on demand (it brings the planner and, in its
 * workers, the whole model; the first page stays small).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import { t } from '../i18n';

type View = ComponentType<{ query: string; embed?: boolean; onNotice?(n: { tone: 'info' | 'error'; text: string } | null): void }>;
let loaded: View | null = null;

export function PlannerMode(props: { query: string; embed?: boolean; onNotice?(n: { tone: 'info' | 'error'; text: string } | null): void }) {
  const [View, setView] = useState<View | null>(() => loaded);
  useEffect(() => {
    document.title = t('planner.docTitle');
    if (loaded) return;
    let alive = true;
    void import('./PlannerView').then((m) => {
      loaded = m.PlannerView;
      if (alive) setView(() => m.PlannerView);
    });
    return () => {
      alive = false;
    };
  }, []);
  if (!View) {
    return (
      <main class="main empty-main">
        <p class="muted">{t('planner.title')}…</p>
      </main>
    );
  }
  return <View {...props} />;
}

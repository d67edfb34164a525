/** The one line the page shows while the simulator is getting ready (or why it cannot). */
import { t } from '../i18n';
import type { SessionStatus } from './session';

export function statusText(s: SessionStatus): string | null {
  switch (s.phase) {
    case 'loading':
      return t('sim.loading');
    case 'starting':
      return s.total === 0 ? t('sim.loading') : t('sim.starting', { booted: s.booted, total: s.total });
    case 'failed':
      return s.error;
    case 'ready':
      return null;
  }
}

/**
 * What opening a share link does, decided without the DOM: a link that
 * carries code (edited lesson files) opens it in the editor and runs
 * nothing until the learner presses Run, as code playgrounds do: a link is
 * a stranger's code, and running it on open would let any link act in the
 * learner's browser the moment it is clicked.
 */
import { t } from '../i18n';
import type { ShareState } from './state';

export interface OpenPlan {
  /** Files of the link that the lesson has (only those open). */
  files: string[];
  /** Files of the link that the lesson does not have (ignored, and said so). */
  ignored: string[];
  /** True when the link brings code: it opens in the editor and waits for Run. */
  waitForRun: boolean;
  /** The banner text after opening when it waits for Run. */
  text: string;
}

export function planOpen(state: ShareState, lessonPaths: readonly string[]): OpenPlan {
  const all = Object.keys(state.files ?? {});
  const files = all.filter((p) => lessonPaths.includes(p));
  const ignored = all.filter((p) => !lessonPaths.includes(p));
  const opened = files.length === 1 ? t('safety.shared-opened.one') : t('safety.shared-opened.many', { n: files.length });
  const text = ignored.length ? `${opened} ${t('safety.shared-ignored', { names: ignored.slice(0, 5).join(', ') + (ignored.length > 5 ? ', …' : '') })}` : opened;
  return { files, ignored, waitForRun: files.length > 0, text };
}

/** A counter on <body> for tests and tools: shared links opened (whether or not they ran). */
export function countOpened(): void {
  document.body.dataset.sharesOpened = String(Number(document.body.dataset.sharesOpened ?? 0) + 1);
}

/**
 * Services of a replayed sandbox that failed to start: a boot that failed
 * leaves its service "starting" (or "crashed"); "stopped" is a step's doing.
 */
export function notStarted(services: readonly { id: string; state: string }[]): string[] {
  return services.filter((s) => s.state === 'starting' || s.state === 'crashed').map((s) => s.id);
}

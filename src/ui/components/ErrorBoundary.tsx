/**
 * Keeps one failing pane from taking the page down: without it, an error
 * thrown while rendering (a note whose text is not text, say) unmounts the
 * whole app and it stops updating. The pane shows what went wrong and a
 * retry; the other panes, the editor's buffers and the saved edits live on.
 */
import { Component, type ComponentChildren } from 'preact';
import { t } from '../i18n';

interface Props {
  /** Names the pane in the console and for assistive technology. */
  name: string;
  children: ComponentChildren;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static override getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown) {
    // Logged as a warning: the failure is handled and shown in the pane.
    console.warn(`[${this.props.name}] pane failed:`, error);
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const message = String(error.message || error.name || 'error').slice(0, 200);
    return (
      <section class="pane pane-failed" role="alert" aria-label={this.props.name} data-pane-failed={this.props.name}>
        <p>{t('safety.pane-failed', { message })}</p>
        <button class="btn small" onClick={() => this.setState({ error: null })}>
          {t('safety.pane-retry')}
        </button>
      </section>
    );
  }
}

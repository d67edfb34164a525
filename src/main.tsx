import { render } from 'preact';
import { App } from './ui/App';
import { applyTheme, initialTheme } from './ui/util/theme';
import { parseRoute } from './ui/util/route';
import { startServiceWorkers } from './runtime/browser/early';
import './ui/styles/theme.css';
import './ui/styles/app.css';

applyTheme(initialTheme());
render(<App />, document.getElementById('app')!);

// The simulator's workers take the longest to get ready (each loads the
// model): start them as soon as the first frame is out, in the modes that
// run a cluster, rather than after the lesson and the runtime's modules
// have loaded. The spawner takes them over (runtime/browser/early.ts).
const { name } = parseRoute(location.hash);
if (name === 'lesson' || name === 'sandbox' || name === 'share') {
  requestAnimationFrame(() => setTimeout(() => startServiceWorkers(5), 0));
}

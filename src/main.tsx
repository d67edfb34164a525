import { render } from 'preact';
import { App } from './ui/App';
import { applyTheme, initialTheme } from './ui/util/theme';
import { parseRoute } from './ui/util/route';
import { startServiceWorkers } from './runtime/browser/early';
import { expectFirstCluster } from './ui/util/startup';
import './ui/styles/theme.css';
import './ui/styles/app.css';

applyTheme(initialTheme());
// index.html's static header stands in until this first render.
const root = document.getElementById('app')!;
root.replaceChildren();
render(<App />, root);

// The simulator's workers take the longest to get ready (each loads the
// model): start them early, rather than after Monaco and the runtime's
// modules have loaded, but after what the reader sees first: in a lesson,
// once its text is on screen (they compete for the same cores); elsewhere
// once the first frame is out. The spawner takes them over (early.ts).
const { name } = parseRoute(location.hash);
// The modes that start a cluster at open: Monaco and the spares wait for it (startup.ts).
const startsCluster = name === 'lesson' || name === 'sandbox' || name === 'share';
if (startsCluster) expectFirstCluster();
const start = () => requestAnimationFrame(() => setTimeout(() => startServiceWorkers(5), 0));
if (name === 'lesson') {
  const shown = () => document.querySelector('.prose p') !== null;
  const watch = new MutationObserver(() => {
    if (!shown()) return;
    watch.disconnect();
    clearTimeout(fallback);
    start();
  });
  // A lesson whose text never shows still gets its workers.
  const fallback = setTimeout(() => {
    watch.disconnect();
    start();
  }, 3000);
  if (shown()) {
    clearTimeout(fallback);
    start();
  } else watch.observe(document.getElementById('app')!, { childList: true, subtree: true });
} else if (startsCluster) start();

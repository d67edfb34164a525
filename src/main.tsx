import { render } from 'preact';
import { App } from './ui/App';
import { applyTheme, initialTheme } from './ui/util/theme';
import './ui/styles/theme.css';
import './ui/styles/app.css';

applyTheme(initialTheme());
render(<App />, document.getElementById('app')!);

// Runs before the first paint (a classic script in <head>): the saved or
// preferred theme is on <html> before anything is drawn, so a dark-theme
// reader never sees a light page first, and embeds skip the static header
// the page shows while its JavaScript loads. Mirrors ui/util/theme.ts.
(function () {
  var root = document.documentElement;
  var q = new URLSearchParams(location.search);
  var e = q.get('embed');
  var embed = e !== null && e !== '0' && e !== 'false';
  var theme = null;
  if (embed) {
    root.setAttribute('data-embed', '');
    theme = q.get('theme');
  } else {
    try {
      theme = JSON.parse(localStorage.getItem('nul:theme') || 'null');
    } catch (err) {
      theme = null;
    }
  }
  if (theme !== 'light' && theme !== 'dark') theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  root.setAttribute('data-theme', theme);
  root.style.colorScheme = theme;
})();

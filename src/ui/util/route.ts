/** Hash routes: #/lesson/<slug>, #/sandbox. */
import { useEffect, useState } from 'preact/hooks';

export type Route = { name: 'lesson'; slug: string | null } | { name: 'sandbox' };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [first, second] = h.split('/');
  if (first === 'sandbox') return { name: 'sandbox' };
  if (first === 'lesson' && second) return { name: 'lesson', slug: decodeURIComponent(second) };
  return { name: 'lesson', slug: null };
}

export function routeHref(r: Route): string {
  return r.name === 'sandbox' ? '#/sandbox' : r.slug ? `#/lesson/${encodeURIComponent(r.slug)}` : '#/';
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/**
 * Hash routes: #/lesson/<slug>, #/sandbox, #/planner?<plan>, and #share=<payload> (a share
 * link: the app decodes it, then replaces the hash with the route of the
 * shared state, so a reload does not open the link again).
 */
import { useEffect, useState } from 'preact/hooks';

export type Route = { name: 'lesson'; slug: string | null } | { name: 'sandbox' } | { name: 'planner'; query: string } | { name: 'share'; payload: string };

export function parseRoute(hash: string): Route {
  const share = /^#\/?share=(.*)$/s.exec(hash);
  if (share) return { name: 'share', payload: share[1]! };
  const planner = /^#\/?planner(?:\?(.*))?$/s.exec(hash);
  if (planner) return { name: 'planner', query: planner[1] ?? '' };
  const h = hash.replace(/^#\/?/, '');
  const [first, second] = h.split('/');
  if (first === 'sandbox') return { name: 'sandbox' };
  if (first === 'lesson' && second) {
    try {
      return { name: 'lesson', slug: decodeURIComponent(second) };
    } catch {
      return { name: 'lesson', slug: null };
    }
  }
  return { name: 'lesson', slug: null };
}

export function routeHref(r: Route): string {
  if (r.name === 'share') return `#share=${r.payload}`;
  if (r.name === 'planner') return r.query ? `#/planner?${r.query}` : '#/planner';
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

/** Go to a route without a new history entry (fires hashchange). */
export function replaceRoute(r: Route): void {
  const href = `${location.href.split('#')[0]}${routeHref(r)}`;
  location.replace(href);
}

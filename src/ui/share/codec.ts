/**
 * The share-link codec (compression, schemas) loads on demand: most visits
 * never open or make a link, and it would otherwise weigh on the first page.
 * It starts loading when a link is opened or the Share / Embed buttons are
 * pressed; `codec()` is the loaded module, or null until then.
 */
type Codec = typeof import('./state');

let loaded: Codec | null = null;
let loading: Promise<Codec> | null = null;

export function loadCodec(): Promise<Codec> {
  loading ??= import('./state').then((m) => (loaded = m));
  return loading;
}

export function codec(): Codec | null {
  return loaded;
}

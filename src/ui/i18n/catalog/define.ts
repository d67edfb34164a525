/** One UI string in both languages. `zh` is Simplified Chinese for an OpenStack operator. */
export interface Entry {
  en: string;
  zh: string;
}

export function strings<T extends Record<string, Entry>>(entries: T): T {
  return entries;
}

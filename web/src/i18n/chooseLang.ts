// Which catalogue a page uses: pure, so a unit test can ask it.

export type Lang = 'en' | 'ko';

/** The language for a `?lang=` value and the browser's list, in that order of say. */
export function chooseLang(query: string | null, languages: readonly string[]): Lang {
  if (query === 'ko' || query === 'en') return query;
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'ko' || primary === 'en') return primary;
  }
  return 'en';
}

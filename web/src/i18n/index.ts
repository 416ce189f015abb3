// The shopper page's language: Korean or English, from ?lang=ko|en, else the
// browser's preferred languages (the first Korean or English one), else
// English. t() fills {name} slots; data-i18n attributes name the page's
// static texts, filled once at start.
import { en, type Catalogue, type MessageKey } from './en';
import { ko } from './ko';
import { chooseLang, type Lang } from './chooseLang';

export type { Lang, MessageKey };

const catalogues: Record<Lang, Catalogue> = { en, ko };

export const lang: Lang = chooseLang(
  new URLSearchParams(location.search).get('lang'),
  navigator.languages,
);

/** The text for `key` in this page's language, with {name} slots filled from `vars`. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (slot, name: string) =>
    name in vars ? String(vars[name]) : slot,
  );
}

/** Is `key` a message key (e.g. a refusal code's `<CODE>_title`)? */
export function hasKey(key: string): key is MessageKey {
  return key in en;
}

/** Sets <html lang>, the title, and every [data-i18n] text and [data-i18n-aria] label. */
export function translatePage(): void {
  document.documentElement.lang = lang;
  document.title = t('pageTitle');
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset.i18n ?? '';
    if (hasKey(key)) el.textContent = t(key);
  }
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-aria]')) {
    const key = el.dataset.i18nAria ?? '';
    if (hasKey(key)) el.setAttribute('aria-label', t(key));
  }
}

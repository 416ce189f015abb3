// The shopper page's two catalogues say the same things: the same keys, no
// empty text, the same {slots} in each message, and the language rule.
import { en } from '../web/src/i18n/en';
import { ko } from '../web/src/i18n/ko';
import { chooseLang } from '../web/src/i18n/chooseLang';

const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('Korean and English have exactly the same keys', () => {
  expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
});

test.each([
  ['en', en],
  ['ko', ko],
])('no %s text is empty', (_lang, catalogue) => {
  const empty = Object.entries(catalogue).filter(([, text]) => text.trim() === '');
  expect(empty).toEqual([]);
});

test('each message has the same {slots} in both languages', () => {
  const differ = Object.entries(en).filter(
    ([key, text]) => slots(text).join() !== slots(ko[key as keyof typeof en]).join(),
  );
  expect(differ).toEqual([]);
});

test('?lang= decides first, then the first Korean or English browser language, else English', () => {
  expect(chooseLang('en', ['ko-KR'])).toBe('en');
  expect(chooseLang('ko', ['en-US'])).toBe('ko');
  expect(chooseLang(null, ['ko-KR', 'en-US'])).toBe('ko');
  expect(chooseLang(null, ['KO'])).toBe('ko');
  expect(chooseLang(null, ['ja-JP', 'ko'])).toBe('ko');
  expect(chooseLang(null, ['en-GB', 'ko'])).toBe('en');
  expect(chooseLang('fr', ['fr-FR'])).toBe('en');
  expect(chooseLang(null, [])).toBe('en');
});

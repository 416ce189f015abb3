// The console's page-free rules: the settings' times in order, whole numbers as
// people type them, the shopper page's texts and redeem link as the server takes
// them (settingRules.ts), and the winners' list in words (ledgerWords.ts).
import { pageSettingFields } from '../server/routes/pageFields';
import {
  isWebAddress,
  lengthProblem,
  localInput,
  orderWords,
  sameMinute,
  timeOrderProblems,
  webAddressWords,
  wholeNumber,
} from '../web/src/settingRules';
import { countsSentence, ledgerPath, shownSentence } from '../web/src/ledgerWords';

const at = (iso: string) => new Date(iso).toISOString();

test('the line must open before the start, and a start must be given for it', () => {
  const startsAt = at('2026-12-01T12:00:00Z');
  expect(timeOrderProblems({ startsAt, prequeueAt: at('2026-12-01T11:00:00Z') })).toEqual({});
  expect(timeOrderProblems({ startsAt, prequeueAt: startsAt })).toEqual({
    prequeueAt: orderWords.prequeueAt,
  });
  expect(timeOrderProblems({ startsAt, prequeueAt: at('2026-12-01T13:00:00Z') })).toEqual({
    prequeueAt: orderWords.prequeueAt,
  });
  // No start (absent when creating, null when emptied in the edit form).
  for (const noStart of [undefined, null]) {
    expect(timeOrderProblems({ startsAt: noStart, prequeueAt: startsAt })).toEqual({
      prequeueAt: orderWords.prequeueAt,
    });
  }
  expect(timeOrderProblems({ startsAt: null, prequeueAt: null })).toEqual({});
});

test('the end must come after the start; both problems are said at once', () => {
  const startsAt = at('2026-12-01T12:00:00Z');
  expect(timeOrderProblems({ startsAt, endsAt: at('2026-12-01T12:00:01Z') })).toEqual({});
  expect(
    timeOrderProblems({ startsAt, endsAt: startsAt, prequeueAt: at('2026-12-02T00:00:00Z') }),
  ).toEqual({ endsAt: orderWords.endsAt, prequeueAt: orderWords.prequeueAt });
  expect(timeOrderProblems({ endsAt: startsAt })).toEqual({});
});

test.each([
  ['250000', 250_000],
  ['250,000', 250_000],
  ['250 000', 250_000],
  ['1_000', 1_000],
  ['999', null],
  ['10,000,001', null],
  ['2.5', null],
  ['hard', null],
  ['', null],
  ['  ', null],
] as const)('a puzzle size typed as %p reads as %p', (typed, expected) => {
  expect(wholeNumber(typed, 1_000, 10_000_000)).toBe(expected);
});

test('times are compared as the form shows them, to the minute', () => {
  const set = at('2026-12-01T12:00:42Z'); // set through the API, to the second
  expect(sameMinute(set, new Date(localInput(set)).toISOString())).toBe(true);
  expect(sameMinute(set, at('2026-12-01T12:01:00Z'))).toBe(false);
  expect(sameMinute(null, undefined)).toBe(true);
  expect(sameMinute(set, null)).toBe(false);
});

test('a shopper-page text may be as long as the server takes, and no longer, said in words', () => {
  expect(lengthProblem('x'.repeat(500), 500, 'The notice')).toBeNull();
  expect(lengthProblem('', 500, 'The notice')).toBeNull();
  expect(lengthProblem('x'.repeat(2345), 2000, 'The description')).toBe(
    'The description is 2,345 characters long; it can be at most 2,000.',
  );
  // Counted as the server counts (zod's max: UTF-16 units), so the page never lets by
  // what the server refuses.
  const korean = '곧 시작합니다. '.repeat(60);
  expect(lengthProblem(korean, 500, 'The notice') === null).toBe(
    pageSettingFields.notice.safeParse(korean).success,
  );
});

test.each([
  ['https://shop.example/redeem', true],
  ['http://localhost:3000/use?code=1', true],
  ['HTTPS://SHOP.EXAMPLE', true],
  ['ftp://x', false],
  ['shop.example/redeem', false],
  ['https:/shop.example', false],
  ['https://', false],
  ['https://shop example', false],
  ['javascript:alert(1)', false],
] as const)('a redeem link typed as %p is taken: %p, as by the server', (typed, taken) => {
  expect(isWebAddress(typed)).toBe(taken);
  expect(pageSettingFields.redeemUrl.safeParse(typed).success).toBe(taken);
});

test('a link the server would refuse is said in plain words', () => {
  expect(webAddressWords('The link')).toBe(
    'The link must be a web address starting with http:// or https://, e.g. https://shop.example/redeem.',
  );
});

test('the totals in one sentence, naming only the states there are', () => {
  expect(countsSentence({ issued: 0, unused: 0, used: 0, cancelled: 0, revoked: 0 })).toBe(
    'No coupons given yet: winners appear here as they get theirs.',
  );
  expect(countsSentence({ issued: 1, unused: 1, used: 0, cancelled: 0, revoked: 0 })).toBe(
    '1 coupon given so far: 1 not used yet.',
  );
  expect(countsSentence({ issued: 1200, unused: 1000, used: 150, cancelled: 49, revoked: 1 })).toBe(
    '1,200 coupons given so far: 1,000 not used yet, 150 used, 49 cancelled by the shopper, 1 taken back by you.',
  );
});

test('a page of the winners asks only for what is searched', () => {
  expect(ledgerPath(7, { state: '', userId: '' }, 25)).toBe('/api/promotions/7/coupons?limit=25');
  expect(ledgerPath(7, { state: 'USED', userId: ' a b&c ' }, 25, '41')).toBe(
    '/api/promotions/7/coupons?state=USED&userId=a+b%26c&cursor=41&limit=25',
  );
});

test('under the table: how much of the search is shown', () => {
  expect(shownSentence(0, false, false)).toBe('');
  expect(shownSentence(0, false, true)).toBe('No coupon matches this search.');
  expect(shownSentence(1, false, true)).toBe('1 coupon shown.');
  expect(shownSentence(25, true, false)).toBe('The first 25 coupons shown; More shows the next.');
  expect(shownSentence(30, false, false)).toBe('All 30 coupons shown.');
});

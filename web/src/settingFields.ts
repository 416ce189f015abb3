// The promotion settings a marketer sets, described once (settingsForm.ts draws them
// into both the create and the edit form): each field's label, hint, choices in
// words and the range the server accepts (server/routes/promotions.ts).
import {
  challengeCostRange,
  defaultChallengeCost,
  type Promotion,
  type PromotionMode,
} from '../../core/model/promotion';
import { webAddressWords } from './settingRules';

type Settable = Omit<Promotion, 'id' | 'state' | 'version' | 'createdAt' | 'updatedAt'>;

/** A promotion's settings as the API's JSON carries them: dates as ISO strings. */
export type SettingValues = {
  [K in keyof Settable]-?: Settable[K] extends Date | null ? string | null : Settable[K];
};
export type SettingKey = keyof SettingValues;

export interface Spec {
  key: SettingKey;
  label: string;
  hint: string;
  /** text: one line (the name); long: several lines; link: an http(s) address. */
  kind: 'text' | 'long' | 'link' | 'whole' | 'time' | 'choice';
  /** Whole numbers: the range the server accepts; long and link: the most characters. */
  min?: number;
  max?: number;
  /** Long and link: what the field holds, as the messages name it ("The description"). */
  noun?: string;
  /** Must be given when creating. */
  required?: boolean;
  /** A choice: each value the API takes, with its words; the first is the default. */
  choices?: readonly (readonly [value: string | boolean, words: string])[];
  /** Shown, and sent, only while another choice has this value. */
  shownWhen?: { key: SettingKey; value: string };
  /** Must be given while shown. */
  neededWhenShown?: boolean;
}

export const specs: Spec[] = [
  { key: 'name', label: 'Name', hint: 'Shown to shoppers.', kind: 'text', required: true },
  {
    key: 'totalStock',
    label: 'Total stock',
    hint: 'How many coupons there are in all.',
    kind: 'whole',
    min: 0,
    max: 1_000_000_000,
    required: true,
  },
  { key: 'startsAt', label: 'Starts at', hint: 'Empty: opens at once.', kind: 'time' },
  { key: 'endsAt', label: 'Ends at', hint: 'Empty: runs until closed.', kind: 'time' },
  // Fairness and bot defence (issues 13 and 14).
  {
    key: 'prequeueAt',
    label: 'Line opens at',
    hint: 'Shoppers who come from then until the start get in line early. Empty: no early line.',
    kind: 'time',
  },
  {
    key: 'queueing',
    label: 'Order of the early line at the start',
    hint: 'Shoppers who come after the start queue behind the early line, in order of arrival.',
    kind: 'choice',
    choices: [
      ['fifo', 'In order of arrival'],
      ['random', 'A fair draw at opening'],
    ],
  },
  {
    key: 'standby',
    label: 'Give returned coupons to shoppers who missed out, in order',
    hint: 'A cancelled or unconfirmed coupon goes to them first. No: to whoever joins next.',
    kind: 'choice',
    choices: [
      [true, 'Yes'],
      [false, 'No'],
    ],
  },
  {
    key: 'challenge',
    label: 'Bot defence',
    hint: 'The shopper’s browser solves a small puzzle before joining: each place costs a bot time.',
    kind: 'choice',
    choices: [
      ['none', 'None'],
      ['pow', 'Proof of work (slows bots)'],
    ],
  },
  {
    key: 'challengeCost',
    label: 'Puzzle size',
    hint:
      `${defaultChallengeCost.toLocaleString()} (the default, when empty) takes about a ` +
      'second of a phone’s CPU; double it, double the time.',
    kind: 'whole',
    min: challengeCostRange.min,
    max: challengeCostRange.max,
    shownWhen: { key: 'challenge', value: 'pow' },
  },
  // The sale's pace and what a turn gives.
  {
    key: 'mode',
    label: 'When a shopper’s turn comes',
    hint: 'Hold: they must confirm in time (e.g. to pay), or the unit goes to the next.',
    kind: 'choice',
    choices: [
      ['instant', 'Give the coupon at once'],
      ['hold', 'Hold a unit until they confirm'],
    ] satisfies [PromotionMode, string][],
  },
  {
    key: 'holdSeconds',
    label: 'Seconds to confirm',
    hint: 'How long a unit is held for the shopper.',
    kind: 'whole',
    min: 1,
    max: 86_400,
    shownWhen: { key: 'mode', value: 'hold' },
    neededWhenShown: true,
  },
  {
    key: 'batchSize',
    label: 'Shoppers admitted per step',
    hint: 'Empty: the server’s default.',
    kind: 'whole',
    min: 1,
    max: 10_000,
  },
  {
    key: 'intervalMs',
    label: 'Time between steps (ms)',
    hint: '1000 ms = one step a second. Empty: the server’s default.',
    kind: 'whole',
    min: 10,
    max: 3_600_000,
  },
  // What the shopper page shows (server/routes/pageFields.ts); emptied on edit, cleared.
  {
    key: 'description',
    label: 'Description shown to shoppers',
    hint: 'What the sale is, on the shopper page under its name. Up to 2,000 characters.',
    kind: 'long',
    max: 2000,
    noun: 'The description',
  },
  {
    key: 'redeemUrl',
    label: 'Where to use the coupon (link)',
    hint: 'After winning, shoppers get a link to this address, e.g. https://shop.example/redeem.',
    kind: 'link',
    max: 2000,
    noun: 'The link',
  },
  {
    key: 'redeemNote',
    label: 'How to use the coupon',
    hint: 'Shown to winners beside their code, e.g. “Enter the code at checkout.” Up to 500 characters.',
    kind: 'long',
    max: 500,
    noun: 'How to use the coupon',
  },
  {
    key: 'notice',
    label: 'Notice to everyone on the page now',
    hint: 'Saving it shows it at once on every open shopper page; empty it and save to take it down. Up to 500 characters.',
    kind: 'long',
    max: 500,
    noun: 'The notice',
  },
];

export const ruleOf = (s: Spec) =>
  s.kind === 'whole'
    ? `${s.label} must be a whole number from ${s.min?.toLocaleString() ?? 0} to ${s.max?.toLocaleString() ?? ''}.`
    : s.kind === 'text'
      ? `Give the sale a name (up to 200 characters).`
      : s.kind === 'long'
        ? `${s.noun ?? s.label} can be at most ${s.max?.toLocaleString() ?? ''} characters.`
        : s.kind === 'link'
          ? webAddressWords(s.noun ?? s.label)
          : s.kind === 'time'
            ? `${s.label} must be a date and time, or empty.`
            : `Choose: ${s.label.toLowerCase()}.`;

/** A choice's value as the API takes it, from the select's text value. */
export const choiceValue = (s: Spec, text: string) =>
  s.choices?.find(([v]) => String(v) === text)?.[0];

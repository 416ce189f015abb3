// The settings' rules that need no page: reading a whole number as a person types
// it, times as the datetime-local box shows them, and the order the sale's times
// must keep (the line opens before the start, the end comes after it), and the
// shopper page's texts and link as the server takes them (server/routes/pageFields.ts),
// each problem in words.

/** A datetime-local value (the browser's time zone, to the minute) for an ISO time. */
export function localInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

/**
 * The same time as the form shows it: the box holds minutes, so a time set through
 * the API to the second is not "changed" by saving the form unchanged (which, for
 * the line's opening time after it opened, the server would refuse).
 */
export const sameMinute = (a: string | null | undefined, b: string | null | undefined) =>
  localInput(a) === localInput(b);

/** "1,000" or "1 000" or "1_000" as 1000; null when not a whole number in [min, max]. */
export function wholeNumber(text: string, min: number, max: number): number | null {
  const n = Number(text.replaceAll(/[,\s_]/g, ''));
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

export const orderWords = {
  endsAt: 'The end must be after the start.',
  prequeueAt: 'The line must open before the start: give a start time after it.',
} as const;

/** The sale's times as the API takes them (ISO, or null/absent when not given). */
export interface SaleTimes {
  startsAt?: unknown;
  endsAt?: unknown;
  prequeueAt?: unknown;
}

/** Which times are out of order, each said in words (the server's refinements, mirrored). */
export function timeOrderProblems(t: SaleTimes): Partial<Record<keyof typeof orderWords, string>> {
  const at = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : null);
  const starts = at(t.startsAt);
  const ends = at(t.endsAt);
  const opens = at(t.prequeueAt);
  const problems: Partial<Record<keyof typeof orderWords, string>> = {};
  if (starts !== null && ends !== null && ends <= starts) problems.endsAt = orderWords.endsAt;
  if (opens !== null && (starts === null || opens >= starts)) {
    problems.prequeueAt = orderWords.prequeueAt;
  }
  return problems;
}

/** Said at the field when the server refuses to change the line's order once it opened. */
export const prequeueOpenWords =
  'The line is already open and shoppers joined under this setting: it can no longer change.';

/** A text longer than `max` characters (as the server counts them), in words; null when it fits. */
export function lengthProblem(text: string, max: number, noun: string): string | null {
  if (text.length <= max) return null;
  return `${noun} is ${text.length.toLocaleString()} characters long; it can be at most ${max.toLocaleString()}.`;
}

/**
 * An address the server takes for the redeem link: http:// or https:// spelled out
 * (not "https:/x" or "ftp://…") and one the browser can parse (no spaces in the host).
 */
export function isWebAddress(text: string): boolean {
  if (!/^https?:\/\/\S/i.test(text)) return false;
  try {
    return new URL(text).hostname !== '';
  } catch {
    return false;
  }
}

export const webAddressWords = (noun: string) =>
  `${noun} must be a web address starting with http:// or https://, e.g. https://shop.example/redeem.`;

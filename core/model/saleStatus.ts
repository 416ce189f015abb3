// What a sale is doing right now, in the words a marketer reads: derived from the
// record (its state and times) and the live figures, in one place so the console,
// the API and anything else agree. Pure: no I/O, no zod.
import type { PromotionInfo, RecordState } from './promotion';

export const saleStatuses = [
  'SCHEDULED',
  'PRE-QUEUE',
  'OPEN',
  'PAUSED',
  'SOLD OUT',
  'ENDED',
  'CLOSED',
] as const;
export type SaleStatus = (typeof saleStatuses)[number];

/** The record's fields the status depends on; dates as the API sends them or as Dates. */
export interface StatusRecord {
  state: RecordState;
  startsAt: Date | string | null;
  endsAt: Date | string | null;
  /** When the pre-queue opens (before startsAt); left out or null: no pre-queue. */
  prequeueAt?: Date | string | null;
}

export type StatusFigures = Pick<PromotionInfo, 'currentStock' | 'held'>;

const ms = (when: Date | string | null): number | null =>
  when === null ? null : new Date(when).getTime();

/**
 * The sale's status at `now` (ms). A closed sale is CLOSED whatever else holds; then
 * past its end, ENDED; with nothing left to give and nothing held that could come
 * back, SOLD OUT; a paused sale, PAUSED; before its start, PRE-QUEUE once the
 * pre-queue opened and SCHEDULED before; else OPEN.
 * Without live figures (Redis lost the state until the next use) stock is not judged.
 */
export function saleStatus(
  record: StatusRecord,
  live: StatusFigures | null,
  now: number,
): SaleStatus {
  if (record.state === 'CLOSED' || record.state === 'DELETED') return 'CLOSED';
  const endsAt = ms(record.endsAt);
  if (endsAt !== null && now >= endsAt) return 'ENDED';
  if (live && live.currentStock <= 0 && live.held <= 0) return 'SOLD OUT';
  if (record.state === 'PAUSED') return 'PAUSED';
  const startsAt = ms(record.startsAt);
  if (startsAt !== null && now < startsAt) {
    const prequeueAt = ms(record.prequeueAt ?? null);
    return prequeueAt !== null && now >= prequeueAt ? 'PRE-QUEUE' : 'SCHEDULED';
  }
  return 'OPEN';
}

/** One line saying what each status means for shoppers. */
export const saleStatusMeaning: Record<SaleStatus, string> = {
  SCHEDULED: 'Starts later: shoppers who come now are told when the line opens.',
  'PRE-QUEUE':
    'The line is open before the start: shoppers who come now get in line, and nobody is admitted until the start.',
  OPEN: 'Taking shoppers and admitting them in their order in line.',
  PAUSED: 'Nobody is admitted; shoppers can still join and keep their place.',
  'SOLD OUT': 'Nothing left and nothing held: new shoppers are told it is sold out.',
  ENDED: 'Past its end time: new shoppers are refused.',
  CLOSED: 'Closed for good: joins are refused and nobody is left waiting.',
};

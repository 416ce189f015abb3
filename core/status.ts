// The shopper status machine and the compact record Redis keeps per shopper:
// "W:<ticket>", "P:<ticket>", "C:<ticket>:<code>", "F:<ticket>:<reason>".
import { z } from 'zod';
import { positionOf } from './position';

export const ShopperStatus = {
  NotInQueue: 'NOT_IN_QUEUE',
  Waiting: 'WAITING',
  Processing: 'PROCESSING',
  Completed: 'COMPLETED',
  Failed: 'FAILED',
} as const;
export type ShopperStatus = (typeof ShopperStatus)[keyof typeof ShopperStatus];

export type FailureReason = 'SOLD_OUT' | 'CLOSED';

export type ShopperRecord =
  | { status: 'WAITING' | 'PROCESSING'; ticket: number }
  | { status: 'COMPLETED'; ticket: number; couponCode: string }
  | { status: 'FAILED'; ticket: number; reason: FailureReason };

const byLetter = { W: 'WAITING', P: 'PROCESSING', C: 'COMPLETED', F: 'FAILED' } as const;

export function parseRecord(record: string): ShopperRecord {
  const match = /^([WPCF]):(\d+)(?::(.+))?$/.exec(record);
  const letter = match?.[1] as keyof typeof byLetter | undefined;
  if (!match || !letter) throw new Error(`Malformed shopper record: ${record}`);
  const status = byLetter[letter];
  const ticket = Number(match[2]);
  const detail = match[3] ?? '';
  if (status === 'COMPLETED') return { status, ticket, couponCode: detail };
  if (status === 'FAILED') return { status, ticket, reason: detail as FailureReason };
  return { status, ticket };
}

/** What a shopper is told about themselves, over HTTP and (later) the socket; also the API docs. */
export const shopperStateSchema = z
  .object({
    promotionId: z.number().int(),
    userId: z.string(),
    status: z.enum(Object.values(ShopperStatus)),
    ticket: z.number().int().optional().meta({ description: 'Place in join order, from 1' }),
    position: z
      .number()
      .int()
      .optional()
      .meta({ description: 'Places ahead, including this one (WAITING only)' }),
    couponCode: z.string().optional().meta({ description: 'COMPLETED only' }),
    reason: z.enum(['SOLD_OUT', 'CLOSED']).optional().meta({ description: 'FAILED only' }),
  })
  .meta({ id: 'ShopperState' });
export type ShopperState = z.infer<typeof shopperStateSchema>;

export function describeShopper(
  promotionId: number,
  userId: string,
  record: ShopperRecord | null,
  served: number,
): ShopperState {
  const base = { promotionId, userId };
  if (!record) return { ...base, status: ShopperStatus.NotInQueue };
  switch (record.status) {
    case 'WAITING':
      return { ...base, ...record, position: positionOf(record.ticket, served) };
    case 'PROCESSING':
      return { ...base, ...record };
    case 'COMPLETED':
      return { ...base, ...record };
    case 'FAILED':
      return { ...base, ...record };
  }
}

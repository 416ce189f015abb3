// The hold log: hold mode's changes (a unit held, confirmed, expired, released),
// appended by the room's Lua in the same atomic step as the change, so Redis (the
// record of truth for holds) and the log never disagree. Persistence turns each
// entry into one coupon.<kind> event in the outbox, then acks it; a crash in
// between writes the event again under the same id, which the outbox skips.
import type { DomainEvent, HoldEventType } from '../db/eventsRepo';
import type { RedisClient } from '../platform/redis';
import { promotionKeys } from '../room/keys';

export interface LoggedHoldEvent {
  /** Stream entry id; its time part is when Redis made the change. */
  entryId: string;
  event: DomainEvent;
}

const kinds: Record<string, HoldEventType> = {
  held: 'coupon.held',
  confirmed: 'coupon.confirmed',
  expired: 'coupon.expired',
  released: 'coupon.released',
};

function parseEntry(promotionId: number, [entryId, fields]: [string, string[]]): LoggedHoldEvent {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i] ?? '', fields[i + 1] ?? '');
  const field = (name: string) => values.get(name) ?? '';
  const type = kinds[field('k')];
  if (!type) throw new Error(`Hold log entry ${entryId} has an unknown kind: ${field('k')}`);
  const code = field('c');
  return {
    entryId,
    event: {
      // A hold's code is fixed when it is given and unique, and each kind happens
      // at most once per hold: the id is stable across crashes and replays.
      id: `${type}:${code}`,
      type,
      occurredAt: new Date(Number(entryId.split('-')[0])).toISOString(),
      promotionId,
      data: { code, userId: field('u'), ticket: Number(field('t')) },
    },
  };
}

export class HoldLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(promotionId: number) {
    return promotionKeys(this.prefix, promotionId).holdLog;
  }

  /** The oldest `count` hold changes not yet written to the outbox, in the order they happened. */
  async pending(promotionId: number, count: number): Promise<LoggedHoldEvent[]> {
    const entries = await this.redis.xrange(this.key(promotionId), '-', '+', 'COUNT', count);
    return entries.map((entry) => parseEntry(promotionId, entry));
  }

  async ack(promotionId: number, entryIds: string[]): Promise<void> {
    if (entryIds.length > 0) await this.redis.xdel(this.key(promotionId), ...entryIds);
  }
}

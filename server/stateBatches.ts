// The server's half of batched shopper updates (core/live/publisher.ts `states`):
// a worker publishes a tick's decisions as one message per chunk on the
// promotion's batch channel; each server hands every update to its own sockets
// in that shopper's room, and skips shoppers whose pages are on other servers.
// The channel sits under the adapter's pattern subscription, so the batch and
// the adapter's own messages arrive on one connection in publish order.
import { rooms, type ShopperUpdate } from '../core/live/contract';
import type { Logger } from '../core/platform/logger';
import type { RedisClient } from '../core/platform/redis';
import { socketChannelKey, stateBatchRoom } from '../core/room/keys';

/** What of Socket.IO this needs: the rooms held here, and a local emit. */
export interface LocalRooms {
  has(room: string): boolean;
  emit(room: string, update: ShopperUpdate): void;
}

const isUpdate = (u: unknown): u is ShopperUpdate =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as ShopperUpdate).promotionId === 'number' &&
  typeof (u as ShopperUpdate).userId === 'string' &&
  typeof (u as ShopperUpdate).status === 'string';

/** Parses one batch message: its updates, or null when it is not one (logged by the caller). */
export function parseStateBatch(message: Buffer): ShopperUpdate[] | null {
  try {
    const parsed: unknown = JSON.parse(message.toString());
    return Array.isArray(parsed) && parsed.every(isUpdate) ? parsed : null;
  } catch {
    return null;
  }
}

/** Listens on the adapter's subscribed connection; returns the listener's removal. */
export function deliverStateBatches(
  sub: RedisClient,
  prefix: string,
  local: LocalRooms,
  logger: Logger,
): () => void {
  const batchChannel = `${socketChannelKey(prefix)}#/#${stateBatchRoom}`;
  const listener = (_pattern: Buffer, channel: Buffer, message: Buffer) => {
    if (!channel.toString().startsWith(batchChannel)) return;
    const updates = parseStateBatch(message);
    if (!updates) {
      logger.warn({ channel: channel.toString() }, 'live batch message ignored: not a batch');
      return;
    }
    for (const update of updates) {
      const room = rooms.shopper(update.promotionId, update.userId);
      if (local.has(room)) local.emit(room, update);
    }
  };
  sub.on('pmessageBuffer', listener);
  return () => {
    sub.off('pmessageBuffer', listener);
  };
}

// Fills a waiting room fast, through the real join script: many calls in flight
// on one connection, which ioredis pipelines onto the socket.
import type { WaitingRoom } from '../../core/room/waitingRoom';

export async function joinMany(
  room: WaitingRoom,
  promotionId: number,
  count: number,
  userIdOf: (i: number) => string,
  inFlight = 5000,
): Promise<void> {
  for (let start = 0; start < count; start += inFlight) {
    const end = Math.min(count, start + inFlight);
    const joins: Promise<unknown>[] = [];
    for (let i = start; i < end; i++) joins.push(room.join(promotionId, userIdOf(i)));
    await Promise.all(joins);
  }
}

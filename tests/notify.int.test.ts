// The worker's live events on the real Redis: what one tick publishes, and a
// publish failure that must not fail the tick.
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { socketChannelKey, stateBatchChannel, stateBatchRoom } from '../core/room/keys';
import type { ShopperUpdate } from '../core/live/contract';
import { parseStateBatch } from '../server/stateBatches';
import { updatesPerMessage } from '../core/live/publisher';
import { WaitingRoom } from '../core/room/waitingRoom';
import { drainTick, soldOutChunk } from '../worker/drain';
import { TickNotifier } from '../worker/notify';
import { deletePrefix, newRedis, uniquePrefix } from './helpers/env';
import { waitFor } from './helpers/wait';

const prefix = uniquePrefix();
const redis = newRedis();
const publisher = newRedis();
const subscriber = newRedis();
const room = new WaitingRoom(redis, prefix);
const silent = pino({ level: 'silent' });
afterAll(async () => {
  await deletePrefix(redis, prefix);
  await Promise.all([redis.quit(), publisher.quit(), subscriber.quit()]);
});

/** Every message on this deployment's Socket.IO channels, by channel. */
const heard: string[] = [];
/** The shopper updates in the batch messages heard, in order. */
const updates: ShopperUpdate[] = [];
beforeAll(async () => {
  subscriber.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) => {
    heard.push(channel.toString());
    if (channel.toString().includes(`#${stateBatchRoom}`)) {
      updates.push(...(parseStateBatch(message) ?? []));
    }
  });
  await subscriber.psubscribe(`${socketChannelKey(prefix)}#*`);
});

/** Messages published before this call have all arrived once the sentinel does. */
async function settle(): Promise<void> {
  const sentinel = `${socketChannelKey(prefix)}#sentinel#${heard.length}`;
  await publisher.publish(sentinel, 'x');
  await waitFor(
    () => Promise.resolve(heard.includes(sentinel)),
    (seen) => seen,
    { what: 'the sentinel' },
  );
  heard.splice(heard.indexOf(sentinel), 1);
}

const updatesOf = (userId: string) => updates.filter((u) => u.userId === userId);

test('a tick publishes its decisions as one batch message (PROCESSING, then the decision, per shopper) and one progress, however long the queue', async () => {
  await room.save(1, {
    totalStock: 100,
    state: 'OPEN',
    batchSize: 10,
    intervalMs: 1000,
    startsAt: null,
    endsAt: null,
  });
  await Promise.all(Array.from({ length: 5000 }, (_, i) => room.join(1, `q${i + 1}`)));
  const notifier = new TickNotifier(room, redis, prefix, publisher, silent);
  await settle();
  heard.length = 0;
  updates.length = 0;

  const report = await drainTick(room, 1);
  expect(report.decided).toHaveLength(10);
  await notifier.afterTick(report);
  // On a cluster, messages published on different nodes arrive in no set order
  // relative to the sentinel: wait for the count, then make sure nothing more comes.
  await waitFor(
    () => Promise.resolve(heard.length),
    (n) => n >= 2,
    { what: "the tick's messages" },
  );
  await settle();

  const channel = (room: string) => `${socketChannelKey(prefix)}#/#${room}#`;
  expect(heard).toEqual(expect.arrayContaining([channel('p:1'), stateBatchChannel(prefix, 1)]));
  expect(heard.filter((c) => !c.includes('#sentinel#'))).toHaveLength(2);
  for (const d of report.decided) {
    expect(updatesOf(d.userId).map((u) => u.status)).toEqual(['PROCESSING', 'COMPLETED']);
  }
  // The measured rate is kept for pages that connect later.
  expect(await redis.get(room.keys(1).drainRate)).toBeNull(); // one sample: not measured yet
  await notifier.afterTick(await drainTick(room, 1));
  expect(Number(await redis.get(room.keys(1).drainRate))).toBeGreaterThan(0);
});

test('a sold-out sweep hands its decisions to the notifier chunk by chunk as Redis decides them, and the tick sends none twice', async () => {
  await room.save(3, {
    totalStock: 1,
    state: 'OPEN',
    batchSize: 10,
    intervalMs: 1000,
    startsAt: null,
    endsAt: null,
  });
  const shoppers = 10 + 2 * soldOutChunk + 5;
  for (let from = 0; from < shoppers; from += 500) {
    const ids = Array.from({ length: Math.min(500, shoppers - from) }, (_, i) => `w${from + i}`);
    await Promise.all(ids.map((u) => room.join(3, u)));
  }
  const notifier = new TickNotifier(room, redis, prefix, publisher, silent);
  await settle();
  heard.length = 0;
  updates.length = 0;

  // Each chunk is handed over only once the chunks before it have reached Redis's
  // subscribers: pages hear them while the sweep goes on.
  const chunks: number[] = [];
  const shopperMessages = () => Promise.resolve(updates.length);
  const report = await drainTick(room, 3, async (batch) => {
    const sent = 2 * chunks.reduce((n, c) => n + c, 0);
    await waitFor(shopperMessages, (n) => n >= sent, { what: 'the earlier chunks' });
    chunks.push(batch.length);
    await notifier.announce(3, batch);
  });
  // The tick's own batch, then three sweep chunks (the last one short), in ticket order.
  expect(chunks).toEqual([10, soldOutChunk, soldOutChunk, 5]);
  expect(report.announced).toBe(shoppers);
  expect(report.decided.map((d) => d.ticket)).toEqual(
    Array.from({ length: shoppers }, (_, i) => i + 1),
  );

  await notifier.afterTick(report);
  // As above: on a cluster wait for the count first, then make sure nothing more comes.
  await waitFor(
    () => Promise.resolve(updates.length),
    (n) => n >= 2 * shoppers,
    { what: "the sweep's updates" },
  );
  await settle();
  // Two updates per shopper in all (PROCESSING and the decision), in at most 500 a
  // message, and one progress.
  expect(updates).toHaveLength(2 * shoppers);
  expect(updatesOf('w1234').map((u) => u.status)).toEqual(['PROCESSING', 'FAILED']);
  expect(heard.filter((c) => c === stateBatchChannel(prefix, 3))).toHaveLength(
    // The tick's 10 shoppers, two chunks of 1,000 and the last 5: 1 + 4 + 4 + 1 messages.
    1 + 2 * Math.ceil((2 * soldOutChunk) / updatesPerMessage) + 1,
  );
  expect(heard.filter((c) => c.endsWith('#p:3#'))).toHaveLength(1);
});

test('when live events cannot be published, the tick still finishes and says so in the log', async () => {
  await room.save(2, {
    totalStock: 5,
    state: 'OPEN',
    batchSize: 3,
    intervalMs: 1000,
    startsAt: null,
    endsAt: null,
  });
  await room.join(2, 'a');
  const warnings: string[] = [];
  const logger = pino(
    { level: 'warn' },
    {
      write: (line: string) => {
        warnings.push(line);
      },
    },
  );
  // Nothing listens on port 1: every publish fails fast.
  const broken = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  const notifier = new TickNotifier(room, redis, prefix, broken, logger);
  const report = await drainTick(room, 2);
  await expect(notifier.afterTick(report)).resolves.toBeUndefined();
  expect(warnings.join('')).toMatch(/live events not published/);
  // The decision itself is safe in Redis: a page gets it on reconnect or by status.
  expect((await room.shopper(2, 'a')).record).toMatchObject({ status: 'COMPLETED' });
  broken.disconnect();
});

// A worker process killed with kill -9 while units are held: the holds outlive it
// in Redis, and the restarted worker ends each one exactly once.
import { createPromotion } from '../core/useCases/promotions';
import { spawnEntry, waitForOutput, type Child } from './helpers/processes';
import { crashTestServices } from './helpers/services';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);

test('a worker killed with kill -9 with live holds: after restart every hold ends confirmed, released or expired exactly once', async () => {
  const { env, services } = await crashTestServices();
  const { room } = services;
  const redis = services.connections.redis;
  let worker: Child | undefined;
  try {
    const { id } = await createPromotion(services, {
      name: 'hold crash',
      totalStock: 10,
      batchSize: 50,
      intervalMs: 20,
      startsAt: null,
      endsAt: null,
      mode: 'hold',
      holdSeconds: 2,
    });
    const users = Array.from({ length: 30 }, (_, i) => `k${i + 1}`);
    for (const u of users) await room.join(id, u);

    worker = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker, 'worker started');
    await waitFor(
      () => room.info(id),
      (info) => info?.held === 10,
      { what: 'ten units held' },
    );
    worker.proc.kill('SIGKILL');
    await worker.exited;

    // With no worker: three confirm and two release in time (as the server does)...
    const k = room.keys(id);
    const firstHolds = await redis.zrange(k.holds, 0, -1);
    expect(firstHolds).toHaveLength(10);
    const [c1, c2, c3, r1, r2, late, ...abandoned] = firstHolds;
    for (const u of [c1, c2, c3]) expect((await room.confirmHold(id, u ?? '')).changed).toBe(true);
    for (const u of [r1, r2]) expect((await room.releaseHold(id, u ?? '')).changed).toBe(true);
    // ...the rest run out while nobody sweeps; a confirm after the deadline loses.
    const deadline = Number(await redis.zscore(k.holds, late ?? ''));
    await waitFor(
      async () => {
        const [sec, micro] = await redis.time();
        return Number(sec) * 1000 + Number(micro) / 1000;
      },
      (now) => now > deadline,
      { what: 'the deadline to pass' },
    );
    const lateConfirm = await room.confirmHold(id, late ?? '');
    expect(lateConfirm).toMatchObject({ changed: false, record: { status: 'EXPIRED' } });
    expect((await room.info(id))?.held).toBe(abandoned.length); // still held: nobody swept

    worker = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker, 'worker started');
    // Nobody else confirms: every later hold expires too, until the line is empty.
    const settled = await waitFor(
      () => room.info(id),
      (info) =>
        info?.queueSize === 0 &&
        info.processingCount === 0 &&
        info.held === 0 &&
        info.pendingPersist === 0,
      { what: 'the restarted worker to end every hold', timeoutMs: 60000 },
    );
    worker.proc.kill('SIGTERM');
    await worker.exited;

    expect(settled).toMatchObject({ totalStock: 10, issued: 3, held: 0, currentStock: 7 });
    expect(await redis.zcard(k.holds)).toBe(0);
    const records = await redis.hgetall(k.users);
    const byLetter = (letter: string) =>
      Object.entries(records)
        .filter(([, r]) => r.startsWith(`${letter}:`))
        .map(([u]) => u)
        .sort();
    expect(byLetter('C')).toEqual([c1, c2, c3].sort());
    expect(byLetter('R')).toEqual([r1, r2].sort());
    expect(byLetter('X')).toHaveLength(30 - 5);
    const rows = await services.db('coupons').select('user_id').where({ promotion_id: id });
    expect(rows.map((r: { user_id: string }) => r.user_id).sort()).toEqual([c1, c2, c3].sort());
  } finally {
    if (worker && worker.proc.exitCode === null && worker.proc.signalCode === null) {
      worker.proc.kill('SIGKILL');
      await worker.exited;
    }
    await services.cleanUp();
  }
});

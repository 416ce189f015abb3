// A worker process killed with kill -9 while returned units go to the standby
// line: each unit reaches exactly one shopper on standby, in ticket order, and
// the database agrees once a restarted worker has caught up.
import { changeCoupon } from '../core/useCases/coupons';
import { checkConsistency } from '../core/useCases/consistency';
import { createPromotion } from '../core/useCases/promotions';
import { spawnEntry, waitForOutput, type Child } from './helpers/processes';
import { crashTestServices } from './helpers/services';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);

test('a worker killed with kill -9 while serving the standby line: every returned unit reaches one standby shopper, in ticket order, and the database agrees', async () => {
  const { env, services } = await crashTestServices();
  const { room } = services;
  const redis = services.connections.redis;
  let worker: Child | undefined;
  const settled = (standbyLine: number) =>
    waitFor(
      () => room.info(id),
      (info) =>
        info?.issued === 20 &&
        info.queueSize === 0 &&
        info.processingCount === 0 &&
        info.standbyLine === standbyLine &&
        info.pendingPersist === 0,
      { what: `20 coupons out, ${standbyLine} on standby, all persisted`, timeoutMs: 60000 },
    );
  const { id } = await createPromotion(services, {
    name: 'standby crash',
    totalStock: 20,
    batchSize: 50,
    intervalMs: 20,
    startsAt: null,
    endsAt: null,
  });
  try {
    const users = Array.from({ length: 60 }, (_, i) => `k${i + 1}`);
    for (const u of users) await room.join(id, u); // tickets 1..60
    worker = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker, 'worker started');
    await settled(40); // k1..k20 won, k21..k60 wait on standby
    const codes = (
      (await services.db('coupons').select('code', 'user_id').where({ promotion_id: id })) as {
        code: string;
        user_id: string;
      }[]
    ).map((r) => r.code);
    expect(codes).toHaveLength(20);

    // Half the coupons come back while the worker hands them out; it dies at once...
    for (const code of codes.slice(0, 10))
      await changeCoupon(services, code, 'cancel', { kind: 'admin' });
    worker.proc.kill('SIGKILL');
    await worker.exited;
    // ...and the other half come back while no worker runs.
    for (const code of codes.slice(10))
      await changeCoupon(services, code, 'cancel', { kind: 'admin' });

    worker = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker, 'worker started');
    const info = await settled(20);
    worker.proc.kill('SIGTERM');
    await worker.exited;

    expect(info).toMatchObject({ totalStock: 20, issued: 20, currentStock: 0 });
    // The units went to the first twenty on standby, in ticket order, one each.
    const k = room.keys(id);
    const records = await redis.hgetall(k.users);
    // (A cancelled coupon's shopper keeps their record: the coupon's state lives in the database.)
    const completed = users.slice(20).filter((u) => records[u]?.startsWith('C:'));
    expect(completed).toEqual(users.slice(20, 40));
    expect(await redis.zrange(k.standby, 0, -1)).toEqual(users.slice(40));
    // The database holds one ISSUED coupon for each of them, and the first twenty cancelled.
    const rows = (await services
      .db('coupons')
      .select('user_id', 'state')
      .where({ promotion_id: id })) as { user_id: string; state: string }[];
    const holders = (state: string) =>
      rows
        .filter((r) => r.state === state)
        .map((r) => r.user_id)
        .sort();
    expect(holders('ISSUED')).toEqual(users.slice(20, 40).sort());
    expect(holders('CANCELLED')).toEqual(users.slice(0, 20).sort());
    expect(rows).toHaveLength(40);
    expect(await checkConsistency(services, id)).toMatchObject({ clean: true });
  } finally {
    if (worker && worker.proc.exitCode === null && worker.proc.signalCode === null) {
      worker.proc.kill('SIGKILL');
      await worker.exited;
    }
    await services.cleanUp();
  }
});

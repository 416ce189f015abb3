// Structured log lines an operator greps for: stock reached zero (the worker), a
// unit back in stock (a cancel), a missing stock key rebuilt from the database.
import { Writable } from 'node:stream';
import { couponsOf } from '../core/db/couponsRepo';
import { createLogger } from '../core/platform/logger';
import { changeCoupon } from '../core/useCases/coupons';
import { createPromotion } from '../core/useCases/promotions';
import { uniquePrefix } from './helpers/env';
import {
  killIfRunning,
  processEnv,
  spawnEntry,
  waitForOutput,
  type Child,
} from './helpers/processes';
import { openTestServices } from './helpers/services';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);

const line = (output: string, msg: string) =>
  output
    .split('\n')
    .filter((l) => l.includes(`"msg":"${msg}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('stock reaching zero, a unit coming back and a lost stock key rebuilt each log one structured line', async () => {
  const prefix = uniquePrefix();
  const env = processEnv(prefix, { DRAIN_INTERVAL_MS: '20' });
  const services = await openTestServices(env);
  let worker: Child | undefined;
  try {
    const { id } = await createPromotion(services, {
      name: 'logs',
      totalStock: 3,
      batchSize: 10,
      intervalMs: 20,
      startsAt: null,
      endsAt: null,
    });
    // Exactly the stock joins: nobody is left on the standby line to take the returned
    // unit before the stock key is dropped, so the rebuild must read issued 2.
    for (const u of ['a', 'b', 'c']) await services.room.join(id, u);
    worker = spawnEntry('worker/main.ts', env);
    const w = worker;
    await waitForOutput(w, '"msg":"stock reached zero"');
    expect(line(w.stdout(), 'stock reached zero')[0]).toMatchObject({
      promotionId: id,
      totalStock: 3,
      issued: 3,
    });

    const coupons = await waitFor(
      () => couponsOf(services.db, id),
      (rows) => rows.length === 3,
    );
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', 'server', sink);
    const code = coupons[0]?.code ?? '';
    await changeCoupon({ ...services, logger }, code, 'cancel', { kind: 'admin' });
    expect(line(lines.join(''), 'unit returned to stock')).toEqual([
      expect.objectContaining({ promotionId: id, code, state: 'CANCELLED' }),
    ]);

    await services.connections.redis.del(services.room.keys(id).meta);
    await waitForOutput(w, 'stock key missing in Redis');
    expect(
      line(w.stdout(), 'stock key missing in Redis: rebuilt from the database')[0],
    ).toMatchObject({ promotionId: id, totalStock: 3, issued: 2 });
  } finally {
    await killIfRunning(worker);
    await services.cleanUp();
  }
});

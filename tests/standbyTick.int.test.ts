// A drain tick as the worker runs it (real Redis, MariaDB and BullMQ queues): a
// unit given from the standby line is a coupon like any other, counted and
// sent to the database by the tick that gave it.
import { Job } from 'bullmq';
import { Metrics } from '../core/metrics/metrics';
import { drainProcessor, persistProcessor } from '../worker/jobs';
import { TickNotifier } from '../worker/notify';
import { metricValue } from './helpers/prometheus';
import { couponRows, joinAll, shoppers } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';

jest.setTimeout(60000);
let system: TestSystem;
afterEach(() => system.stop());

test('a unit given from standby counts as an issued coupon, and its own tick asks for it to be persisted', async () => {
  system = await startSystem({}, { withWorker: false });
  const s = system.services;
  const metrics = new Metrics();
  const redis = s.connections.redis;
  const notifier = new TickNotifier(s.room, redis, system.config.keyPrefix, redis, s.logger);
  const tick = drainProcessor(s, metrics, notifier);
  // A job as BullMQ hands it to a processor (not stored: the processors only read its data).
  const job = new Job(s.persistQueue, 'tick', { promotionId: 1 });
  const issued = async () =>
    metricValue(await metrics.registry.metrics(), 'waiting_room_coupons_issued_total', {
      promotion: '1',
    });

  await system.api.initStock(1, 3);
  await joinAll(system, 1, shoppers(5));
  await tick(job); // 3 coupons, s4 and s5 on standby
  await persistProcessor(s)(job);
  await s.persistQueue.remove('persist-1');
  expect(await issued()).toBe(3);

  const [row] = await couponRows(system, 1);
  expect((await system.api.coupon(row?.code ?? '', 'cancel', { asShop: true })).status).toBe(200);
  await tick(job);
  expect((await system.api.status(1, 's4')).body.data).toMatchObject({ status: 'COMPLETED' });
  expect(await issued()).toBe(4);
  // Asked for now, not at the next tick: the coupon reaches the database with this job.
  expect(await s.persistQueue.getJob('persist-1')).toBeDefined();
  await persistProcessor(s)(job);
  const rows = await couponRows(system, 1);
  expect(rows.find((r) => r.user_id === 's4')).toMatchObject({ state: 'ISSUED' });
});

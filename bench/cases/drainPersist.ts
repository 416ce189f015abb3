// Drain throughput: N waiting shoppers (default 100,000), stock for all, batch
// 1,000, no interval: the product's own drainTick and persistPending in a loop
// until every shopper is decided in Redis and every coupon is a row in MariaDB.
// Two figures per round: decisions per second (Redis only) and coupons per
// second decided AND persisted (the whole write-behind).
import { pino } from 'pino';
import { loadConfig } from '../../core/platform/config';
import { dropMysqlDatabase } from '../../core/db/connection';
import { persistPending } from '../../core/writeBehind/persistence';
import { createPromotion } from '../../core/useCases/promotions';
import { openServices } from '../../core/services';
import { drainTick } from '../../worker/drain';
import { joinMany } from '../lib/fill';
import { fixed, grouped, median } from '../lib/stats';
import type { BenchCase } from './types';

const goalPerSecond = 20_000;
const batchSize = 1000;

export const drainPersist: BenchCase = {
  id: 'drain',
  async run({ settings, prefix }) {
    const shoppers = settings.BENCH_DRAIN_SHOPPERS;
    const databaseUrl = `${settings.BENCH_MYSQL_URL}/wr_${prefix}_drain`;
    const config = loadConfig({
      REDIS_URL: settings.REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}d`,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
    });
    const s = await openServices(config, pino({ level: 'silent' }));
    const decidedRates: number[] = [];
    const writtenRates: number[] = [];
    const persistedRates: number[] = [];
    try {
      for (let round = 0; round < settings.BENCH_ROUNDS; round++) {
        const { id } = await createPromotion(s, {
          name: `drain bench ${round}`,
          totalStock: shoppers,
          batchSize,
          intervalMs: 10,
          startsAt: null,
          endsAt: null,
        });
        await joinMany(s.room, id, shoppers, (i) => `d${round}-${i}`);
        // Decide everyone (Redis), then write every coupon (MariaDB): each phase timed
        // alone; the worker overlaps them, so their sum is the conservative figure.
        const started = performance.now();
        while ((await drainTick(s.room, id)).claimed > 0);
        const decidedAt = performance.now();
        while ((await s.log.count(id)) > 0) await persistPending(s.db, s.log, s.deadLetters, id);
        const seconds = (performance.now() - started) / 1000;
        const rows = await s.db('coupons').where({ promotion_id: id }).count({ n: '*' });
        if (Number(rows[0]?.n) !== shoppers) throw new Error(`persisted ${String(rows[0]?.n)}`);
        decidedRates.push(shoppers / ((decidedAt - started) / 1000));
        writtenRates.push(shoppers / ((performance.now() - decidedAt) / 1000));
        persistedRates.push(shoppers / seconds);
      }
    } finally {
      await s.close();
      await dropMysqlDatabase(databaseUrl);
    }
    const persisted = median(persistedRates);
    const dash = { p99: '-', baseline: '-', cpu: '-', ratio: '-', goal: '-', met: null };
    return [
      {
        case: `drain ${grouped(shoppers)} waiting, batch ${batchSize}, no interval: decided in Redis`,
        figure: `${grouped(median(decidedRates))} /s`,
        ...dash,
      },
      {
        case: `  then written to MariaDB by the write-behind`,
        figure: `${grouped(median(writtenRates))} /s`,
        ...dash,
      },
      {
        case: `drain ${grouped(shoppers)} waiting: decided and persisted, end to end`,
        figure: `${grouped(persisted)} coupons/s`,
        ...dash,
        ratio: fixed(persisted / goalPerSecond, 2),
        goal: `>= ${grouped(goalPerSecond)}/s`,
        met: persisted >= goalPerSecond,
      },
    ];
  },
};

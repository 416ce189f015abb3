// Chaos: a deployment of 2 servers and 2 workers (child processes) on a private
// redis-server, with MariaDB behind a cuttable, slowable proxy, runs one sale per
// fault and then checks every promise. Bounded: each sale is a few hundred
// shoppers, every wait has a deadline. The table printed at the end is the record.
import { api, keptQueueToken } from './helpers/api';
import { startDeployment, type Deployment } from './helpers/deployment';
import { mysqlBase } from './helpers/env';
import { checkSale, printOutcomes, waitForSaleEnd, type SaleOutcome } from './helpers/invariants';
import { finalState, openPage } from './helpers/live';
import { startPrivateRedis, type PrivateRedis } from './helpers/privateRedis';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy';
import { inParallel, waitFor } from './helpers/wait';

jest.setTimeout(120000);
let redis: PrivateRedis;
let proxy: TcpProxy;
let d: Deployment;
const outcomes: [string, SaleOutcome][] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  proxy = await startTcpProxy(Number(new URL(mysqlBase).port || 3306));
  d = await startDeployment({ servers: 2, workers: 2 }, (prefix) => ({
    REDIS_URL: redis.url,
    REDIS_CLUSTER_NODES: '',
    DATABASE_URL: `mysql://root@127.0.0.1:${proxy.port}/wr_${prefix}`,
    DRAIN_INTERVAL_MS: '50',
  }));
});
afterAll(async () => {
  printOutcomes('chaos: faults survived (2 servers, 2 workers)', outcomes);
  await proxy.restore().catch(() => undefined);
  proxy.setDelay(0);
  await d.stop();
  await proxy.close();
  await redis.stop();
});

let round = 0;
let next = 0;
/** A live server, round robin, as a load balancer would pick. */
const anyServer = () => {
  const servers = d.servers;
  return servers[next++ % servers.length]?.port ?? 0;
};

/** One shopper's join as a browser makes it: on a dropped connection or 503, again elsewhere. */
async function join(id: number, user: string): Promise<{ status: number; code?: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const r = await api(anyServer()).join(id, user);
      if (r.status !== 503) return { status: r.status, code: r.body.code };
    } catch {
      // the server died under the request
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // client back-off
  }
  throw new Error(`join of ${user} never answered`);
}

interface Sale {
  id: number;
  users: string[];
  /** Each shopper's last answer: 200 = in the queue (or decided), 409 = told it is over. */
  last: Map<string, { status: number; code?: string }>;
}

async function joinAll(sale: Sale, users = sale.users, lanes = 20) {
  await inParallel(
    users.map((u) => async () => {
      sale.last.set(u, await join(sale.id, u));
    }),
    lanes,
  );
}

/** Runs a sale with `inject` running beside the joins, then checks and records it. */
async function run(
  fault: string,
  { units, shoppers, batch = 25 }: { units: number; shoppers: number; batch?: number },
  inject: (sale: Sale) => Promise<void>,
  { strictOrder = true } = {},
) {
  round++;
  const id = await d.services.promotion(units, batch, 50);
  const sale: Sale = {
    id,
    users: Array.from({ length: shoppers }, (_, i) => `r${round}u${i + 1}`),
    last: new Map(),
  };
  await Promise.all([joinAll(sale), inject(sale)]);
  await waitForSaleEnd(d.services, id, 90000);
  // Joined: the shoppers whose last answer was not "sold out" (a shopper turned
  // away holds no place and is owed no decision).
  const joined = sale.users.filter(
    (u) => sale.last.get(u)?.status === 200 || sale.last.get(u)?.code === 'ALREADY_PROCESSED',
  );
  const outcome = await checkSale(d.services, anyServer(), id, joined, units, { strictOrder });
  outcomes.push([fault, outcome]);
  expect(outcome.undecided).toEqual([]);
  expect(outcome.checks).toEqual(
    Object.fromEntries(Object.keys(outcome.checks).map((k) => [k, true])),
  );
  expect(outcome.issued).toBe(Math.min(units, joined.length));
  return sale;
}

const served = (id: number) => d.services.room.info(id).then((i) => i?.served ?? 0);

test('kill -9 of a worker mid-batch, three times', async () => {
  let midSale = 0;
  // Batches of 5 every 50 ms: the sale lasts long enough for three kills and restarts.
  await run('worker kill -9 x3', { units: 600, shoppers: 900, batch: 5 }, async (sale) => {
    for (let kill = 0; kill < 3; kill++) {
      const before = await served(sale.id);
      if (before >= sale.users.length) break; // a slow machine: the sale is over, nothing to kill mid-batch
      // A killed worker's drain job waits out its 15 s lock before another worker takes it.
      await waitFor(
        () => served(sale.id),
        (n) => n > before,
        { what: 'a batch claimed', timeoutMs: 45000 },
      );
      const victim = d.workers[0];
      if (victim) await d.kill(victim);
      const info = await d.services.room.info(sale.id);
      if ((info?.issued ?? 0) < 600) midSale++;
      await d.startWorker();
    }
  });
  console.log(`worker kill -9 landed mid-sale ${midSale} of 3 times`);
  expect(midSale).toBeGreaterThan(0);
});

test('kill -9 of a server with connected pages: the pages reconnect to the other', async () => {
  await run('server kill -9', { units: 300, shoppers: 500, batch: 10 }, async (sale) => {
    const victim = d.servers[0];
    const survivor = d.servers[1];
    if (!victim || !survivor) throw new Error('two servers expected');
    const first = sale.users.slice(0, 20);
    // A shopper's page holds the token of whichever of their joins queued them (the
    // sale's own joins race these); a repeated join without it is told no token.
    const tokens = await Promise.all(
      first.map(async (u) => {
        await api(victim.port).join(sale.id, u);
        return waitFor(
          () => Promise.resolve(keptQueueToken(sale.id, u)),
          (t) => t !== undefined,
          { what: `the queue token of ${u}` },
        ).then(String);
      }),
    );
    const pages = await Promise.all(tokens.map((t) => openPage(victim.port, t)));
    const dropped = pages.map(
      (page) =>
        new Promise<void>((resolve) =>
          page.socket.once('disconnect', () => {
            resolve();
          }),
        ),
    );
    await d.kill(victim);
    await Promise.all(dropped);
    // Each page reconnects (through the load balancer) to the surviving server.
    const again = await Promise.all(tokens.map((t) => openPage(survivor.port, t)));
    const finals = await Promise.all(again.map((page) => finalState(page)));
    for (const page of [...pages, ...again]) page.close();
    expect(finals.every((s) => s.status === 'COMPLETED' || s.status === 'FAILED')).toBe(true);
    await d.startServer();
  });
});

test('the database unreachable for a while', async () => {
  await run('database down 3 s', { units: 400, shoppers: 700 }, async (sale) => {
    await waitFor(
      () => served(sale.id),
      (n) => n > 0,
      { what: 'the drain to start' },
    );
    await proxy.cut();
    const cutAt = Date.now();
    await waitFor(
      () => Promise.resolve(Date.now() - cutAt),
      (ms) => ms >= 3000,
      { what: 'the outage to last 3 s', intervalMs: 100 },
    );
    await proxy.restore();
  });
});

test('a slow database (every packet +40 ms)', async () => {
  proxy.setDelay(40);
  try {
    await run('slow database', { units: 300, shoppers: 500 }, () => Promise.resolve());
  } finally {
    proxy.setDelay(0);
  }
});

test('Redis restarted empty mid-sale: shoppers who lost their place join again', async () => {
  await run(
    'redis restarted empty',
    { units: 400, shoppers: 800 },
    async (sale) => {
      await waitFor(
        () => d.services.room.info(sale.id).catch(() => null),
        (i) => (i?.issued ?? 0) >= 100 && i?.pendingPersist === 0,
        { what: 'a quarter of the stock issued and persisted' },
      );
      await redis.restartEmpty();
      // The page polls its status; "not in queue" means its place was lost: join again.
      const lost = async () => {
        const missing: string[] = [];
        for (const u of sale.users) {
          // Only shoppers the sale accepted are owed a place (not those told "sold out").
          if (sale.last.get(u)?.status !== 200) continue;
          try {
            const r = await api(anyServer()).status(sale.id, u);
            if (r.status !== 200 || r.body.data.status === 'NOT_IN_QUEUE') missing.push(u);
          } catch {
            missing.push(u);
          }
        }
        return missing;
      };
      await waitFor(
        async () => {
          const missing = await lost();
          await joinAll(sale, missing);
          return missing.length;
        },
        (n) => n === 0,
        { what: 'every lost shopper to be back', timeoutMs: 60000 },
      );
    },
    { strictOrder: false },
  );
});

test('duplicate and replayed requests: concurrent joins, replayed joins and cancels', async () => {
  const sale = await run('duplicates + replays', { units: 200, shoppers: 400 }, async (s) => {
    // Every shopper's join three times at once, on different servers.
    await joinAll(s, [...s.users, ...s.users, ...s.users], 30);
  });
  // Replayed joins: the same answer, nothing new.
  const replay = await Promise.all(sale.users.slice(0, 50).map((u) => join(sale.id, u)));
  expect(replay.every((r) => r.status === 409)).toBe(true);
  // Replayed cancels: each code cancelled four times at once; one wins.
  const rows = (await d.services
    .db('coupons')
    .select('code')
    .where({ promotion_id: sale.id })
    .limit(5)) as {
    code: string;
  }[];
  for (const { code } of rows) {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => api(anyServer()).coupon(code, 'cancel', { asShop: true })),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
  }
  // Each returned unit goes to the first shopper on the standby line (those the
  // sell-out failed), exactly once: 5 new coupons, 5 cancelled, 200 holding a unit.
  const states = () =>
    d.services
      .db('coupons')
      .where({ promotion_id: sale.id })
      .select('state')
      .then((found: { state: string }[]) => found.map((r) => r.state));
  const final = await waitFor(states, (all) => all.length === 200 + rows.length, {
    what: 'the returned units to reach the standby line and the database',
  });
  expect(final.filter((state) => state === 'CANCELLED')).toHaveLength(rows.length);
  expect((await d.services.room.info(sale.id))?.issued).toBe(200);
  const after = await checkSale(d.services, anyServer(), sale.id, [], 200, { strictOrder: false });
  outcomes.push(['  then 5 cancels x4', after]);
  expect(Object.values(after.checks).every(Boolean)).toBe(true);
});

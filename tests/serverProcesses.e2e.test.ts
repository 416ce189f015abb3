// SERVER_PROCESSES=2: one server entry, a node:cluster primary and two server
// processes on one port. Joins are answered by both; pages that long-poll first
// and then upgrade (the browser's default) hear their decision although their
// requests land on either process; kill -9 of one restarts it while the port keeps
// serving; SIGTERM to the primary drains both and exits 0 with nobody lost.
import { api } from './helpers/api';
import { startDeployment, type Deployment, type ServerChild } from './helpers/deployment';
import { finalState, openPage, type Page } from './helpers/live';
import { spawnEntry, waitForOutput } from './helpers/processes';
import { inParallel, waitFor } from './helpers/wait';

jest.setTimeout(120000);
let d: Deployment;
let cluster: ServerChild & { pids: number[] };
const pages: Page[] = [];

beforeAll(async () => {
  d = await startDeployment({ servers: 0, workers: 0 }, { DRAIN_INTERVAL_MS: '50' });
  cluster = await d.startServerProcesses(2);
});
afterAll(async () => {
  for (const page of pages) page.close();
  await d.stop();
});

/** Joins `users` over several connections at once; each answer's status and the pid that gave it. */
async function joinAll(id: number, users: string[]) {
  return inParallel(
    users.map((user) => async () => {
      const r = await api(cluster.port).join(id, user);
      return { user, status: r.status, pid: Number(r.headers.get('x-server-pid')), body: r.body };
    }),
    8,
  );
}

const distinct = (answers: { pid: number }[]) => [...new Set(answers.map((a) => a.pid))].sort();

test('joins on one port are answered by both processes; long-polling pages that upgrade hear their decision', async () => {
  expect(cluster.pids).toHaveLength(2);
  const id = await d.services.promotion(10, 5, 50);
  const answers = await joinAll(
    id,
    Array.from({ length: 30 }, (_, i) => `p${i + 1}`),
  );
  expect(answers.every((a) => a.status === 200)).toBe(true);
  expect(distinct(answers)).toEqual([...cluster.pids].sort());

  // Default transports: the handshake, the polls and the upgrade are separate
  // connections, which the primary hands to either process in turn.
  for (const { body } of answers.slice(0, 12)) {
    const token = String((body.data as { queueToken?: string }).queueToken);
    pages.push(await openPage(cluster.port, token, 30000, ['polling', 'websocket']));
  }
  await Promise.all(
    pages.map(
      (page) =>
        new Promise<void>((resolve) => {
          const engine = page.socket.io.engine;
          if (engine.transport.name === 'websocket') resolve();
          else
            engine.once('upgrade', () => {
              resolve();
            });
        }),
    ),
  );
  await d.startWorker(); // decisions are made only now, after every page is listening
  const finals = await Promise.all(pages.map((page) => finalState(page)));
  const truth = await Promise.all(
    answers.slice(0, 12).map(async ({ user }) => (await api(cluster.port).status(id, user)).body),
  );
  expect(finals.map((s) => s.status)).toEqual(truth.map((s) => s.data.status));
  expect(finals.filter((s) => s.status === 'COMPLETED').length).toBeGreaterThan(0);
});

test('kill -9 of one server process: the port keeps serving, and the process is restarted', async () => {
  const [victim, survivor] = cluster.pids;
  process.kill(victim ?? 0, 'SIGKILL');
  await waitForOutput(cluster, 'server process died');
  const id = await d.services.promotion(1000, 5, 50);
  const meanwhile = await joinAll(
    id,
    Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
  );
  expect(meanwhile.every((a) => a.status === 200)).toBe(true);

  const out = await waitForOutput(cluster, 'server process restarted');
  const line = out.split('\n').find((l) => l.includes('server process restarted')) ?? '';
  const { restartedPid } = JSON.parse(line) as { restartedPid: number };
  expect(out).toMatch(new RegExp(`"exitedPid":${victim ?? 0},"code":null,"signal":"SIGKILL"`));
  cluster.pids = [survivor ?? 0, restartedPid];
  const after = await joinAll(
    id,
    Array.from({ length: 30 }, (_, i) => `r${i + 1}`),
  );
  expect(after.every((a) => a.status === 200)).toBe(true);
  expect(distinct(after)).toEqual([...cluster.pids].sort());
});

test('SIGTERM to the primary: both processes drain, it exits 0, every accepted join is decided later', async () => {
  const id = await d.services.promotion(10_000, 100, 50);
  const users = Array.from({ length: 400 }, (_, i) => `s${i + 1}`);
  let answered = 0;
  const results = inParallel(
    users.map((user) => async () => {
      try {
        const r = await api(cluster.port).join(id, user);
        answered++;
        return { user, status: r.status };
      } catch {
        return { user, status: 0 }; // refused: the port closed before this request came
      }
    }),
    16,
  );
  await waitFor(
    () => Promise.resolve(answered),
    (n) => n >= 50,
    { what: '50 joins answered' },
  );
  cluster.proc.kill('SIGTERM');
  const [answers, { code }] = await Promise.all([results, cluster.exited]);
  expect(code).toBe(0);
  expect(cluster.stdout()).toContain('server processes stopped');
  expect(cluster.stdout().match(/"msg":"server stopped"/g)).toHaveLength(2);

  // Everyone told "you are in" is in the queue, and nobody else is.
  const joined = answers.filter((a) => a.status === 200).map((a) => a.user);
  expect(joined.length).toBeGreaterThanOrEqual(50);
  expect(answers.every((a) => a.status === 200 || a.status === 0)).toBe(true);
  const { room } = d.services;
  await waitFor(
    () => room.info(id),
    (info) => info?.queueSize === 0 && info.processingCount === 0,
    { what: 'the worker to decide everyone', timeoutMs: 60000 },
  );
  const records = await d.services.connections.redis.hgetall(room.keys(id).users);
  expect(Object.keys(records).sort()).toEqual([...joined].sort());
  const decided = Object.values(records).filter((v) => v.startsWith('C:') || v.startsWith('F:'));
  expect(decided).toHaveLength(joined.length);
  console.log(`SIGTERM after ${answered} answers: ${joined.length} of ${users.length} joined`);
});

test('a server process that cannot start fails the whole start: exit 1 with its reason, one line each', async () => {
  const child = spawnEntry('server/main.ts', {
    ...d.env,
    SERVER_PROCESSES: '2',
    REDIS_URL: 'redis://127.0.0.1:1',
    REDIS_CLUSTER_NODES: '',
  });
  const { code } = await child.exited;
  expect(code).toBe(1);
  expect(child.stderr()).toMatch(/^server: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 /m);
  expect(child.stderr()).toMatch(
    /^server: a server process exited with code 1 while starting \(its message is above\)$/m,
  );
  expect(child.stderr()).not.toMatch(/\n\s+at /);
});

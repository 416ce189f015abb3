// A real local Redis Cluster: three masters on free loopback ports, joined with
// `redis-cli --cluster create`, for running the suite in cluster mode.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redisServer';
import { waitFor } from './wait';

const run = promisify(execFile);

export interface LocalCluster {
  /** host:port,host:port,host:port: the value of REDIS_CLUSTER_NODES. */
  nodes: string;
  stop(): Promise<void>;
}

async function info(port: number): Promise<string> {
  try {
    const args = ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info'];
    const { stdout } = await run('redis-cli', args);
    return stdout;
  } catch {
    return 'down';
  }
}

export async function startLocalCluster(masters = 3): Promise<LocalCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wr-cluster-'));
  const ports: number[] = [];
  const busPorts: number[] = [];
  // The bus port is chosen too: the default (port + 10000) can pass 65535.
  for (let i = 0; i < masters; i++) ports.push(await freePort());
  for (let i = 0; i < masters; i++) busPorts.push(await freePort());
  const procs: ChildProcess[] = ports.map((port, i) =>
    spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'],
        ...['--cluster-port', String(busPorts[i])],
        ...['--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir],
        ...['--save', '', '--appendonly', 'no'],
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    await Promise.all(
      procs.map(
        (proc) =>
          new Promise((resolve) => {
            if (proc.exitCode !== null || proc.signalCode !== null) {
              resolve(undefined);
              return;
            }
            proc.once('exit', resolve);
            proc.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      await waitFor(
        () => info(port),
        (answer) => answer !== 'down',
        {
          what: `redis-server on port ${port}`,
        },
      );
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await waitFor(
        () => info(port),
        (answer) => answer.includes('cluster_state:ok'),
        {
          what: `cluster_state:ok on port ${port}`,
          timeoutMs: 20000,
        },
      );
    }
    return { nodes: nodes.join(','), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

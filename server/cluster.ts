// SERVER_PROCESSES > 1: this process is the primary. It serves no API itself
// (only METRICS_PORT, every process's metrics merged: server/clusterMetrics):
// it forks the server processes (node:cluster shares the port among them and
// hands each connection to one in turn), tells them where the others take
// Socket.IO sessions (server/clusterWorker), restarts one that dies, with a
// backoff so a crash loop does not spin, and on stop asks every one to drain.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../core/platform/config';
import { StartupError } from '../core/platform/errors';
import type { Logger } from '../core/platform/logger';
import { stopMessage } from '../core/platform/process';
import { listenMetrics } from '../core/metrics/metricsListener';
import { peerMessage, peersMessage, type PeerAnnouncement, type PeerTable } from './clusterWorker';
import { primaryMetrics } from './clusterMetrics';

/** A process that exits while a message is on its way cannot take it: its exit says the rest. */
const ignoreGone = (): void => undefined;

export interface ServerCluster {
  port: number;
  /** METRICS_PORT, answered here with every server process's metrics merged. */
  metricsPort?: number;
  /** The server processes running now. */
  pids(): number[];
  /** Every server process drains (as on its own SIGTERM); rejects if one did not exit 0. */
  stop(): Promise<void>;
}

/** A process that lived this long before dying starts its slot's backoff over. */
const stableAfterMs = 10_000;
const firstRestartMs = 100;
const maxRestartMs = 30_000;

export function restartDelayMs(consecutiveCrashes: number): number {
  return Math.min(firstRestartMs * 2 ** Math.max(0, consecutiveCrashes - 1), maxRestartMs);
}

/** Node types these as always set; one of them is null. */
const how = (code: number | null, signal: string | null) =>
  signal ? `signal ${signal}` : `code ${String(code)}`;

interface Slot {
  crashes: number;
  startedAt: number;
  listening: boolean;
}

export async function startCluster(config: Config, logger: Logger): Promise<ServerCluster> {
  if (config.queueTokenSecretGenerated) {
    logger.warn(
      'QUEUE_TOKEN_SECRET is not set: the server processes here share a generated one, ' +
        'but tokens will not verify on another machine; set the same secret on every machine',
    );
  }
  const merged = primaryMetrics();
  const metricsServer =
    config.metricsPort === undefined ? null : await listenMetrics(merged, config.metricsPort);
  const slots = new Map<Worker, Slot>();
  const ports = new Map<number, number>(); // worker id -> loopback port for its sessions
  const restarts = new Set<NodeJS.Timeout>();
  let port = 0;
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  const exited: Promise<void>[] = [];
  const failures: string[] = [];

  const broadcast = () => {
    // Stopping, every process is going away: nobody needs the table, and a process
    // exiting at this moment would refuse the write (EPIPE).
    if (phase === 'stopping') return;
    const table: PeerTable = { type: peersMessage, ports: Object.fromEntries(ports) };
    for (const worker of slots.keys()) {
      // With a callback a refused write is handed to it, not thrown as an 'error' event.
      if (worker.isConnected()) worker.send(table, ignoreGone);
    }
  };

  const fork = (crashes: number) => {
    // Secrets made up at start must be the same in every process: a token one signs, all verify.
    const worker = cluster.fork({
      ADMIN_TOKEN: config.adminToken,
      QUEUE_TOKEN_SECRET: config.queueTokenSecret,
    });
    slots.set(worker, { crashes, startedAt: Date.now(), listening: false });
    const pid = worker.process.pid;
    // An IPC write to a process that is exiting fails; its exit is handled below.
    worker.on('error', (err) => {
      logger.warn({ pid, err: err.message }, 'server process channel error');
    });
    worker.on('message', (message: Partial<PeerAnnouncement> | null) => {
      if (message?.type !== peerMessage || typeof message.port !== 'number') return;
      ports.set(worker.id, message.port);
      broadcast();
    });
    exited.push(
      new Promise((resolve) => {
        worker.on('exit', (code, signal) => {
          const slot = slots.get(worker);
          slots.delete(worker);
          ports.delete(worker.id);
          broadcast();
          if (phase === 'stopping') {
            // Not yet listening, it was signalled (it had nothing to drain).
            const clean = code === 0 || (signal === 'SIGTERM' && !slot?.listening);
            if (!clean) failures.push(`server process ${pid} exited with ${how(code, signal)}`);
          } else if (phase === 'starting') {
            failures.push(`a server process exited with ${how(code, signal)} while starting`);
          } else {
            const lived = Date.now() - (slot?.startedAt ?? 0);
            const next = lived >= stableAfterMs ? 1 : (slot?.crashes ?? 0) + 1;
            const restartInMs = restartDelayMs(next);
            logger.error({ exitedPid: pid, code, signal, restartInMs }, 'server process died');
            const timer = setTimeout(() => {
              restarts.delete(timer);
              fork(next);
            }, restartInMs);
            restarts.add(timer);
          }
          resolve();
        });
      }),
    );
    return worker;
  };

  const stop = async () => {
    phase = 'stopping';
    for (const timer of restarts) clearTimeout(timer);
    for (const [worker, slot] of slots) {
      if (slot.listening && worker.isConnected()) worker.send(stopMessage);
      else worker.process.kill('SIGTERM');
    }
    // A restart forked while stopping would add to `exited`: wait until it stops growing.
    for (let seen = 0; seen < exited.length; seen = exited.length) await Promise.all(exited);
    await metricsServer?.close();
    merged.close();
    if (failures.length > 0) throw new Error(failures.join('; '));
    logger.info('server processes stopped');
  };

  return new Promise((resolve, reject) => {
    let listening = 0;
    cluster.on('listening', (worker, address) => {
      const slot = slots.get(worker);
      if (!slot || slot.listening) return;
      slot.listening = true;
      port = address.port;
      if (phase === 'running') {
        logger.info({ restartedPid: worker.process.pid, port }, 'server process restarted');
      } else if (phase === 'starting' && ++listening === config.serverProcesses) {
        phase = 'running';
        const pids = () => [...slots.keys()].flatMap((w) => w.process.pid ?? []);
        const metricsPort = metricsServer?.port;
        logger.info({ port, metricsPort, pids: pids() }, 'server processes listening');
        resolve({ port, metricsPort, pids, stop });
      }
    });
    cluster.on('exit', () => {
      if (phase !== 'starting' || failures.length === 0) return;
      // One failed start fails the whole start, as it would for a single process.
      const fail = () => {
        reject(new StartupError(`${failures[0] ?? ''} (its message is above)`));
      };
      stop().then(fail, fail);
    });
    for (let i = 0; i < config.serverProcesses; i++) fork(0);
  });
}

// The server process: HTTP API (and later the Socket.IO gateway).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../core/config';
import { createDrainQueue } from '../core/drainQueue';
import { createLogger, type Logger } from '../core/logger';
import { Metrics } from '../core/metrics';
import { runMain } from '../core/process';
import { openConnections } from '../core/redis';
import { watchState } from '../core/stateMetrics';
import { WaitingRoom } from '../core/waitingRoom';
import { createApp } from './app';
import { Readiness } from './readiness';

export interface RunningServer {
  port: number;
  metrics: Metrics;
  stop(): Promise<void>;
}

function closeHttp(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** `metrics` is shared with the worker in the all-in-one process, so one /metrics shows both. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel, 'server'),
  metrics: Metrics = new Metrics(),
): Promise<RunningServer> {
  const connections = await openConnections(config.redisUrl, (err) => {
    logger.warn({ err: err.message }, 'redis connection error');
  });
  const { redis, bull: bullConnection } = connections;
  const drainQueue = createDrainQueue(bullConnection, config.keyPrefix);
  const room = new WaitingRoom(redis, config.keyPrefix);

  const queues = [drainQueue];
  // Hooks for later modules: readiness.add('database', ...), metrics.observe...(...).
  const readiness = new Readiness(redis);
  watchState(metrics, room, queues);

  const { app } = createApp({
    config,
    room,
    redis,
    drainQueue,
    queues,
    logger,
    metrics,
    readiness,
  });
  const http = createServer(app);
  await new Promise<void>((resolve) => http.listen(config.port, resolve));
  const port = (http.address() as AddressInfo).port;
  logger.info({ port }, 'server listening');

  return {
    port,
    metrics,
    async stop() {
      readiness.markStopping(); // /readyz 503: balancers stop sending
      await closeHttp(http, 5000); // stop accepting, let in-flight requests finish
      await drainQueue.close();
      await connections.close();
      logger.info('server stopped');
    },
  };
}

if (require.main === module) {
  runMain('server', (config: Config) => startServer(config), loadConfig);
}

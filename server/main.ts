// The server process: HTTP API and the Socket.IO gateway on the same port.
// With SERVER_PROCESSES above 1 the entry is a cluster primary that runs that many.
import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../core/platform/config';
import { createLogger, type Logger } from '../core/platform/logger';
import { Metrics } from '../core/metrics/metrics';
import { listenMetrics } from '../core/metrics/metricsListener';
import { runMain } from '../core/platform/process';
import { openServices, type Services } from '../core/services';
import { createDeliveryQueue, createRelayQueue } from '../core/jobs/eventJobs';
import { driftKey } from '../core/room/keys';
import { watchState } from '../core/metrics/stateMetrics';
import { createApp } from './app';
import { Readiness } from './http/readiness';
import { QueueTokens } from '../core/live/queueToken';
import { attachSocketGateway, type GatewayServer } from './socketGateway';
import { shopperJwtVerifier } from './http/shopperAuth';
import { startCluster } from './cluster';
import { joinCluster } from './clusterWorker';
import { workerMetrics } from './clusterMetrics';

export interface RunningServer {
  port: number;
  /** Where /metrics is served when METRICS_PORT is set (it is then not on `port`). */
  metricsPort?: number;
  metrics: Metrics;
  /** What the server talks to (tests and the all-in-one process look inside). */
  services: Services;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Runs before listening (cluster mode: server/clusterWorker); closed on stop, before the HTTP server. */
  attach?: (http: Server, io: GatewayServer) => Promise<{ close(): Promise<void> }>;
  /** A server process of a cluster: the primary serves METRICS_PORT and merges /metrics (server/clusterMetrics). */
  inCluster?: boolean;
}

/**
 * A request's headers and body must arrive within HTTP_REQUEST_TIMEOUT_MS, so a
 * client dribbling a body cannot hold a connection (Node's default is 300 s). Node
 * looks for late requests every connectionsCheckingInterval (30 s by default): a
 * shorter check keeps the cut close to the limit.
 */
function httpOptions(timeoutMs: number) {
  return {
    requestTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(timeoutMs / 4))),
  };
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
  options: ServerOptions = {},
): Promise<RunningServer> {
  const services = await openServices(config, logger);
  const { redis } = services.connections;
  // Every BullMQ queue, for Bull Board and the queue gauges (the worker runs their jobs).
  const eventQueues = [
    createRelayQueue(services.connections.bull, config.keyPrefix),
    createDeliveryQueue(services.connections.bull, config.keyPrefix),
  ];
  const queues = [services.drainQueue, services.persistQueue, ...eventQueues];
  const readiness = new Readiness(redis);
  readiness.add('database', async () => {
    await services.db.raw('select 1');
  });
  watchState(metrics, services.room, queues);
  metrics.observeDeadLetters(() => services.deadLetters.count());
  metrics.observeDrift(async () => {
    const drift = await redis.hgetall(driftKey(config.keyPrefix));
    return Object.entries(drift).map(([id, value]) => ({
      promotionId: Number(id),
      counter: 'total',
      drift: Number(value),
    }));
  });
  const tokens = new QueueTokens(
    [config.queueTokenSecret, config.queueTokenSecretPrevious],
    config.queueTokenTtlSeconds * 1000,
  );
  if (config.queueTokenSecretGenerated) {
    logger.warn(
      'QUEUE_TOKEN_SECRET is not set: queue tokens from this process verify only on it; ' +
        'set the same secret on every server when running more than one',
    );
  }

  const shopperJwt = shopperJwtVerifier(config.shopperAuth);
  const { app } = createApp({ services, queues, metrics, readiness, tokens, shopperJwt });
  const http = createServer(httpOptions(config.httpRequestTimeoutMs), app);
  const gateway = await attachSocketGateway(http, {
    config,
    room: services.room,
    redis,
    tokens,
    shopperJwt,
    logger,
  });
  metrics.observeSocketConnections(() => gateway.io.engine.clientsCount);
  const clustered = options.inCluster ? workerMetrics(metrics) : null;
  const attached = await options.attach?.(http, gateway.io);
  await new Promise<void>((resolve) => http.listen(config.port, resolve));
  const port = (http.address() as AddressInfo).port;
  // A port of its own for Prometheus (kept off the public network), when configured.
  const metricsServer =
    config.metricsPort === undefined || clustered
      ? null
      : await listenMetrics(metrics, config.metricsPort);
  logger.info({ port, metricsPort: metricsServer?.port }, 'server listening');

  return {
    port,
    metricsPort: metricsServer?.port,
    metrics,
    services,
    async stop() {
      readiness.markStopping(); // /readyz 503: balancers stop sending
      const httpClosed = closeHttp(http, 5000); // stop accepting, let in-flight requests finish
      await gateway.close(); // pages reconnect to another server
      await attached?.close();
      await httpClosed;
      await Promise.all(eventQueues.map((queue) => queue.close()));
      await metricsServer?.close();
      clustered?.close();
      await services.close();
      logger.info('server stopped');
    },
  };
}

/** One process as before, or (SERVER_PROCESSES > 1) the primary, or one of its workers. */
function startEntry(config: Config) {
  if (config.serverProcesses === 1) return startServer(config);
  if (cluster.isPrimary) return startCluster(config, createLogger(config.logLevel, 'server'));
  return startServer(config, undefined, undefined, { attach: joinCluster, inCluster: true });
}

if (require.main === module) {
  runMain('server', startEntry, loadConfig);
}

// The server process: HTTP API and the Socket.IO gateway on the same port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../core/config';
import { createDrainQueue } from '../core/drainQueue';
import { createLogger, type Logger } from '../core/logger';
import { runMain } from '../core/process';
import { QueueTokens } from '../core/queueToken';
import { openConnections } from '../core/redis';
import { WaitingRoom } from '../core/waitingRoom';
import { createApp } from './app';
import { attachSocketGateway } from './socketGateway';

export interface RunningServer {
  port: number;
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

export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel, 'server'),
): Promise<RunningServer> {
  const connections = await openConnections(config.redisUrl, (err) => {
    logger.warn({ err: err.message }, 'redis connection error');
  });
  const { redis, bull: bullConnection } = connections;
  const drainQueue = createDrainQueue(bullConnection, config.keyPrefix);
  const room = new WaitingRoom(redis, config.keyPrefix);
  const tokens = new QueueTokens(config.queueTokenSecret, config.queueTokenTtlSeconds * 1000);
  if (config.queueTokenSecretGenerated) {
    logger.warn(
      'QUEUE_TOKEN_SECRET is not set: queue tokens from this process verify only on it; ' +
        'set the same secret on every server when running more than one',
    );
  }

  const http = createServer(createApp({ config, room, drainQueue, tokens, logger }));
  const gateway = await attachSocketGateway(http, { config, room, redis, tokens, logger });
  await new Promise<void>((resolve) => http.listen(config.port, resolve));
  const port = (http.address() as AddressInfo).port;
  logger.info({ port }, 'server listening');

  return {
    port,
    async stop() {
      const httpClosed = closeHttp(http, 5000); // stop accepting, let in-flight requests finish
      await gateway.close(); // pages reconnect to another server
      await httpClosed;
      await drainQueue.close();
      await connections.close();
      logger.info('server stopped');
    },
  };
}

if (require.main === module) {
  runMain('server', (config: Config) => startServer(config), loadConfig);
}

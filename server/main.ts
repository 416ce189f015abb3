// The server process: HTTP API (and later the Socket.IO gateway).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../core/config';
import { createLogger, type Logger } from '../core/logger';
import { runMain } from '../core/process';
import { openServices, type Services } from '../core/services';
import { createApp } from './app';

export interface RunningServer {
  port: number;
  /** What the server talks to (tests and the all-in-one process look inside). */
  services: Services;
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
  const services = await openServices(config, logger);
  const http = createServer(createApp(services));
  await new Promise<void>((resolve) => http.listen(config.port, resolve));
  const port = (http.address() as AddressInfo).port;
  logger.info({ port }, 'server listening');

  return {
    port,
    services,
    async stop() {
      await closeHttp(http, 5000); // stop accepting, let in-flight requests finish
      await services.close();
      logger.info('server stopped');
    },
  };
}

if (require.main === module) {
  runMain('server', (config: Config) => startServer(config), loadConfig);
}

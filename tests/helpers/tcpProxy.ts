// A loopback TCP proxy the test can cut: while cut, new connections are refused
// and open ones are dropped, exactly as if the database went away.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Holds every chunk this long in each direction (0: none): a slow database. */
  setDelay(ms: number): void;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let delayMs = 0;
  // Chunks are delayed in order: each waits for the one before it.
  const relay = (from: net.Socket, to: net.Socket) => {
    let last = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const ms = delayMs;
      last = last.then(
        () =>
          new Promise<void>((resolve) => {
            setTimeout(() => {
              if (!to.destroyed) to.write(chunk);
              resolve();
            }, ms);
          }),
      );
    });
    from.on('end', () => {
      void last.then(() => to.end());
    });
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      server.listen(port, '127.0.0.1', () => {
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server.listening)
        server.close(() => {
          resolve();
        });
      else resolve();
    });
  return {
    port,
    setDelay(ms) {
      delayMs = ms;
    },
    cut: stop,
    async restore() {
      await listen(port);
    },
    close: stop,
  };
}

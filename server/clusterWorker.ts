// A server process in cluster mode. The primary hands each TCP connection to any
// worker, but an Engine.IO session lives in the process that opened it, and
// long-polling sends several requests per session (then the upgrade). So session
// ids name their worker ("3.<random>"), and a request for another worker's
// session is passed to it over loopback, request by request: that also holds when
// a browser reuses one keep-alive connection for two sessions, which per-connection
// routing in the primary (@socket.io/sticky) gets wrong, and it leaves joins alone.
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { GatewayServer } from './socketGateway';

/** worker -> primary: the loopback port where this worker takes its sessions' requests. */
export const peerMessage = 'waiting-room:peer';
/** primary -> workers: every worker's loopback port, by cluster worker id. */
export const peersMessage = 'waiting-room:peers';

export interface PeerAnnouncement {
  type: typeof peerMessage;
  port: number;
}
export interface PeerTable {
  type: typeof peersMessage;
  ports: Record<string, number>;
}

const isPeerTable = (message: unknown): message is PeerTable =>
  (message as Partial<PeerTable> | null)?.type === peersMessage;

/** The worker named by a Socket.IO request's session id, or undefined (not Socket.IO, or a handshake). */
const sessionOwner = (url: string | undefined) =>
  url?.startsWith('/socket.io/') ? /[?&]sid=(\d+)\./.exec(url)?.[1] : undefined;

interface Diverted {
  request: [IncomingMessage, ServerResponse];
  upgrade: [IncomingMessage, Duplex, Buffer];
}

/** Puts `take` before the listeners already on `event` (Engine.IO's); they run only if it declines. */
function divert<E extends keyof Diverted>(
  http: Server,
  event: E,
  take: (...args: Diverted[E]) => boolean,
): void {
  const listeners = http.listeners(event) as ((...args: Diverted[E]) => void)[];
  http.removeAllListeners(event);
  http.on(event, (...args: Diverted[E]) => {
    if (take(...args)) return;
    for (const listener of listeners) listener.apply(http, args);
  });
}

function forwardRequest(req: IncomingMessage, res: ServerResponse, port: number): void {
  const upstream = request(
    { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  // The owner is gone: the session died with it, and the page reconnects on any error.
  upstream.on('error', () => {
    if (res.headersSent) res.destroy();
    else res.writeHead(502).end();
  });
  // A page that gives up on a long poll must not leave it open at the owner.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** Replays the upgrade request to the owner, then joins the two sockets for the session's life. */
function forwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  port: number,
  pipes: Set<Duplex>,
): void {
  const upstream = connect(port, '127.0.0.1', () => {
    const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      lines.push(`${req.rawHeaders[i] ?? ''}: ${req.rawHeaders[i + 1] ?? ''}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    upstream.write(head);
    socket.pipe(upstream).pipe(socket);
  });
  pipes.add(socket);
  const close = () => {
    pipes.delete(socket);
    socket.destroy();
    upstream.destroy();
  };
  for (const end of [socket, upstream]) end.on('error', close).on('close', close);
}

/**
 * Joins this worker's HTTP server and Socket.IO gateway to the other processes:
 * session ids that name it, a loopback listener for its sessions' requests that
 * landed elsewhere, forwarding of other workers' ones, and an `X-Server-Pid` header
 * (which process answered, for operators and tests).
 */
export async function joinCluster(
  http: Server,
  io: GatewayServer,
): Promise<{ close(): Promise<void> }> {
  const self = String(cluster.worker?.id ?? 0);
  const pid = String(process.pid);
  let peers = new Map<string, number>();
  const onMessage = (message: unknown) => {
    if (isPeerTable(message)) peers = new Map(Object.entries(message.ports));
  };
  process.on('message', onMessage);

  // A forwarded connection joins this HTTP server as if it had come in on the shared port.
  const accepted = new Set<Socket>();
  const loopback = createServer((socket) => {
    accepted.add(socket);
    socket.on('close', () => accepted.delete(socket));
    http.emit('connection', socket);
  });
  await new Promise<void>((resolve) => {
    loopback.listen({ host: '127.0.0.1', port: 0, exclusive: true }, resolve);
  });
  const port = (loopback.address() as AddressInfo).port;
  process.send?.({ type: peerMessage, port } satisfies PeerAnnouncement);

  io.engine.generateId = () => `${self}.${randomBytes(15).toString('base64url')}`;
  const ownerPort = (url: string | undefined) => {
    const owner = sessionOwner(url);
    // Unknown owners (a worker that died) fall through: Engine.IO answers "Session ID unknown".
    return owner === undefined || owner === self ? undefined : peers.get(owner);
  };
  const pipes = new Set<Duplex>();
  divert(http, 'request', (req, res) => {
    res.setHeader('X-Server-Pid', pid);
    const owner = ownerPort(req.url);
    if (owner === undefined) return false;
    forwardRequest(req, res, owner);
    return true;
  });
  divert(http, 'upgrade', (req, socket, head) => {
    const owner = ownerPort(req.url);
    if (owner === undefined) return false;
    forwardUpgrade(req, socket, head, owner, pipes);
    return true;
  });

  return {
    close() {
      process.off('message', onMessage);
      loopback.close();
      // Pages on forwarded sockets reconnect, as those on the gateway's own do.
      for (const socket of [...pipes, ...accepted]) socket.destroy();
      return Promise.resolve();
    },
  };
}

// The Socket.IO gateway: a page connects with the queue token join gave it,
// joins only its own shopper room and its promotion's room, and gets its current
// state at once. Workers publish through the Redis emitter; the Redis adapter
// delivers to whichever server holds the page's connection.
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type ExtendedError, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Config } from '../core/platform/config';
import {
  ConnectErrorCode,
  rooms,
  type ClientToServerEvents,
  type ConnectErrorData,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../core/live/contract';
import { socketChannelKey } from '../core/room/keys';
import type { Logger } from '../core/platform/logger';
import { currentProgress } from '../core/live/progress';
import type { QueueTokens } from '../core/live/queueToken';
import { connectRedis, createRedis, type RedisClient } from '../core/platform/redis';
import { describeLine } from '../core/useCases/line';
import type { WaitingRoom } from '../core/room/waitingRoom';

type GatewaySocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type GatewayServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface SocketGatewayDeps {
  config: Config;
  room: WaitingRoom;
  /** The command connection, for reads on (re)connect. */
  redis: RedisClient;
  tokens: QueueTokens;
  logger: Logger;
}

export interface SocketGateway {
  io: GatewayServer;
  /** Drops every page (they reconnect to another server) and leaves the Redis channels. */
  close(): Promise<void>;
}

const tokenSchema = z
  .string({ error: 'auth.token must be a string' })
  .max(1024, { error: 'auth.token must be at most 1024 characters' });

function refusal(code: ConnectErrorCode, message: string): ExtendedError {
  const err: ExtendedError = new Error(message);
  err.data = { code } satisfies ConnectErrorData;
  return err;
}

/** Handshake: `{ auth: { token } }` must be a genuine, unexpired token for a shopper still in the queue. */
function authenticate({ room, tokens, logger }: SocketGatewayDeps) {
  return async (socket: GatewaySocket): Promise<ExtendedError | undefined> => {
    const raw: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (raw === undefined || raw === null || raw === '') {
      return refusal(
        ConnectErrorCode.TokenMissing,
        'Connect with { auth: { token } }, the queueToken that join returned.',
      );
    }
    const parsed = tokenSchema.safeParse(raw);
    if (!parsed.success) {
      return refusal(ConnectErrorCode.TokenInvalid, parsed.error.issues[0]?.message ?? 'bad token');
    }
    const check = tokens.verify(parsed.data);
    if (!check.ok) return refusal(check.code, check.message);
    const { promotionId, userId, ticket } = check.claims;
    try {
      const view = await room.shopper(promotionId, userId);
      if (view.record?.ticket !== ticket) {
        return refusal(
          ConnectErrorCode.NotInQueue,
          `Ticket ${ticket} is no longer in promotion ${promotionId}'s queue; join again.`,
        );
      }
    } catch (err) {
      logger.warn({ err }, 'socket handshake could not read the shopper');
      return refusal(ConnectErrorCode.Unavailable, 'The waiting room is unavailable; retrying.');
    }
    socket.data = check.claims;
    return undefined;
  };
}

/** Rooms first, then the read: whatever is decided after the read arrives as an event. */
async function welcome(socket: GatewaySocket, { room, logger }: SocketGatewayDeps) {
  const { promotionId, userId } = socket.data;
  try {
    await socket.join([rooms.shopper(promotionId, userId), rooms.promotion(promotionId)]);
    const [view, progress] = await Promise.all([
      room.shopper(promotionId, userId),
      currentProgress(room, promotionId),
    ]);
    // Told as status tells it: a pre-queued shopper has no place until startsAt, only its time.
    socket.emit('state', describeLine(promotionId, userId, view, progress?.drainRate ?? null));
    if (progress) socket.emit('progress', progress);
  } catch (err) {
    logger.warn({ err }, 'socket welcome could not read the state');
    // Closing the transport (not a server disconnect) makes the client reconnect by itself.
    socket.conn.close();
  }
}

export async function attachSocketGateway(
  http: HttpServer,
  deps: SocketGatewayDeps,
): Promise<SocketGateway> {
  const { config, logger } = deps;
  const onError = (err: Error) => {
    logger.warn({ err: err.message }, 'redis connection error (socket adapter)');
  };
  // The adapter needs its own pair: a subscribed connection can run nothing else.
  // No auto-pipelining here: a deferred (P)UNSUBSCRIBE would still be queued when close disconnects.
  const pub = createRedis(config, { onError, autoPipelining: false });
  const sub = createRedis(config, { onError, autoPipelining: false });
  await Promise.all([connectRedis(pub, config), connectRedis(sub, config)]);

  const io: GatewayServer = new Server(http, {
    serveClient: false,
    // Pages send nothing but the handshake.
    maxHttpBufferSize: 16 * 1024,
    adapter: createAdapter(pub, sub, { key: socketChannelKey(config.keyPrefix) }),
  });
  const check = authenticate(deps);
  io.use((socket, next) => {
    check(socket).then(next, (err: unknown) => {
      logger.error({ err }, 'socket handshake failed');
      next(refusal(ConnectErrorCode.Unavailable, 'The waiting room is unavailable; retrying.'));
    });
  });
  io.on('connection', (socket) => {
    void welcome(socket, deps);
  });

  return {
    io,
    async close() {
      await io.close();
      sub.disconnect();
      await pub.quit();
    },
  };
}

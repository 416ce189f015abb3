// The Socket.IO gateway: a page connects with the queue token join gave it (or,
// in signed mode, the shop's JWT and the promotion id), joins only its own shopper room and its promotion's room, and gets its current
// state at once. Workers publish through the Redis emitter; the Redis adapter
// delivers to whichever server holds the page's connection.
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type ExtendedError, type Socket } from 'socket.io';
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
import { handshakeAuthSchema } from '../core/live/contractSchemas';
import { socketChannelKey } from '../core/room/keys';
import type { Logger } from '../core/platform/logger';
import { currentProgress } from '../core/live/progress';
import { looksLikeQueueToken, type QueueTokens } from '../core/live/queueToken';
import { AppError, ErrorCode } from '../core/platform/errors';
import { promotionIdSchema } from '../core/model/ids';
import type { ShopperJwtVerifier } from './http/shopperAuth';
import { connectRedis, createRedis, type RedisClient } from '../core/platform/redis';
import { describeLine } from '../core/useCases/line';
import type { WaitingRoom } from '../core/room/waitingRoom';
import { FanOut, spreadBroadcasts } from './socketFanOut';
import { deliverStateBatches } from './stateBatches';

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
  /** Signed mode's verifier, the one the HTTP routes use. */
  shopperJwt: ShopperJwtVerifier | undefined;
  logger: Logger;
}

export interface SocketGateway {
  io: GatewayServer;
  /** Drops every page (they reconnect to another server) and leaves the Redis channels. */
  close(): Promise<void>;
}

/** The handshake's token, as the AsyncAPI document describes it. */
const tokenSchema = handshakeAuthSchema.shape.token;

function refusal(code: ConnectErrorCode, message: string): ExtendedError {
  const err: ExtendedError = new Error(message);
  err.data = { code } satisfies ConnectErrorData;
  return err;
}

type Check =
  { ok: true; claims: SocketData } | { ok: false; code: ConnectErrorCode; message: string };

/** Signed mode: `{ token: <jwt>, promotionId }`; the ticket is read with the shopper's record. */
async function checkJwt(
  jwt: ShopperJwtVerifier,
  token: string,
  rawPromotionId: unknown,
): Promise<Check> {
  const promotionId = promotionIdSchema.safeParse(rawPromotionId);
  if (!promotionId.success) {
    const message = 'With the shop’s token, connect with { auth: { token, promotionId } }.';
    return { ok: false, code: ConnectErrorCode.TokenInvalid, message };
  }
  try {
    const userId = await jwt(token);
    return { ok: true, claims: { promotionId: promotionId.data, userId, ticket: 0 } };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const code =
      err.code === ErrorCode.ShopperTokenExpired
        ? ConnectErrorCode.TokenExpired
        : err.code === ErrorCode.Unavailable
          ? ConnectErrorCode.Unavailable
          : ConnectErrorCode.TokenInvalid;
    return { ok: false, code, message: err.message };
  }
}

/**
 * Handshake: `{ auth: { token } }` must be a genuine, unexpired queue token (or,
 * in signed mode, the shop's JWT with `promotionId`) for a shopper still in the queue.
 */
function authenticate({ room, tokens, logger, shopperJwt: jwt }: SocketGatewayDeps) {
  return async (socket: GatewaySocket): Promise<ExtendedError | undefined> => {
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    const raw: unknown = auth?.token;
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
    const byJwt = jwt !== undefined && !looksLikeQueueToken(parsed.data);
    const check: Check = byJwt
      ? await checkJwt(jwt, parsed.data, auth?.promotionId)
      : tokens.verify(parsed.data);
    if (!check.ok) return refusal(check.code, check.message);
    const { promotionId, userId } = check.claims;
    let { ticket } = check.claims;
    try {
      const view = await room.shopper(promotionId, userId);
      if (byJwt && view.record) ticket = view.record.ticket;
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
    socket.data = { promotionId, userId, ticket };
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
  // Progress and notices go to every page of a promotion: spread over time, newest wins.
  const latestWins = new Set<keyof ServerToClientEvents>(['progress', 'notice']);
  spreadBroadcasts(io.of('/').adapter, new FanOut<GatewaySocket>(), latestWins);
  // A tick's decisions come batched: each goes to this server's pages of that shopper.
  const stopBatches = deliverStateBatches(
    sub,
    config.keyPrefix,
    {
      has: (room) => io.of('/').adapter.rooms.has(room),
      emit: (room, update) => io.local.to(room).emit('state', update),
    },
    logger,
  );
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
      stopBatches();
      await io.close();
      sub.disconnect();
      await pub.quit();
    },
  };
}

// The shopper's live socket: connects with the queue token, says when the line is
// down, and hands each state and progress message to the page.
import { io, type Socket } from 'socket.io-client';
import {
  ConnectErrorCode,
  type ClientToServerEvents,
  type ConnectErrorData,
  type PromotionNotice,
  type PromotionProgress,
  type ServerToClientEvents,
  type ShopperUpdate,
} from '../../core/live/contract';
import { retryLater, retrySucceeded } from './retry';
import { banner } from './shopperElements';
import { t } from './i18n';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveHandlers {
  state: (update: ShopperUpdate) => void;
  progress: (progress: PromotionProgress) => void;
  /** Connected (again): what was missed meanwhile can be read. */
  connected: () => void;
  /** The marketer changed the promotion's notice. */
  notice: (notice: PromotionNotice) => void;
  /** The server refused the token (expired, or the queue was reset): join again for a new one. */
  rejoin: () => void;
}

let socket: LiveSocket | undefined;

export function connectLive(token: string, on: LiveHandlers): void {
  stopLive();
  const live: LiveSocket = io({ auth: { token }, reconnectionDelayMax: 5000 });
  socket = live;
  live.on('connect', () => {
    retrySucceeded();
    banner(null);
    on.connected();
  });
  live.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    banner(t('connectionLost'));
    // A server shutting down drops its pages on purpose, and Socket.IO leaves those to the page.
    if (reason === 'io server disconnect') retryLater(() => live.connect());
  });
  live.on('connect_error', (err: Error & { data?: Partial<ConnectErrorData> }) => {
    const code = err.data?.code;
    if (code && code !== ConnectErrorCode.Unavailable && !live.active) {
      stopLive();
      retryLater(on.rejoin);
      return;
    }
    banner(t('unreachable'));
  });
  live.on('state', on.state);
  live.on('progress', on.progress);
  live.on('notice', on.notice);
}

/** A live socket is connected: it pushes what changes. */
export function isLive(): boolean {
  return socket?.connected ?? false;
}

export function stopLive(): void {
  socket?.disconnect();
  socket = undefined;
}

// Real socket.io-client pages: connect with a queue token, record every event
// in arrival order, and wait for one by event (with a deadline), never by sleeping.
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ConnectErrorData,
  PromotionProgress,
  ServerToClientEvents,
  ShopperUpdate,
} from '../../core/live/contract';

export type PageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type Received =
  | { kind: 'state'; state: ShopperUpdate; at: number }
  | { kind: 'progress'; progress: PromotionProgress; at: number };

export interface Page {
  socket: PageSocket;
  /** Every event, in the order it arrived. */
  received: Received[];
  states(): ShopperUpdate[];
  progress(): PromotionProgress[];
  /** Resolves with the first state (already received or to come) that matches. */
  waitForState(match: (s: ShopperUpdate) => boolean, what?: string): Promise<ShopperUpdate>;
  waitForProgress(
    match: (p: PromotionProgress) => boolean,
    what?: string,
  ): Promise<PromotionProgress>;
  close(): void;
}

/** `transports` defaults to WebSocket only; the browser's default is long-polling, then upgrade. */
export function pageSocket(
  port: number,
  auth: unknown,
  transports: ('polling' | 'websocket')[] = ['websocket'],
): PageSocket {
  return io(`http://127.0.0.1:${port}`, {
    auth: auth as Record<string, unknown>,
    forceNew: true, // one connection per page, as separate browsers would have
    transports,
    reconnection: false,
  });
}

const isFinal = (s: ShopperUpdate) => s.status === 'COMPLETED' || s.status === 'FAILED';
export const finalState = (page: Page) => page.waitForState(isFinal, 'a final state');

/** Re-checks `seen` after each recorded event until it finds something, or fails at the deadline. */
function waitForEvent<T>(
  subscribers: Set<() => void>,
  seen: () => T | undefined,
  what: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = seen();
      if (found === undefined) return;
      cleanup();
      resolve(found);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      subscribers.delete(check);
    };
    subscribers.add(check);
    check();
  });
}

/** Connects a page and resolves once the server accepted it. */
export async function openPage(
  port: number,
  token: string,
  timeoutMs = 15000,
  transports?: ('polling' | 'websocket')[],
): Promise<Page> {
  const socket = pageSocket(port, { token }, transports);
  const received: Received[] = [];
  const subscribers = new Set<() => void>();
  const record = (event: Received) => {
    received.push(event);
    for (const notify of [...subscribers]) notify();
  };
  socket.on('state', (state) => {
    record({ kind: 'state', state, at: Date.now() });
  });
  socket.on('progress', (progress) => {
    record({ kind: 'progress', progress, at: Date.now() });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      resolve();
    });
    socket.once('connect_error', (err) => {
      reject(err);
    });
  });
  const states = () => received.flatMap((r) => (r.kind === 'state' ? [r.state] : []));
  const progress = () => received.flatMap((r) => (r.kind === 'progress' ? [r.progress] : []));
  return {
    socket,
    received,
    states,
    progress,
    waitForState: (match, what = 'a state') =>
      waitForEvent(subscribers, () => states().find(match), what, timeoutMs),
    waitForProgress: (match, what = 'a progress message') =>
      waitForEvent(subscribers, () => progress().find(match), what, timeoutMs),
    close: () => socket.disconnect(),
  };
}

/** Connects with the given auth and resolves with the refusal the server sent. */
export function connectRefusal(
  port: number,
  auth: unknown,
): Promise<{ message: string; code: string | undefined }> {
  const socket = pageSocket(port, auth);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the server accepted a connection it should have refused'));
    });
    socket.once('connect_error', (err) => {
      socket.disconnect();
      const data = (err as { data?: Partial<ConnectErrorData> }).data;
      resolve({ message: err.message, code: data?.code });
    });
  });
}

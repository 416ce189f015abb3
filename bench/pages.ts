// A fleet of real socket.io-client pages for the socket bench: connects them,
// and records how long each decision and progress message took to arrive.
import type { ShopperStatus } from '../core/model/shopperState';
import { pageSocket, type PageSocket } from '../tests/helpers/live';
import { inParallel } from '../tests/helpers/wait';

export interface Arrival {
  userId: string;
  status: ShopperStatus;
  /** ms from the Redis decision (decidedAt) to arrival here. */
  latency: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface Fleet {
  decisions: Arrival[];
  /** ms from the worker reading the progress to arrival here, one per page per message. */
  progressLatency: number[];
  /** Resolves when every page was accepted and got its first state. */
  connect(tokens: string[], concurrency: number): Promise<void>;
  /** Resolves when every page got its decision; rejects at the deadline (ms since the epoch). */
  allDecided(deadline: number): Promise<void>;
  close(): void;
}

export function pageFleet(port: number): Fleet {
  const sockets: PageSocket[] = [];
  const decisions: Arrival[] = [];
  const progressLatency: number[] = [];
  let onDecision: () => void = () => undefined;

  const open = async (token: string) => {
    const socket = pageSocket(port, { token });
    sockets.push(socket);
    let decided = false;
    socket.on('progress', (p) => progressLatency.push(Date.now() - p.at));
    socket.on('state', (s) => {
      if (s.decidedAt === undefined || decided) return;
      decided = true;
      const at = Date.now();
      decisions.push({ userId: s.userId, status: s.status, latency: at - s.decidedAt, at });
      onDecision();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('state', () => {
        resolve();
      });
      socket.once('connect_error', reject);
    });
  };

  return {
    decisions,
    progressLatency,
    async connect(tokens, concurrency) {
      await inParallel(
        tokens.map((token) => () => open(token)),
        concurrency,
      );
    },
    allDecided(deadline) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => {
            reject(new Error(`only ${decisions.length} of ${sockets.length} pages got a decision`));
          },
          Math.max(0, deadline - Date.now()),
        );
        onDecision = () => {
          if (decisions.length < sockets.length) return;
          clearTimeout(timer);
          resolve();
        };
        onDecision();
      });
    },
    close() {
      for (const socket of sockets) socket.disconnect();
    },
  };
}

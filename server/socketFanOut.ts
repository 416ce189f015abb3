// Broadcasts to big rooms spread over time. The Redis adapter hands a message
// from a worker to socket.io-adapter's broadcast, which writes it to every
// socket of the room in one synchronous loop: with 10,000 pages a progress
// message held the event loop long enough to delay every decision behind it.
// Here a broadcast to at most `sliceSockets` sockets still goes out at once (a
// shopper's own decision), a bigger one is written a time slice at a time with
// setImmediate in between, so Redis messages read meanwhile are delivered
// between slices; and a newer message of a latest-wins event (progress) to the
// same rooms replaces one still going out, restarting with the newest.
//
// The hook: socket.io (docs, "Adapter") offers adapter events but no broadcast
// hook, and the Redis adapter delivers with `super.broadcast`, which an
// override of broadcast never sees; both broadcast paths go through the
// in-memory adapter's `_encode` then `apply(opts, callback)`, so those two are
// wrapped on the instance (socket.io-adapter 2.5; tests/liveQueue and
// tests/socketFanOut prove it still holds after an upgrade).
import type { Adapter, BroadcastOptions } from 'socket.io-adapter';

/** What of a socket the fan-out needs. */
interface Connected {
  readonly connected: boolean;
}

interface Delivery<S> {
  /** Rooms (and event, when latest-wins): a newer delivery with the same key replaces this one. */
  key: string;
  replaceable: boolean;
  sockets: S[];
  deliver: (socket: S) => void;
  next: number;
}

export interface FanOutOptions {
  /** Broadcasts to at most this many sockets go out at once. */
  sliceSockets?: number;
  /** A slice of a big broadcast stops after about this much time (ms). */
  sliceMs?: number;
}

/** A queue of big broadcasts, each written a slice at a time. */
export class FanOut<S extends Connected> {
  private readonly queue: Delivery<S>[] = [];
  private readonly sliceSockets: number;
  private readonly sliceMs: number;
  private readonly step = () => {
    this.runSlice();
  };

  constructor({ sliceSockets = 256, sliceMs = 4 }: FanOutOptions = {}) {
    this.sliceSockets = sliceSockets;
    this.sliceMs = sliceMs;
  }

  /** Deliveries not yet finished (for tests and shutdown). */
  get pending(): number {
    return this.queue.length;
  }

  send(key: string, replaceable: boolean, sockets: S[], deliver: (socket: S) => void): void {
    const queued = this.queue.find((d) => d.key === key);
    if (queued?.replaceable && replaceable) {
      // The sockets that got the older message get the newer one too; the rest only the newer.
      Object.assign(queued, { sockets, deliver, next: 0 });
      return;
    }
    // Messages to the same rooms keep their order: behind a queued one, this one queues too.
    if (queued === undefined && sockets.length <= this.sliceSockets) {
      for (const socket of sockets) deliver(socket);
      return;
    }
    this.queue.push({ key, replaceable, sockets, deliver, next: 0 });
    if (this.queue.length === 1) setImmediate(this.step);
  }

  private runSlice(): void {
    const until = performance.now() + this.sliceMs;
    let delivery = this.queue[0];
    while (delivery !== undefined) {
      const { sockets } = delivery;
      while (delivery.next < sockets.length) {
        const socket = sockets[delivery.next++] as S;
        if (socket.connected) delivery.deliver(socket);
        if (delivery.next % 32 === 0 && performance.now() >= until) {
          setImmediate(this.step);
          return;
        }
      }
      this.queue.shift();
      delivery = this.queue[0];
    }
  }
}

/** The two members of socket.io-adapter's Adapter that every broadcast calls (private in its types). */
interface BroadcastInternals<S> {
  _encode(packet: { data?: unknown; id?: number }, packetOpts: unknown): unknown;
  apply(opts: BroadcastOptions, callback: (socket: S) => void): void;
}

/**
 * Routes the adapter's broadcasts through `fanOut`. Only broadcasts are
 * spread: `_encode` marks the `apply` that follows it; any other `apply`
 * (fetchSockets, addSockets...) and broadcasts awaiting acks stay synchronous.
 */
export function spreadBroadcasts<S extends Connected>(
  adapter: Adapter,
  fanOut: FanOut<S>,
  latestWins: ReadonlySet<string>,
): void {
  const internals = adapter as unknown as BroadcastInternals<S>;
  const encode = internals._encode.bind(adapter);
  const apply = internals.apply.bind(adapter);
  let event: string | undefined;
  internals._encode = (packet, packetOpts) => {
    const name: unknown = Array.isArray(packet.data) ? (packet.data as unknown[])[0] : undefined;
    event = packet.id === undefined && typeof name === 'string' ? name : undefined;
    return encode(packet, packetOpts);
  };
  internals.apply = (opts, callback) => {
    const name = event;
    event = undefined;
    if (name === undefined) {
      apply(opts, callback);
      return;
    }
    const sockets: S[] = [];
    apply(opts, (socket) => sockets.push(socket));
    const rooms = [...opts.rooms].join(',');
    const replaceable = latestWins.has(name);
    fanOut.send(replaceable ? `${rooms}#${name}` : rooms, replaceable, sockets, callback);
  };
}

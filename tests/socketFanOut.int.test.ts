// Broadcasts to big rooms go out a slice at a time: a shopper's own message is
// not held behind them, the newest progress wins, and nothing else changes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { FanOut, spreadBroadcasts } from '../server/socketFanOut';
import { waitFor } from './helpers/wait';

interface FakeSocket {
  connected: boolean;
  got: string[];
}

const fleet = (n: number): FakeSocket[] =>
  Array.from({ length: n }, () => ({ connected: true, got: [] }));
const writer = (message: string) => (s: FakeSocket) => s.got.push(message);
const drained = (fanOut: FanOut<FakeSocket>) =>
  waitFor(
    () => Promise.resolve(fanOut.pending),
    (n) => n === 0,
    { what: 'the fan-out to finish' },
  );

test('a small broadcast goes out at once; a big one in slices, and a small one sent meanwhile is not held behind it', async () => {
  const fanOut = new FanOut<FakeSocket>({ sliceSockets: 10, sliceMs: 0 });
  const room = fleet(500);
  const shopper = fleet(1);
  fanOut.send('s:1:a', false, shopper, writer('PROCESSING'));
  expect(shopper[0]?.got).toEqual(['PROCESSING']);

  fanOut.send('p:1', false, room, writer('progress 1'));
  expect(room.filter((s) => s.got.length > 0)).toHaveLength(0);
  fanOut.send('s:1:a', false, shopper, writer('COMPLETED'));
  expect(shopper[0]?.got).toEqual(['PROCESSING', 'COMPLETED']);
  await drained(fanOut);
  expect(room.every((s) => s.got.join() === 'progress 1')).toBe(true);
});

test('a newer progress replaces one still going out: every page ends on the newest, none gets an older one after it', async () => {
  const fanOut = new FanOut<FakeSocket>({ sliceSockets: 10, sliceMs: 0 });
  const gone: FakeSocket = { connected: false, got: [] };
  const room = [...fleet(1999), gone];
  fanOut.send('p:1#progress', true, room, writer('progress 1'));
  // The fan-out's slice was queued first, so it runs before this turn ends: exactly one slice.
  await new Promise(setImmediate);
  expect(room.filter((s) => s.got.length > 0).length).toBe(32);
  fanOut.send('p:1#progress', true, room, writer('progress 2'));
  await drained(fanOut);
  const live = room.slice(0, 1999);
  expect(live.every((s) => s.got.at(-1) === 'progress 2')).toBe(true);
  expect(live.every((s) => s.got.filter((m) => m === 'progress 2').length === 1)).toBe(true);
  expect(live.some((s) => s.got.length === 1)).toBe(true); // some never got the older one
  expect(gone.got).toEqual([]); // a page gone meanwhile is skipped
});

test('messages that do not replace each other keep their order per room', async () => {
  const fanOut = new FanOut<FakeSocket>({ sliceSockets: 10, sliceMs: 0 });
  const room = fleet(300);
  fanOut.send('p:1', false, room, writer('first'));
  fanOut.send('p:1', false, room.slice(0, 5), writer('second'));
  await drained(fanOut);
  expect(room.slice(0, 5).every((s) => s.got.join() === 'first,second')).toBe(true);
  expect(room.slice(5).every((s) => s.got.join() === 'first')).toBe(true);
});

test('on a real Socket.IO server, room broadcasts pass through the fan-out and every page gets the newest; fetchSockets is untouched', async () => {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  const fanOut = new FanOut<{ connected: boolean }>({ sliceSockets: 3, sliceMs: 0 });
  spreadBroadcasts(io.of('/').adapter, fanOut, new Set(['progress']));
  io.on('connection', (socket) => {
    void socket.join('p:1');
  });
  await new Promise<void>((resolve) => http.listen(0, resolve));
  const port = (http.address() as AddressInfo).port;
  const pages: { socket: ClientSocket; got: number[] }[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const socket = connect(`http://127.0.0.1:${port}`, {
        forceNew: true,
        transports: ['websocket'],
        reconnection: false,
      });
      const page = { socket, got: [] as number[] };
      socket.on('progress', (n: number) => page.got.push(n));
      pages.push(page);
      await new Promise<void>((resolve) =>
        socket.once('connect', () => {
          resolve();
        }),
      );
    }
    await waitFor(
      () => io.in('p:1').fetchSockets(),
      (sockets) => sockets.length === 20,
      { what: 'every page in the room' },
    );
    io.to('p:1').emit('progress', 1);
    expect(fanOut.pending).toBe(1); // spread, not written in one loop
    io.to('p:1').emit('progress', 2);
    await waitFor(
      () => Promise.resolve(pages.filter((p) => p.got.at(-1) === 2).length),
      (n) => n === 20,
      { what: 'every page to get progress 2' },
    );
    expect(pages.every((p) => p.got.every((n, i) => i === 0 || n >= (p.got[i - 1] ?? 0)))).toBe(
      true,
    );
  } finally {
    for (const page of pages) page.socket.disconnect();
    await io.close();
  }
});

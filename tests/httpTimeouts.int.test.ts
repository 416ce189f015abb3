// A client that sends its request slowly (a body dribbled a byte at a time) is cut
// at HTTP_REQUEST_TIMEOUT_MS: it cannot hold a connection for Node's default 300 s.
import { connect } from 'node:net';
import { startSystem, type TestSystem } from './helpers/system';

let system: TestSystem;
afterEach(() => system.stop());

test('a join whose body dribbles in is answered 408 and the connection closed at the configured timeout', async () => {
  system = await startSystem({ HTTP_REQUEST_TIMEOUT_MS: '600' }, { withWorker: false });
  await system.api.initStock(1, 5);
  const socket = connect(system.server.port, '127.0.0.1');
  const body = JSON.stringify({ promotionId: 1, userId: 'slow-body' });
  const started = Date.now();
  socket.write(
    'POST /api/coupon/queue/join HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  let sent = 0;
  // One byte every 100 ms: the whole body would take about 4 s.
  const dribble = setInterval(() => {
    if (!socket.destroyed && sent < body.length - 1) socket.write(body[sent++] ?? '');
  }, 100);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  await new Promise<void>((resolve) =>
    socket.on('close', () => {
      resolve();
    }),
  );
  clearInterval(dribble);
  const heldMs = Date.now() - started;

  expect(answer).toMatch(/^HTTP\/1\.1 408/);
  expect(sent).toBeLessThan(body.length - 1); // cut before the body was complete
  expect(heldMs).toBeGreaterThanOrEqual(500);
  expect(heldMs).toBeLessThan(2500);
  // The shopper was never queued.
  expect((await system.services.room.shopper(1, 'slow-body')).record).toBeNull();
});

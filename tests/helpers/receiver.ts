// A real webhook receiver on 127.0.0.1 for the tests: it records every delivery
// (raw body, headers) and answers what the test tells it to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  id: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  signature: string;
  raw: string;
  event: { id: string; type: string; promotionId: number; data: Record<string, unknown> };
}

export interface Receiver {
  url: string;
  port: number;
  deliveries: Delivery[];
  /** What the next deliveries are answered with (200 by default). */
  answer: (delivery: Delivery) => number;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    port: 0,
    deliveries: [],
    answer: () => 200,
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const delivery: Delivery = {
        id: String(req.headers['x-waiting-room-event-id']),
        at: Date.now(),
        signature: String(req.headers['x-waiting-room-signature']),
        raw,
        event: JSON.parse(raw) as Delivery['event'],
      };
      receiver.deliveries.push(delivery);
      res.writeHead(receiver.answer(delivery)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return receiver;
}

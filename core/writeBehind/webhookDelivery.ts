// One webhook delivery: POST the event's JSON, signed. A 5xx, 408, 429, a refused
// connection or a timeout throws (BullMQ retries with backoff); any other 4xx is
// the receiver refusing this event for good (UnrecoverableError: a dead letter now).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { UnrecoverableError } from 'bullmq';
import type { DomainEvent } from '../db/eventsRepo';

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook's secret>`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const retried = (status: number) => status >= 500 || status === 408 || status === 429;

// node:http with keep-alive agents: several times less CPU per POST than fetch,
// and the worker's CPU is the drain's too.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 50 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 50 }),
};

function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number) {
  return new Promise<number>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const req = client.request(url, { method: 'POST', headers, agent }, (res) => {
      res.resume(); // the answer's body is not read: drain it to reuse the connection
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
      res.on('error', reject);
    });
    // The whole exchange is bounded, not only each silence: a trickling receiver counts as down.
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('close', () => {
      clearTimeout(timer);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function deliver(
  hook: { url: string; secret: string },
  event: DomainEvent,
  timeoutMs: number,
): Promise<number> {
  const body = JSON.stringify(event);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'waiting-room-webhooks/1',
    'x-waiting-room-event-id': event.id,
    'x-waiting-room-event-type': event.type,
    'x-waiting-room-signature': signature(hook.secret, body),
  };
  const status = await post(new URL(hook.url), headers, body, timeoutMs);
  if (status >= 200 && status < 300) return status;
  const message = `${hook.url} answered ${status}`;
  throw retried(status) ? new Error(message) : new UnrecoverableError(message);
}

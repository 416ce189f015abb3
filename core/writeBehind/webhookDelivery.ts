// One webhook delivery: POST the event's JSON, signed. A 5xx, 408, 429, a refused
// connection or a timeout throws (BullMQ retries with backoff); any other 4xx is
// the receiver refusing this event for good (UnrecoverableError: a dead letter now).
import { createHmac } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import type { DomainEvent } from '../db/eventsRepo';

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook's secret>`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const retried = (status: number) => status >= 500 || status === 408 || status === 429;

export async function deliver(
  hook: { url: string; secret: string },
  event: DomainEvent,
  timeoutMs: number,
): Promise<number> {
  const body = JSON.stringify(event);
  const res = await fetch(hook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'waiting-room-webhooks/1',
      'x-waiting-room-event-id': event.id,
      'x-waiting-room-event-type': event.type,
      'x-waiting-room-signature': signature(hook.secret, body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.body?.cancel(); // the answer's body is not read: free the connection
  if (res.status >= 200 && res.status < 300) return res.status;
  const message = `${hook.url} answered ${res.status}`;
  throw retried(res.status) ? new Error(message) : new UnrecoverableError(message);
}

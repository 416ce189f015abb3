// The operator's webhooks: register a receiver (its signing secret is shown once),
// list them, remove one. Deliveries themselves are the worker's (worker/events.ts).
import { randomBytes } from 'node:crypto';
import { eventTypes, type EventType } from '../db/eventsRepo';
import { deleteWebhook, insertWebhook, listWebhooks, type Webhook } from '../db/webhooksRepo';
import { AppError, ErrorCode } from '../platform/errors';
import type { Services } from '../services';

export { eventTypes, type EventType };

export type WebhookDeps = Pick<Services, 'db'>;

/** What the API shows of a webhook: never its secret after registration. */
export type WebhookView = Omit<Webhook, 'secret'>;

const view = ({ id, url, events, createdAt }: Webhook): WebhookView => ({
  id,
  url,
  events,
  createdAt,
});

export async function registerWebhook(
  s: WebhookDeps,
  given: { url: string; events?: EventType[] },
): Promise<Webhook> {
  const events = given.events ? [...new Set(given.events)] : [...eventTypes];
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return insertWebhook(s.db, { url: given.url, events, secret });
}

export async function viewWebhooks(s: WebhookDeps): Promise<WebhookView[]> {
  return (await listWebhooks(s.db)).map(view);
}

export async function removeWebhook(s: WebhookDeps, id: number): Promise<void> {
  if (!(await deleteWebhook(s.db, id))) {
    throw new AppError(ErrorCode.NotFound, `No webhook ${id}.`);
  }
}

// Rows of the webhooks table: where events are POSTed, which types, the signing secret.
import type { Db } from './connection';
import { toDate } from './dates';
import type { EventType } from './eventsRepo';

export interface Webhook {
  id: number;
  url: string;
  /** The event types delivered. */
  events: EventType[];
  /** HMAC-SHA256 key of the signature header; shown to the operator once. */
  secret: string;
  createdAt: Date;
}

interface Row {
  id: number | string;
  url: string;
  events: string;
  secret: string;
  created_at: Date | string | number;
}

function fromRow(row: Row): Webhook {
  return {
    id: Number(row.id),
    url: row.url,
    events: JSON.parse(row.events) as EventType[],
    secret: row.secret,
    createdAt: toDate(row.created_at),
  };
}

export async function insertWebhook(
  db: Db,
  hook: Pick<Webhook, 'url' | 'events' | 'secret'>,
): Promise<Webhook> {
  const [id] = await db('webhooks').insert({
    url: hook.url,
    events: JSON.stringify(hook.events),
    secret: hook.secret,
    created_at: new Date(),
  });
  const created = await getWebhook(db, Number(id));
  if (!created) throw new Error('Inserted webhook not found');
  return created;
}

export async function getWebhook(db: Db, id: number): Promise<Webhook | null> {
  const row = await db<Row>('webhooks').where({ id }).first();
  return row ? fromRow(row) : null;
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  return (await db<Row>('webhooks').orderBy('id')).map(fromRow);
}

/** True if it existed. */
export async function deleteWebhook(db: Db, id: number): Promise<boolean> {
  return (await db('webhooks').where({ id }).delete()) === 1;
}

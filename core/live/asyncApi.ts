// Builds the AsyncAPI 3.0 document of the live queue (Socket.IO) from the zod
// schemas in contractSchemas.ts: `npm run docs:asyncapi` writes it to
// docs/asyncapi.json, and a test fails when the committed file differs.
import { z } from 'zod';
import { ConnectErrorCode, connectErrorMeaning } from './connectErrors';
import {
  connectErrorDataSchema,
  handshakeAuthSchema,
  serverToClientEvents,
} from './contractSchemas';

type Json = Record<string, unknown>;

/** What each server-to-client event is for, in words. */
const eventWords: Record<keyof typeof serverToClientEvents, { title: string; summary: string }> = {
  state: {
    title: 'The shopper’s own status',
    summary:
      'Sent at once on every (re)connect, then on every change: WAITING (with position), ' +
      'PROCESSING, HELD (expiresAt, msLeft), COMPLETED (couponCode), FAILED (reason), ' +
      'EXPIRED, RELEASED. Pushed decisions add decidedAt. A status never moves backwards: ' +
      'keep the higher rank (isNewerState in core/live/contract.ts).',
  },
  progress: {
    title: 'The promotion’s progress',
    summary:
      'Sent at once on every (re)connect, then once per drain tick that changed something, ' +
      'to every page of the promotion. A waiting page’s position is ticket - served and its ' +
      'ETA position / drainRate (placeInQueue); keep the highest served (isNewerProgress).',
  },
  notice: {
    title: 'The marketer’s notice',
    summary:
      'Sent to every page of the promotion each time the marketer posts, changes or takes ' +
      'down the notice (PATCH /api/promotions/:id { notice }); null takes it down. A page ' +
      'reads the current one on load from GET /api/promotions/:id/public.',
  },
};

/** Converts zod schemas to draft-07 JSON Schema (AsyncAPI's default), named ones into components. */
class SchemaConverter {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Json;
    const rewritten = JSON.parse(
      JSON.stringify(json).replaceAll('"#/definitions/', '"#/components/schemas/'),
    ) as Json;
    Object.assign(this.components, (rewritten.definitions ?? {}) as Record<string, Json>);
    delete rewritten.definitions;
    delete rewritten.$schema;
    return rewritten;
  }
}

/** The examples a schema carries in its `.meta({ examples })`. */
function examplesOf(schema: z.ZodType): unknown[] {
  const examples = z.globalRegistry.get(schema)?.examples;
  return Array.isArray(examples) ? (examples as unknown[]) : [];
}

function message(
  converter: SchemaConverter,
  name: string,
  schema: z.ZodType,
  words: { title: string; summary: string },
  io: 'input' | 'output',
): Json {
  return {
    name,
    title: words.title,
    summary: words.summary,
    contentType: 'application/json',
    payload: converter.convert(schema, io),
    examples: examplesOf(schema).map((payload, i) => ({ name: `${name}-${i + 1}`, payload })),
  };
}

const ref = (path: string) => ({ $ref: path });

export function buildAsyncApi(info: { version: string }): Json {
  const converter = new SchemaConverter();
  const messages: Record<string, Json> = {};
  for (const [event, schema] of Object.entries(serverToClientEvents)) {
    const words = eventWords[event as keyof typeof serverToClientEvents];
    messages[event] = message(converter, event, schema, words, 'output');
  }
  const codes = Object.values(ConnectErrorCode).map((c) => `- \`${c}\`: ${connectErrorMeaning[c]}`);
  messages.connect_error = message(
    converter,
    'connect_error',
    connectErrorDataSchema,
    {
      title: 'The handshake was refused',
      summary:
        'Socket.IO’s connect_error: the client’s Error has message (in words) and data = ' +
        '{ code }. The socket is not connected and no event follows.\n\n' +
        codes.join('\n'),
    },
    'output',
  );
  messages.handshake = message(
    converter,
    'handshake',
    handshakeAuthSchema,
    {
      title: 'The handshake’s auth object',
      summary:
        'Not an event: the auth option of io(), sent once in the Socket.IO CONNECT packet. ' +
        'It decides the rooms: the shopper’s own and the promotion’s.',
    },
    'input',
  );
  const channelMessages = Object.fromEntries(
    Object.keys(messages).map((name) => [name, ref(`#/components/messages/${name}`)]),
  );
  // The document describes the server: it sends the events and receives the handshake.
  const send = (name: string, summary: string) => ({
    action: 'send',
    channel: ref('#/channels/liveQueue'),
    summary,
    messages: [ref(`#/channels/liveQueue/messages/${name}`)],
  });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Flash-sale coupon waiting room: live queue',
      version: info.version,
      description:
        'Socket.IO 4 (Socket.IO protocol 5 over Engine.IO 4) on the same host and port as the HTTP API. A ' +
        'shopper’s page connects with io({ auth: { token } }), the queueToken that ' +
        'POST /api/coupon/queue/join returned (signed mode: the shop’s JWT and promotionId), ' +
        'and only listens: the token decides its rooms, and anything a page emits is ' +
        'ignored. The TypeScript event maps are in core/live/contract.ts; the HTTP API is ' +
        'in /openapi.json.',
    },
    defaultContentType: 'application/json',
    servers: {
      waitingRoom: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io',
        description:
          'Every server process, at its own HTTP host and port (PORT; 3000 by default). ' +
          'WebSocket, or HTTP long-polling with sticky sessions behind a load balancer.',
      },
    },
    channels: {
      liveQueue: {
        address: '/',
        title: 'The default namespace',
        description:
          'One connection per page. The server puts it in the shopper’s room and the ' +
          'promotion’s room (room names in core/live/contract.ts); workers publish through ' +
          'the Redis emitter and the Redis adapter delivers to whichever server holds the page.',
        servers: [ref('#/servers/waitingRoom')],
        messages: channelMessages,
      },
    },
    operations: {
      acceptConnection: {
        action: 'receive',
        channel: ref('#/channels/liveQueue'),
        summary: 'A page connects with its token (the handshake’s auth object)',
        messages: [ref('#/channels/liveQueue/messages/handshake')],
      },
      ...Object.fromEntries(
        Object.keys(serverToClientEvents).map((event) => [
          `send_${event}`,
          send(event, eventWords[event as keyof typeof serverToClientEvents].title),
        ]),
      ),
      refuseConnection: send('connect_error', 'The handshake is refused, with a code'),
    },
    components: { schemas: converter.components, messages },
  };
}

// docs/asyncapi.json is what `npm run docs:asyncapi` generates from the zod
// schemas of the live contract (so it cannot drift), it names every event the
// server sends, every connect_error code, and its examples fit their schemas.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { buildAsyncApi } from '../core/live/asyncApi';
import { ConnectErrorCode, type ServerToClientEvents } from '../core/live/contract';
import {
  connectErrorDataSchema,
  handshakeAuthSchema,
  serverToClientEvents,
} from '../core/live/contractSchemas';
import { asyncApiFile, packageVersion } from '../scripts/asyncapi';

type Json = Record<string, unknown>;
const generated = buildAsyncApi({ version: packageVersion() });

/** Checked by the compiler against the event map: a new event must be added here too. */
const everyEvent: Record<keyof ServerToClientEvents, true> = {
  state: true,
  progress: true,
  notice: true,
};

function resolve(doc: Json, pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
}

/** What is wrong with a document: unresolved $refs, events without a message or an operation. */
function problemsOf(doc: Json): string[] {
  const problems: string[] = [];
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] ?? '');
  for (const r of refs) if (resolve(doc, r) === undefined) problems.push(`unresolved ${r}`);
  const channel = resolve(doc, '#/channels/liveQueue') as Json | undefined;
  const messages = (channel?.messages ?? {}) as Json;
  const operations = Object.values((doc.operations ?? {}) as Record<string, Json>);
  for (const event of [...Object.keys(everyEvent), 'connect_error']) {
    if (!(event in messages)) problems.push(`${event}: no message`);
    const sent = operations.some(
      (op) => op.action === 'send' && JSON.stringify(op.messages).includes(`/messages/${event}"`),
    );
    if (!sent) problems.push(`${event}: no send operation`);
  }
  return problems;
}

test('the committed docs/asyncapi.json is what npm run docs:asyncapi generates', () => {
  const committed = JSON.parse(readFileSync(asyncApiFile, 'utf8')) as unknown;
  expect(committed).toEqual(generated);
});

test('it is an AsyncAPI 3.0 document whose references resolve and that names every event', () => {
  expect(generated).toMatchObject({
    asyncapi: '3.0.0',
    info: { title: 'Flash-sale coupon waiting room: live queue', version: packageVersion() },
    channels: { liveQueue: { address: '/' } },
  });
  expect(Object.keys(serverToClientEvents).sort()).toEqual(Object.keys(everyEvent).sort());
  expect(problemsOf(generated)).toEqual([]);
});

test('the checks are not rubber stamps: a missing event or a dangling reference is caught', () => {
  const broken = JSON.parse(JSON.stringify(generated)) as {
    channels: { liveQueue: { messages: Json } };
    components: { messages: Json };
  };
  delete broken.channels.liveQueue.messages.progress;
  delete broken.components.messages.state;
  const problems = problemsOf(broken);
  expect(problems).toEqual(
    expect.arrayContaining(['progress: no message', 'unresolved #/components/messages/state']),
  );
});

test('connect_error lists every code with its meaning, and the handshake its token', () => {
  const data = resolve(generated, '#/components/schemas/ConnectErrorData') as {
    properties: { code: { enum: string[]; description: string } };
  };
  expect(data.properties.code.enum).toEqual(Object.values(ConnectErrorCode));
  for (const code of Object.values(ConnectErrorCode)) {
    expect(data.properties.code.description).toContain(`${code}: `);
  }
  expect(resolve(generated, '#/components/schemas/HandshakeAuth')).toMatchObject({
    required: ['token'],
    properties: { token: { type: 'string', maxLength: 1024 } },
  });
});

test('every message example is accepted by the schema it illustrates', () => {
  const schemas: Record<string, z.ZodType> = {
    ...serverToClientEvents,
    connect_error: connectErrorDataSchema,
    handshake: handshakeAuthSchema,
  };
  const messages = (generated.components as { messages: Record<string, Json> }).messages;
  for (const [name, schema] of Object.entries(schemas)) {
    const examples = (messages[name]?.examples ?? []) as { payload: unknown }[];
    expect(`${name}: ${examples.length > 0 ? 'has examples' : 'none'}`).toBe(
      `${name}: has examples`,
    );
    for (const { payload } of examples) expect(schema.safeParse(payload).error).toBeUndefined();
  }
});

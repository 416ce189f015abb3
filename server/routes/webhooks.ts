// Webhooks (admin): register a receiver for domain events, list, remove.
import { z } from 'zod';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import {
  eventTypes,
  registerWebhook,
  removeWebhook,
  viewWebhooks,
} from '../../core/useCases/webhooks';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { webhookSchema } from '../http/responseSchemas';
import { webhookExample } from '../http/apiExamples';

const eventName = z.enum(eventTypes, { error: `must be one of: ${eventTypes.join(', ')}` });

const registration = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2000)
    .meta({ description: 'Where each event is POSTed' }),
  events: z
    .array(eventName)
    .min(1, 'must name at least one event type (or leave events out for all)')
    .optional()
    .meta({ description: 'Event types to deliver; all when left out' }),
});

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

const secretExample = 'whsec_3f9a…c21d';

export function webhookRoutes(route: RouteFn, s: ServerDeps): void {
  route(
    {
      method: 'post',
      path: '/api/webhooks',
      tag: 'events',
      access: 'admin',
      summary: 'Register a webhook; the answer shows its signing secret, once',
      description:
        'Called by the shop’s developers (or the console) to receive domain events (coupon ' +
        'issued, used…) as signed POSTs. The secret is shown once: verify each delivery’s ' +
        'signature with it.',
      body: registration,
      example: { body: { url: webhookExample.url, events: webhookExample.events } },
      response: {
        status: 201,
        description: 'The webhook with its secret',
        data: webhookSchema.extend({
          secret: z.string().meta({ description: 'HMAC-SHA256 key; not shown again' }),
        }),
        example: {
          message: 'Webhook 1 registered; keep its secret, it is not shown again.',
          data: { ...webhookExample, secret: secretExample },
        },
      },
      errors: [ErrorCode.BadRequest],
    },
    async ({ body }, _req, res) => {
      const hook = await registerWebhook(s, body);
      sendOk(
        res,
        `Webhook ${hook.id} registered; keep its secret, it is not shown again.`,
        hook,
        201,
      );
    },
  );

  route(
    {
      method: 'get',
      path: '/api/webhooks',
      tag: 'events',
      access: 'admin',
      summary: 'Registered webhooks (without their secrets)',
      description: 'Called by the console and the shop’s developers to see who receives what.',
      response: {
        description: 'Webhooks',
        data: z.array(webhookSchema),
        example: { message: '1 webhook(s).', data: [webhookExample] },
      },
    },
    async (_input, _req, res) => {
      const hooks = await viewWebhooks(s);
      sendOk(res, `${hooks.length} webhook(s).`, hooks);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/webhooks/:id',
      tag: 'events',
      access: 'admin',
      summary: 'Remove a webhook: nothing more is delivered to it',
      description: 'Called by the console or the shop’s developers when a receiver is retired.',
      params: idParams,
      example: { params: { id: '1' } },
      response: {
        description: 'Removed',
        data: z.object({ id: z.number().int() }),
        example: { message: 'Webhook 1 removed.', data: { id: 1 } },
      },
      errors: [ErrorCode.NotFound],
    },
    async ({ params: { id } }, _req, res) => {
      await removeWebhook(s, id);
      sendOk(res, `Webhook ${id} removed.`, { id });
    },
  );
}

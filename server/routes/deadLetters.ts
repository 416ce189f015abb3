// The write-behind's dead letters (admin): list them, replay one.
import { z } from 'zod';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import { listDeadLetters, replayDeadLetter } from '../../core/useCases/deadLetters';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { deadLetterSchema } from '../http/responseSchemas';
import { deadLetterExample } from '../http/apiExamples';

const letterParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_.:@-]{1,160}$/) });

export function deadLetterRoutes(route: RouteFn, s: ServerDeps): void {
  route(
    {
      method: 'get',
      path: '/api/dead-letters',
      tag: 'operations',
      access: 'admin',
      summary: 'What could not reach the database, or a webhook, after its retries',
      description:
        'Called by the console’s “could not be saved” view and by operators: decisions the ' +
        'write-behind could not persist and webhook deliveries that ran out of retries.',
      response: {
        description: 'Dead letters',
        data: z.array(deadLetterSchema),
        example: { message: '1 dead letter(s).', data: [deadLetterExample] },
      },
    },
    async (_input, _req, res) => {
      const letters = await listDeadLetters(s);
      sendOk(res, `${letters.length} dead letter(s).`, letters);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/dead-letters/:id/replay',
      tag: 'operations',
      access: 'admin',
      summary:
        'Replay a dead letter: a decision goes back on the log (persistence queued), a webhook delivery is queued again',
      description:
        'Called by an operator once the cause is fixed (the database is back, the receiver ' +
        'answers). Refused when no dead letter has the id.',
      params: letterParams,
      example: { params: { id: deadLetterExample.id } },
      response: {
        description: 'The replayed letter',
        data: deadLetterSchema,
        example: {
          message: `Replayed ${deadLetterExample.id}; persistence for promotion 1 is queued.`,
          data: deadLetterExample,
        },
      },
      errors: [ErrorCode.NotFound],
    },
    async ({ params: { id } }, _req, res) => {
      const letter = await replayDeadLetter(s, id);
      const queued =
        letter.kind === 'webhook'
          ? `the delivery to ${letter.delivery.url} is queued`
          : `persistence for promotion ${letter.promotionId} is queued`;
      sendOk(res, `Replayed ${id}; ${queued}.`, letter);
    },
  );
}

// A promotion's figures over the last hour (admin): what the console charts.
import { z } from 'zod';
import { ErrorCode } from '../../core/platform/errors';
import { promotionIdSchema } from '../../core/model/ids';
import { figureFields } from '../../core/model/figures';
import { promotionHistory } from '../../core/useCases/history';
import type { ServerDeps } from '../../core/useCases/deps';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';

const sampleExample = {
  at: 1_764_580_000_000,
  joined: 120,
  served: 100,
  queueSize: 20,
  issued: 95,
  held: 5,
  stock: 0,
  admitted: 10,
  failed: 0,
  expired: 0,
};

const sampleSchema = z.object(Object.fromEntries(figureFields.map((f) => [f, z.number()]))).meta({
  id: 'FigureSample',
  description:
    'Counters after a tick (at: ms since the epoch; stock = available units); admitted, ' +
    'failed and expired count what happened since the previous sample',
  example: sampleExample,
});

const historySchema = z.object({
  promotionId: z.number().int(),
  windowMs: z.number().int().meta({ description: 'How far back samples are kept' }),
  sampleMs: z.number().int().meta({ description: 'At least this long between samples' }),
  maxSamples: z.number().int().meta({ description: 'The cap on samples kept' }),
  samples: z.array(sampleSchema).meta({ description: 'Oldest first' }),
});

const params = z.strictObject({ id: promotionIdSchema });
const query = z.strictObject({
  since: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a time in ms since the epoch')
    .transform(Number)
    .optional()
    .meta({ description: 'Only samples after this time (ms): a poll asks for what is new' }),
});

const historyExample = {
  promotionId: 1,
  windowMs: 3_600_000,
  sampleMs: 1000,
  maxSamples: 3600,
  samples: [sampleExample],
};

export function historyRoutes(route: RouteFn, s: ServerDeps): void {
  route(
    {
      tag: 'promotions',
      access: 'admin',
      method: 'get',
      path: '/api/promotions/:id/history',
      summary: 'The last hour of the promotion’s figures, one sample a second at most',
      description:
        'Called by the console’s charts: a fresh tab asks for the whole window, then polls ' +
        'with since for what is new. Kept in Redis per promotion, capped.',
      params,
      query,
      example: { params: { id: '1' }, query: { since: '1764580000000' } },
      response: {
        description: 'Samples',
        data: historySchema,
        example: { message: '1 sample(s).', data: historyExample },
      },
      errors: [ErrorCode.PromotionNotFound],
    },
    async ({ params: { id }, query: { since } }, _req, res) => {
      const history = await promotionHistory(s, id, since);
      sendOk(res, `${history.samples.length} sample(s).`, history);
    },
  );
}

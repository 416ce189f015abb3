// A promotion's figures over the last hour, as the worker kept them after each
// tick: what the console charts, so a fresh tab shows the sale so far.
import { getPromotion } from '../db/promotionsRepo';
import {
  FigureHistory,
  historyMaxSamples,
  historySampleMs,
  historyWindowMs,
} from '../metrics/figureHistory';
import type { FigureSample } from '../model/figures';
import { promotionNotFound } from '../platform/errors';
import type { Services } from '../services';

export type HistoryDeps = Pick<Services, 'db' | 'connections' | 'config'>;

export interface PromotionHistory {
  promotionId: number;
  windowMs: number;
  sampleMs: number;
  maxSamples: number;
  samples: FigureSample[];
}

/** Samples after `since` (ms), oldest first; an unknown or deleted promotion is a 404. */
export async function promotionHistory(
  deps: HistoryDeps,
  promotionId: number,
  since?: number,
): Promise<PromotionHistory> {
  const promotion = await getPromotion(deps.db, promotionId);
  if (!promotion || promotion.state === 'DELETED') throw promotionNotFound(promotionId);
  const history = new FigureHistory(deps.connections.redis, deps.config.keyPrefix);
  return {
    promotionId,
    windowMs: historyWindowMs,
    sampleMs: historySampleMs,
    maxSamples: historyMaxSamples,
    samples: await history.read(promotionId, Date.now(), since),
  };
}

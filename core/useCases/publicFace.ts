// A promotion's public face: what its shopper page shows before and after
// joining (name, description, notice, how to use a won coupon, when it opens),
// with no admin token. Made-up ids are remembered as unknown, so a stream of
// them costs the database one query per id per window.
import { getPromotion } from '../db/promotionsRepo';
import type { RecordState } from '../model/promotion';
import { promotionNotFound } from '../platform/errors';
import type { Services } from '../services';
import type { UnknownPromotions } from './unknownPromotions';

export interface PublicFace {
  id: number;
  name: string;
  description: string | null;
  notice: string | null;
  redeemUrl: string | null;
  redeemNote: string | null;
  startsAt: string | null;
  prequeueAt: string | null;
  endsAt: string | null;
  state: Exclude<RecordState, 'DELETED'>;
}

export async function publicFace(
  s: Pick<Services, 'db'> & { unknown: UnknownPromotions },
  id: number,
): Promise<PublicFace> {
  if (s.unknown.has(id)) throw promotionNotFound(id);
  const promotion = await getPromotion(s.db, id);
  if (!promotion || promotion.state === 'DELETED') {
    s.unknown.add(id);
    throw promotionNotFound(id);
  }
  return {
    id: promotion.id,
    name: promotion.name,
    description: promotion.description,
    notice: promotion.notice,
    redeemUrl: promotion.redeemUrl,
    redeemNote: promotion.redeemNote,
    startsAt: promotion.startsAt?.toISOString() ?? null,
    prequeueAt: promotion.prequeueAt?.toISOString() ?? null,
    endsAt: promotion.endsAt?.toISOString() ?? null,
    state: promotion.state,
  };
}

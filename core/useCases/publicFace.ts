// A promotion's public face: what its shopper page shows before and after
// joining (name, description, notice, how to use a won coupon, when it opens),
// with no admin token. Every page reads it on load and on each live (re)connect,
// so a server keeps each face for a moment and shares one database read among
// the requests that arrive meanwhile; made-up ids are remembered as unknown, so
// a stream of them costs the database one query per id per window.
import { getPromotion } from '../db/promotionsRepo';
import type { Promotion, PromotionState, PublicFace } from '../model/promotion';
import { promotionNotFound } from '../platform/errors';
import type { Services } from '../services';
import type { UnknownPromotions } from './unknownPromotions';

/** A face is read again this often: a PATCH made on another server shows here this much later. */
export const publicFaceMs = 2000;
/** At most this many faces are kept; the oldest goes first. */
const maxFaces = 1000;

function faceOf(p: Promotion & { state: PromotionState }): PublicFace {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    notice: p.notice,
    redeemUrl: p.redeemUrl,
    redeemNote: p.redeemNote,
    startsAt: p.startsAt?.toISOString() ?? null,
    prequeueAt: p.prequeueAt?.toISOString() ?? null,
    endsAt: p.endsAt?.toISOString() ?? null,
    state: p.state,
  };
}

export class PublicFaces {
  /** id -> the read (in flight or done) and when it stops being trusted; Map order is insertion order. */
  private readonly faces = new Map<number, { face: Promise<PublicFace | null>; until: number }>();

  constructor(
    private readonly deps: Pick<Services, 'db'> & { unknown?: UnknownPromotions },
    private readonly ttlMs = publicFaceMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** The face of promotion `id`; 404 when it does not exist (unknown or deleted). */
  async get(id: number): Promise<PublicFace> {
    const kept = this.faces.get(id);
    let face = kept && kept.until > this.now() ? kept.face : undefined;
    if (!face) {
      face = this.read(id);
      this.faces.delete(id);
      this.faces.set(id, { face, until: this.now() + this.ttlMs });
      if (this.faces.size > maxFaces) this.faces.delete(this.faces.keys().next().value as number);
      face.catch(() => this.faces.delete(id)); // a failed read is not kept
    }
    const found = await face;
    if (!found) throw promotionNotFound(id);
    return found;
  }

  /** A promotion changed on this server is read again on its next use here. */
  forget(id: number): void {
    this.faces.delete(id);
  }

  private async read(id: number): Promise<PublicFace | null> {
    if (this.deps.unknown?.has(id)) return null;
    const promotion = await getPromotion(this.deps.db, id);
    if (!promotion || promotion.state === 'DELETED') {
      this.deps.unknown?.add(id);
      return null;
    }
    return faceOf({ ...promotion, state: promotion.state });
  }
}

// A shopper joins a promotion's waiting line: a known sell-out is refused at
// once; otherwise one Lua call dedupes and queues them (the state rebuilt first if
// Redis lost it), and the answer carries the token their page subscribes with.
import type { Metrics } from '../metrics/metrics';
import type { QueueTokens } from '../live/queueToken';
import { describeShopper, type ShopperState } from '../model/shopperState';
import { AppError, ErrorCode } from '../platform/errors';
import type { SoldOutCache } from '../room/soldOutCache';
import { describeLine } from './line';
import { requireRebuilt, type RehydrateDeps } from './rehydrate';
import { isShopper, publicView, type Caller } from './callers';
import type { JoinChallenges } from './challenge';

export interface JoinDeps extends RehydrateDeps {
  /** Joins go through it: a known sell-out is answered without Redis. */
  joins: SoldOutCache;
  /** Signs the queueToken a page presents to the live socket. */
  tokens: QueueTokens;
  metrics: Pick<Metrics, 'joins'>;
  /** Promotions with challenge 'pow' need a solved proof of work per join. */
  challenges: Pick<JoinChallenges, 'check'>;
}

export interface Joined {
  message: string;
  /** queueToken only for the shopper: the join that queued them, or one proving who they are. */
  state: ShopperState & { queueToken?: string };
}

function count(deps: JoinDeps, promotionId: number, result: string): void {
  deps.metrics.joins.inc({ promotion: promotionId, result });
}

/**
 * The SOLD_OUT refusal when this server knows the promotion is sold out and the
 * shopper is new, else null. Synchronous on purpose: no Redis, no promise.
 */
export function knownSoldOut(deps: JoinDeps, promotionId: number, userId: string): AppError | null {
  const refusal = deps.joins.refusal(promotionId, userId);
  if (refusal) count(deps, promotionId, 'sold_out');
  return refusal;
}

/**
 * Queues the shopper (a retry keeps its ticket); a shopper already decided is
 * refused 409. `altcha` is the proof of work, checked (and used up) first when
 * the promotion asks for one: without it nothing changes.
 */
export async function joinLine(
  deps: JoinDeps,
  promotionId: number,
  userId: string,
  caller: Caller,
  altcha?: string,
): Promise<Joined> {
  await deps.challenges.check(promotionId, altcha).catch((err: unknown) => {
    if (err instanceof AppError) count(deps, promotionId, err.code.toLowerCase());
    throw err;
  });
  const { record, served, joinedNow, prequeued } = await requireRebuilt(deps, promotionId, () =>
    deps.joins.join(promotionId, userId),
  ).catch((err: unknown) => {
    // Unknown promotions are left out of the metrics: their ids are unbounded.
    if (err instanceof AppError && err.code !== ErrorCode.PromotionNotFound) {
      count(deps, promotionId, err.code.toLowerCase());
    }
    throw err;
  });
  // A repeated join or a 409 tells a stranger (open mode, no matching queue token)
  // only the public fields: neither the code nor a token that would open the
  // shopper's socket. The shopper's own reloaded page sends its token and gets both.
  const own = joinedNow || isShopper(caller, promotionId, userId);
  const queueToken = own ? deps.tokens.sign({ promotionId, userId, ticket: record.ticket }) : null;
  const answer = (told: ShopperState) =>
    queueToken === null ? publicView(told) : { ...told, queueToken };
  if (prequeued) return prequeuedAnswer(deps, promotionId, userId, joinedNow, answer);
  const state = describeShopper(promotionId, userId, record, served);
  if (state.status !== 'WAITING') {
    count(deps, promotionId, 'already_processed');
    // Failed SOLD_OUT may still be on the standby line: told as status tells it.
    const told =
      state.status === 'FAILED'
        ? describeLine(promotionId, userId, await deps.room.shopper(promotionId, userId), null)
        : state;
    throw new AppError(
      ErrorCode.AlreadyProcessed,
      `Shopper ${userId} has already been through promotion ${promotionId}: ${state.status}.`,
      answer(told),
    );
  }
  count(deps, promotionId, joinedNow ? 'joined' : 'duplicate');
  const message = joinedNow
    ? `Joined the queue at position ${state.position}.`
    : `Already in the queue at position ${state.position}.`;
  return { message, state: answer(state) };
}

/** In the pre-queue: no place until startsAt fixes the order, so the answer says when. */
async function prequeuedAnswer(
  deps: JoinDeps,
  promotionId: number,
  userId: string,
  joinedNow: boolean,
  answer: (told: ShopperState) => Joined['state'],
): Promise<Joined> {
  count(deps, promotionId, joinedNow ? 'prequeued' : 'duplicate');
  const state = describeLine(
    promotionId,
    userId,
    await deps.room.shopper(promotionId, userId),
    null,
  );
  const when = state.startsAt ? ` at ${state.startsAt}` : '';
  const message = joinedNow
    ? `In the pre-queue: your place in line is fixed when the sale opens${when}.`
    : `Already in the pre-queue: your place in line is fixed when the sale opens${when}.`;
  return { message, state: answer(state) };
}

// What every part of the waiting room works with: one connection with the Lua
// scripts defined on it, and the deployment's key prefix.
import type { RedisClient } from '../platform/redis';
import { promotionKeys, type PromotionKeys } from './keys';
import type { Scripts } from './scripts';

export interface RoomContext {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly scripts: Scripts;
  /** The random part of each coupon code (tests pass a fixed one). */
  readonly codeSuffix: () => string;
}

export function keysOf(ctx: RoomContext, promotionId: number): PromotionKeys {
  return promotionKeys(ctx.prefix, promotionId);
}

// A waiting shopper's place from their ticket and the served counter. Imports
// nothing, so the shopper page's bundle (via core/live/contract.ts) stays free of zod.

/** Places ahead of and including this ticket: O(1), from the served counter. */
export function positionOf(ticket: number, served: number): number {
  return Math.max(1, ticket - served);
}

// The promises a sale keeps whatever failed, checked from Redis and the database
// after the sale: what the chaos and scale-out tests assert and print.
import { api } from './api';
import type { TestServices } from './services';
import { waitFor } from './wait';

export interface SaleOutcome {
  shoppers: number;
  units: number;
  issued: number;
  checks: Record<string, boolean>;
  /** A few joined shoppers without a final decision, with what Redis holds for them. */
  undecided: string[];
}

/** Waits until nobody waits, nobody is mid-decision and every decision is in the database. */
export async function waitForSaleEnd(services: TestServices, id: number, timeoutMs = 60000) {
  await waitFor(
    () => services.room.info(id).catch(() => null),
    (info) =>
      info !== null &&
      info.queueSize === 0 &&
      info.processingCount === 0 &&
      info.pendingPersist === 0,
    { what: `promotion ${id} to end`, timeoutMs, intervalMs: 100 },
  );
}

/**
 * `joined`: every shopper whose join was accepted. `strictOrder`: no shopper lost
 * their place (no Redis loss, no cancellation), so the winners hold tickets 1..units.
 */
export async function checkSale(
  services: TestServices,
  port: number,
  id: number,
  joined: readonly string[],
  units: number,
  { strictOrder = true } = {},
): Promise<SaleOutcome> {
  const admin = api(port);
  // Reconciliation first: after it, the database and Redis must agree.
  const resync = await admin.call('POST', `/api/promotions/${id}/resync`, { admin: true });
  const consistency = await admin.consistency(id);
  const records = await services.connections.redis.hgetall(services.room.keys(id).users);
  const rows = (await services
    .db('coupons')
    .select('user_id', 'code', 'state')
    .where({ promotion_id: id })) as { user_id: string; code: string; state: string }[];
  const holding = rows.filter((r) => r.state === 'ISSUED' || r.state === 'USED');
  const info = await services.room.info(id);
  const issued = info?.issued ?? -1;
  const ticket = (record: string) => Number(record.split(':')[1]);
  const winners = Object.values(records).filter((r) => r.startsWith('C:'));
  const losers = Object.values(records).filter((r) => r.startsWith('F:'));
  const winningTickets = winners.map(ticket).sort((a, b) => a - b);
  const codeOf = new Map(
    Object.entries(records).flatMap(([user, r]) =>
      r.startsWith('C:') ? [[user, r.split(':')[2]]] : [],
    ),
  );
  return {
    shoppers: joined.length,
    units,
    issued,
    undecided: joined
      .filter((u) => !/^[CF]:/.test(records[u] ?? ''))
      .slice(0, 5)
      .map((u) => `${u}=${records[u] ?? 'none'}`),
    checks: {
      'issued<=stock': issued >= 0 && issued <= units && holding.length <= units,
      'one coupon each':
        new Set(rows.map((r) => r.user_id)).size === rows.length &&
        rows.every((r) => codeOf.get(r.user_id) === r.code),
      'all decided': joined.every((u) => /^[CF]:/.test(records[u] ?? '')),
      'join order': strictOrder
        ? winningTickets.length === Math.min(units, joined.length) &&
          winningTickets.every((t, i) => t === i + 1)
        : Math.max(0, ...winningTickets) < Math.min(Infinity, ...losers.map(ticket)),
      'db = redis': resync.status === 200 && consistency.body.data.clean,
    },
  };
}

/** One line per fault: what ran and each invariant's result, for the CI log. */
export function printOutcomes(title: string, outcomes: [string, SaleOutcome][]): void {
  const rows = outcomes.map(([fault, o]) => ({
    fault,
    shoppers: o.shoppers,
    units: o.units,
    issued: o.issued,
    ...Object.fromEntries(Object.entries(o.checks).map(([k, ok]) => [k, ok ? 'ok' : 'FAIL'])),
  }));
  const columns = Object.keys(rows[0] ?? {});
  const width = (c: string) =>
    Math.max(c.length, ...rows.map((r) => String(r[c as keyof typeof r]).length));
  const line = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(width(columns[i] ?? ''))).join(' | ');
  console.log(
    [
      title,
      line(columns),
      ...rows.map((r) => line(columns.map((c) => String(r[c as keyof typeof r])))),
    ].join('\n'),
  );
}

// Sample requests and answers for the OpenAPI document, one sale told consistently:
// promotion 1, 100 units, shopper-42 holding ticket 57. The OpenAPI test parses each
// with the schema of the route that shows it, so a sample cannot drift from its shape.
import type { z } from 'zod';
import type {
  consistencySchema,
  couponSchema,
  deadLetterSchema,
  promotionInfoSchema,
  promotionSchema,
  webhookSchema,
} from './responseSchemas';

const at = '2026-12-01T09:00:00.000Z';
const later = '2026-12-01T09:00:42.000Z';

export const promotionInfoExample: z.input<typeof promotionInfoSchema> = {
  promotionId: 1,
  state: 'OPEN',
  totalStock: 100,
  issued: 40,
  held: 0,
  currentStock: 60,
  mode: 'instant',
  holdSeconds: 300,
  queueSize: 250,
  processingCount: 0,
  joined: 290,
  served: 40,
  pendingPersist: 0,
  batchSize: 100,
  intervalMs: 1000,
  startsAt: at,
  endsAt: null,
  prequeueAt: null,
  queueing: 'fifo',
  standby: true,
  prequeued: 0,
  standbyLine: 0,
};

export const promotionExample: z.input<typeof promotionSchema> = {
  id: 1,
  name: 'Winter sale: 100 coupons at 50% off',
  totalStock: 100,
  state: 'OPEN',
  batchSize: 100,
  intervalMs: 1000,
  startsAt: at,
  endsAt: null,
  mode: 'instant',
  holdSeconds: 300,
  prequeueAt: null,
  queueing: 'fifo',
  standby: true,
  challenge: 'none',
  challengeCost: 50_000,
  description: 'Half price on every winter coat, one coupon per shopper.',
  redeemUrl: 'https://shop.example.com/checkout',
  redeemNote: 'Enter the code at checkout before 31 December.',
  notice: null,
  version: 3,
  createdAt: '2026-11-30T12:00:00.000Z',
  updatedAt: at,
  live: promotionInfoExample,
};

// The shopper's samples live with their schema, where the AsyncAPI document takes them too.
export { completedExample, waitingExample } from '../../core/model/shopperState';

export const couponExample: z.input<typeof couponSchema> = {
  id: 57,
  promotionId: 1,
  userId: 'shopper-42',
  ticket: 57,
  code: '1-57-K7M3Q9XZ2A',
  state: 'USED',
  issuedAt: later,
  unitReturned: false,
};

export const consistencyExample: z.input<typeof consistencySchema> = {
  promotionId: 1,
  clean: true,
  drift: 0,
  differences: [],
  redis: {
    present: true,
    totalStock: 100,
    state: 'OPEN',
    issued: 40,
    held: 0,
    holdsIndexed: 0,
    pendingPersist: 0,
  },
  database: {
    totalStock: 100,
    state: 'OPEN',
    issued: 40,
    holding: 0,
    used: 3,
    cancelled: 0,
    revoked: 0,
  },
  shoppers: { missingInRedis: [], missingInDatabase: [] },
};

export const webhookExample: z.input<typeof webhookSchema> = {
  id: 1,
  url: 'https://shop.example/hooks/waiting-room',
  events: ['coupon.issued', 'coupon.used'],
  createdAt: at,
};

export const deadLetterExample: z.input<typeof deadLetterSchema> = {
  id: 'decision:1:57',
  kind: 'decision',
  promotionId: 1,
  error: 'connect ECONNREFUSED 127.0.0.1:3306',
  at: later,
  decision: { userId: 'shopper-42', ticket: 57, code: '1-57-K7M3Q9XZ2A', issuedAt: later },
};

/** What an HTML page route answers, abridged. */
export const htmlExample = '<!doctype html><html lang="en">…</html>';

export const createPromotionExample = {
  name: 'Winter sale: 100 coupons at 50% off',
  totalStock: 100,
  startsAt: '2026-12-01T09:00:00Z',
  prequeueAt: '2026-12-01T08:45:00Z',
  queueing: 'random' as const,
};

export const resyncExample = {
  before: { ...consistencyExample, clean: false, drift: 1, differences: ['issued: 39 vs 40'] },
  after: consistencyExample,
};

export const deletedExample = {
  message: 'Deleted promotion 1; its coupons are kept.',
  data: { couponsDeleted: 0 },
};

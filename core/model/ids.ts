// Input shapes shared by every edge (HTTP, socket, job data).
import { z } from 'zod';

/** A positive integer; numeric strings are accepted (query strings are strings). */
export const promotionIdSchema = z.union(
  [
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/)
      .transform(Number),
  ],
  { error: 'must be a positive integer' },
);

const userIdRule = 'must be a non-negative integer or 1-64 characters of letters, digits and _.:@-';

/** A non-negative integer or a string of 1-64 characters [A-Za-z0-9_.:@-]; always a string after. */
export const userIdSchema = z.union(
  [
    z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .transform((n) => String(n)),
    z.string().regex(/^[A-Za-z0-9_.:@-]{1,64}$/, { error: userIdRule }),
  ],
  { error: userIdRule },
);

export const stockSchema = z.number().int().nonnegative().max(1_000_000_000);

// The settings only the shopper page shows (description, redeem link and note,
// live notice): their input rules, shared by create and PATCH. Plain text, drawn
// with textContent on the page; an empty text is the same as null (nothing).
import { z } from 'zod';

/** Trimmed text of at most `max` characters; '' and null both clear it. */
const text = (max: number, description: string) =>
  z
    .string({ error: 'must be text or null' })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .meta({ description });

export const pageSettingFields = {
  description: text(2000, 'What the shopper page says about the sale (plain text); null clears'),
  redeemUrl: z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL, e.g. https://shop.example/redeem',
    })
    .max(2000, 'must be at most 2000 characters')
    .nullable()
    .meta({ description: 'After a win the shopper page links here to use the coupon; null: none' }),
  redeemNote: text(500, 'After a win the shopper page shows these instructions; null: none'),
  notice: text(
    500,
    'A notice every open shopper page shows at once (pushed live on change); null takes it down',
  ),
};

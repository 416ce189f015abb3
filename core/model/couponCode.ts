// The random part of a coupon code. Lua cannot draw secure random numbers, so the
// caller draws one suffix per shopper and issueBatch builds
// "<promotionId>-<ticket>-<suffix>" from it.
import { randomInt } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so codes read aloud and typed back survive. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An unguessable 10-character code suffix (50 bits). */
export function randomCodeSuffix(): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += codeAlphabet.charAt(randomInt(codeAlphabet.length));
  return out;
}

// A coupon code: "<promotionId>-<ticket>-<suffix>". Lua cannot draw secure random
// numbers, so the room draws one suffix per shopper (with a random source it is
// given) and issueBatch builds the code from it. Pure: the draw is passed in.

/** Crockford base32: no I, L, O, U, so codes read aloud and typed back survive. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const suffixLength = 10;

/** Codes look like <promotionId>-<ticket>-<10 base32 characters>. */
export const couponCodePattern = /^([1-9]\d{0,14})-([1-9]\d{0,15})-([0-9A-HJKMNP-TV-Z]{10})$/;

/** A 10-character suffix (50 bits) from `draw(n)`, a uniform integer in [0, n). */
export function codeSuffix(draw: (n: number) => number): string {
  let out = '';
  for (let i = 0; i < suffixLength; i++) out += codeAlphabet.charAt(draw(codeAlphabet.length));
  return out;
}

/** The promotion a well-formed code belongs to, or null. */
export function promotionOfCode(code: string): number | null {
  const match = couponCodePattern.exec(code);
  return match ? Number(match[1]) : null;
}

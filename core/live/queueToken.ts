// Queue tokens: what join hands a shopper so their page can subscribe to its own
// live events. HMAC-SHA256 over (promotion, user, ticket, expiry); no state is
// kept, so any server holding the same QUEUE_TOKEN_SECRET verifies any token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export interface QueueTokenClaims {
  promotionId: number;
  userId: string;
  ticket: number;
}

/** Why a token was refused; the socket hands these to the page as connect_error codes. */
export type TokenRefusal = 'TOKEN_INVALID' | 'TOKEN_EXPIRED';

export type TokenCheck =
  { ok: true; claims: QueueTokenClaims } | { ok: false; code: TokenRefusal; message: string };

/** The version prefix lets a later format be told apart; it is part of what is signed. */
const version = 'qt1';
const tokenPattern = /^qt1\.([A-Za-z0-9_-]{1,600})\.([A-Za-z0-9_-]{43})$/;

const payloadSchema = z.strictObject({
  p: z.number().int().positive(),
  u: z.string().min(1).max(64),
  t: z.number().int().positive(),
  /** Expiry, ms since the epoch. */
  e: z.number().int().positive(),
});

export class QueueTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(secret, 'utf8');
  }

  private signature(payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${version}.${payload}`).digest();
  }

  sign(claims: QueueTokenClaims): string {
    const body = {
      p: claims.promotionId,
      u: claims.userId,
      t: claims.ticket,
      e: this.now() + this.ttlMs,
    };
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${version}.${payload}.${this.signature(payload).toString('base64url')}`;
  }

  /** Signature first, then shape, then expiry: a forged token is INVALID even when also expired. */
  verify(token: string): TokenCheck {
    const invalid = (message: string): TokenCheck => ({
      ok: false,
      code: 'TOKEN_INVALID',
      message,
    });
    const match = tokenPattern.exec(token);
    const [, payload = '', sig = ''] = match ?? [];
    if (!match) return invalid('The queue token is malformed.');
    if (!timingSafeEqual(Buffer.from(sig, 'base64url'), this.signature(payload))) {
      return invalid('The queue token was not issued by this waiting room.');
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return invalid('The queue token is malformed.');
    }
    const parsed = payloadSchema.safeParse(body);
    if (!parsed.success) return invalid('The queue token is malformed.');
    const { p, u, t, e } = parsed.data;
    if (e <= this.now()) {
      return {
        ok: false,
        code: 'TOKEN_EXPIRED',
        message: 'The queue token has expired; join again to get a fresh one.',
      };
    }
    return { ok: true, claims: { promotionId: p, userId: u, ticket: t } };
  }
}

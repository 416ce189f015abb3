// Queue tokens: what join hands a shopper so their page can subscribe to its own
// live events (and, in open mode, prove who it is). HMAC-SHA256 over (key id,
// promotion, user, ticket, expiry); no state is kept, so any server holding the
// same QUEUE_TOKEN_SECRET verifies any token. The key id names the secret that
// signed, so QUEUE_TOKEN_SECRET_PREVIOUS keeps verifying while a new secret rolls out.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/** True when `token` has the queue token's shape (as opposed to, say, a JWT). */
export const looksLikeQueueToken = (token: string): boolean => token.startsWith(`${version}.`);

const payloadSchema = z.strictObject({
  /** Key id; absent in tokens made before rotation existed (they verify with the current key). */
  k: z.string().optional(),
  p: z.number().int().positive(),
  u: z.string().min(1).max(64),
  t: z.number().int().positive(),
  /** Expiry, ms since the epoch. */
  e: z.number().int().positive(),
});

/** A public, stable name for a secret: 8 characters of its hash, which reveal nothing of it. */
export function keyIdOf(secret: string): string {
  return createHash('sha256').update(`queue-token-kid:${secret}`).digest('base64url').slice(0, 8);
}

interface SigningKey {
  id: string;
  key: Buffer;
}

export class QueueTokens {
  /** The first key signs; every key verifies the tokens that name it. */
  private readonly keys: SigningKey[];

  /** `secret`: the current secret, or [current, previous] during a rotation. */
  constructor(
    secret: string | readonly (string | undefined)[],
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const secrets = (typeof secret === 'string' ? [secret] : secret).filter(
      (s): s is string => s !== undefined,
    );
    this.keys = secrets.map((s) => ({ id: keyIdOf(s), key: Buffer.from(s, 'utf8') }));
  }

  private get current(): SigningKey {
    const [key] = this.keys;
    if (!key) throw new Error('QueueTokens needs a secret');
    return key;
  }

  private static signature(key: SigningKey, payload: string): Buffer {
    return createHmac('sha256', key.key).update(`${version}.${payload}`).digest();
  }

  sign(claims: QueueTokenClaims): string {
    const key = this.current;
    const body = {
      k: key.id,
      p: claims.promotionId,
      u: claims.userId,
      t: claims.ticket,
      e: this.now() + this.ttlMs,
    };
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${version}.${payload}.${QueueTokens.signature(key, payload).toString('base64url')}`;
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
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return invalid('The queue token is malformed.');
    }
    // The key id is read before the signature is checked only to pick the key.
    const kid = (body as { k?: unknown } | null)?.k;
    const key = kid === undefined ? this.current : this.keys.find((k) => k.id === kid);
    if (!key)
      return invalid('The queue token was signed with a key this waiting room does not hold.');
    if (!timingSafeEqual(Buffer.from(sig, 'base64url'), QueueTokens.signature(key, payload))) {
      return invalid('The queue token was not issued by this waiting room.');
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

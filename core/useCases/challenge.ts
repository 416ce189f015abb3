// Proof of work before a join (a promotion's `challenge: 'pow'`), with ALTCHA's
// classic scheme (altcha-lib/v1): the server hands out a signed, expiring
// challenge naming the promotion; the page finds the secret number (half of
// `challengeCost` SHA-256s on average) and sends ALTCHA's base64 JSON payload as
// `altcha` with the join. Checking it costs the server one SHA-256 and one HMAC;
// each solution joins once (remembered in Redis until the challenge expires).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createChallenge, extractParams } from 'altcha-lib/v1';
import type { Payload } from 'altcha-lib/v1/types';
import type { Db } from '../db/connection';
import { getPromotion } from '../db/promotionsRepo';
import type { ChallengeKind } from '../model/promotion';
import { AppError, ErrorCode, promotionNotFound } from '../platform/errors';
import type { RedisClient } from '../platform/redis';
import { promotionKeys, usedSolutionKey } from '../room/keys';
import type { UnknownPromotions } from './unknownPromotions';

/** A promotion's setting is re-read this often: a PATCH made on another server applies here this much later. */
export const challengeSettingsMs = 2000;

export interface ChallengeSetting {
  challenge: ChallengeKind;
  cost: number;
}

/** What GET /api/coupon/queue/challenge hands out: ALTCHA's challenge, or none needed. */
export interface IssuedChallenge {
  challenge: ChallengeKind;
  /** ALTCHA's challenge object (algorithm, challenge, maxnumber, salt, signature); null for none. */
  altcha: {
    algorithm: string;
    challenge: string;
    maxnumber?: number;
    salt: string;
    signature: string;
  } | null;
  expiresAt: string | null;
}

export interface ChallengeDeps {
  db: Db;
  redis: RedisClient;
  keyPrefix: string;
  unknown?: UnknownPromotions;
  /** The deployment's shared secret the HMAC key is derived from (QUEUE_TOKEN_SECRET). */
  secret: string;
  ttlSeconds: number;
  now?: () => number;
}

/** Derived, not the secret itself: a challenge signature must never double as a queue token's. */
export function challengeHmacKey(secret: string): string {
  return createHmac('sha256', secret).update('altcha-join-challenge').digest('hex');
}

/** The fields ALTCHA's payload must have before anything is computed from it. */
function isPayload(value: unknown): value is Payload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.signature === 'string' &&
    typeof v.salt === 'string' &&
    typeof v.challenge === 'string' &&
    Number.isSafeInteger(v.number) &&
    v.algorithm === 'SHA-256'
  );
}

/**
 * ALTCHA v1's check, as altcha-lib's verifySolution makes it (the challenge is
 * SHA-256(salt + number), signed with HMAC-SHA-256), with node:crypto: about
 * 5 us a join where the library's WebCrypto calls cost about 150 us.
 */
function solves(p: Payload, hmacKey: string): boolean {
  const challenge = createHash('sha256').update(`${p.salt}${p.number}`).digest('hex');
  if (challenge !== p.challenge) return false;
  const expected = createHmac('sha256', hmacKey).update(challenge).digest();
  const given = Buffer.from(p.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class JoinChallenges {
  private readonly settings = new Map<number, { value: ChallengeSetting; until: number }>();
  private readonly hmacKey: string;
  private readonly now: () => number;

  constructor(private readonly deps: ChallengeDeps) {
    this.hmacKey = challengeHmacKey(deps.secret);
    this.now = deps.now ?? Date.now;
  }

  /**
   * The promotion's setting: from this server's memory while fresh, else from the
   * room's meta in Redis (so joins keep working while the database is away), and
   * only when Redis has no state for the promotion, one database read.
   */
  async setting(promotionId: number): Promise<ChallengeSetting | null> {
    const cached = this.settings.get(promotionId);
    if (cached && cached.until > this.now()) return cached.value;
    const fromRoom = await this.fromRoom(promotionId);
    if (fromRoom) return this.remember(promotionId, fromRoom);
    if (this.deps.unknown?.has(promotionId)) return null;
    const promotion = await getPromotion(this.deps.db, promotionId);
    if (!promotion || promotion.state === 'DELETED') {
      this.deps.unknown?.add(promotionId);
      this.settings.delete(promotionId);
      return null;
    }
    return this.remember(promotionId, {
      challenge: promotion.challenge,
      cost: promotion.challengeCost,
    });
  }

  private async fromRoom(promotionId: number): Promise<ChallengeSetting | null> {
    const { meta } = promotionKeys(this.deps.keyPrefix, promotionId);
    const [state, challenge, cost] = await this.deps.redis.hmget(
      meta,
      'state',
      'challenge',
      'challengeCost',
    );
    // No state, or a meta saved before challenges existed: the database says.
    if (!state || !challenge) return null;
    return { challenge: challenge === 'pow' ? 'pow' : 'none', cost: Number(cost ?? 0) };
  }

  private remember(promotionId: number, value: ChallengeSetting): ChallengeSetting {
    this.settings.set(promotionId, { value, until: this.now() + challengeSettingsMs });
    return value;
  }

  /** A changed or deleted promotion is read again on its next use here. */
  forget(promotionId: number): void {
    this.settings.delete(promotionId);
  }

  async issue(promotionId: number): Promise<IssuedChallenge> {
    const setting = await this.setting(promotionId);
    if (!setting) throw promotionNotFound(promotionId);
    if (setting.challenge === 'none') return { challenge: 'none', altcha: null, expiresAt: null };
    const expires = new Date(this.now() + this.deps.ttlSeconds * 1000);
    const altcha = await createChallenge({
      hmacKey: this.hmacKey,
      maxnumber: setting.cost,
      expires,
      params: { promotionId: String(promotionId) },
    });
    return { challenge: 'pow', altcha, expiresAt: expires.toISOString() };
  }

  /**
   * Throws 403 unless the promotion needs no proof or `payload` is a fresh,
   * valid solution of a challenge for this promotion, never used before (it is
   * used up now). An unknown promotion passes: the join answers 404 itself.
   */
  async check(promotionId: number, payload: string | undefined): Promise<void> {
    const setting = await this.setting(promotionId);
    if (!setting || setting.challenge === 'none') return;
    if (!payload) {
      throw new AppError(
        ErrorCode.ChallengeRequired,
        `Promotion ${promotionId} asks for a proof of work: solve GET /api/coupon/queue/challenge and send it as altcha.`,
      );
    }
    const used = this.verify(promotionId, payload);
    const ttlMs = used.expiresMs - this.now();
    const fresh = await this.deps.redis.set(
      usedSolutionKey(this.deps.keyPrefix, promotionId, used.signature),
      '1',
      'PX',
      Math.max(1, ttlMs),
      'NX',
    );
    if (fresh === null) {
      throw new AppError(
        ErrorCode.ChallengeReused,
        'This proof of work was already used for a join: solve a new challenge.',
      );
    }
  }

  private verify(promotionId: number, payload: string): { signature: string; expiresMs: number } {
    const invalid = new AppError(
      ErrorCode.ChallengeInvalid,
      'The proof of work is wrong, expired or for another promotion: solve a new challenge.',
    );
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      throw invalid;
    }
    if (!isPayload(decoded)) throw invalid;
    const parsed = decoded;
    const params = extractParams(parsed);
    const expiresMs = Number(params.expires) * 1000;
    const valid =
      params.promotionId === String(promotionId) &&
      expiresMs > this.now() &&
      solves(parsed, this.hmacKey);
    if (!valid) throw invalid;
    return { signature: parsed.signature, expiresMs };
  }
}

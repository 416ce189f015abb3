// Who a request comes from, proved once for every route by its declared access
// (route.ts): the admin token, a shopper JWT the shop signed (signed mode), or a
// queue token this room signed (open mode). Refusals are 401/403 AppErrors and
// are raised before any use case runs, so a refused request changes nothing.
import { readFileSync } from 'node:fs';
import type { Request } from 'express';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { ConfigError, type ShopperAuthConfig } from '../../core/platform/config';
import { AppError, ErrorCode } from '../../core/platform/errors';
import { userIdSchema } from '../../core/model/ids';
import { looksLikeQueueToken, type QueueTokens } from '../../core/live/queueToken';
import { anonymous, provenHolder, type Caller } from '../../core/useCases/callers';
import { markOperator } from './requestLog';
import { hs256Verifier } from './hs256';

/** Who may call a route: anyone; a shopper; the shopper whose data it is (or the shop); the admin. */
export type Access = 'public' | 'shopper' | 'owner' | 'admin';

/** Verifies a shopper JWT and answers its subject, or throws a 401/503 AppError. */
export type ShopperJwtVerifier = (token: string) => Promise<string>;

const asymmetric = ['RS256', 'ES256', 'EdDSA', 'Ed25519'];

/** HS256's shared secret, or the shop's public keys (by kid). */
type KeySource = { secret: string; algs: string[] } | { keys: JWTVerifyGetKey; algs: string[] };

function keySource(config: ShopperAuthConfig): KeySource {
  if (config.jwtSecret) return { secret: config.jwtSecret, algs: ['HS256'] };
  if (config.jwksUrl) {
    const remote = createRemoteJWKSet(new URL(config.jwksUrl), {
      cooldownDuration: config.jwksCooldownSeconds * 1000,
      timeoutDuration: 5000,
    });
    return { keys: remote, algs: asymmetric };
  }
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(readFileSync(config.jwksFile ?? '', 'utf8')) as JSONWebKeySet;
  } catch (err) {
    throw new ConfigError(`SHOPPER_JWKS_FILE: cannot read a JWKS: ${(err as Error).message}`);
  }
  return { keys: createLocalJWKSet(jwks), algs: asymmetric };
}

const refusal = (code: ErrorCode, message: string) => new AppError(code, message);

/** The verifier of signed mode (undefined in open mode): algorithms pinned, exp required. */
export function shopperJwtVerifier(config: ShopperAuthConfig): ShopperJwtVerifier | undefined {
  if (config.mode !== 'signed') return undefined;
  const source = keySource(config);
  const options = {
    algorithms: source.algs,
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockSkewSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  // HS256 through node:crypto (server/http/hs256.ts), public keys through jose.
  const verify =
    'secret' in source
      ? hs256Verifier(source.secret, options)
      : async (token: string) => (await jwtVerify(token, source.keys, options)).payload;
  return async (token) => {
    let sub: unknown;
    try {
      sub = (await verify(token)).sub;
    } catch (err) {
      if (err instanceof errors.JWTExpired) {
        throw refusal(
          ErrorCode.ShopperTokenExpired,
          'The shopper token has expired; sign in again.',
        );
      }
      // The shop's key server did not answer: not the shopper's fault.
      if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
        throw refusal(ErrorCode.Unavailable, 'The shop’s signing keys cannot be fetched; retry.');
      }
      throw refusal(ErrorCode.ShopperTokenInvalid, `The shopper token is refused: ${err.message}`);
    }
    const userId = userIdSchema.safeParse(sub);
    if (!userId.success || typeof userId.data !== 'string') {
      throw refusal(
        ErrorCode.ShopperTokenInvalid,
        'The shopper token’s sub is not a valid userId.',
      );
    }
    return userId.data;
  };
}

/** `Authorization: Bearer <token>` or undefined. */
export function bearerOf(req: Request): string | undefined {
  return /^Bearer (\S{1,4096})$/.exec(req.get('authorization') ?? '')?.[1];
}

export interface ShopperAuth {
  /** Signed mode's verifier; undefined in open mode. */
  jwt: ShopperJwtVerifier | undefined;
  tokens: QueueTokens;
  isAdmin: (token: string) => boolean;
}

const missing = (what: string) =>
  refusal(
    ErrorCode.ShopperTokenMissing,
    `This endpoint needs ${what}: Authorization: Bearer <token>.`,
  );

/**
 * The caller of a 'shopper' or 'owner' route. Signed mode: the JWT (or, for
 * 'owner', the admin token). Open mode: 'shopper' is anyone, proved by their
 * queue token if sent; 'owner' needs the queue token (header, or the body's
 * queueToken as the hold API has always taken it) or the admin token.
 */
export async function identify(auth: ShopperAuth, req: Request, access: Access): Promise<Caller> {
  const bearer = bearerOf(req);
  if (access === 'owner' && bearer && auth.isAdmin(bearer)) {
    markOperator(req);
    return { kind: 'admin' };
  }
  if (auth.jwt) {
    if (!bearer) throw missing('the shopper token the shop signed');
    return { kind: 'shopper', userId: await auth.jwt(bearer) };
  }
  const body = req.body as { queueToken?: unknown } | undefined;
  const fromBody = access === 'owner' && typeof body?.queueToken === 'string';
  const token = fromBody ? (body.queueToken as string) : bearer;
  if (token === undefined) {
    if (access === 'owner') throw missing('the shopper’s queue token');
    return anonymous;
  }
  if (!looksLikeQueueToken(token)) {
    throw refusal(
      ErrorCode.ShopperTokenInvalid,
      'queueToken: open mode takes the queue token join returned.',
    );
  }
  return { kind: 'holder', claims: provenHolder(auth.tokens, token) };
}

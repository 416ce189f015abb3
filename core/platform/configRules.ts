// The config's building blocks and the rules that span several variables, kept
// apart from config.ts so that file stays the one list of variables.
import { z } from 'zod';

/** An integer of at least 1 (or `min`); one failed bound gives one line in the error. */
export const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER, min = 1) => {
  const int = z.coerce.number().int();
  return (min === 1 ? int.positive() : int.min(min)).max(max).default(fallback);
};

export const nonNegativeInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(0).max(max).default(fallback);

export const commaList = (value: string) => value.split(',');

export const sampleShare = 'must be a number from 0 (log none) to 1 (log every one)';

/** Variables set to "" count as unset, so they take their defaults. */
export const withoutBlanks = (source: unknown) =>
  Object.fromEntries(Object.entries(source as object).filter(([, value]) => value !== ''));

/** Production must not make up secrets: they would differ between processes and restarts. */
const productionSecrets = [
  ['ADMIN_TOKEN', 'at least 16 characters'],
  ['QUEUE_TOKEN_SECRET', 'at least 32 characters'],
] as const;

/** What the rules read of the parsed environment. */
interface RuledEnv {
  NODE_ENV: string;
  ADMIN_TOKEN?: string | undefined;
  QUEUE_TOKEN_SECRET?: string | undefined;
  SHOPPER_AUTH?: 'open' | 'signed' | undefined;
  SHOPPER_JWT_SECRET?: string | undefined;
  SHOPPER_JWKS_URL?: string | undefined;
  SHOPPER_JWKS_FILE?: string | undefined;
}

/**
 * Production secrets, SHOPPER_AUTH's requirement in production and signed mode's
 * one key source, as issues on the transform's context; returns the shopper auth
 * mode in force (undefined only when an issue was added).
 */
export function crossFieldRules(
  env: RuledEnv,
  ctx: z.RefinementCtx,
): 'open' | 'signed' | undefined {
  if (env.NODE_ENV === 'production') {
    for (const [name, rule] of productionSecrets) {
      if (env[name] === undefined) {
        ctx.issues.push({
          code: 'custom',
          input: env[name],
          path: [name],
          message: `required when NODE_ENV=production (${rule})`,
        });
      }
    }
  }
  const auth = env.SHOPPER_AUTH ?? (env.NODE_ENV === 'production' ? undefined : 'open');
  if (!auth) {
    ctx.issues.push({
      code: 'custom',
      input: undefined,
      path: ['SHOPPER_AUTH'],
      message: 'required when NODE_ENV=production: signed (the shop signs JWTs) or open',
    });
  }
  const keySources = [env.SHOPPER_JWT_SECRET, env.SHOPPER_JWKS_URL, env.SHOPPER_JWKS_FILE];
  const sourceCount = keySources.filter((v) => v !== undefined).length;
  if (auth === 'signed' && sourceCount !== 1) {
    ctx.issues.push({
      code: 'custom',
      input: undefined,
      path: ['SHOPPER_AUTH'],
      message:
        'signed needs exactly one of SHOPPER_JWT_SECRET, SHOPPER_JWKS_URL or SHOPPER_JWKS_FILE',
    });
  }
  return auth;
}
